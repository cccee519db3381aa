// @tier e2e
/**
 * Each stage's synthesized dashboard in Debian's Chromium, drawn from what the running system and
 * its monitoring loop recorded (nothing fed by hand): once the canaries have run, every metric
 * widget has data (a widget without any fails the test and names its metrics: a wrong metric
 * name or dimension in the dashboard, or in a recorder, shows here), the log widgets run their
 * queries, and the alarm widget shows the engine's states. Then prod's API breaks: the journey's
 * success graph drops, the alarm widget shows ALARM, and the error log widgets fill.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../../../local/chromium';
import { startMonitoredSystem, type MonitoredSystem } from '../../../local/monitored-system';
import { LoopWatcher } from '../../../local/monitoring/loop-watcher';
import { PAGE_MARKS } from '@monitored/cloudwatch-local';
import type { Stage } from '../../../stacks/config';
import {
  collectErrors,
  DRAWN_WITHIN_MS,
  openDashboard,
  widgetWithTitle,
} from '../../support/dashboard-page';
import { TEST_TODAY } from '../../support/synth';

/** Real time for any one step of the loop (prod's API canary runs every 3 real seconds here). */
const WITHIN_MS = 60_000;

let browser: Browser;
let closeBrowser: () => Promise<void>;
beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser());

interface Live {
  readonly monitored: MonitoredSystem;
  readonly events: LoopWatcher;
  readonly outboxDir: string;
}

/** The stage's system and loop, once both canaries have run and the alarms were evaluated. */
async function startLive(stage: Stage): Promise<Live> {
  const events = new LoopWatcher();
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  const monitored = await startMonitoredSystem({
    stage,
    // dev's canaries run every 2 and 12 hours: only their first runs are needed here.
    timeScale: 120,
    ports: { website: 0, api: 0, dynamodb: 0 },
    monitorPort: 0,
    outboxDir,
    today: TEST_TODAY,
    onNotice: () => undefined,
    onMonitorEvent: events.listener,
  });
  for (const canary of Object.values(monitored.definitions.canaries))
    await events.waitFor(`a passing run of ${canary.name}`, events.run(canary.name, true), {
      withinMs: WITHIN_MS,
    });
  await events.waitFor('site-down OK', events.stateChange(`msgs-${stage}-site-down`, 'OK'), {
    withinMs: WITHIN_MS,
  });
  return { monitored, events, outboxDir };
}

async function stopLive(live: Live | undefined): Promise<void> {
  await live?.monitored.stop();
  if (live !== undefined) fs.rmSync(live.outboxDir, { recursive: true, force: true });
}

/** Metric widgets with no data at all, each with its title and the metrics it lists. */
async function emptyMetricWidgets(page: Page) {
  return page.$$eval('[data-widget-type="metric"][data-empty="true"]', (widgets) =>
    widgets.map((widget) => ({
      title: widget.querySelector('h2, h3')?.textContent ?? widget.getAttribute('data-widget'),
      metrics: [...widget.querySelectorAll('[data-metric]')].map((item) =>
        item.getAttribute('data-metric'),
      ),
    })),
  );
}

describe.each(['dev', 'prod'] as const)("the %s stage's dashboard, live", (stage) => {
  let live: Live | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    live = await startLive(stage);
  }, 120_000);
  afterAll(() => stopLive(live));
  beforeEach(async () => {
    page = await browser.newPage();
    errors = collectErrors(page);
  });
  afterEach(async () => {
    await page.close();
    expect(errors).toEqual([]);
  });

  const body = () => live!.monitored.definitions.dashboard.body;

  it('shows data in every metric widget once the canaries have run', async () => {
    await openDashboard(page, live!.monitored.loop.url);

    const metricWidgets = await page.$$eval('[data-widget-type="metric"]', (all) => all.length);
    expect(metricWidgets).toBe(body().widgets.filter((widget) => widget.type === 'metric').length);
    expect(await emptyMetricWidgets(page)).toEqual([]);
  });

  it('runs every log widget query over the local logs, with rows where the healthy system logs them', async () => {
    await openDashboard(page, live!.monitored.loop.url);

    const logWidgets = await page.$$eval('[data-widget-type="log"]', (all) =>
      all.map((widget) => ({
        state: widget.getAttribute('data-state'),
        error: widget.querySelector('[data-error]')?.textContent ?? null,
      })),
    );
    expect(logWidgets).toHaveLength(body().widgets.filter((w) => w.type === 'log').length);
    expect(logWidgets.filter((widget) => widget.state !== 'ready')).toEqual([]);
    const rowsOf = async (title: string) =>
      Number(await page.$eval(widgetWithTitle(body(), title), (w) => w.getAttribute('data-rows')));
    for (const title of ['Slowest requests', 'Messages created per hour']) {
      expect({ title, hasRows: (await rowsOf(title)) > 0 }).toEqual({ title, hasRows: true });
    }
    // A healthy system's canaries fail nothing: the refusals their journey asks for are not failures.
    expect(await rowsOf("Canaries' requests that failed")).toBe(0);
  });

  it("shows every alarm in the alarm widget in the engine's state", async () => {
    await openDashboard(page, live!.monitored.loop.url);

    const shown = await page.$$eval('[data-widget-type="alarm"] [data-alarm]', (alarms) =>
      Object.fromEntries(
        alarms.map((alarm) => [
          alarm.getAttribute('data-alarm'),
          alarm.getAttribute('data-alarm-state'),
        ]),
      ),
    );
    const engine = Object.fromEntries(
      live!.monitored.loop.alarms.statuses().map((status) => [status.name, status.state]),
    );
    expect(shown).toEqual(engine);
    expect(shown[`msgs-${stage}-site-down`]).toBe('OK');
    // No deploy holds it: missing data is not breaching.
    expect(shown[`msgs-${stage}-deploy-in-progress`]).toBe('OK');
  });

  if (stage === 'prod') {
    it("drops the API journey's success graph, shows ALARM, and fills the error log widgets once the API breaks", async () => {
      const { monitored, events } = live!;
      await openDashboard(page, monitored.loop.url);
      const from = events.mark;
      const journey = widgetWithTitle(
        body(),
        'api journey: success % (after retries), and per step',
      );
      const journeyRow = `${journey} [data-row-empty]`;

      await monitored.system.dynamodb!.suspend();
      await events.waitFor('site-down ALARM', events.stateChange('msgs-prod-site-down', 'ALARM'), {
        from,
        withinMs: WITHIN_MS,
      });
      // The page redraws on the monitor's change events; the button also asks for the logs.
      await page.click(PAGE_MARKS.refreshButton);
      await page.waitForFunction(
        (alarm: string, row: string) =>
          document.querySelector(alarm)?.getAttribute('data-alarm-state') === 'ALARM' &&
          document.querySelector(row)?.getAttribute('data-latest') === '0',
        { timeout: DRAWN_WITHIN_MS },
        `[data-widget-type="alarm"] ${PAGE_MARKS.alarm('msgs-prod-api-journey-failing')}`,
        journeyRow,
      );
      const countStep = await page.$$eval(`${journey} [data-row-empty]`, (rows) =>
        rows.map((row) => [row.textContent, row.getAttribute('data-latest')]),
      );
      await page.waitForFunction(
        (selectors: string[]) =>
          selectors.every(
            (selector) => Number(document.querySelector(selector)?.getAttribute('data-rows')) > 0,
          ),
        { timeout: DRAWN_WITHIN_MS },
        [
          widgetWithTitle(body(), /^Recent errors/),
          widgetWithTitle(body(), 'What the canaries logged as errors'),
          widgetWithTitle(body(), "Canaries' requests that failed"),
        ],
      );
      await monitored.system.dynamodb!.resume();

      expect(
        await page.$eval(
          `[data-widget-type="alarm"] ${PAGE_MARKS.alarm('msgs-prod-site-down')}`,
          (alarm) => alarm.getAttribute('data-alarm-state'),
        ),
      ).toBe('ALARM');
      // The journey after retries at 0. Its first step dropped: the 5-minute period it is
      // averaged over may still hold a passing attempt from before the break (0 and 100: 50).
      expect(countStep[0][1]).toBe('0');
      expect(Number(countStep.find(([label]) => label?.startsWith('count '))?.[1])).toBeLessThan(
        100,
      );
    }, 120_000);
  }
});
