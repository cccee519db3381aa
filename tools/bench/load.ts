/**
 * The local API under load: autocannon on loopback, bounded by a request count and a time limit,
 * against the local system with its throttle lifted (the load is the point, not API Gateway's
 * 429s). POSTs each carry their own Idempotency-Key, as the website's do; GETs read the ids the
 * POSTs returned. Afterwards the count must equal the number of 201s, and no request may fail.
 * What the function logged meanwhile gives the log bytes and billed time per request that the
 * cost model assumes.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { IDEMPOTENCY_KEY_HEADER, MESSAGES_PATH, messagePath, ROUTES } from '../../contract/api';
import type { AccessLogEntry } from '../../contract/logs';
import type { PlatformReport } from '../../local/platform-log';
import { summarize, type Summary } from './samples';

export interface LoadPhase {
  readonly route: string;
  readonly connections: number;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts and answers other than the expected status. */
  readonly errors: number;
  readonly statusCounts: Readonly<Record<string, number>>;
}

export interface LoadBench {
  readonly post: LoadPhase;
  readonly getById: LoadPhase;
  readonly created: number;
  readonly countAfter: number;
  /** What the function and the API front logged per request during the load. */
  readonly functionLogBytesPerRequest: number;
  /** The same without DEBUG lines: what prod, at INFO, would keep. */
  readonly functionLogBytesPerRequestAtInfo: number;
  readonly accessLogBytesPerRequest: number;
  /** The function's billed duration (platform.report) per invocation. */
  readonly billedMs: Summary;
}

/** Receives the local system's log lines while a measure runs. */
export class LogTap {
  functionBytes = 0;
  functionBytesAtInfo = 0;
  accessBytes = 0;
  accessEntries: AccessLogEntry[] = [];
  billedMs: number[] = [];

  reset(): void {
    this.functionBytes = 0;
    this.functionBytesAtInfo = 0;
    this.accessBytes = 0;
    this.accessEntries = [];
    this.billedMs = [];
  }

  readonly onLogLine = (line: string): void => {
    const bytes = Buffer.byteLength(line) + 1;
    this.functionBytes += bytes;
    let entry: { level?: string; type?: string } = {};
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      // A plain line counts at every level.
    }
    if (entry.level !== 'DEBUG') this.functionBytesAtInfo += bytes;
    if (entry.type === 'platform.report')
      this.billedMs.push((entry as PlatformReport).record.metrics.billedDurationMs);
  };

  readonly onAccessLog = (entry: AccessLogEntry): void => {
    this.accessBytes += Buffer.byteLength(JSON.stringify(entry)) + 1;
    this.accessEntries.push(entry);
  };
}

const LIMIT_SECONDS = 60;

async function fire(
  route: string,
  expectedStatus: number,
  options: autocannon.Options,
): Promise<LoadPhase> {
  let limit: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done: autocannon.Result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    // autocannon takes a count or a duration: the count bounds the work, this bounds the time.
    limit = setTimeout(() => instance.stop(), LIMIT_SECONDS * 1000);
  });
  clearTimeout(limit);
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [
      status,
      stats.count ?? 0,
    ]),
  );
  const answered = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  return {
    route,
    connections: result.connections,
    requests: answered,
    seconds: result.duration,
    perSecond: answered / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + (answered - (statusCounts[expectedStatus] ?? 0)),
    statusCounts,
  };
}

export async function benchLoad(
  apiUrl: string,
  tap: LogTap,
  { posts = 2_000, gets = 4_000, connections = 8 } = {},
): Promise<LoadBench> {
  const before = (await (await fetch(`${apiUrl}${MESSAGES_PATH}`)).json()) as { count: number };
  tap.reset();
  const ids: string[] = [];
  let sequence = 0;
  const post = await fire(ROUTES.createMessage, 201, {
    url: apiUrl,
    connections,
    amount: posts,
    requests: [
      {
        method: 'POST',
        path: MESSAGES_PATH,
        setupRequest: (request) => ({
          ...request,
          headers: {
            'content-type': 'application/json',
            [IDEMPOTENCY_KEY_HEADER]: `"${randomUUID()}"`,
          },
          body: JSON.stringify({ message: `load ${sequence++}` }),
        }),
        onResponse: (status, body) => {
          if (status === 201) ids.push((JSON.parse(body) as { id: string }).id);
        },
      },
    ],
  });
  const created = post.statusCounts['201'] ?? 0;
  const after = (await (await fetch(`${apiUrl}${MESSAGES_PATH}`)).json()) as { count: number };

  if (ids.length === 0) throw new Error('no POST succeeded: nothing to read back');
  let next = 0;
  const getById = await fire(ROUTES.getMessage, 200, {
    url: apiUrl,
    connections,
    amount: gets,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: messagePath(ids[next++ % ids.length]) }),
      },
    ],
  });
  // Both phases and the two count requests: every request the access log saw.
  const requests = tap.accessEntries.length;
  return {
    post,
    getById,
    created,
    countAfter: after.count - before.count,
    functionLogBytesPerRequest: tap.functionBytes / requests,
    functionLogBytesPerRequestAtInfo: tap.functionBytesAtInfo / requests,
    accessLogBytesPerRequest: tap.accessBytes / requests,
    billedMs: summarize(tap.billedMs),
  };
}
