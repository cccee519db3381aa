import { LOG_FIELDS, type AccessLogEntry } from '../contract/logs';
import { visibleText } from '@monitored/cloudwatch-model';
import { isPlatformLine } from './platform-log';

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

/**
 * `text` as the terminal shows it: every character a terminal would act on written as an escape
 * (`\x1b`, `\n`, `\u202e`), by the one rule for a request's text (packages/cloudwatch-model/src/visible-text.ts).
 */
export function escapeControls(text: string): string {
  return visibleText(text);
}

/**
 * Whether to colour what goes to `stream`: only a terminal, and not when NO_COLOR is set to
 * anything but the empty string (https://no-color.org).
 */
export function colorFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** A log line's JSON object, or undefined for a line that is not one. */
function logEntry(line: string): Record<string, unknown> | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null
      ? (entry as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * One function log line (JSON) as a short readable line for a terminal, or undefined for a line
 * the terminal leaves out (`platform.start`; the log file keeps it). Control characters are escaped.
 */
export function readableLogLine(line: string, color: boolean): string | undefined {
  const entry = logEntry(line);
  if (entry === undefined) return escapeControls(line);
  if (isPlatformLine(entry)) {
    if (entry.type === 'platform.start') return undefined;
    const { requestId, metrics, status } = entry.record;
    const init = metrics.initDurationMs === undefined ? '' : `, init ${metrics.initDurationMs} ms`;
    return escapeControls(
      `${entry.time.slice(11, 23)} REPORT ${metrics.durationMs} ms (billed ${metrics.billedDurationMs} ms${init}), ` +
        `memory ${metrics.maxMemoryUsedMB}/${metrics.memorySizeMB} MB, ${status} [${requestId}]`,
    );
  }
  const level = text(entry[LOG_FIELDS.level] ?? 'INFO');
  const time = text(entry[LOG_FIELDS.timestamp] ?? '').slice(11, 23);
  const correlation = text(
    entry[LOG_FIELDS.callerCorrelationId] ??
      entry[LOG_FIELDS.correlationId] ??
      entry.requestId ??
      '',
  );
  const rest = Object.entries(entry)
    .filter(([key]) => !NOISE.has(key))
    .map(([key, value]) => `${key}=${text(value)}`)
    .join(' ');
  const safeLevel = escapeControls(level.padEnd(5));
  const tag = color ? `${COLORS[level] ?? ''}${safeLevel}${RESET}` : safeLevel;
  const body = `${text(entry[LOG_FIELDS.message] ?? '')} ${rest}${correlation ? ` [${correlation}]` : ''}`;
  return `${escapeControls(time)} ${tag} ${escapeControls(body)}`.trimEnd();
}

export function readableAccessLog(entry: AccessLogEntry): string {
  return escapeControls(
    `${String(entry.requestTime).slice(12, 20)} ACCESS ${entry.routeKey} ${entry.status} ${entry.responseLatency} ms [${entry.requestId}]`,
  );
}

/** Causes followed at most, outermost first: enough to reach the network error under a failure. */
const MAX_ERROR_LINKS = 5;

/** Names, messages and codes of an error and its causes, as Powertools logs them. */
function errorChain(error: unknown): string[] {
  const links: string[] = [];
  for (
    let link = error;
    typeof link === 'object' && link !== null && links.length < MAX_ERROR_LINKS;
  ) {
    const { name, message, code, cause } = link as Record<string, unknown>;
    links.push(
      `${text(name ?? 'Error')}: ${text(message ?? '')}${code === undefined ? '' : ` (${text(code)})`}`,
    );
    link = cause;
  }
  return links;
}

/**
 * What a function log line says went wrong, when it is an ERROR line with an error: the error and
 * each of its causes, outermost first ("DependencyUnavailableError: DynamoDB could not read the
 * count ← TimeoutError: socket hang up (ECONNRESET)"), control characters escaped; else undefined.
 */
export function failureOf(line: string): string | undefined {
  const entry = logEntry(line);
  if (entry?.[LOG_FIELDS.level] !== 'ERROR') return undefined;
  const chain = errorChain(entry[LOG_FIELDS.error]);
  return chain.length === 0 ? undefined : escapeControls(chain.join(' ← '));
}
