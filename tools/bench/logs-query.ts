/**
 * The worst Logs Insights queries we can write, against 100,000 access-log lines in the monitor of
 * the same process as the system's API (as `npm start` runs them), and the API's latency while the
 * worst one runs, beside the same without it (issue 21: one query froze the process for 159 s).
 * Run alone: `npx tsx tools/bench/logs-query.ts`; `npm run bench` runs it among the rest.
 */
import { MESSAGES_PATH } from '../../contract/api';
import type { AccessLogEntry } from '../../contract/logs';
import {
  AlarmEngine,
  SimulatedClock,
  DEFAULT_QUERY_BUDGETS,
  MONITOR_API,
  startMonitorServer,
} from '@monitored/cloudwatch-local';
import { MonitoringData } from '../../local/monitoring/monitoring-loop';
import { loadStageDefinitions } from '../../local/monitoring/stage-definitions';
import { summarize, type Summary } from './samples';

const LINES = 100_000;
/** The request of issue 21: a backtracking engine takes minutes over it with `/(a+)+$/`. */
const HOSTILE_USER_AGENT = `${'a'.repeat(30)}!`;
/** Requests to the API with no query running; during one, as many as fit in it (at most this). */
const API_SAMPLES = 300;

/** The queries, each as bad as we could make it in its own way. */
const WORST_QUERIES: readonly { readonly what: string; readonly query: string }[] = [
  {
    what: "the issue's backtracking regex",
    query: 'filter userAgent like /(a+)+$/ | fields userAgent',
  },
  {
    what: 'a capturing regex repeated over every line',
    query: 'parse @message /(?<x>(.*a){20}.*)/ | stats count(*) by x',
  },
  {
    what: 'stats by a field unique to each line, sorted',
    query: 'stats count(*) as n by requestId | sort n desc | limit 100000',
  },
  {
    what: 'every line, sorted, the largest limit',
    query: 'fields @message | sort @message asc | limit 100000',
  },
];

export interface Row {
  readonly measure: string;
  readonly figure: string;
  readonly reference: string;
  readonly target: string;
  readonly met?: boolean;
}

interface QueryTiming {
  readonly what: string;
  readonly query: string;
  readonly seconds: number;
  readonly status: number;
  readonly outcome: string;
}

/** Measures, and returns the rows of the README's benchmark table. */
export async function benchLogsQuery(apiUrl: string): Promise<Row[]> {
  const definitions = loadStageDefinitions('dev');
  const clock = new SimulatedClock(1);
  // Room for all of them: the default 32 MiB a group would keep about 70,000 (and say so).
  const data = new MonitoringData(definitions, clock, () => undefined, {
    logGroupBudgetBytes: 64 * 1024 * 1024,
  });
  const group = definitions.names.accessLogGroup;
  for (let i = 0; i < LINES; i += 1) data.accessLog(accessEntry(i));
  const alarms = new AlarmEngine({
    store: data.metrics,
    accountId: definitions.accountId,
    metricAlarms: definitions.metricAlarms,
    compositeAlarms: definitions.compositeAlarms,
    createdAt: clock.now(),
  });
  const monitor = await startMonitorServer(
    {
      definitions,
      metrics: data.metrics,
      alarms,
      logs: data.logs,
      now: () => clock.now(),
      localUrls: { websiteUrl: 'http://127.0.0.1:1', apiUrl },
    },
    { port: 0 },
  );
  try {
    const run = async (query: string): Promise<{ status: number; outcome: string }> => {
      const response = await fetch(`${monitor.url}${MONITOR_API.logsQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ lookBackSeconds: 3600, query, logGroups: [group] }),
      });
      const body = (await response.json()) as {
        rows?: unknown[];
        error?: { code: string; message: string };
      };
      return {
        status: response.status,
        outcome:
          body.error === undefined
            ? `${body.rows?.length.toLocaleString('en-US')} rows`
            : `${body.error.code}: ${body.error.message}`,
      };
    };
    const timings: QueryTiming[] = [];
    for (const { what, query } of WORST_QUERIES) {
      const started = performance.now();
      const { status, outcome } = await run(query);
      timings.push({ what, query, seconds: (performance.now() - started) / 1000, status, outcome });
    }
    const worst = timings.reduce((a, b) => (b.seconds > a.seconds ? b : a));

    const idle = await apiLatencies(apiUrl, () => true);
    let running = true;
    const during = run(worst.query).finally(() => (running = false));
    const busy = await apiLatencies(apiUrl, () => running);
    await during;
    return rows(timings, worst, idle, busy);
  } finally {
    await monitor.stop();
  }
}

/** GET /messages one after another, API_SAMPLES times or while `going()`. */
async function apiLatencies(apiUrl: string, going: () => boolean): Promise<Summary> {
  const samples: number[] = [];
  while (samples.length < API_SAMPLES && going()) {
    const started = performance.now();
    const response = await fetch(`${apiUrl}${MESSAGES_PATH}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${MESSAGES_PATH}: HTTP ${response.status}`);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

function accessEntry(i: number): AccessLogEntry {
  return {
    requestId: `bench-${i}`,
    requestTime: '28/Nov/2026:10:00:00 +0000',
    routeKey: 'GET /messages/{id}',
    status: i % 10 === 0 ? 404 : 200,
    responseLatency: i % 97,
    integrationLatency: i % 89,
    integrationError: '-',
    errorMessage: '-',
    errorResponseType: '-',
    sourceIp: '127.0.0.1',
    userAgent: i % 100 === 0 ? HOSTILE_USER_AGENT : `bench/${i % 7} ${'a'.repeat(i % 40)}`,
    responseLength: 20 + (i % 50),
  };
}

function rows(
  timings: readonly QueryTiming[],
  worst: QueryTiming,
  idle: Summary,
  busy: Summary,
): Row[] {
  const budget = `${DEFAULT_QUERY_BUDGETS.timeMs / 1000} s`;
  return [
    ...timings.map((timing): Row => ({
      measure: `Logs Insights over ${LINES.toLocaleString('en-US')} lines: ${timing.what} (\`${timing.query.replace(/\|/g, '\\|')}\`)`,
      figure: `${timing.seconds.toFixed(2)} s, HTTP ${timing.status}`,
      reference: timing.outcome.slice(0, 160),
      target: `answered or refused within the ${budget} budget`,
      met: timing.seconds <= DEFAULT_QUERY_BUDGETS.timeMs / 1000 + 1,
    })),
    {
      measure: `API \`GET ${MESSAGES_PATH}\` while the worst of them runs (${worst.what}; sequential)`,
      figure: `p99 ${busy.p99.toFixed(1)} ms, p50 ${busy.p50.toFixed(1)} ms (${busy.n} requests)`,
      reference: `without it: p99 ${idle.p99.toFixed(1)} ms, p50 ${idle.p50.toFixed(1)} ms (${idle.n} requests)`,
      target: 'answered throughout, never stalled',
      met: busy.n > 1,
    },
  ];
}

async function main(): Promise<void> {
  const { ensureDynamoDbLocal } = await import('../../scripts/ensure-dynamodb-local.js');
  const { startLocalSystem } = await import('../../local/system.js');
  await ensureDynamoDbLocal();
  const system = await startLocalSystem({
    ports: { website: 0, api: 0, dynamodb: 0 },
    apiThrottling: { burstLimit: 10_000, rateLimit: 10_000 },
  });
  try {
    for (const row of await benchLogsQuery(system.apiUrl))
      process.stdout.write(
        `| ${row.measure} | ${row.figure} | ${row.reference} | ${row.target} | ${row.met === undefined ? '' : row.met ? 'yes' : 'no'} |\n`,
      );
  } finally {
    await system.stop();
  }
}

if (require.main === module) void main();
