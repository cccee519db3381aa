// @tier e2e
/**
 * Issue 21, finding 1: one Logs Insights query froze everything (a regex that backtracks, run on
 * the thread that serves the system). The monitor runs in a process of its own here
 * (test/support/monitor-process.ts), so that the test can watch it from outside while it works.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { MONITOR_API, type ErrorBody, type LogsQueryResponse } from '@monitored/cloudwatch-local';
import { stageDefinitions } from '../../support/monitor';
import { HEAVY_GROUP } from '../../support/monitor-process';

const SCRIPT = path.join(__dirname, '..', '..', 'support', 'monitor-process.ts');
/** A heavy query: linear in RE2, but ~20k characters × a 20-fold capture on each of 200 lines. */
const HEAVY_QUERY = `SOURCE '${HEAVY_GROUP}' | parse @message /(?<x>(.*a){20})/ | stats count(*) by x`;

interface MonitorProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves at the next line whose JSON has this key and value. */
  next(key: string, value: unknown): Promise<void>;
  readonly exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startMonitor(budgetMs: number): Promise<MonitorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, String(budgetMs)], {
    cwd: path.join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const waiters: { key: string; value: unknown; resolve: () => void }[] = [];
  let resolveUrl!: (url: string) => void;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    if (typeof event.url === 'string') resolveUrl(event.url);
    for (const waiter of [...waiters])
      if (event[waiter.key] === waiter.value) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  });
  return {
    url: await Promise.race([
      url,
      exited.then((code) =>
        Promise.reject(new Error(`the monitor exited (${code}) before listening`)),
      ),
    ]),
    child,
    exited,
    next: (key, value) => new Promise((resolve) => waiters.push({ key, value, resolve })),
  };
}

/** POSTs a query; gives up after 30 s by the test's own clock (the monitor's may be stuck). */
async function query(
  url: string,
  body: object,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<{ status: number; json: unknown; at: number }> {
  const response = await fetch(`${url}${MONITOR_API.logsQuery}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  return { status: response.status, json: await response.json(), at: performance.now() };
}

/** GET /api/alarms, refused after 5 s: the monitor answering other requests while a query runs. */
async function alarms(url: string): Promise<{ status: number; at: number }> {
  const response = await fetch(`${url}${MONITOR_API.alarms}`, {
    signal: AbortSignal.timeout(5_000),
  });
  await response.arrayBuffer();
  return { status: response.status, at: performance.now() };
}

describe('a Logs Insights query cannot stall the monitor (issue 21, finding 1)', () => {
  it('answers filter userAgent like /(a+)+$/ over a line of 30 a and a !, and answers the rest meanwhile', async () => {
    const monitor = await startMonitor(60_000);

    const answer = query(monitor.url, {
      lookBackSeconds: 3600,
      query: 'filter userAgent like /(a+)+$/ | fields userAgent',
      logGroups: [stageDefinitions('dev').names.accessLogGroup],
    });
    const other = await alarms(monitor.url);
    const result = await answer;

    expect(other.status).toBe(200);
    expect(result.status).toBe(200);
    expect((result.json as LogsQueryResponse).rows).toEqual([]);
  }, 60_000);

  it('stops a query at its time budget with a 422 naming the budget, answering the rest meanwhile', async () => {
    const monitor = await startMonitor(500);

    const answer = query(monitor.url, { lookBackSeconds: 3600, query: HEAVY_QUERY });
    await monitor.next('query', 'started');
    const other = await alarms(monitor.url);
    const result = await answer;

    expect(other.status).toBe(200);
    expect(other.at).toBeLessThan(result.at);
    expect(result.status).toBe(422);
    expect((result.json as ErrorBody).error).toEqual({
      code: 'QUERY_BUDGET_EXCEEDED',
      message: expect.stringContaining('ran past its time budget of 500 ms and was stopped'),
    });
  }, 60_000);

  it('ends a query whose client went away', async () => {
    const monitor = await startMonitor(60_000);
    const client = new AbortController();

    const answer = query(monitor.url, { lookBackSeconds: 3600, query: HEAVY_QUERY }, client.signal);
    await monitor.next('query', 'started');
    const cancelled = monitor.next('query', 'cancelled');
    client.abort();

    await expect(answer).rejects.toThrow();
    await cancelled;
    expect((await alarms(monitor.url)).status).toBe(200);
  }, 60_000);

  it('stops on SIGINT while a query runs, and the process ends by itself', async () => {
    const monitor = await startMonitor(60_000);

    const answer = query(monitor.url, { lookBackSeconds: 3600, query: HEAVY_QUERY });
    answer.catch(() => undefined);
    await monitor.next('query', 'started');
    const stopped = monitor.next('stopped', true);
    monitor.child.kill('SIGINT');

    await stopped;
    expect(await monitor.exited).toBe(0);
    await expect(answer).rejects.toThrow();
  }, 60_000);
});
