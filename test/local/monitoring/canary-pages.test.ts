// @tier e2e
/**
 * `/canaries/<name>` served through the monitor's fallback, with runs from a scheduler on a clock
 * the test moves: a failed step's request ids open that request's lines in the logs, in a fixed
 * range around the run, so that the link still shows them hours later, the function's lines and
 * API Gateway's own access-log line alike.
 */
import { randomUUID } from 'node:crypto';
import { API_STAGE } from '../../../contract/api';
import { canaryCorrelationId, writeRequestIds } from '../../../contract/canaries';
import type { CanaryRun } from '../../../local/canary-runner';
import { canaryPages } from '../../../local/monitoring/canary-pages';
import {
  CanaryScheduler,
  type ScheduledRun,
  MONITOR_API,
  type LogsQueryResponse,
} from '@monitored/cloudwatch-local';
import { buildWebsite } from '../../../bundling/website';
import { launchChromium } from '../../../local/chromium';
import { startWebsiteServer } from '../../../local/website-server';
import { ManualClock } from '../../support/manual-clock';
import { stageDefinitions, startFedMonitor, START, type FedMonitor } from '../../support/monitor';

const definitions = stageDefinitions('prod');
const canary = definitions.canaries.api;
const { functionLogGroup, accessLogGroup } = definitions.names;
const SCALE = 60;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let clock: ManualClock;
let monitor: FedMonitor;
let scheduler: CanaryScheduler;
let run: ScheduledRun;
const ids = {
  correlationId: canaryCorrelationId(canary.name, 'count', randomUUID()),
  apiGatewayRequestId: 'Qx1_b2-Cd3Ef4G=',
};

/** An attempt that makes one request, answered 503 by the function 20 simulated seconds in. */
function failingAttempt(): Promise<CanaryRun> {
  const at = clock.now() + 20_000;
  clock.advanceTo(at);
  monitor.logs.append(functionLogGroup, {
    '@timestamp': at,
    '@message': JSON.stringify({
      level: 'ERROR',
      message: 'request failed',
      status: 503,
      errorCode: 'SERVICE_UNAVAILABLE',
      correlation_id: ids.apiGatewayRequestId,
      caller_correlation_id: ids.correlationId,
    }),
    '@log': `${definitions.accountId}:${functionLogGroup}`,
  });
  monitor.logs.append(accessLogGroup, {
    '@timestamp': at + 1_000,
    '@message': JSON.stringify({
      requestId: ids.apiGatewayRequestId,
      routeKey: 'GET /messages',
      status: 503,
      errorMessage: '-',
      stage: API_STAGE,
    }),
    '@log': `${definitions.accountId}:${accessLogGroup}`,
  });
  clock.advanceTo(at + 10_000);
  // The answer quoted in the error carries a right-to-left override, as a hostile one could.
  const error = `count: expected HTTP 200, got 503: {"error":{"code":"SERVICE_UNAVAILABLE","message":"\u202eelbaliava"}} (${writeRequestIds(ids)})`;
  return Promise.resolve({
    canaryName: canary.name,
    passed: false,
    steps: [{ name: 'count', status: 'failed', durationMs: 40, error }],
    logs: [],
    error,
    failedToExecute: false,
    timedOut: false,
  });
}

beforeAll(async () => {
  clock = new ManualClock(START);
  const done: ((run: ScheduledRun) => void)[] = [];
  scheduler = new CanaryScheduler({
    clock,
    canaries: [{ ...canary, schedule: { ...canary.schedule, maxRetries: 0 } }],
    runAttempt: failingAttempt,
    record: () => undefined,
    log: (group, event) => monitor.logs.append(group, event),
    accountId: definitions.accountId,
    onRun: (finished) => done.shift()?.(finished),
  });
  monitor = await startFedMonitor('prod', {
    empty: true,
    now: () => clock.now(),
    fallback: (sources) =>
      canaryPages({
        scheduler,
        now: sources.now,
        scale: SCALE,
        requestLogGroups: [functionLogGroup, accessLogGroup],
        dashboardName: definitions.dashboard.name,
      }),
  });
  for (const group of [functionLogGroup, accessLogGroup, canary.logGroupName])
    monitor.logs.createGroup(group);
  const finished = new Promise<ScheduledRun>((resolve) => done.push(resolve));
  scheduler.start();
  run = await finished;
});
afterAll(async () => {
  await scheduler.stop();
  await monitor.server.stop();
});

/** The `/logs` link of the failed step on the canary's page. */
async function stepLink(): Promise<URL> {
  const html = await (await fetch(`${monitor.server.url}/canaries/${canary.name}`)).text();
  const link = /<td>count<\/td>.*?<a href="(\/logs\?[^"]+)">/s.exec(html);
  expect(link).not.toBeNull();
  return new URL(link![1].replace(/&amp;/g, '&'), monitor.server.url);
}

async function runLink(link: URL): Promise<LogsQueryResponse> {
  const time = (name: string) => Date.parse(link.searchParams.get(name) ?? '');
  const answer = await fetch(`${monitor.server.url}${MONITOR_API.logsQuery}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: link.searchParams.get('query'),
      logGroups: link.searchParams.get('groups')?.split(','),
      start: time('start'),
      end: time('end'),
    }),
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as LogsQueryResponse;
}

describe('a name in the path that is not valid percent-encoding', () => {
  it.each([
    '/canaries/%ZZ',
    '/api/canaries/%ZZ',
    '/alarms/%ZZ',
    '/api/alarms/%ZZ',
    '/alarms/%E2%80',
  ])('%s gets the one answer: 400, naming the path', async (path) => {
    const answer = await fetch(`${monitor.server.url}${path}`);

    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: `the name in ${path} is not valid percent-encoding`,
      },
    });
  });
});

describe("a canary's runs page", () => {
  it("shows a request's text by the one rule: the override is an escape, in the HTML and the JSON", async () => {
    const html = await (await fetch(`${monitor.server.url}/canaries/${canary.name}`)).text();
    const missing = await fetch(`${monitor.server.url}/api/canaries/%E2%80%AEnope`);

    expect(html).not.toContain('\u202e');
    expect(html).toContain('\\u202eelbaliava');
    expect(await missing.text()).not.toContain('\u202e');
  });

  it("links a failed step's request to a fixed range around its run, not one relative to when the page was drawn", async () => {
    const link = await stepLink();
    const start = Date.parse(link.searchParams.get('start') ?? '');
    const end = Date.parse(link.searchParams.get('end') ?? '');
    const attempt = run.attempts[0];

    expect(start).toBeLessThanOrEqual(attempt.startedAt);
    expect(start).toBeGreaterThan(attempt.startedAt - 2 * MINUTE);
    expect(end).toBeGreaterThan(attempt.endedAt);
    expect(end).toBeLessThan(attempt.endedAt + 10 * MINUTE);
  });

  it("finds, three hours later, the function's line and API Gateway's access-log line of that request", async () => {
    const link = await stepLink();
    await scheduler.stop();
    clock.advanceTo(clock.now() + 3 * HOUR);

    const result = await runLink(link);

    expect(result.rows.map((row) => row['@log'])).toEqual([
      `${definitions.accountId}:${functionLogGroup}`,
      `${definitions.accountId}:${accessLogGroup}`,
    ]);
  });
});

describe.each([360, 1280])('the icon of every page, at %i px in Chromium', (width) => {
  /** Each icon request a page makes, with its status. */
  async function visit(url: string) {
    const { browser, close } = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 800 });
      const icons: string[] = [];
      page.on('response', (response) => {
        if (/favicon/.test(response.url()))
          icons.push(`${response.status()} ${new URL(response.url()).pathname}`);
      });
      // The icon is asked for once the document has loaded; the dashboard keeps a stream open,
      // so the wait is on the icon's answer, not on a quiet network.
      const icon = page.waitForResponse((response) => /favicon/.test(response.url()), {
        timeout: 15_000,
      });
      await page.goto(url, { waitUntil: 'load' });
      await icon;
      return { icons };
    } finally {
      await close();
    }
  }

  it.each([
    `/canaries/${canary.name}`,
    '/canaries/msgs-prod-nope',
    '/',
    '/logs',
    `/alarms/${definitions.names.canary('api')}-journey-failing`,
    '/api/dashboard',
  ])("finds the monitor's icon for %s", async (path) => {
    const { icons } = await visit(`${monitor.server.url}${path}`);

    expect(icons.length).toBeGreaterThan(0);
    expect(icons.every((icon) => icon.startsWith('200 '))).toBe(true);
  });

  it("lays a run's steps out without breaking a word of the table or scrolling sideways", async () => {
    const { browser, close } = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 800 });
      await page.goto(`${monitor.server.url}/canaries/${canary.name}`, { waitUntil: 'load' });
      const layout = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        // A header or a status on more than one line has had a word broken (they are one word).
        broken: [...document.querySelectorAll('th, td:nth-child(2)')]
          .filter((cell) => {
            // The lines its text takes: the distinct tops of the text's boxes.
            const range = document.createRange();
            range.selectNodeContents(cell);
            const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            return tops.size > 1;
          })
          .map((cell) => cell.textContent),
      }));

      expect(layout.broken).toEqual([]);
      expect(layout.overflow).toBeLessThanOrEqual(0);
    } finally {
      await close();
    }
  });

  it.each(['/', '/no-such-page'])("finds the website's icon for %s", async (path) => {
    const website = await startWebsiteServer({
      port: 0,
      build: buildWebsite(),
      config: { apiUrl: 'http://127.0.0.1:1' },
    });
    try {
      const { icons } = await visit(`${website.url}${path}`);

      expect(icons).toEqual(['200 /favicon.svg']);
    } finally {
      await website.stop();
    }
  });
});
