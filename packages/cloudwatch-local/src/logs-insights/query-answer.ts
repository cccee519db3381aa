/**
 * A query request of the monitor's `/api/logs-query`, answered from a snapshot of the log store:
 * what the query worker (query-worker.ts) runs, off the thread that serves the system. Everything
 * the query's text decides happens here: parsing, compiling its regexes, choosing the groups,
 * reading their lines, running the commands and writing the JSON answer.
 */
import type { DroppedLines, LogsQueryResponse } from '../monitor-api';
import { executeQuery } from './interpreter';
import { checkGroupName, selectEvents, type LogSnapshot } from './log-store';
import { parseQuery } from './parser';
import { QueryError } from './query-error';

export interface QueryRequest {
  readonly query: string;
  /** The groups to read when the query names none with SOURCE. */
  readonly logGroups: readonly string[];
  /** ms since the epoch, start inclusive, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly snapshot: LogSnapshot;
  /** The largest answer written; a larger one is refused. */
  readonly maxResultBytes: number;
}

/** The answer's body (JSON, UTF-8), or an error for the client, as the monitor sends errors. */
export type QueryAnswer =
  | { readonly ok: true; readonly body: Uint8Array }
  | {
      readonly ok: false;
      readonly status: number;
      readonly code: string;
      readonly message: string;
    };

/** The code of an answer refused because a query went past one of its budgets. */
export const BUDGET_EXCEEDED = 'QUERY_BUDGET_EXCEEDED';

const refuse = (status: number, code: string, message: string): QueryAnswer => ({
  ok: false,
  status,
  code,
  message,
});

export function answerQuery(request: QueryRequest): QueryAnswer {
  const { snapshot, start, end } = request;
  let query;
  try {
    query = parseQuery(request.query);
    for (const group of [...query.sources, ...request.logGroups]) checkGroupName(group);
  } catch (error: unknown) {
    if (error instanceof QueryError) return refuse(400, 'QUERY_ERROR', error.message);
    // A query nested deeper than the stack, or an invalid group name.
    return refuse(400, 'INVALID_REQUEST', error instanceof Error ? error.message : String(error));
  }
  const names = query.sources.length > 0 ? query.sources : request.logGroups;
  if (names.length === 0)
    return refuse(
      400,
      'INVALID_REQUEST',
      'the query names no log group (SOURCE) and logGroups is empty',
    );
  const groups = [];
  for (const name of names) {
    const group = snapshot.groups.find((candidate) => candidate.name === name);
    if (group === undefined)
      return refuse(404, 'UNKNOWN_LOG_GROUP', `log group ${JSON.stringify(name)} does not exist`);
    groups.push(group);
  }
  const events = groups.flatMap((group) =>
    selectEvents(group.segments, Math.max(start, group.cutoff), end),
  );
  const result = executeQuery(query, events);
  const dropped = groups.flatMap(({ name, usage }): DroppedLines[] =>
    usage.droppedBefore !== undefined && start <= usage.droppedBefore
      ? [
          {
            logGroup: name,
            lines: usage.droppedLines,
            before: usage.droppedBefore,
            budgetBytes: usage.budgetBytes,
          },
        ]
      : [],
  );
  const response: LogsQueryResponse = {
    start,
    end,
    columns: result.columns,
    rows: result.rows,
    ...(dropped.length > 0 && { dropped }),
  };
  const body = new TextEncoder().encode(JSON.stringify(response));
  if (body.length > request.maxResultBytes)
    return refuse(
      422,
      BUDGET_EXCEEDED,
      `the answer is ${formatBytes(body.length)} of JSON, over the result budget of ${formatBytes(request.maxResultBytes)}: ask for fewer rows (limit) or fields`,
    );
  return { ok: true, body };
}

function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes >= mib ? `${(bytes / mib).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
