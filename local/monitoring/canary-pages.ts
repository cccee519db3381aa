/**
 * `/canaries/<name>`: what a canary link opens locally, as the console's canary page does: its
 * schedule and its runs, newest first, each with its attempts (a retry is a run of its own), the
 * steps with their durations and errors, and the lines the run logged. A correlation id in an
 * error opens the logs of that request. `/api/canaries` and `/api/canaries/<name>` give the same
 * as JSON. Served through the monitor server's fallback; plain HTML, no script (the monitor's
 * CSP allows none inline), every value escaped.
 */
import type * as http from 'node:http';
import { findRequestIds, type RequestIds } from '../../contract/canaries';
import { visibleText, plural } from '@monitored/cloudwatch-model';
import { requestTrail } from '../../stacks/monitoring/log-queries';
import {
  type CanaryAttempt,
  type CanaryScheduler,
  type ScheduledRun,
  logsPagePath,
  MONITOR_PAGES,
  decodedName,
  MONITOR_ICON,
  type RequestHandler,
} from '@monitored/cloudwatch-local';

export interface CanaryPagesOptions {
  readonly scheduler: CanaryScheduler;
  /** The simulated now. */
  readonly now: () => number;
  /** Simulated seconds per real second. */
  readonly scale: number;
  /** Where a request's log lines are: the function's and the access log's groups. */
  readonly requestLogGroups: readonly string[];
  readonly dashboardName: string;
}

/** Where a request's log lines are, and how fast simulated time runs. */
export interface RequestLinkOptions {
  readonly requestLogGroups: readonly string[];
  readonly scale: number;
}

/**
 * A log line reaches its group a moment after the answer it belongs to (the function's output is
 * read from its process): the range of an attempt's lines goes this much real time past its end,
 * and at least a simulated minute.
 */
const LATE_LINE_REAL_MS = 5_000;

/**
 * The `/logs` page of one request of an attempt: its lines (requestTrail) in a fixed range, from the
 * start of the attempt's minute to a moment after its end. A range relative to the page's drawing
 * would be empty minutes later at 60 simulated seconds a second.
 */
function requestLogsPath(
  ids: RequestIds,
  attempt: Pick<CanaryAttempt, 'startedAt' | 'endedAt'>,
  options: RequestLinkOptions,
): string {
  const start = Math.floor(attempt.startedAt / 60_000) * 60_000;
  const end = Math.ceil(attempt.endedAt + Math.max(60_000, LATE_LINE_REAL_MS * options.scale));
  return logsPagePath({
    query: requestTrail(ids).join('\n| '),
    logGroups: options.requestLogGroups,
    lookBackSeconds: (end - start) / 1000,
    endsAt: end,
  });
}

/**
 * The requests of a run's last attempt that its failure names (the failed step's error, or the
 * attempt's): each with the path of its lines in the logs.
 */
export function failedRequestLinks(
  run: ScheduledRun,
  options: RequestLinkOptions,
): { readonly ids: RequestIds; readonly path: string }[] {
  const last = run.attempts[run.attempts.length - 1];
  if (last === undefined || last.passed) return [];
  const failedStep = last.steps.find((step) => step.status === 'failed');
  return findRequestIds(failedStep?.error ?? last.error ?? '').map(({ ids }) => ({
    ids,
    path: requestLogsPath(ids, last, options),
  }));
}

const CANARY_API = {
  list: '/api/canaries',
  runs: (name: string) => `/api/canaries/${encodeURIComponent(name)}`,
} as const;

const STYLESHEET_PATH = '/canaries.css';
const STYLESHEET = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #16191f; overflow-wrap: break-word; }
a { color: #0b5cad; }
a:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid #d5dbdb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th, td:nth-child(2), td:nth-child(3) { white-space: nowrap; }
td:first-child { overflow-wrap: break-word; }
td:last-child { overflow-wrap: anywhere; width: 100%; }
.passed { color: #1d8102; font-weight: 600; }
.failed { color: #d13212; font-weight: 600; }
section.run { border: 1px solid #d5dbdb; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; background: #f2f3f3; padding: .5rem; }
`.trim();

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Text into HTML: shown by the one rule for a request's text, then escaped. */
const escapeHtml = (text: string) =>
  visibleText(text).replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

const utc = (time: number) => `${new Date(time).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** A run that started this much after its scheduled time says so (the alarms' resolution). */
const LATE_MS = 60_000;

function send(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  status: number,
  type: string,
  body: string,
): void {
  const bytes = Buffer.from(body);
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
    'content-length': String(bytes.length),
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

function page(title: string, content: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<link rel="stylesheet" href="${STYLESHEET_PATH}">`,
    // The monitor's icon: without it the browser asks for /favicon.ico.
    `<link rel="icon" href="${MONITOR_ICON}" type="image/svg+xml">`,
    '</head>',
    `<body>${content}</body>`,
    '</html>',
  ].join('\n');
}

/** The request listener for the canary pages; anything else gets the monitor's JSON 404. */
export function canaryPages(options: CanaryPagesOptions): RequestHandler {
  const { scheduler } = options;
  const known = (name: string) => scheduler.canaries.some((canary) => canary.name === name);

  /** Text with each request's ids linked to that request's log lines in the attempt's range. */
  const withLogLinks = (text: string, attempt: CanaryAttempt): string => {
    let html = '';
    let last = 0;
    for (const found of findRequestIds(text)) {
      const href = requestLogsPath(found.ids, attempt, options);
      const written = text.slice(found.index, found.index + found.length);
      html += `${escapeHtml(text.slice(last, found.index))}<a href="${escapeHtml(href)}">${escapeHtml(written)}</a>`;
      last = found.index + found.length;
    }
    return html + escapeHtml(text.slice(last));
  };

  const runHtml = (run: ScheduledRun): string => {
    const verdict = run.passed ? 'passed' : 'failed';
    const attempts = run.attempts.map((attempt) => {
      const steps = attempt.steps
        .map(
          (step) =>
            `<tr><td>${escapeHtml(step.name)}</td><td class="${step.status}">${step.status}</td><td>${step.durationMs} ms</td><td>${step.error === undefined ? '' : withLogLinks(step.error, attempt)}</td></tr>`,
        )
        .join('');
      const outcome = attempt.passed
        ? '<span class="passed">passed</span>'
        : `<span class="failed">${attempt.failedToExecute ? 'failed to execute' : attempt.timedOut ? 'timed out' : 'failed'}</span>`;
      const logs = attempt.logs
        .map((line) =>
          withLogLinks(`${new Date(line.at).toISOString()} ${line.level} ${line.message}`, attempt),
        )
        .join('\n');
      return [
        `<h3>${attempt.retry === 0 ? 'Run' : `Retry ${attempt.retry}`} ${escapeHtml(attempt.runId)}: ${outcome}</h3>`,
        `<p>Started ${utc(attempt.startedAt)}, took ${attempt.durationMs} ms (real time).</p>`,
        attempt.error === undefined
          ? ''
          : `<p data-run-error>${withLogLinks(attempt.error, attempt)}</p>`,
        steps === ''
          ? '<p>No step ran.</p>'
          : `<table><thead><tr><th>step</th><th>status</th><th>duration</th><th>error</th></tr></thead><tbody>${steps}</tbody></table>`,
        `<details><summary>Log (${plural(attempt.logs.length, 'line')})</summary><pre>${logs}</pre></details>`,
      ].join('\n');
    });
    return [
      `<section class="run" data-run="${escapeHtml(run.id)}" data-run-passed="${run.passed}">`,
      `<h2>${utc(run.scheduledAt)}: <span class="${verdict}">${verdict}</span>${run.attempts.length > 1 ? ` after ${plural(run.attempts.length - 1, 'retry', 'retries')}` : ''}</h2>`,
      run.startedLateMs >= LATE_MS
        ? `<p>Started ${plural(Math.round(run.startedLateMs / 60_000), 'simulated minute')} after its scheduled time, when the run before it had ended; its metrics carry its scheduled time.</p>`
        : '',
      ...attempts,
      '</section>',
    ].join('\n');
  };

  const canaryHtml = (name: string): string => {
    const canary = scheduler.canaries.find((candidate) => candidate.name === name);
    const runs = scheduler.runs(name);
    const status = scheduler.status(name);
    const { schedule } = canary!;
    return page(
      `${name}: canary runs`,
      [
        `<p><a href="${MONITOR_PAGES.dashboard}">← ${escapeHtml(options.dashboardName)}</a></p>`,
        `<h1>${escapeHtml(name)}</h1>`,
        `<p>Schedule <code>${escapeHtml(schedule.expression)}</code>, ${plural(schedule.maxRetries, 'retry', 'retries')}, timeout ${schedule.timeoutSeconds} s. `,
        status.running !== undefined
          ? `A run is under way (scheduled ${utc(status.running)}). `
          : status.nextDue !== undefined
            ? `Next run ${utc(status.nextDue)}. `
            : '',
        `Simulated now: ${utc(options.now())}.</p>`,
        runs.length === 0 ? '<p>No run has finished yet.</p>' : runs.map(runHtml).join('\n'),
      ].join('\n'),
    );
  };

  return (request, response, target) => {
    const url = { pathname: target.path };
    const method = request.method ?? 'GET';
    const json = (status: number, value: unknown) =>
      send(request, response, status, 'application/json; charset=utf-8', JSON.stringify(value));
    const notFound = (message: string) =>
      json(404, { error: { code: 'NOT_FOUND', message: visibleText(message) } });
    const pagePath = /^\/canaries\/([^/]+)$/.exec(url.pathname);
    const apiPath = /^\/api\/canaries\/([^/]+)$/.exec(url.pathname);
    const handled =
      url.pathname === STYLESHEET_PATH ||
      url.pathname === CANARY_API.list ||
      pagePath !== null ||
      apiPath !== null;
    if (!handled) return notFound(`no page or endpoint at ${url.pathname} (the dashboard is at /)`);
    if (method !== 'GET' && method !== 'HEAD')
      return json(405, {
        error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use GET` },
      });
    if (url.pathname === STYLESHEET_PATH)
      return send(request, response, 200, 'text/css; charset=utf-8', STYLESHEET);
    if (url.pathname === CANARY_API.list)
      return json(200, {
        now: options.now(),
        canaries: scheduler.canaries.map((canary) => ({
          ...canary,
          ...scheduler.status(canary.name),
          latest: scheduler.runs(canary.name)[0],
        })),
      });
    const name = decodedName((pagePath ?? apiPath)![1], url.pathname);
    if (!known(name)) {
      const message = `no canary named ${JSON.stringify(name)}`;
      if (apiPath !== null) return notFound(message);
      return send(
        request,
        response,
        404,
        'text/html; charset=utf-8',
        page(
          'No such canary',
          `<p>${escapeHtml(message)}.</p><p><a href="/">The dashboard</a></p>`,
        ),
      );
    }
    if (apiPath !== null)
      return json(200, {
        now: options.now(),
        ...scheduler.status(name),
        runs: scheduler.runs(name),
      });
    return send(request, response, 200, 'text/html; charset=utf-8', canaryHtml(name));
  };
}
