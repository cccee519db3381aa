import { block } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

export const lambdaLogLevel: PolicyRule = {
  id: 'lambda-log-level',
  description:
    "A function's Powertools level matches Lambda's log level, so no DEBUG line is silently dropped",
  resourceTypes: ['aws_lambda_function'],
  check(fn) {
    const variables = block(block(fn.config.environment)?.variables) ?? {};
    const powertoolsLevel = variables.POWERTOOLS_LOG_LEVEL;
    if (powertoolsLevel === undefined) return undefined;
    const logging = block(fn.config.logging_config);
    if (logging?.log_format !== 'JSON')
      return 'uses Powertools but logging_config.log_format is not JSON';
    const lambdaLevel = logging.application_log_level ?? 'INFO';
    if (lambdaLevel !== powertoolsLevel) {
      return `POWERTOOLS_LOG_LEVEL is ${String(powertoolsLevel)} but Lambda's application_log_level is ${String(lambdaLevel)}`;
    }
    if (Number(variables.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0) > 0 && lambdaLevel !== 'DEBUG') {
      return `debug sampling is on but Lambda drops DEBUG lines at application_log_level ${String(lambdaLevel)}`;
    }
    return undefined;
  },
};
