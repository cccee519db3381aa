// @tier e2e
/**
 * The minimal app's synthesized dashboard, drawn by @monitored/cloudwatch-local's monitor in
 * Debian's Chromium from data put through the package's exports: every metric widget has points,
 * and the alarm widget shows the journey alarm the failed run set off.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import {
  LocalCloudWatch,
  loadStackDefinitions,
  PAGE_MARKS,
  type ListeningServer,
} from '@monitored/cloudwatch-local';
import { minimalCatalogue } from '../app';
import { SETTINGS, synthesizeExample, type SynthesizedExample } from './synthesized';

const MINUTE = 60_000;
const RUN_EVERY = 5 * MINUTE;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const NOW = T0 + 7 * RUN_EVERY + MINUTE;
/** A bound for the page's first draw, not a pause: the wait ends when it is drawn. */
const DRAWN_WITHIN_MS = 15_000;

let example: SynthesizedExample;
let cloudWatch: LocalCloudWatch;
let monitor: ListeningServer;
let browser: Browser;
/** The simulated clock: the alarms are created at T0, the page is drawn at NOW. */
let clock = T0;

beforeAll(async () => {
  example = synthesizeExample();
  const outbox = path.join(example.workdir, 'outbox');
  fs.mkdirSync(outbox);
  cloudWatch = new LocalCloudWatch({
    definitions: loadStackDefinitions(example.stackFile, { stage: 'dev' }),
    catalogue: minimalCatalogue(SETTINGS),
    outboxDir: outbox,
    now: () => clock,
  });
  for (let run = 0; run < 7; run += 1) {
    const timestamp = T0 + run * RUN_EVERY + 10_000;
    cloudWatch.putMetricData({
      namespace: 'CloudWatchSynthetics',
      metricName: 'SuccessPercentWithRetries',
      dimensions: { CanaryName: 'minimal-dev-api' },
      value: run < 6 ? 100 : 0,
      unit: 'Percent',
      timestamp,
    });
    cloudWatch.putMetricData({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'minimal-dev-api' },
      value: 0,
      unit: 'Count',
      timestamp,
    });
  }
  cloudWatch.evaluate(NOW);
  clock = NOW;
  monitor = await cloudWatch.startMonitor({ port: 0 });
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});

afterAll(async () => {
  await browser?.close();
  await monitor?.stop();
  fs.rmSync(example.workdir, { recursive: true, force: true });
});

describe("the minimal app's dashboard in the local monitor", () => {
  it('draws every widget of the synthesized body, the graphs with data and the alarm in ALARM', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(monitor.url, { waitUntil: 'load' });
    await page.waitForFunction(
      (grid: string, widget: string) => {
        const shown = document.querySelector(grid);
        return (
          shown !== null &&
          Number(shown.getAttribute('data-refreshes')) >= 1 &&
          document.querySelectorAll(`${widget}[data-state="loading"]`).length === 0
        );
      },
      { timeout: DRAWN_WITHIN_MS },
      PAGE_MARKS.grid,
      PAGE_MARKS.widget,
    );

    const widgets = await page.$$eval(PAGE_MARKS.widget, (shown) =>
      shown.map((element) => ({
        index: Number(element.getAttribute('data-widget')),
        empty: element.getAttribute('data-empty'),
        points: Number(element.getAttribute('data-points') ?? '0'),
      })),
    );
    const body = cloudWatch.definitions.dashboards[0].body;
    expect(widgets.map(({ index }) => index).sort()).toEqual(body.widgets.map((_, index) => index));
    body.widgets.forEach((widget, index) => {
      if (widget.type !== 'metric') return;
      expect({ index, ...widgets.find((shown) => shown.index === index) }).toMatchObject({
        index,
        empty: 'false',
      });
      expect(widgets.find((shown) => shown.index === index)!.points).toBeGreaterThan(0);
    });
    expect(
      await page.$eval(PAGE_MARKS.alarm('minimal-dev-api-journey-failing'), (element) =>
        element.getAttribute('data-alarm-state'),
      ),
    ).toBe('ALARM');
    expect(errors).toEqual([]);
    await page.close();
  });
});
