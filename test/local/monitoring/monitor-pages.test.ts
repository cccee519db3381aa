// @tier e2e
/**
 * The page with bodies changed on purpose (hostile markdown, queries that fail, widget forms the
 * stage's dashboard does not use), and the pages local links open: `/logs` and `/alarms/<name>`.
 */
import type { Browser, Page } from 'puppeteer-core';
import {
  LAMBDA,
  metric,
  dashboardBody,
  type BodyWidget,
  type DashboardBody,
  type WidgetSpec,
} from '@monitored/cloudwatch-model';
import { siteDownAlarmName } from '../../../stacks/monitoring/names';
import { launchChromium } from '../../../local/chromium';
import { parseQuery, PAGE_MARKS } from '@monitored/cloudwatch-local';
import {
  attribute,
  collectErrors,
  DRAWN_WITHIN_MS,
  openDashboard,
  widgetWithTitle,
} from '../../support/dashboard-page';
import { START, stageDefinitions, startFedMonitor, type FedMonitor } from '../../support/monitor';

const definitions = stageDefinitions('dev');
const FUNCTION_GROUP = definitions.names.functionLogGroup;

/** The stage's body with `extra` widgets laid out below its own. */
function withWidgets(extra: readonly WidgetSpec[], raw: readonly BodyWidget[] = []) {
  return (body: DashboardBody): DashboardBody => {
    const below = Math.max(...body.widgets.map((widget) => widget.y + widget.height));
    const added = [...dashboardBody(extra).widgets, ...raw].map((widget) => ({
      ...widget,
      y: widget.y + below,
    }));
    return { ...body, widgets: [...body.widgets, ...added] };
  };
}

const HOSTILE_MARKDOWN = [
  '# Hostile header',
  '<script>window.pwned = 1</script>',
  '<img src="x" onerror="window.pwned = 2">',
  '[run me](javascript:window.pwned=3)',
  '<a href="https://example.com/" onclick="window.pwned = 4">a plain link</a>',
  '<style>body { display: none }</style>',
  '<p style="color: red">styled</p>',
  '<iframe src="https://example.com/"></iframe>',
  '**still bold**',
].join('\n\n');

let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser());
beforeEach(async () => {
  page = await browser.newPage();
  errors = collectErrors(page);
});
afterEach(() => page.close());

describe('widgets the stage does not use, and hostile markdown', () => {
  let monitor: FedMonitor;
  const fn = { FunctionName: definitions.names.function };

  beforeAll(async () => {
    monitor = await startFedMonitor('dev', {
      body: withWidgets(
        [
          { type: 'text', markdown: HOSTILE_MARKDOWN, width: 12, height: 6 },
          {
            type: 'metric',
            title: 'Invocations now',
            view: 'singleValue',
            region: definitions.region,
            period: 300,
            rows: [{ metric: metric(LAMBDA.invocations, fn), label: 'invocations' }],
            width: 12,
            height: 3,
          },
        ],
        [
          {
            type: 'metric',
            x: 0,
            y: 6,
            width: 12,
            height: 6,
            properties: {
              title: 'Metric math',
              region: definitions.region,
              metrics: [[{ expression: 'SUM(METRICS())', label: 'total' }]],
            },
          },
        ],
      ),
    });
  });
  afterAll(() => monitor.server.stop());

  it('neutralises script-bearing markdown: its HTML shows as text, and no javascript: link survives', async () => {
    await openDashboard(page, monitor.server.url);
    const found = await page.$$eval('.widget-text', (widgets) => {
      const hostile = widgets.find((widget) => widget.textContent?.includes('Hostile header'));
      if (hostile === undefined) return undefined;
      const all = [...hostile.querySelectorAll('*')];
      return {
        dangerous: hostile.querySelectorAll('script, img, style, iframe').length,
        handlers: all.flatMap((element) =>
          element.getAttributeNames().filter((name) => name.startsWith('on')),
        ),
        styled: all.filter((element) => element.hasAttribute('style')).length,
        links: [...hostile.querySelectorAll('a')].map((a) => [
          a.textContent,
          a.getAttribute('href'),
        ]),
        bold: hostile.querySelector('strong')?.textContent,
        text: hostile.textContent,
      };
    });
    expect(found).toEqual({
      dangerous: 0,
      handlers: [],
      styled: 0,
      links: [['run me', null]],
      bold: 'still bold',
      text: expect.stringContaining('<img src="x" onerror="window.pwned = 2">'),
    });
    await page.$$eval('.widget-text a', (anchors) =>
      anchors.filter((a) => a.textContent === 'run me').forEach((a) => (a as HTMLElement).click()),
    );
    expect(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('shows a singleValue widget as the latest value of each row', async () => {
    await openDashboard(page, monitor.server.url);
    const widget = widgetWithTitle(monitor.definitions.dashboard.body, 'Invocations now');
    expect(await page.$eval(`${widget} .single-value`, (element) => element.textContent)).toBe(
      '10',
    );
    expect(await page.$(`${widget} canvas`)).toBeNull();
  });

  it('says that it does not compute metric math, instead of drawing an empty graph', async () => {
    await openDashboard(page, monitor.server.url);
    const widget = widgetWithTitle(monitor.definitions.dashboard.body, 'Metric math');
    expect(await attribute(page, widget, 'data-state')).toBe('error');
    expect(
      await page.$eval(`${widget} ${PAGE_MARKS.error}`, (element) => element.textContent),
    ).toMatch(/metric math or search expressions, which the local preview does not compute/);
  });
});

describe('log widgets whose query fails', () => {
  let monitor: FedMonitor;
  const unsupported = ['fields @timestamp, level', 'dedup level'];

  beforeAll(async () => {
    monitor = await startFedMonitor('dev', {
      body: withWidgets([
        {
          type: 'log',
          title: 'Outside the subset',
          region: definitions.region,
          logGroups: [FUNCTION_GROUP],
          query: unsupported,
          width: 12,
          height: 4,
        },
        {
          type: 'log',
          title: 'Misspelt group',
          region: definitions.region,
          logGroups: ['/aws/lambda/msgs-dev-apii'],
          query: ['fields @message'],
          width: 12,
          height: 4,
        },
      ]),
    });
  });
  afterAll(() => monitor.server.stop());

  it("shows the interpreter's message in the widget for a query outside the subset", async () => {
    await openDashboard(page, monitor.server.url);
    const widget = widgetWithTitle(monitor.definitions.dashboard.body, 'Outside the subset');
    const query = String(
      monitor.definitions.dashboard.body.widgets.find(
        (w) => w.properties.title === 'Outside the subset',
      )?.properties.query,
    );
    let message = '';
    try {
      parseQuery(query);
    } catch (error: unknown) {
      message = (error as Error).message;
    }
    expect(message).toContain('dedup');
    expect(await attribute(page, widget, 'data-state')).toBe('error');
    expect(
      await page.$eval(`${widget} ${PAGE_MARKS.error}`, (element) => element.textContent),
    ).toBe(`The query failed: ${message}`);
    // The other log widgets still show their rows.
    expect(
      await attribute(
        page,
        widgetWithTitle(monitor.definitions.dashboard.body, /^Recent errors/),
        'data-rows',
      ),
    ).toBe('2');
  });

  it('shows that a log group does not exist, never an empty table', async () => {
    await openDashboard(page, monitor.server.url);
    const widget = widgetWithTitle(monitor.definitions.dashboard.body, 'Misspelt group');
    expect(
      await page.$eval(`${widget} ${PAGE_MARKS.error}`, (element) => element.textContent),
    ).toBe('The query failed: log group "/aws/lambda/msgs-dev-apii" does not exist');
    expect(await page.$(`${widget} table`)).toBeNull();
  });
});

describe('the pages local links open', () => {
  let monitor: FedMonitor;

  beforeAll(async () => {
    monitor = await startFedMonitor('dev');
  });
  afterAll(() => monitor.server.stop());

  it("runs the default query over a log group from the header's link, and shows the rows", async () => {
    await openDashboard(page, monitor.server.url);
    await Promise.all([
      page.waitForNavigation(),
      page.$$eval('.widget-text a', (anchors) =>
        anchors
          .filter((a) => a.textContent === 'function')
          .forEach((a) => (a as HTMLElement).click()),
      ),
    ]);
    expect(new URL(page.url()).pathname).toBe('/logs');
    await page.waitForSelector('#results[data-rows]', { timeout: DRAWN_WITHIN_MS });
    expect(await attribute(page, '#results', 'data-rows')).toBe('3');
    expect(await page.$eval('#groups', (input) => (input as HTMLInputElement).value)).toBe(
      FUNCTION_GROUP,
    );
    const cells = await page.$$eval('#results td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells.some((cell) => cell.includes('req-failed-1'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows the query error on the logs page, and runs the corrected query', async () => {
    const groups = encodeURIComponent(FUNCTION_GROUP);
    await page.goto(
      `${monitor.server.url}/logs?query=${encodeURIComponent('dedup level')}&groups=${groups}&start=-3600`,
    );
    await page.waitForSelector(`#results ${PAGE_MARKS.error}`, { timeout: DRAWN_WITHIN_MS });
    expect(
      await page.$eval(`#results ${PAGE_MARKS.error}`, (element) => element.textContent),
    ).toMatch(/^Logs Insights query, line 1 column 1: /);
    await page.$eval('#query', (input) => ((input as HTMLTextAreaElement).value = ''));
    await page.type('#query', 'filter level = "ERROR" | fields correlation_id');
    await page.click('#run-query');
    await page.waitForSelector('#results[data-rows="1"]', { timeout: DRAWN_WITHIN_MS });
    expect(new URL(page.url()).searchParams.get('query')).toBe(
      'filter level = "ERROR" | fields correlation_id',
    );
  });

  it.each([360, 1280])(
    "shows a link's fixed range as the range chosen, at %i px, and runs over it",
    async (width) => {
      await page.setViewport({ width, height: 800 });
      const start = new Date(START - 15 * 60_000).toISOString();
      const end = new Date(START - 5 * 60_000).toISOString();
      await page.goto(
        `${monitor.server.url}/logs?query=${encodeURIComponent('fields @message')}&groups=${encodeURIComponent(FUNCTION_GROUP)}&start=${start}&end=${end}`,
      );
      await page.waitForSelector('#results[data-rows]', { timeout: DRAWN_WITHIN_MS });

      const chosen = await page.$$eval('#logs-range input', (inputs) =>
        inputs
          .filter((input) => (input as HTMLInputElement).checked)
          .map((input) => input.parentElement?.textContent?.trim()),
      );
      expect(chosen).toEqual(['2026-11-28 11:45:00 UTC to 2026-11-28 11:55:00 UTC']);
      // The ERROR line 10 minutes before START, and nothing outside the range.
      expect(await attribute(page, '#results', 'data-rows')).toBe('1');
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
    },
  );

  it('shows an alarm, its definition and history, and sets its state from the form', async () => {
    const name = siteDownAlarmName('msgs-dev');
    await page.goto(`${monitor.server.url}/alarms/${name}`);
    const state = `#alarm ${PAGE_MARKS.alarm(name)}`;
    await page.waitForSelector(state, { timeout: DRAWN_WITHIN_MS });
    expect(await page.$eval('#alarm', (element) => element.textContent)).toContain('alarmRule');
    await page.select('#new-state', 'ALARM');
    await page.click('#set-state');
    await page.waitForSelector(`${state}[data-alarm-state="ALARM"]`, { timeout: DRAWN_WITHIN_MS });
    expect(monitor.alarms.status(name).state).toBe('ALARM');
    expect(await page.$eval('#alarm', (element) => element.textContent)).toContain('→ ALARM');
    expect(errors).toEqual([]);
  });

  it("makes the links of an alarm's description local, its Logs Insights link included", async () => {
    const name = 'msgs-dev-api-journey-failing';
    await page.goto(`${monitor.server.url}/alarms/${name}`);
    await page.waitForSelector(`#alarm ${PAGE_MARKS.alarm(name)}`, { timeout: DRAWN_WITHIN_MS });
    const links = await page.$$eval('#alarm .description a', (anchors) =>
      anchors.map((anchor) => (anchor as HTMLAnchorElement).href),
    );
    const local = links.map((link) => new URL(link));
    expect(local.map((url) => url.origin)).toEqual(links.map(() => monitor.server.url));
    const logs = local.find((url) => url.pathname === '/logs');
    expect(logs?.searchParams.get('query')).toContain('caller_correlation_id like');
    expect(logs?.searchParams.get('groups')).toBe(
      `${FUNCTION_GROUP},${definitions.names.accessLogGroup}`,
    );
  });

  it('says so for an alarm that does not exist', async () => {
    const response = await page.goto(`${monitor.server.url}/alarms/msgs-dev-nope`);
    expect(response?.status()).toBe(404);
    await page.waitForSelector(`#alarm ${PAGE_MARKS.error}`, { timeout: DRAWN_WITHIN_MS });
    expect(await page.$eval(`#alarm ${PAGE_MARKS.error}`, (element) => element.textContent)).toBe(
      'no alarm named "msgs-dev-nope"',
    );
  });
});

describe('a log group over its memory budget (issue 21, finding 5)', () => {
  let monitor: FedMonitor;
  const lines = 5_000;

  beforeAll(async () => {
    monitor = await startFedMonitor('dev', {
      logs: { groupBudgetBytes: 64 * 1024, segmentBytes: 16 * 1024 },
    });
    for (let i = 0; i < lines; i += 1)
      monitor.logs.append(FUNCTION_GROUP, {
        '@timestamp': START - 3_000_000 + i * 100,
        '@message': `flood ${i} ${'x'.repeat(100)}`,
      });
  });
  afterAll(() => monitor.server.stop());

  it.each([360, 1280])('says on the logs page which lines it dropped (%i px)', async (width) => {
    await page.setViewport({ width, height: 800 });
    const groups = encodeURIComponent(FUNCTION_GROUP);
    await page.goto(
      `${monitor.server.url}/logs?query=${encodeURIComponent('fields @message')}&groups=${groups}&start=-3600`,
    );
    await page.waitForSelector('#results[data-rows]', { timeout: DRAWN_WITHIN_MS });
    const { droppedLines, droppedBefore } = monitor.logs.usage(FUNCTION_GROUP);

    const note = await page.$eval(`[data-dropped="${FUNCTION_GROUP}"]`, (element) => ({
      text: element.textContent,
      width: element.getBoundingClientRect().right,
    }));

    expect(droppedLines).toBeGreaterThan(0);
    expect(note.text).toBe(
      `${FUNCTION_GROUP} dropped its ${droppedLines.toLocaleString('en')} oldest lines to stay within 64 KiB of memory: lines before ${new Date(droppedBefore ?? 0).toISOString().replace('T', ' ').slice(0, 19)} UTC may be missing.`,
    );
    expect(note.width).toBeLessThanOrEqual(width);
    expect(errors).toEqual([]);
  });
});

describe('a monitor that has gone away', () => {
  it('says on Refresh that the monitor cannot be reached, and keeps what it drew', async () => {
    const monitor = await startFedMonitor('dev');
    await openDashboard(page, monitor.server.url);
    const widgets = await page.$$eval(PAGE_MARKS.widget, (shown) => shown.length);

    await monitor.server.stop();
    await page.click('#refresh');
    await page.waitForFunction(
      () => document.querySelector('#refresh-status')?.getAttribute('data-kind') === 'error',
      { timeout: DRAWN_WITHIN_MS },
    );

    expect(await page.$eval('#refresh-status', (status) => status.textContent)).toMatch(
      /^Could not refresh metrics: the monitor cannot be reached \(is it still running\?\)/,
    );
    expect(await page.$$eval(PAGE_MARKS.widget, (shown) => shown.length)).toBe(widgets);
  });
});
