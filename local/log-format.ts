import { LOG_FIELDS, type AccessLogEntry } from '../contract/logs';

const COLORS: Record<string, string> = {
  DEBUG: '\x1b[90m',
  INFO: '\x1b[36m',
  WARN: '\x1b[33m',
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[31m',
};
const RESET = '\x1b[0m';
// Keys every Powertools line carries; the readable form leaves them out.
const NOISE = new Set<string>([
  LOG_FIELDS.level,
  LOG_FIELDS.message,
  LOG_FIELDS.timestamp,
  LOG_FIELDS.correlationId,
  LOG_FIELDS.callerCorrelationId,
  'service',
  'sampling_rate',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'xray_trace_id',
  'requestId',
]);

/** One function log line (JSON) as a short readable line for a terminal. */
export function readableLogLine(line: string, color = true): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = String(entry[LOG_FIELDS.level] ?? 'INFO');
  const time = String(entry[LOG_FIELDS.timestamp] ?? '').slice(11, 23);
  const correlation = String(
    entry[LOG_FIELDS.callerCorrelationId] ??
      entry[LOG_FIELDS.correlationId] ??
      entry.requestId ??
      '',
  );
  const rest = Object.entries(entry)
    .filter(([key]) => !NOISE.has(key))
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(' ');
  const tag = color ? `${COLORS[level] ?? ''}${level.padEnd(5)}${RESET}` : level.padEnd(5);
  return `${time} ${tag} ${String(entry[LOG_FIELDS.message] ?? '')} ${rest}${correlation ? ` [${correlation}]` : ''}`.trimEnd();
}

export function readableAccessLog(entry: AccessLogEntry): string {
  return `${String(entry.requestTime).slice(12, 20)} ACCESS ${entry.routeKey} ${entry.status} ${entry.responseLatency} ms [${entry.requestId}]`;
}
