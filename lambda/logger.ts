import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The function's one logger. Service name, level and debug sampling come from the environment the
 * stack sets (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_LOGGER_SAMPLE_RATE); on AWS
 * the level of Lambda's advanced logging controls (AWS_LAMBDA_LOG_LEVEL) takes precedence, and the
 * stack sets both from one value.
 */
export const logger = new Logger();
