/**
 * The dashboard view: the body as synthesized, each widget on the 24-column grid, refreshed in
 * place: at once when the monitor reports new metrics or an alarm change (server-sent events),
 * every REFRESH_MS for the logs and the moving window, on the Refresh button and on a new range.
 */
import { relativeStartSeconds } from '../../src/dashboard-body';
import { MONITOR_PAGES } from '../../src/local-links';
import {
  MONITOR_API,
  type AlarmsResponse,
  type ChangeEvent,
  type DashboardResponse,
  type MetricDataRequest,
  type MetricDataResponse,
} from '../../src/monitor-api';
import { describeError, getJson, postJson } from './api';
import { h, setText, setTitle } from './dom';
import { duration, utcTime } from './format';
import { rangePicker } from './range-picker';
import { AlarmWidget } from './widgets/alarm';
import { showWidgetError, widgetFrame } from './widgets/frame';
import { LogWidget } from './widgets/log';
import { MetricWidget } from './widgets/metric';
import { textWidget } from './widgets/text';

const REFRESH_MS = 10_000;
const DEFAULT_RANGE_SECONDS = 3 * 3600;

type Part = 'metrics' | 'alarms' | 'logs';
const ALL_PARTS: readonly Part[] = ['metrics', 'alarms', 'logs'];

export async function showDashboard(app: HTMLElement): Promise<void> {
  const dashboard = await getJson<DashboardResponse>(MONITOR_API.dashboard);
  setTitle(`${dashboard.name}: dashboard preview`);
  let lookBackSeconds = relativeStartSeconds(dashboard.body.start) ?? DEFAULT_RANGE_SECONDS;

  const metricWidgets: MetricWidget[] = [];
  const alarmWidgets: AlarmWidget[] = [];
  const logWidgets: LogWidget[] = [];
  // Reading order is focus order: top to bottom, then left to right.
  const ordered = dashboard.body.widgets
    .map((widget, index) => ({ widget, index }))
    .sort((a, b) => a.widget.y - b.widget.y || a.widget.x - b.widget.x);
  const grid = h('div', { id: 'dashboard', class: 'grid', 'data-refreshes': '0' });
  for (const { widget, index } of ordered) {
    switch (widget.type) {
      case 'metric': {
        const built = new MetricWidget(widget, index, dashboard.region);
        metricWidgets.push(built);
        grid.append(built.element);
        break;
      }
      case 'alarm': {
        const built = new AlarmWidget(widget, index);
        alarmWidgets.push(built);
        grid.append(built.element);
        break;
      }
      case 'log': {
        const built = new LogWidget(widget, index);
        logWidgets.push(built);
        grid.append(built.element);
        break;
      }
      case 'text':
        grid.append(textWidget(widget, index, dashboard.links).element);
        break;
      default: {
        const frame = widgetFrame(widget, index, `${String(widget.type)} widget`);
        showWidgetError(frame, `The local preview does not draw ${String(widget.type)} widgets.`);
        grid.append(frame.element);
      }
    }
  }

  const status = h('p', { id: 'refresh-status', role: 'status', 'aria-live': 'polite' });
  const clock = h('span', { id: 'simulated-now' }, utcTime(dashboard.now));
  const refreshButton = h('button', { type: 'button', id: 'refresh' }, 'Refresh');
  const picker = rangePicker('time-range', lookBackSeconds, (seconds) => {
    lookBackSeconds = seconds;
    grid.dataset.range = String(seconds);
    void refresh(ALL_PARTS);
  });
  grid.dataset.range = String(lookBackSeconds);
  app.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('h1', {}, dashboard.name),
      h(
        'p',
        { class: 'subtitle' },
        `Stage ${dashboard.stage} · ${dashboard.region} · account ${dashboard.accountId} · simulated time `,
        clock,
        ' · ',
        h('a', { href: MONITOR_PAGES.logs }, 'Logs Insights'),
      ),
      h('div', { class: 'controls' }, picker, refreshButton, status),
    ),
    h('main', {}, grid),
  );

  let running: Promise<void> | undefined;
  const waiting = new Set<Part>();
  let refreshes = 0;

  const runOnce = async (parts: ReadonlySet<Part>): Promise<void> => {
    const range = { lookBackSeconds };
    const failures: string[] = [];
    const jobs: Promise<void>[] = [];
    const queries = metricWidgets.flatMap((widget) => widget.queries());
    if (parts.has('metrics') && queries.length > 0) {
      const request: MetricDataRequest = { ...range, queries };
      jobs.push(
        postJson<MetricDataResponse>(MONITOR_API.metricData, request).then(
          (response) => {
            for (const widget of metricWidgets) widget.show(response, lookBackSeconds);
            setText(clock, utcTime(response.end));
          },
          (error: unknown) => void failures.push(`metrics: ${describeError(error)}`),
        ),
      );
    }
    if (parts.has('alarms') && alarmWidgets.length > 0) {
      jobs.push(
        getJson<AlarmsResponse>(MONITOR_API.alarms).then(
          (response) => {
            for (const widget of alarmWidgets) widget.show(response);
          },
          (error: unknown) => void failures.push(`alarms: ${describeError(error)}`),
        ),
      );
    }
    if (parts.has('logs')) jobs.push(...logWidgets.map((widget) => widget.refresh(range)));
    await Promise.all(jobs);
    refreshes += 1;
    grid.dataset.refreshes = String(refreshes);
    status.dataset.kind = failures.length > 0 ? 'error' : 'info';
    setText(
      status,
      failures.length > 0
        ? `Could not refresh ${failures.join('; ')}`
        : `Showing the last ${duration(lookBackSeconds)}, updated at ${clock.textContent ?? ''}`,
    );
  };

  /** Runs one refresh at a time; what is asked for meanwhile runs right after, merged. */
  const refresh = async (parts: readonly Part[]): Promise<void> => {
    for (const part of parts) waiting.add(part);
    if (running !== undefined) return;
    while (waiting.size > 0) {
      const now = new Set(waiting);
      waiting.clear();
      running = runOnce(now);
      await running;
    }
    running = undefined;
  };

  refreshButton.addEventListener('click', () => void refresh(ALL_PARTS));
  const events = new EventSource(MONITOR_API.events);
  events.addEventListener('change', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as ChangeEvent;
    void refresh(change.what);
  });
  window.setInterval(() => void refresh(ALL_PARTS), REFRESH_MS);
  await refresh(ALL_PARTS);
}
