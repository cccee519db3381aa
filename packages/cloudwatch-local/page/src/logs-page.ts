/**
 * `/logs?query=…&groups=…&start=…`: what a Logs Insights link or a log group link opens locally.
 * Runs the query over the local logs and shows the rows; the form runs another.
 */
import { hasHiddenControls, plural } from '@monitored/cloudwatch-model';
import { DEFAULT_LOG_QUERY, LOGS_PAGE_PARAMS, MONITOR_PAGES } from '../../src/local-links';
import {
  MONITOR_API,
  type DashboardResponse,
  type DroppedLines,
  type LogsQueryRequest,
  type LogsQueryResponse,
  type TimeRangeRequest,
} from '../../src/monitor-api';
import { describeError, getJson, postJson } from './api';
import { h, setText, setTitle, shown } from './dom';
import { utcTime } from './format';
import { rangePicker } from './range-picker';
import { resultsTable } from './table';

const DEFAULT_LOOK_BACK = 3 * 3600;

/** `-3600` (seconds back from now) or an ISO 8601 time; undefined when absent or unreadable. */
function readTime(text: string | null): { relative: number } | { absolute: number } | undefined {
  if (text === null || text === '') return undefined;
  if (/^-\d+$/.test(text)) return { relative: -Number(text) };
  const absolute = Date.parse(text);
  return Number.isNaN(absolute) ? undefined : { absolute };
}

export async function showLogs(app: HTMLElement): Promise<void> {
  const params = new URL(location.href).searchParams;
  const dashboard = await getJson<DashboardResponse>(MONITOR_API.dashboard);
  setTitle(`Logs Insights: ${dashboard.name}`);
  const start = readTime(params.get(LOGS_PAGE_PARAMS.start));
  const end = readTime(params.get(LOGS_PAGE_PARAMS.end));
  let range: TimeRangeRequest =
    start !== undefined && 'absolute' in start
      ? {
          start: start.absolute,
          end: end !== undefined && 'absolute' in end ? end.absolute : dashboard.now,
        }
      : { lookBackSeconds: start?.relative ?? DEFAULT_LOOK_BACK };

  const query = h('textarea', { id: 'query', name: 'query', rows: '6', spellcheck: 'false' });
  const linkedQuery = params.get(LOGS_PAGE_PARAMS.query) ?? DEFAULT_LOG_QUERY;
  const linkedGroups = params.get(LOGS_PAGE_PARAMS.groups) ?? '';
  // A link's query or groups with a control or a bidi override would show one query and run
  // another: they are shown escaped, by the one rule, and not run until someone looks.
  const hidden = hasHiddenControls(linkedQuery.replace(/[\n\t]/g, ' ') + linkedGroups);
  query.value = shown(linkedQuery);
  const groups = h('input', {
    id: 'groups',
    name: 'groups',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'groups-hint',
  });
  groups.value = shown(linkedGroups);
  // A link's fixed range (a canary run's, an email's) is what runs, and what the picker shows.
  const linked = range;
  const picker = rangePicker(
    'logs-range',
    'lookBackSeconds' in range ? range.lookBackSeconds : DEFAULT_LOOK_BACK,
    (seconds) => (range = { lookBackSeconds: seconds }),
    'lookBackSeconds' in linked
      ? undefined
      : {
          label: `${utcTime(linked.start)} to ${utcTime(linked.end)}`,
          onPick: () => (range = linked),
        },
  );
  const results = h('div', { id: 'results', class: 'results' });
  const status = h('p', { id: 'query-status', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'query-form', novalidate: '' },
    h('label', { for: 'query' }, 'Query'),
    query,
    h('label', { for: 'groups' }, 'Log groups'),
    groups,
    h(
      'p',
      { id: 'groups-hint', class: 'hint' },
      'Comma-separated; a query with SOURCE needs none.',
    ),
    picker,
    h('button', { type: 'submit', id: 'run-query' }, 'Run query'),
  );
  app.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('p', {}, h('a', { href: MONITOR_PAGES.dashboard }, `← ${dashboard.name}`)),
      h('h1', {}, 'Logs Insights (local)'),
    ),
    h('main', {}, form, status, results),
  );

  const run = async (): Promise<void> => {
    const logGroups = groups.value
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== '');
    const next = new URLSearchParams({
      [LOGS_PAGE_PARAMS.query]: query.value,
      [LOGS_PAGE_PARAMS.groups]: logGroups.join(','),
      ...('lookBackSeconds' in range
        ? { [LOGS_PAGE_PARAMS.start]: String(-range.lookBackSeconds) }
        : {
            [LOGS_PAGE_PARAMS.start]: new Date(range.start).toISOString(),
            [LOGS_PAGE_PARAMS.end]: new Date(range.end).toISOString(),
          }),
    });
    history.replaceState(null, '', `${MONITOR_PAGES.logs}?${next.toString()}`);
    status.dataset.kind = 'info';
    setText(status, 'Running…');
    results.removeAttribute('data-rows');
    try {
      const request: LogsQueryRequest = { ...range, query: query.value, logGroups };
      const result = await postJson<LogsQueryResponse>(MONITOR_API.logsQuery, request);
      results.dataset.rows = String(result.rows.length);
      setText(
        status,
        `${plural(result.rows.length, 'row')} from ${utcTime(result.start)} to ${utcTime(result.end)}`,
      );
      results.replaceChildren(
        ...(result.dropped ?? []).map((dropped) =>
          h('p', { class: 'hint', 'data-dropped': dropped.logGroup }, droppedNote(dropped)),
        ),
        result.rows.length === 0
          ? h('p', { class: 'empty' }, 'No log events matched.')
          : resultsTable(result.columns, result.rows, 'Query results'),
      );
    } catch (error: unknown) {
      setText(status, 'The query failed.');
      results.replaceChildren(
        h('p', { class: 'widget-error', 'data-error': '', role: 'alert' }, describeError(error)),
      );
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  if (hidden) {
    status.dataset.kind = 'refused';
    setText(
      status,
      "The link's query or log groups hold control or bidirectional characters, shown escaped above; it was not run.",
    );
  } else if (groups.value !== '' || /\bSOURCE\b/.test(query.value)) await run();
}

/** What a group over its memory budget no longer holds (the local store's limit; README, "Logs"). */
function droppedNote(dropped: DroppedLines): string {
  const kib = dropped.budgetBytes / 1024;
  const budget = kib >= 1024 ? `${Math.round(kib / 1024)} MiB` : `${Math.ceil(kib)} KiB`;
  return `${dropped.logGroup} dropped its ${dropped.lines.toLocaleString('en')} oldest lines to stay within ${budget} of memory: lines before ${utcTime(dropped.before)} may be missing.`;
}
