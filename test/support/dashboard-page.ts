/** Driving the monitor's dashboard page in Chromium: opening it, finding widgets, reading errors. */
import type { Page } from 'puppeteer-core';
import type { DashboardBody } from '@monitored/cloudwatch-model';
import { PAGE_MARKS } from '@monitored/cloudwatch-local';

/** How long the page may take to draw (a bound, not a pause: the waits end on the event). */
export const DRAWN_WITHIN_MS = 15_000;

/** Collects the page's console errors and uncaught exceptions from now on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}

/** Resolves once the grid has finished `refreshes` refreshes and no widget is loading. */
export async function waitForRefreshes(page: Page, refreshes = 1): Promise<void> {
  await page.waitForFunction(
    (grid: string, widget: string, count: number) => {
      const shown = document.querySelector(grid);
      return (
        shown !== null &&
        Number(shown.getAttribute('data-refreshes')) >= count &&
        document.querySelectorAll(`${widget}[data-state="loading"]`).length === 0
      );
    },
    { timeout: DRAWN_WITHIN_MS },
    PAGE_MARKS.grid,
    PAGE_MARKS.widget,
    refreshes,
  );
}

/** Opens the dashboard at `width` px and waits until every widget is drawn. */
export async function openDashboard(page: Page, url: string, width = 1280): Promise<void> {
  await page.setViewport({ width, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  await waitForRefreshes(page);
}

/** The selector of the widget with `title` in the body (its index is its `data-widget`). */
export function widgetWithTitle(body: DashboardBody, title: string | RegExp): string {
  const index = body.widgets.findIndex((widget) => {
    const shown = widget.properties.title;
    return (
      typeof shown === 'string' && (typeof title === 'string' ? shown === title : title.test(shown))
    );
  });
  if (index < 0) throw new Error(`the dashboard has no widget titled ${String(title)}`);
  return `[data-widget="${index}"]`;
}

export async function attribute(
  page: Page,
  selector: string,
  name: string,
): Promise<string | null> {
  return page.$eval(selector, (element, attr) => element.getAttribute(attr), name);
}
