import { executeQuery, type QueryResult } from '../../src/logs-insights/interpreter';
import type { LogEvent } from '../../src/logs-insights/log-event';
import { parseQuery } from '../../src/logs-insights/parser';

/** 2024-05-19 06:00:00.000 UTC: the events of the tests are offsets from it. */
export const T0 = Date.UTC(2024, 4, 19, 6, 0, 0);

/** An event whose @message is this object as JSON, `offsetMs` after T0. */
export function json(offsetMs: number, fields: object, logStream = 'stream-1'): LogEvent {
  return {
    '@timestamp': T0 + offsetMs,
    '@message': JSON.stringify(fields),
    '@logStream': logStream,
  };
}

export function text(offsetMs: number, message: string): LogEvent {
  return { '@timestamp': T0 + offsetMs, '@message': message };
}

export function run(query: string, events: readonly LogEvent[]): QueryResult {
  return executeQuery(parseQuery(query), events);
}

/** One column of the result, row by row ('' where the row lacks it). */
export function column(result: QueryResult, name: string): string[] {
  return result.rows.map((row) => row[name] ?? '');
}
