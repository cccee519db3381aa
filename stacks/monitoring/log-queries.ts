/**
 * The Logs Insights queries of the dashboard's log widgets and the alarms' "look here" links, one
 * per question, built from the field names in contract/ so that the handler, the queries and the
 * README cannot drift. Each is a list of commands (the dashboard joins them with `\n|`, the console
 * link with newlines). No cdktf imports: the local monitor runs the same queries.
 */
import { ROUTES } from '../../contract/api';
import { CANARY_CORRELATION_PREFIX, REFUSAL_STEPS, type RequestIds } from '../../contract/canaries';
import { ACCESS_LOG_FORMAT, LOG_FIELDS as F, LOG_MESSAGES } from '../../contract/logs';

type AccessLogField = keyof typeof ACCESS_LOG_FORMAT;
const access = <Field extends AccessLogField>(field: Field): Field => field;

/** A Logs Insights string literal. */
const quoted = (value: string) => JSON.stringify(value);

/** A regex literal matching values that start with `prefix`. */
const startsWith = (prefix: string) => `/^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`;

export const LOG_QUERIES = {
  /**
   * The function's ERROR lines and every 5xx in the access log (API Gateway's own answers
   * included), newest first. Over the function's and the access log's groups.
   */
  recentErrors: [
    `fields @timestamp, ${F.level}, ${F.message}, ${F.errorCode}, ${F.status}, ${access('errorMessage')}, ${F.correlationId}, ${F.callerCorrelationId}`,
    `filter ${F.level} = "ERROR" or ${F.status} >= 500`,
    'sort @timestamp desc',
    'limit 50',
  ],
  /** The slowest requests the function answered. Over the function's group. */
  slowestRequests: [
    `fields @timestamp, ${F.route}, ${F.status}, ${F.latencyMs}, ${F.correlationId}, ${F.callerCorrelationId}`,
    `filter ${F.message} = ${quoted(LOG_MESSAGES.request)}`,
    `sort ${F.latencyMs} desc`,
    'limit 20',
  ],
  /** Requests the canaries made that did not get a 2xx. Over the function's group. */
  canaryFailures: canaryFailures(CANARY_CORRELATION_PREFIX),
  /** What the canaries themselves logged as an error or a failure. Over the canaries' groups. */
  canaryRunErrors: [
    'fields @timestamp, @log, @message',
    'filter @message like /(?i)(error|fail)/',
    'sort @timestamp desc',
    'limit 20',
  ],
  /** The business metric: messages created per hour, free of any custom metric's price. */
  messagesCreated: [
    `filter ${F.message} = ${quoted(LOG_MESSAGES.request)} and ${F.route} = ${quoted(ROUTES.createMessage)} and ${F.status} = 201`,
    'stats count(*) as created by bin(1h)',
  ],
} as const;

/**
 * Requests of the canaries whose ids start with `prefix` (`canary-` for all of them,
 * `canary-msgs-prod-api-` for one canary) that did not get a 2xx, with their own log lines.
 */
export function canaryFailures(prefix: string): string[] {
  return [
    `fields @timestamp, ${F.level}, ${F.message}, ${F.route}, ${F.status}, ${F.errorCode}, ${F.callerCorrelationId}`,
    ...canaryFailuresBrief(prefix),
    'limit 50',
  ];
}

/**
 * The same lines in full (no `fields`), short enough for a link in an alarm's description. The
 * steps whose 4xx is the point (REFUSAL_STEPS) are left out.
 */
export function canaryFailuresBrief(prefix: string): string[] {
  return [
    `filter ${F.callerCorrelationId} like ${startsWith(prefix)} and ${F.callerCorrelationId} not like /-(${REFUSAL_STEPS.join('|')})-/ and (${F.level} = "ERROR" or ${F.level} = "WARN" or ${F.status} >= 400)`,
    'sort @timestamp desc',
  ];
}

/**
 * Every line of one request, over the function's and the access log's groups: the function's by
 * the caller's id (`caller_correlation_id`) and by API Gateway's request id (`correlation_id`),
 * and API Gateway's own access-log line by that same id (`requestId`). Without API Gateway's id
 * (no answer came) only the function's lines can be found.
 */
export function requestTrail(ids: RequestIds): string[] {
  const gateway = ids.apiGatewayRequestId;
  return [
    `fields @timestamp, @log, ${F.level}, ${F.message}, ${F.status}, ${F.errorCode}, ${access('errorMessage')}`,
    [
      `filter ${F.callerCorrelationId} = ${quoted(ids.correlationId)}`,
      ...(gateway === undefined
        ? []
        : [
            `${F.correlationId} = ${quoted(gateway)}`,
            `${access('requestId')} = ${quoted(gateway)}`,
          ]),
    ].join(' or '),
    'sort @timestamp asc',
  ];
}
