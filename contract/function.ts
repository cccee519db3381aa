/**
 * The message function as the stack deploys it and as the local system and tests run it: its
 * settings, its environment and its table's key. No cdktf imports, so that local/, scripts/ and
 * the tests can read it without loading the provider.
 */
import type { LogLevel, SystemLogLevel } from './logs';

export interface FunctionSettings {
  /** Lambda runtime identifier; nodejs22.x is supported until 2027-04-30. */
  readonly runtime: 'nodejs22.x' | 'nodejs24.x';
  readonly architecture: 'arm64' | 'x86_64';
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** `NODE_OPTIONS`: source maps, so stack traces in the logs point at the TypeScript. */
  readonly nodeOptions: string;
  /**
   * Lambda's system log level: INFO keeps the platform's START and REPORT lines (duration, billed
   * duration, memory, init time), which the dashboard and Logs Insights read; WARN drops them.
   * The stack sets it and the local Lambda host writes those lines by it.
   */
  readonly systemLogLevel: SystemLogLevel;
}

/**
 * arm64 costs about 20% less than x86_64 for the same duration; 256 MB gives the SDK's cold start
 * enough CPU; 5 s is well above the DynamoDB client's own bound of under 3 s per request.
 */
export const MESSAGES_FUNCTION: FunctionSettings = {
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memoryMb: 256,
  timeoutSeconds: 5,
  nodeOptions: '--enable-source-maps',
  systemLogLevel: 'INFO',
};

/** Environment variables the stack sets on the function and the handler reads. */
export const FUNCTION_ENV = {
  tableName: 'TABLE_NAME',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  debugSampleRate: 'POWERTOOLS_LOGGER_SAMPLE_RATE',
  /** Only set locally: where DynamoDB Local listens. Unset on AWS, where the SDK finds the endpoint. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
} as const;

/** The `service` field of every log line of the function. */
const MESSAGES_SERVICE_NAME = 'messages-api';

/**
 * The table's key schema. The stack creates the table from it and the local system creates
 * DynamoDB Local's table from it, so there is one definition of the key.
 */
export const TABLE_KEY = { partitionKey: 'id', type: 'S' } as const;

/**
 * The table's TTL attribute (epoch seconds). DynamoDB deletes an item some time after it passes,
 * not at once, so readers treat an item whose time has passed as absent.
 */
export const TABLE_TTL_ATTRIBUTE = 'expiresAt';

export interface PowertoolsEnvironmentProps {
  readonly logLevel: LogLevel;
  readonly debugSampleRate: number;
}

/**
 * The function's environment apart from the table's name: the stack sets that variable when it
 * binds the table to the function, together with the permission to use it.
 */
export function messagesPowertoolsEnvironment(
  props: PowertoolsEnvironmentProps,
): Record<string, string> {
  return {
    [FUNCTION_ENV.serviceName]: MESSAGES_SERVICE_NAME,
    [FUNCTION_ENV.logLevel]: props.logLevel,
    [FUNCTION_ENV.debugSampleRate]: String(props.debugSampleRate),
  };
}

export interface FunctionEnvironmentProps extends PowertoolsEnvironmentProps {
  readonly tableName: string;
}

/** The message function's whole environment, as the local system sets it. */
export function messagesFunctionEnvironment(
  props: FunctionEnvironmentProps,
): Record<string, string> {
  return { [FUNCTION_ENV.tableName]: props.tableName, ...messagesPowertoolsEnvironment(props) };
}
