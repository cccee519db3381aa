// @tier e2e
/**
 * The dashboard page in Debian's Chromium, against a monitor fed by hand (test/support/monitor.ts)
 * with each stage's synthesized dashboard: data for some widgets' metrics only, the stage's alarms,
 * a few log lines.
 */
import type { Browser, Page } from 'puppeteer-core';
import { CANARY_STEPS } from '../../../contract/canaries';
import { deployAlarmName } from '../../../stacks/monitoring/names';
import { launchChromium } from '../../../local/chromium';
import { describeMetric, metricRows, MONITOR_API, PAGE_MARKS } from '@monitored/cloudwatch-local';
import {
  attribute,
  collectErrors,
  openDashboard,
  waitForRefreshes,
  widgetWithTitle,
  DRAWN_WITHIN_MS,
} from '../../support/dashboard-page';
import {
  CANARY_FAILURE,
  LOCAL_URLS,
  START,
  startFedMonitor,
  type FedMonitor,
} from '../../support/monitor';

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

  it('draws the lines over the threshold: a journey at 100% shows on the line at 100', async () => {
    await openDashboard(page, monitor.server.url);
    const widget = widgetWithTitle(body(), /^website journey: success/);
    // A run 29 minutes ago: the journey and every step at 100.
    const healthyRun = START - 29 * 60_000;
    const drawn = await page.$eval(
      widget,
      (element, at) => {
        const canvas = element.querySelector('canvas') as HTMLCanvasElement;
        const over = element.querySelector('.u-over') as HTMLElement;
        const label = element.querySelector('[data-annotation]') as HTMLElement;
        const start = Number(element.getAttribute('data-start'));
        const end = Number(element.getAttribute('data-end'));
        const ratio = canvas.width / canvas.getBoundingClientRect().width;
        const x = over.offsetLeft + ((at - start) / (end - start)) * over.offsetWidth;
        const pixel = (px: number) => [
          ...(canvas.getContext('2d') as CanvasRenderingContext2D)
            .getImageData(Math.round(px * ratio), Number(label.dataset.canvasY), 1, 1)
            .data.slice(0, 3),
        ];
        const lines = [...element.querySelectorAll('.legend .swatch')].map((swatch) => {
          const rgb = /rgb\((\d+), (\d+), (\d+)\)/.exec(getComputedStyle(swatch).backgroundColor);
          return (rgb?.slice(1) ?? []).map(Number);
        });
        // Before the first datapoint only the threshold is drawn on its row.
        return { atRun: pixel(x), beforeData: pixel(over.offsetLeft + 2), lines };
      },
      healthyRun,
    );
    // A point's centre is its line's colour, give or take the canvas's rounding of alpha.
    const near = (a: readonly number[], b: readonly number[]) =>
      a.every((value, i) => Math.abs(value - b[i]) <= 2);
    expect(drawn.lines.filter((line) => near(line, drawn.atRun))).toHaveLength(1);
    expect(near(drawn.atRun, THRESHOLD_RGB)).toBe(false);
    expect(drawn.beforeData).toEqual(THRESHOLD_RGB);
  });

  it.each([360, 1280])(
    "sizes each y axis to its tick labels at %i px: no label is cut at the chart's edge",
    async (width) => {
      await openDashboard(page, monitor.server.url, width);
      const duration = widgetWithTitle(body(), 'Function: duration (ms)');
      // The function's timeout line puts its duration axis in the thousands: wider labels.
      expect(await attribute(page, duration, 'data-empty')).toBe('false');
      expect(await page.$(`${duration} ${PAGE_MARKS.annotation}`)).not.toBeNull();
      const charts = await page.$$eval('[data-widget] figure.chart', (figures) =>
        figures.map((figure) => {
          const canvas = figure.querySelector('canvas') as HTMLCanvasElement;
          const over = figure.querySelector('.u-over') as HTMLElement;
          const ratio = canvas.width / canvas.getBoundingClientRect().width;
          // The y axis's labels lie left of the plot and no lower than its bottom; a label cut
          // by the canvas leaves ink in the canvas's first columns.
          const rows = Math.round((over.offsetTop + over.offsetHeight) * ratio);
          const edge = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
            0,
            0,
            2,
            rows,
          ).data;
          let inked = 0;
          for (let i = 3; i < edge.length; i += 4) if (edge[i] > 0) inked += 1;
          return {
            widget: figure.closest('[data-widget]')?.querySelector('h2')?.textContent,
            inked,
          };
        }),
      );
      expect(charts.length).toBeGreaterThan(5);
      expect(charts.filter((chart) => chart.inked > 0)).toEqual([]);
    },
  );

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

  it.each([360, 1280])(
    'shows each alarm on whole rows at %i px: none is cut by the widget, the rest scroll into view',
    async (width) => {
      // Evaluated over the fed data, the alarms have changed state once: rows with a history.
      monitor.alarms.evaluate(START);
      await openDashboard(page, monitor.server.url, width);
      const widget = '[data-widget-type="alarm"]';
      /** Each row's box against the part of the widget it can be seen through. */
      const rows = () =>
        page.$eval(widget, (element) => {
          const clipping = (node: Element) => getComputedStyle(node).overflowY !== 'visible';
          const seen = { top: -Infinity, bottom: Infinity };
          const list = element.querySelector('[data-alarm]')?.parentElement as HTMLElement;
          for (let node: Element | null = list; node !== null; node = node.parentElement) {
            if (clipping(node)) {
              const box = node.getBoundingClientRect();
              seen.top = Math.max(seen.top, box.top + node.clientTop);
              seen.bottom = Math.min(seen.bottom, box.top + node.clientTop + node.clientHeight);
            }
            if (node === element) break;
          }
          let scroller: Element | null = list;
          while (scroller !== null && scroller !== element.parentElement) {
            const overflow = getComputedStyle(scroller).overflowY;
            if (overflow === 'auto' || overflow === 'scroll') break;
            scroller = scroller.parentElement;
          }
          return {
            scrolls: scroller !== null && scroller.scrollHeight > scroller.clientHeight,
            rows: [...element.querySelectorAll('[data-alarm]')].map((row) => {
              const box = row.getBoundingClientRect();
              const lines = [...row.children].map((part) => {
                const range = document.createRange();
                range.selectNodeContents(part);
                return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)))
                  .size;
              });
              return {
                name: row.getAttribute('data-alarm'),
                whole: box.top >= seen.top - 0.5 && box.bottom <= seen.bottom + 0.5,
                hidden: box.bottom <= seen.top + 0.5 || box.top >= seen.bottom - 0.5,
                lines,
              };
            }),
          };
        });
      const scrollToEnd = () =>
        page.$eval(widget, (element) => {
          for (const node of element.querySelectorAll('*')) node.scrollTop = node.scrollHeight;
        });

      const first = await rows();
      await scrollToEnd();
      const last = await rows();

      expect(first.rows).toHaveLength(monitor.alarms.statuses().length);
      for (const shown of [first, last]) {
        expect(shown.rows.filter((row) => !row.whole && !row.hidden)).toEqual([]);
        if (shown.rows.some((row) => row.hidden)) expect(shown.scrolls).toBe(true);
      }
      // Scrolled to its end, the widget shows its last row whole.
      expect(last.rows[last.rows.length - 1].whole).toBe(true);
      if (width >= 1280) {
        // On a wide screen each part of a row (state, name, detail) keeps to one line.
        expect(first.rows.filter((row) => row.lines.some((lines) => lines !== 1))).toEqual([]);
      }
    },
  );

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

  it.each([360, 1280])(
    'keeps short values of the log tables on one line at %i px, and wraps a long message between words',
    async (width) => {
      await openDashboard(page, monitor.server.url, width);
      const cells = await page.$$eval('[data-widget-type="log"] td', (all) =>
        all.map((cell) => {
          const linesOf = (range: Range) =>
            new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
          const range = document.createRange();
          range.selectNodeContents(cell);
          // Each word of the cell on its own (a line may end after a hyphen, as in "look-up"):
          // one that spans two lines was broken inside.
          const text = cell.firstChild;
          const brokenWords: string[] = [];
          if (text instanceof Text) {
            for (const match of text.data.matchAll(/[^\s-]+-?/g)) {
              const word = document.createRange();
              word.setStart(text, match.index);
              word.setEnd(text, match.index + match[0].length);
              if (linesOf(word) > 1) brokenWords.push(match[0]);
            }
          }
          return {
            text: cell.textContent ?? '',
            lines: linesOf(range),
            width: cell.getBoundingClientRect().width,
            brokenWords,
          };
        }),
      );
      // Codes, levels, routes, statuses, ids and timestamps: no longer than a timestamp.
      const short = cells.filter((cell) => cell.text !== '' && cell.text.length <= 23);
      expect(short.map((cell) => cell.text)).toEqual(
        expect.arrayContaining(['ERROR', 'INTERNAL_ERROR', 'POST /messages']),
      );
      expect(short.filter((cell) => cell.lines !== 1)).toEqual([]);
      const message = cells.find((cell) => cell.text.endsWith(CANARY_FAILURE));
      expect(message).toBeDefined();
      // Wrapped within the widget, never one line as wide as the whole message.
      expect(message?.lines).toBeGreaterThan(1);
      expect(message?.width).toBeLessThanOrEqual(width);
      expect(cells.filter((cell) => cell.brokenWords.length > 0)).toEqual([]);
    },
  );

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

  it.each([360, 1280])(
    'sizes the header to its content at %i px: all of it shown, and about a grid row empty at most',
    async (width) => {
      await openDashboard(page, monitor.server.url, width);
      const header = await page.$eval('.widget-text .widget-content', (content) => {
        const children = [...content.children].map((child) => child.getBoundingClientRect());
        const box = content.getBoundingClientRect();
        const style = getComputedStyle(content);
        const used =
          Math.max(...children.map((child) => child.bottom)) -
          box.top +
          parseFloat(style.paddingBottom);
        const grid = getComputedStyle(document.querySelector('.grid')!);
        return {
          hidden: content.scrollHeight - content.clientHeight,
          empty: box.height - used,
          // What one more row of the body's height adds: a row and a gap.
          row:
            parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.75 +
            parseFloat(grid.rowGap),
        };
      });

      expect(header.hidden).toBeLessThanOrEqual(0);
      // Heights are whole rows: what is left over is less than one and a half of them.
      expect(header.empty).toBeLessThan(1.5 * header.row);
    },
  );

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
