/**
 * The names in the logs that queries rely on: the function's JSON lines (Powertools Logger) and the
 * HTTP API's access log. The handler writes them, the local log formatter reads them, and the
 * dashboard's and alarms' Logs Insights queries filter on them: one spelling for all.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Levels of Lambda's own (system) log lines; WARN is the least detailed. */
export type SystemLogLevel = 'DEBUG' | 'INFO' | 'WARN';

/** Fields of the function's log lines. */
export const LOG_FIELDS = {
  level: 'level',
  message: 'message',
  timestamp: 'timestamp',
  /** API Gateway's request id, which Powertools' `setCorrelationId` writes under this key. */
  correlationId: 'correlation_id',
  /** The caller's `x-correlation-id`, when it sent a well-formed one. */
  callerCorrelationId: 'caller_correlation_id',
  errorCode: 'errorCode',
  /** The error of an ERROR line, with its causes, as Powertools formats an Error. */
  error: 'error',
  status: 'status',
  route: 'route',
  method: 'method',
  path: 'path',
  latencyMs: 'latencyMs',
} as const;

/** The `message` of the lines a request produces: one summary line, plus a WARN or an ERROR. */
export const LOG_MESSAGES = {
  request: 'request',
  rejected: 'request rejected',
  failed: 'request failed',
} as const;

/** The fields of one HTTP API access log line, in API Gateway's `$context` variables. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  /** Why API Gateway answered itself (throttled, too large, integration failure), `-` otherwise. */
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  responseLength: '$context.responseLength',
} as const;

/**
 * The fields API Gateway always fills with an integer, written unquoted so that they are numbers
 * in Logs Insights: `status >= 500` then compares numbers, as it does on the function's lines.
 * (The others stay quoted: API Gateway writes `-` for a value it does not have.)
 */
export const ACCESS_LOG_NUMBER_FIELDS = [
  'status',
] as const satisfies readonly (keyof typeof ACCESS_LOG_FORMAT)[];

/** The stage's access log format: one JSON object a line once API Gateway fills it in. */
export function accessLogFormat(): string {
  const numbers: readonly string[] = ACCESS_LOG_NUMBER_FIELDS;
  const fields = Object.entries(ACCESS_LOG_FORMAT).map(([field, variable]) =>
    numbers.includes(field) ? `"${field}":${variable}` : `"${field}":"${variable}"`,
  );
  return `{${fields.join(',')}}`;
}

/** One access log line as written (API Gateway writes `-` for a value it does not have). */
export type AccessLogEntry = {
  readonly [
    Field in keyof typeof ACCESS_LOG_FORMAT
  ]: Field extends (typeof ACCESS_LOG_NUMBER_FIELDS)[number] ? number : string | number;
};
