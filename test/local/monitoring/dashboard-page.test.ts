/**
 * The dashboard page in Debian's Chromium, against a monitor fed by hand (test/support/monitor.ts)
 * with each stage's synthesized dashboard: data for some widgets' metrics only, the stage's alarms,
 * a few log lines.
 */
import type { Browser, Page } from 'puppeteer-core';
import { CANARY_STEPS } from '../../../contract/canaries';
import { deployAlarmName } from '../../../stacks/monitoring/names';
import { launchChromium } from '../../../local/chromium';
import { describeMetric, metricRows } from '../../../local/monitoring/dashboard-body';
import { MONITOR_API, PAGE_MARKS } from '../../../local/monitoring/monitor-api';
import {
  attribute,
  collectErrors,
  openDashboard,
  waitForRefreshes,
  widgetWithTitle,
  DRAWN_WITHIN_MS,
} from '../../support/dashboard-page';
import { LOCAL_URLS, START, startFedMonitor, type FedMonitor } from '../../support/monitor';

let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser());

/** `#d13212` as RGB: the colour the dashboard gives alarm thresholds. */
const THRESHOLD_RGB = [0xd1, 0x32, 0x12];
/** `#1f77b4`: the journey row's colour in the body. */
const JOURNEY_RGB = [0x1f, 0x77, 0xb4];

describe.each(['dev', 'prod'] as const)("the %s stage's dashboard in Chromium", (stage) => {
  let monitor: FedMonitor;
  let page: Page;
  let errors: string[];
  const prefix = `msgs-${stage}`;

  beforeAll(async () => {
    monitor = await startFedMonitor(stage);
  });
  afterAll(() => monitor.server.stop());
  beforeEach(async () => {
    page = await browser.newPage();
    errors = collectErrors(page);
  });
  afterEach(() => page.close());

  const body = () => monitor.definitions.dashboard.body;

  it("places every widget at the body's x, y, width and height on the 24-column grid", async () => {
    await openDashboard(page, monitor.server.url);
    const layout = await page.$eval(PAGE_MARKS.grid, (grid) => {
      const style = getComputedStyle(grid);
      const box = grid.getBoundingClientRect();
      return {
        width: box.width,
        gap: parseFloat(style.columnGap),
        unit: parseFloat(style.gridAutoRows),
        widgets: [...grid.querySelectorAll('[data-widget]')].map((widget) => {
          const rect = widget.getBoundingClientRect();
          return {
            index: Number(widget.getAttribute('data-widget')),
            left: rect.left - box.left,
            top: rect.top - box.top,
            width: rect.width,
            height: rect.height,
          };
        }),
      };
    });
    const column = (layout.width - 23 * layout.gap) / 24;
    expect(layout.widgets.map((widget) => widget.index).sort((a, b) => a - b)).toEqual(
      body().widgets.map((_widget, index) => index),
    );
    for (const shown of layout.widgets) {
      const { x, y, width, height } = body().widgets[shown.index];
      const expected = {
        left: x * (column + layout.gap),
        top: y * (layout.unit + layout.gap),
        width: width * column + (width - 1) * layout.gap,
        height: height * layout.unit + (height - 1) * layout.gap,
      };
      for (const key of ['left', 'top', 'width', 'height'] as const) {
        expect({ widget: shown.index, [key]: Math.round(shown[key]) }).toEqual({
          widget: shown.index,
          [key]: Math.round(expected[key]),
        });
      }
    }
  });

  it('draws a widget with data as a chart, with its alarm threshold drawn across it', async () => {
    await openDashboard(page, monitor.server.url);
    const widget = widgetWithTitle(body(), /^website journey: success/);
    expect(await attribute(page, widget, 'data-empty')).toBe('false');
    // 12 periods of the journey row and of each of its steps.
    expect(await attribute(page, widget, 'data-points')).toBe(
      String(12 * (1 + CANARY_STEPS.website.length)),
    );
    const drawn = await page.$eval(widget, (element) => {
      const canvas = element.querySelector('canvas') as HTMLCanvasElement;
      const label = element.querySelector('[data-annotation]') as HTMLElement;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const y = Number(label.dataset.canvasY);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<string>();
      for (let i = 0; i < pixels.length; i += 4)
        colours.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
      // The legend's swatch of each row: the colour its line is drawn in.
      const legend = [...element.querySelectorAll('.legend li')].map((item) => [
        item.querySelector('.legend-label')?.textContent,
        getComputedStyle(item.querySelector('.swatch') as Element).backgroundColor,
      ]);
      return {
        label: label.dataset.annotation,
        lineColour: [
          ...context.getImageData(Math.floor(canvas.width / 2), y, 1, 1).data.slice(0, 3),
        ],
        colours: [...colours],
        legend: Object.fromEntries(legend) as Record<string, string>,
      };
    });
    expect(drawn.label).toBe(`alarm: ${prefix}-website-journey-failing`);
    expect(drawn.lineColour).toEqual(THRESHOLD_RGB);
    // The journey keeps the body's colour; the failed run's dip is drawn in the post step's.
    expect(drawn.legend.journey).toBe(`rgb(${JOURNEY_RGB.join(', ')})`);
    const post = /rgb\((\d+), (\d+), (\d+)\)/.exec(drawn.legend.post)?.slice(1).join(',');
    expect(drawn.colours).toContain(post);
  });

  it('says so in a widget whose metrics have no data, naming each metric', async () => {
    await openDashboard(page, monitor.server.url);
    const title = 'Table: latency by operation (ms)';
    const widget = widgetWithTitle(body(), title);
    expect(await attribute(page, widget, 'data-empty')).toBe('true');
    const named = await page.$$eval(`${widget} ${PAGE_MARKS.emptyMetrics} [data-metric]`, (items) =>
      items.map((item) => item.getAttribute('data-metric')),
    );
    const properties = body().widgets.find((w) => w.properties.title === title)?.properties ?? {};
    const expected = metricRows(properties).map((row) =>
      row.kind === 'metric' ? describeMetric(row) : '',
    );
    expect(named).toEqual(expected);
    expect(named[0]).toBe(
      `AWS/DynamoDB SuccessfulRequestLatency (TableName=${prefix}-messages, Operation=GetItem)`,
    );
    expect(await page.$(`${widget} canvas`)).toBeNull();
  });

  it("makes the header's links local: the site, the API, alarms, canaries and log groups", async () => {
    await openDashboard(page, monitor.server.url);
    const links = await page.$$eval('.widget-text a', (anchors) =>
      anchors.map((anchor) => [anchor.textContent, anchor.getAttribute('href')]),
    );
    const href = (text: string) => links.find(([shown]) => shown === text)?.[1];
    expect(href('Website')).toBe(LOCAL_URLS.websiteUrl);
    expect(href('API: the count')).toBe(`${LOCAL_URLS.apiUrl}/messages`);
    expect(href('Site down alarm')).toBe(`/alarms/${prefix}-site-down`);
    expect(href('Deploy alarm')).toBe(`/alarms/${deployAlarmName(prefix)}`);
    expect(href('website')).toBe(`/canaries/${prefix}-website`);
    const functionLogs = new URL(String(href('function')), monitor.server.url);
    expect(functionLogs.pathname).toBe('/logs');
    expect(functionLogs.searchParams.get('groups')).toBe(`/aws/lambda/${prefix}-api`);
    expect(links.filter(([, link]) => /amazonaws\.com|cloudfront\.net/.test(String(link)))).toEqual(
      [],
    );
  });

  it('shows ALARM in the alarm widget after the alarm is set, without reloading the page', async () => {
    await openDashboard(page, monitor.server.url);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    const name = deployAlarmName(prefix);
    const tile = PAGE_MARKS.alarm(name);
    expect(await attribute(page, tile, 'data-alarm-state')).toBe('INSUFFICIENT_DATA');

    const answer = await fetch(`${monitor.server.url}${MONITOR_API.alarmState(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'ALARM', reason: 'deploying' }),
    });
    expect(answer.status).toBe(200);

    await page.waitForSelector(`${tile}[data-alarm-state="ALARM"]`, { timeout: DRAWN_WITHIN_MS });
    expect(await page.$eval(tile, (element) => element.textContent)).toContain('In alarm');
    // The widget lists ALARM first (sortBy stateUpdatedTimestamp).
    expect(
      await page.$eval(
        `${tile}`,
        (element) => element.parentElement?.firstElementChild === element,
      ),
    ).toBe(true);
    expect(
      await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
    ).toBe(true);
    await fetch(`${monitor.server.url}${MONITOR_API.alarmState(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'OK', reason: 'deployed' }),
    });
  });

  it('shows the rows of the log widgets, and draws the hourly one as a chart', async () => {
    await openDashboard(page, monitor.server.url);
    const errorsWidget = widgetWithTitle(body(), /^Recent errors/);
    expect(await attribute(page, errorsWidget, 'data-rows')).toBe('2');
    expect(await page.$eval(errorsWidget, (element) => element.textContent)).toContain(
      'req-failed-1',
    );
    const slowest = widgetWithTitle(body(), 'Slowest requests');
    const latencies = await page.$$eval(`${slowest} tbody tr`, (rows) =>
      rows.map((row) => row.textContent ?? ''),
    );
    expect(latencies).toHaveLength(2);
    expect(latencies[0]).toContain('42');
    const hourly = widgetWithTitle(body(), 'Messages created per hour');
    expect(await attribute(page, hourly, 'data-rows')).toBe('1');
    expect(await page.$(`${hourly} canvas`)).not.toBeNull();
  });

  it('refetches metrics and logs for a new time range', async () => {
    await openDashboard(page, monitor.server.url);
    const asked: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(MONITOR_API.metricData))
        asked.push(JSON.parse(request.postData() ?? '{}'));
    });
    const journey = widgetWithTitle(body(), /^website journey: success/);
    const slowest = widgetWithTitle(body(), 'Slowest requests');
    expect(await attribute(page, journey, 'data-start')).toBe(String(START - 3 * 3600_000));

    await page.click('#time-range-900');
    await page.waitForFunction(
      (selector: string, start: string) =>
        document.querySelector(selector)?.getAttribute('data-start') === start,
      { timeout: DRAWN_WITHIN_MS },
      journey,
      String(START - 900_000),
    );
    await waitForRefreshes(page, 2);

    expect(asked).toContainEqual(expect.objectContaining({ lookBackSeconds: 900 }));
    // The last 15 minutes hold 3 of the 12 periods.
    expect(await attribute(page, journey, 'data-points')).toBe(
      String(3 * (1 + CANARY_STEPS.website.length)),
    );
    // Both requests were 20 and 30 minutes ago.
    expect(await attribute(page, slowest, 'data-rows')).toBe('0');
  });

  it('logs no console error while it loads and refreshes', async () => {
    await openDashboard(page, monitor.server.url);
    await page.click(PAGE_MARKS.refreshButton);
    await waitForRefreshes(page, 2);
    expect(errors).toEqual([]);
  });

  it.each([360, 1280])('fits %i px without scrolling sideways', async (width) => {
    await openDashboard(page, monitor.server.url, width);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('can be used by keyboard: the range picker and Refresh are reached, and visibly focused', async () => {
    await openDashboard(page, monitor.server.url);
    const reached: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(
          () => document.activeElement?.id || document.activeElement?.tagName || '',
        ),
      );
    }
    expect(reached).toContain('time-range-10800');
    expect(reached).toContain('refresh');
    expect(reached.indexOf('time-range-10800')).toBeLessThan(reached.indexOf('refresh'));

    // Back to the picker: an arrow key picks the previous range, and the page follows it.
    await page.focus('#time-range-10800');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (grid: string) => document.querySelector(grid)?.getAttribute('data-range') === '3600',
      { timeout: DRAWN_WITHIN_MS },
      PAGE_MARKS.grid,
    );

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('refresh');
    const outline = await page.$eval('#refresh', (element) => {
      const style = getComputedStyle(element);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toBe('solid 3px');
    const before = Number(await attribute(page, PAGE_MARKS.grid, 'data-refreshes'));
    await page.keyboard.press('Enter');
    await waitForRefreshes(page, before + 1);
  });
});
