// @tier e2e
/**
 * A request's text on the monitor's pages, in Chromium at a phone's width and a desktop's: a query
 * error quoting it, a log line holding it, a state reason set through the monitor, an alarm name in
 * a link. A bidirectional override or a control shows as an escape (packages/cloudwatch-model/src/visible-text.ts),
 * never reorders what follows it, and never widens the page.
 */
import type { Browser, Page } from 'puppeteer-core';
import { hasHiddenControls } from '@monitored/cloudwatch-model';
import { launchChromium } from '../../../local/chromium';
import { MONITOR_API, PAGE_MARKS } from '@monitored/cloudwatch-local';
import { collectErrors, DRAWN_WITHIN_MS } from '../../support/dashboard-page';
import { stageDefinitions, startFedMonitor, START, type FedMonitor } from '../../support/monitor';

const definitions = stageDefinitions('dev');
const FUNCTION_GROUP = definitions.names.functionLogGroup;
const RLO = '\u202e';
/** Whether the text holds a character the rule writes as an escape, line layout aside. */
const hidden = (text: string) => hasHiddenControls(text.replace(/[\n\t]/g, ' '));

let browser: Browser;
let closeBrowser: () => Promise<void>;
let monitor: FedMonitor;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
  monitor = await startFedMonitor('dev');
  monitor.logs.append(FUNCTION_GROUP, {
    '@timestamp': START - 60_000,
    '@message': JSON.stringify({
      level: 'WARN',
      message: 'request rejected',
      userAgent: `${RLO}gpj.exe`,
    }),
  });
});
afterAll(async () => {
  await monitor.server.stop();
  await closeBrowser();
});
beforeEach(async () => {
  page = await browser.newPage();
  errors = collectErrors(page);
});
afterEach(() => page.close());

/** The page's text nowhere holds a hidden character, and it does not scroll sideways. */
async function shownSafely(): Promise<void> {
  const shown = await page.evaluate(() => ({
    text: document.body.innerText,
    title: document.title,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  }));
  expect(hidden(shown.text)).toBe(false);
  expect(hidden(shown.title)).toBe(false);
  expect(shown.overflow).toBeLessThanOrEqual(0);
}

describe.each([360, 1280])("a request's text on the monitor's pages at %i px", (width) => {
  beforeEach(() => page.setViewport({ width, height: 800 }));

  it('shows a query error that quotes an override as an escape, in the order it was written', async () => {
    await page.goto(`${monitor.server.url}/logs?groups=${encodeURIComponent(FUNCTION_GROUP)}`);
    await page.waitForSelector('#results[data-rows]', { timeout: DRAWN_WITHIN_MS });
    await page.$eval(
      '#query',
      (input, text) => ((input as HTMLTextAreaElement).value = text),
      `fields ${RLO}abc`,
    );
    await page.click('#run-query');
    await page.waitForSelector(`#results ${PAGE_MARKS.error}`, { timeout: DRAWN_WITHIN_MS });

    expect(await page.$eval(`#results ${PAGE_MARKS.error}`, (element) => element.textContent)).toBe(
      'Logs Insights query, line 1 column 8: unexpected character "\\u202e"',
    );
    await shownSafely();
    expect(errors.filter((error) => !/status of 400/.test(error))).toEqual([]);
  });

  it('shows a log line holding an override as an escape in its cell', async () => {
    await page.goto(
      `${monitor.server.url}/logs?groups=${encodeURIComponent(FUNCTION_GROUP)}&query=${encodeURIComponent('fields userAgent | filter ispresent(userAgent)')}`,
    );
    await page.waitForSelector('#results[data-rows="1"]', { timeout: DRAWN_WITHIN_MS });

    expect(
      await page.$$eval('#results td', (cells) => cells.map((cell) => cell.textContent)),
    ).toEqual(['\\u202egpj.exe']);
    await shownSafely();
  });

  it("does not run a link's query that holds an override: it shows it escaped, and says why", async () => {
    await page.goto(
      `${monitor.server.url}/logs?groups=${encodeURIComponent(FUNCTION_GROUP)}&query=${encodeURIComponent(`filter level = "${RLO}RORRE"`)}`,
    );
    await page.waitForSelector('#query-status[data-kind="refused"]', { timeout: DRAWN_WITHIN_MS });

    expect(await page.$eval('#query', (input) => (input as HTMLTextAreaElement).value)).toBe(
      'filter level = "\\u202eRORRE"',
    );
    expect(await page.$('#results[data-rows]')).toBeNull();
    await shownSafely();
  });

  it('shows a state reason set through the monitor, and its history, with the override escaped', async () => {
    const name = 'msgs-dev-api-journey-failing';
    const set = await fetch(`${monitor.server.url}${MONITOR_API.alarmState(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'ALARM', reason: `by hand ${RLO}KO si lla` }),
    });
    expect(set.status).toBe(200);

    await page.goto(`${monitor.server.url}/alarms/${name}`);
    await page.waitForSelector(`#alarm ${PAGE_MARKS.alarm(name)}`, { timeout: DRAWN_WITHIN_MS });

    expect(await page.$eval('#alarm .reason', (element) => element.textContent)).toBe(
      'by hand \\u202eKO si lla',
    );
    await shownSafely();
  });

  it("shows an alarm name from the link's path escaped, in the heading, the title and the error", async () => {
    const response = await page.goto(
      `${monitor.server.url}/alarms/${encodeURIComponent(`${RLO}nope`)}`,
    );
    expect(response?.status()).toBe(404);
    await page.waitForSelector(`#alarm ${PAGE_MARKS.error}`, { timeout: DRAWN_WITHIN_MS });

    expect(await page.$eval('h1', (element) => element.textContent)).toBe('\\u202enope');
    expect(await page.$eval(`#alarm ${PAGE_MARKS.error}`, (element) => element.textContent)).toBe(
      'no alarm named "\\u202enope"',
    );
    await shownSafely();
  });
});
