import { FUNCTION_ENV } from '../../contract';
import type { LogLevel } from '../config';

const SERVICE_NAME = 'messages-api';

export interface FunctionEnvironmentProps {
  readonly tableName: string;
  readonly logLevel: LogLevel;
  readonly debugSampleRate: number;
}

/** The message function's environment: set by the stack on AWS and by the local system here. */
export function messagesFunctionEnvironment(
  props: FunctionEnvironmentProps,
): Record<string, string> {
  return {
    [FUNCTION_ENV.tableName]: props.tableName,
    [FUNCTION_ENV.serviceName]: SERVICE_NAME,
    [FUNCTION_ENV.logLevel]: props.logLevel,
    [FUNCTION_ENV.debugSampleRate]: String(props.debugSampleRate),
  };
}
