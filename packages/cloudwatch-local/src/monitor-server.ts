/**
 * The monitor's HTTP server: the dashboard page (the stage's synthesized dashboard body drawn from
 * local data), the pages that local links open (`/logs`, `/alarms/<name>`), and the JSON endpoints
 * the page reads (monitor-api.ts). Loopback only. Every bad request is a 4xx with
 * `{"error": {"code", "message"}}` naming the problem; nothing a client sends can crash it.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { monitorPage } from './artifacts';
import {
  ALARM_LIMITS,
  visibleText,
  CLOUDFRONT,
  CLOUDFRONT_METRICS_REGION,
  type MetricSpec,
  ALARM_STATES,
  type AlarmState,
  parseStatistic,
  StatisticError,
} from '@monitored/cloudwatch-model';
import { guardedServer, ListeningServer, type RequestTarget } from './listening-server';
import type { AlarmEngine, AlarmStatus, HistoryEntry } from './alarm-engine';
import { describeMetric } from './dashboard-body';
import { awsUrls } from './local-ids';
import { MONITOR_PAGES, type LocalLinkTargets, type SiteUrls } from './local-links';
import type { MetricStore } from './metric-store';
import {
  MONITOR_API,
  type AlarmChange,
  type AlarmDetailResponse,
  type AlarmsResponse,
  type AlarmSummary,
  type ChangeEvent,
  type DashboardResponse,
  type ErrorBody,
  type MetricDataResponse,
  type MetricDataResult,
  type ResolvedRange,
} from './monitor-api';
import type { StackDashboard, StackDefinitions } from './stack-definitions';
import type { InMemoryLogStore } from './logs-insights/log-store';
import { QueryRunner, type QueryRunnerOptions } from './logs-insights/query-runner';

/** What the monitor shows of a stack: its name, where it is, and the dashboard it draws. */
export interface MonitorDefinitions extends Pick<
  StackDefinitions,
  'stage' | 'region' | 'accountId'
> {
  readonly dashboard: StackDashboard;
}

export interface MonitorSources {
  readonly definitions: MonitorDefinitions;
  readonly metrics: MetricStore;
  readonly alarms: AlarmEngine;
  readonly logs: InMemoryLogStore;
  /** The simulated clock, ms since the epoch. */
  now(): number;
  /** Where the stage's site and API run on this machine. */
  readonly localUrls: SiteUrls;
}

/** Handles a request the monitor has no route for, by its target as sent. */
export type RequestHandler = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: RequestTarget,
) => void | Promise<void>;

export interface MonitorServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /**
   * Answers what no route of the monitor matches (the monitoring loop's `/canaries/<name>`).
   * @default a 404 naming the path
   */
  readonly fallback?: RequestHandler;
  /** What a Logs Insights query may take (query-runner.ts). @default DEFAULT_QUERY_BUDGETS */
  readonly queries?: QueryRunnerOptions;
}

/** Request bodies are small JSON documents; this is far above any the page sends. */
const MAX_BODY_BYTES = 1024 * 1024;
/** "Up to 2500 metrics per dashboard, across all widgets" (CloudWatch quotas). */
const MAX_QUERIES = 2500;
/** "A single GetMetricData call can include up to ... 100,800 data points" (GetMetricData). */
const MAX_DATAPOINTS = 100_800;
/** StartQuery's queryString: "Maximum length of 10000". */
const MAX_QUERY_LENGTH = 10_000;
/** A look-back no dashboard needs more than; the metric store keeps two days by default. */
const MAX_LOOK_BACK_SECONDS = 31 * 86_400;
const MAX_REASON_LENGTH = ALARM_LIMITS.stateReasonLength;
const RECENT_CHANGES = 5;
/** Change events are sent at most this often, however fast data arrives. */
const EVENT_INTERVAL_MS = 500;
/** A comment line keeps idle event streams open through proxies and browsers. */
const KEEP_ALIVE_MS = 15_000;

/** A request the client got wrong: its status, a code and a message naming the problem. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

const badRequest = (message: string) => new RequestError(400, 'INVALID_REQUEST', message);

/**
 * A name taken from a path segment (an alarm's, a canary's), percent-decoded; a segment that is not
 * valid percent-encoding gets the same 400 on every route that reads one.
 */
export function decodedName(encoded: string, pathname: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw badRequest(`the name in ${pathname} is not valid percent-encoding`);
  }
}

/**
 * The code of an error the server answers before any route (guardedServer's: 400, 408, 421, 431,
 * 500, 503): its status's name in capitals (503 SERVICE_UNAVAILABLE), but for 500, which is
 * INTERNAL_ERROR as the routes' own failures are.
 */
function guardErrorCode(status: number): string {
  if (status === 500) return 'INTERNAL_ERROR';
  const name = http.STATUS_CODES[status] ?? `Status ${status}`;
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** The monitor's page: its own files and the API of the same origin, nothing else. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** The links of the monitor's pages (`monitorUrl` `''`) or of anything that leaves them. */
export function monitorLinkTargets(sources: MonitorSources, monitorUrl = ''): LocalLinkTargets {
  return {
    monitorUrl: monitorUrl.replace(/\/+$/, ''),
    dashboardName: sources.definitions.dashboard.name,
    awsUrls: awsUrls(sources.definitions.region),
    localUrls: sources.localUrls,
  };
}

interface StaticFile {
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** The monitor's icon, which every page of it names (the page's build has it). */
export const MONITOR_ICON = '/favicon.svg';

function loadPage(): { shell: StaticFile; icon: StaticFile; files: Map<string, StaticFile> } {
  const build = monitorPage();
  const files = new Map<string, StaticFile>();
  for (const file of build.files) {
    const body = fs.readFileSync(path.join(build.directory, file.key));
    files.set(`/${file.key}`, {
      body,
      gzipped: /^(text\/|application\/json|image\/svg)/.test(file.contentType)
        ? gzipSync(body, { level: 9 })
        : undefined,
      contentType: file.contentType,
      // Hashed names never change content; the HTML must be revalidated.
      cacheControl: file.key.startsWith('assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
  }
  const shell = files.get('/index.html');
  const icon = files.get(MONITOR_ICON);
  if (shell === undefined || icon === undefined)
    throw new Error(`the monitor page build has no index.html or ${MONITOR_ICON}`);
  files.delete('/index.html');
  return { shell, icon, files };
}

/** Starts the monitor on `host`:`port`; resolves once it accepts connections. */
export async function startMonitorServer(
  sources: MonitorSources,
  options: MonitorServerOptions,
): Promise<ListeningServer> {
  const page = loadPage();
  const events = new ChangeEvents(sources);
  const queries = new QueryRunner(options.queries);
  const handle = async (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    target: RequestTarget,
  ) => {
    const pathname = target.path;
    const route = routeOf(pathname);
    if (route === undefined) {
      if (options.fallback !== undefined) return options.fallback(request, response, target);
      throw new RequestError(
        404,
        'NOT_FOUND',
        `no page or endpoint at ${pathname} (the dashboard is at /)`,
      );
    }
    checkMethod(request, route.methods);
    switch (route.name) {
      case 'page': {
        const known =
          route.alarm === undefined || findAlarm(sources.alarms, route.alarm) !== undefined;
        return sendFile(request, response, page.shell, known ? 200 : 404);
      }
      case 'icon':
        return sendFile(request, response, page.icon, 200);
      case 'file': {
        const file = page.files.get(pathname);
        if (file === undefined)
          throw new RequestError(404, 'NOT_FOUND', `no file ${pathname} in the page's build`);
        return sendFile(request, response, file, 200);
      }
      case 'dashboard':
        return sendJson(response, 200, dashboardResponse(sources));
      case 'metricData':
        return sendJson(response, 200, metricData(sources, await readJson(request)));
      case 'alarms':
        return sendJson(response, 200, alarmsResponse(sources));
      case 'alarm':
        return sendJson(response, 200, alarmDetail(sources, route.alarm));
      case 'alarmState':
        return sendJson(
          response,
          200,
          setAlarmState(sources, route.alarm, await readJson(request)),
        );
      case 'logsQuery':
        return logsQuery(sources, queries, await readJson(request), response);
      case 'events':
        return events.open(request, response);
    }
  };
  const server = guardedServer({
    handle: (request, response, target) =>
      handle(request, response, target).catch((error: unknown) => sendError(response, error)),
    errorAnswer: (status, problem) => ({
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        error: {
          code: guardErrorCode(status),
          message: visibleText(problem ?? http.STATUS_CODES[status] ?? 'Error'),
        },
      } satisfies ErrorBody),
    }),
  });
  // A query under way ends when its connection closes (stop closes them all); then the workers.
  server.on('close', () => {
    events.close();
    void queries.close();
  });
  return ListeningServer.listen(server, options.port, options.host);
}

type Route =
  | { readonly name: 'page'; readonly methods: readonly string[]; readonly alarm?: string }
  | {
      readonly name:
        'file' | 'icon' | 'dashboard' | 'metricData' | 'alarms' | 'logsQuery' | 'events';
      readonly methods: readonly string[];
    }
  | {
      readonly name: 'alarm' | 'alarmState';
      readonly methods: readonly string[];
      readonly alarm: string;
    };

const GET = ['GET', 'HEAD'];
const POST = ['POST'];

function routeOf(pathname: string): Route | undefined {
  const alarmName = (encoded: string) => decodedName(encoded, pathname);
  if (pathname === MONITOR_PAGES.dashboard || pathname === MONITOR_PAGES.logs)
    return { name: 'page', methods: GET };
  const alarmPage = /^\/alarms\/([^/]+)$/.exec(pathname);
  if (alarmPage !== null) return { name: 'page', methods: GET, alarm: alarmName(alarmPage[1]) };
  if (pathname.startsWith('/assets/') || pathname === MONITOR_ICON)
    return { name: 'file', methods: GET };
  // What a browser asks for on a document that names no icon (the JSON endpoints opened as pages).
  if (pathname === '/favicon.ico') return { name: 'icon', methods: GET };
  if (pathname === MONITOR_API.dashboard) return { name: 'dashboard', methods: GET };
  if (pathname === MONITOR_API.metricData) return { name: 'metricData', methods: POST };
  if (pathname === MONITOR_API.alarms) return { name: 'alarms', methods: GET };
  if (pathname === MONITOR_API.logsQuery) return { name: 'logsQuery', methods: POST };
  if (pathname === MONITOR_API.events) return { name: 'events', methods: GET };
  const alarmApi = /^\/api\/alarms\/([^/]+)(\/state)?$/.exec(pathname);
  if (alarmApi !== null) {
    return alarmApi[2] === undefined
      ? { name: 'alarm', methods: GET, alarm: alarmName(alarmApi[1]) }
      : { name: 'alarmState', methods: POST, alarm: alarmName(alarmApi[1]) };
  }
  return undefined;
}

function checkMethod(request: http.IncomingMessage, methods: readonly string[]): void {
  if (!methods.includes(request.method ?? '')) {
    throw new RequestError(
      405,
      'METHOD_NOT_ALLOWED',
      `${request.method} is not allowed here; use ${methods.filter((m) => m !== 'HEAD').join(' or ')}`,
    );
  }
}

function sendFile(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  file: StaticFile,
  status: number,
): void {
  const gzip =
    file.gzipped !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip && file.gzipped !== undefined ? file.gzipped : file.body;
  response.writeHead(status, {
    'content-type': file.contentType,
    'cache-control': file.cacheControl,
    ...SECURITY_HEADERS,
    ...(gzip && { 'content-encoding': 'gzip' }),
    vary: 'accept-encoding',
    'content-length': String(body.length),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  sendJsonBytes(response, status, Buffer.from(JSON.stringify(value)));
}

function sendJsonBytes(response: http.ServerResponse, status: number, body: Uint8Array): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
    'content-length': String(body.length),
  });
  response.end(body);
}

function sendError(response: http.ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const known = error instanceof RequestError;
  // A message may quote the request (an alarm name, a query): shown by the one rule wherever it is
  // read, a browser's view of the JSON included.
  const body: ErrorBody = {
    error: known
      ? { code: error.code, message: visibleText(error.message) }
      : {
          code: 'INTERNAL_ERROR',
          message: visibleText(
            `the monitor failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        },
  };
  if (!known)
    process.stderr.write(
      `${visibleText(`monitor: ${error instanceof Error ? error.stack : String(error)}`, { keepLayout: true })}\n`,
    );
  sendJson(response, known ? error.status : 500, body);
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const type = String(request.headers['content-type'] ?? '');
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    // Drain the body so that the connection can be reused.
    request.resume();
    throw new RequestError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `the body must be JSON (content-type: application/json), got ${type === '' ? 'no content-type' : type}`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new RequestError(413, 'PAYLOAD_TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error: unknown) {
    throw new RequestError(
      400,
      'INVALID_JSON',
      `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest('the body must be a JSON object');
  return value as Record<string, unknown>;
}

function dashboardResponse(sources: MonitorSources): DashboardResponse {
  const { definitions } = sources;
  return {
    name: definitions.dashboard.name,
    stage: definitions.stage,
    region: definitions.region,
    accountId: definitions.accountId,
    body: definitions.dashboard.body,
    now: sources.now(),
    links: monitorLinkTargets(sources),
  };
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A time a Date can hold: ms since the epoch, within ±100,000,000 days. */
const isTime = (value: unknown): value is number =>
  isFiniteNumber(value) && Math.abs(value) <= 8.64e15;

/** `lookBackSeconds` from the simulated now, or absolute `start` and `end` (ms). */
function timeRange(body: Record<string, unknown>, now: number): ResolvedRange {
  if (body.lookBackSeconds !== undefined) {
    const seconds = body.lookBackSeconds;
    if (!isFiniteNumber(seconds) || seconds <= 0 || seconds > MAX_LOOK_BACK_SECONDS)
      throw badRequest(
        `lookBackSeconds must be a number of seconds from 1 to ${MAX_LOOK_BACK_SECONDS}, got ${JSON.stringify(seconds)}`,
      );
    const end = Math.ceil(now);
    return { start: end - Math.round(seconds * 1000), end };
  }
  if (body.start === undefined && body.end === undefined)
    throw badRequest('give a time range: lookBackSeconds, or start and end (ms since the epoch)');
  const { start, end } = body;
  if (!isTime(start) || !isTime(end))
    throw badRequest(
      `start and end must both be times in ms since the epoch, got ${JSON.stringify(start)} and ${JSON.stringify(end)}`,
    );
  if (!(start < end)) throw badRequest(`start (${start}) must be before end (${end})`);
  // Whole milliseconds, as CloudWatch's timestamps are.
  return { start: Math.floor(start), end: Math.ceil(end) };
}

function stringField(value: unknown, name: string, where: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw badRequest(`${where}: ${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** Where the local system records a metric: CloudFront's in us-east-1, the rest in the stage's. */
function recordedRegion(spec: MetricSpec, stageRegion: string): string {
  return spec.namespace === CLOUDFRONT.requests.namespace ? CLOUDFRONT_METRICS_REGION : stageRegion;
}

function metricData(sources: MonitorSources, body: Record<string, unknown>): MetricDataResponse {
  const range = timeRange(body, sources.now());
  const { queries } = body;
  if (!Array.isArray(queries) || queries.length === 0 || queries.length > MAX_QUERIES)
    throw badRequest(`queries must be an array of 1 to ${MAX_QUERIES} metric queries`);
  // GetMetricData's ids name each result, so they are unique in a request.
  const ids = new Set<string>();
  const checked = queries.map((query: unknown, index) => {
    const where = `queries[${index}]`;
    if (typeof query !== 'object' || query === null || Array.isArray(query))
      throw badRequest(`${where} must be an object`);
    const q = query as Record<string, unknown>;
    const id = stringField(q.id, 'id', where);
    const dimensions = q.dimensions;
    if (
      typeof dimensions !== 'object' ||
      dimensions === null ||
      Array.isArray(dimensions) ||
      !Object.values(dimensions).every((value) => typeof value === 'string')
    )
      throw badRequest(`${where} (${id}): dimensions must be an object of names to string values`);
    const stat = stringField(q.stat, 'stat', where);
    try {
      parseStatistic(stat);
    } catch (error: unknown) {
      if (error instanceof StatisticError) throw badRequest(`${where} (${id}): ${error.message}`);
      throw error;
    }
    if (ids.has(id)) throw badRequest(`${where}: id ${JSON.stringify(id)} is used twice`);
    ids.add(id);
    const period = q.period;
    if (
      !Number.isInteger(period) ||
      (period as number) < 60 ||
      (period as number) % 60 !== 0 ||
      (period as number) > MAX_LOOK_BACK_SECONDS
    )
      throw badRequest(
        `${where} (${id}): period must be a multiple of 60 seconds up to ${MAX_LOOK_BACK_SECONDS}, got ${JSON.stringify(period)}`,
      );
    return {
      id,
      namespace: stringField(q.namespace, 'namespace', where),
      metricName: stringField(q.metricName, 'metricName', where),
      dimensions: dimensions as Record<string, string>,
      stat: parseStatistic(stat),
      period: period as number,
      region: stringField(q.region, 'region', where),
    };
  });
  const datapoints = checked.reduce(
    (sum, query) => sum + Math.ceil((range.end - range.start) / (query.period * 1000)),
    0,
  );
  if (datapoints > MAX_DATAPOINTS)
    throw badRequest(
      `the request asks for up to ${datapoints} datapoints; at most ${MAX_DATAPOINTS} (a shorter range, longer periods or fewer queries)`,
    );
  const results = checked.map((query): MetricDataResult => {
    const named = describeMetric(query);
    const spec = sources.metrics.catalogue.find(
      query.namespace,
      query.metricName,
      Object.keys(query.dimensions),
    );
    const empty = (message: string): MetricDataResult => ({
      id: query.id,
      timestamps: [],
      values: [],
      messages: [message],
    });
    if (spec === undefined)
      return empty(
        `${named} is not in the metric catalogue, so nothing records it: check its namespace, name and dimension names`,
      );
    const region = recordedRegion(spec, sources.definitions.region);
    if (query.region !== region)
      return empty(`${named} is published in ${region}; this row reads ${query.region}`);
    // Periods start at multiples of the period (metric-store.ts): the first one is whole.
    const periodMs = query.period * 1000;
    const alignedStart = Math.floor(range.start / periodMs) * periodMs;
    const points = sources.metrics.datapoints(
      spec,
      query.dimensions,
      query.stat,
      query.period,
      alignedStart,
      range.end,
    );
    return {
      id: query.id,
      timestamps: points.map((point) => point.timestamp),
      values: points.map((point) => point.value),
      messages: [],
    };
  });
  return { ...range, results };
}

const change = (entry: HistoryEntry): AlarmChange => ({
  timestamp: entry.timestamp,
  oldState: entry.oldState,
  newState: entry.newState,
  reason: entry.reason,
  ...(entry.actionsSuppressed !== undefined && {
    actionsSuppressed: entry.actionsSuppressed.reason,
  }),
});

function summary(engine: AlarmEngine, status: AlarmStatus): AlarmSummary {
  return {
    name: status.name,
    arn: status.arn,
    type: status.type,
    state: status.state,
    reason: status.reason,
    updatedAt: status.updatedAt,
    recentChanges: engine.history(status.arn).slice(-RECENT_CHANGES).reverse().map(change),
  };
}

function alarmsResponse(sources: MonitorSources): AlarmsResponse {
  return {
    now: sources.now(),
    alarms: sources.alarms.statuses().map((status) => summary(sources.alarms, status)),
  };
}

/** The alarm by name or ARN; undefined when there is none. */
function findAlarm(engine: AlarmEngine, nameOrArn: string): AlarmStatus | undefined {
  const matches = engine
    .statuses()
    .filter((status) => status.name === nameOrArn || status.arn === nameOrArn);
  if (matches.length > 1)
    throw badRequest(
      `${matches.length} alarms are named ${JSON.stringify(nameOrArn)} (in different regions): give the ARN`,
    );
  return matches[0];
}

function knownAlarm(engine: AlarmEngine, nameOrArn: string): AlarmStatus {
  const status = findAlarm(engine, nameOrArn);
  if (status === undefined)
    throw new RequestError(404, 'UNKNOWN_ALARM', `no alarm named ${JSON.stringify(nameOrArn)}`);
  return status;
}

function alarmDetail(sources: MonitorSources, nameOrArn: string): AlarmDetailResponse {
  const status = knownAlarm(sources.alarms, nameOrArn);
  return {
    now: sources.now(),
    alarm: {
      ...summary(sources.alarms, status),
      definition: status.definition,
      reasonData: status.reasonData,
      history: sources.alarms.history(status.arn).map(change).reverse(),
    },
  };
}

/** SetAlarmState, as `aws cloudwatch set-alarm-state` does it, at the simulated now. */
function setAlarmState(
  sources: MonitorSources,
  nameOrArn: string,
  body: Record<string, unknown>,
): AlarmDetailResponse {
  const status = knownAlarm(sources.alarms, nameOrArn);
  const { state, reason, reasonData } = body;
  if (!ALARM_STATES.includes(state as AlarmState))
    throw badRequest(
      `state must be one of ${ALARM_STATES.join(', ')}, got ${JSON.stringify(state)}`,
    );
  if (typeof reason !== 'string' || reason.length === 0 || reason.length > MAX_REASON_LENGTH)
    throw badRequest(`reason must be a string of 1 to ${MAX_REASON_LENGTH} characters`);
  if (reasonData !== undefined && typeof reasonData !== 'string')
    throw badRequest('reasonData must be a string of JSON');
  try {
    sources.alarms.setAlarmState(
      status.arn,
      state as AlarmState,
      reason,
      sources.now(),
      reasonData,
    );
  } catch (error: unknown) {
    // The engine's own checks (reason data that is not JSON, or too long) are the caller's.
    if (error instanceof Error && error.message.startsWith('SetAlarmState:'))
      throw badRequest(error.message);
    throw error;
  }
  return alarmDetail(sources, status.arn);
}

/**
 * Runs a Logs Insights query on a worker thread (query-runner.ts) and sends its answer as the
 * worker wrote it; a client that goes away ends the query.
 */
async function logsQuery(
  sources: MonitorSources,
  queries: QueryRunner,
  body: Record<string, unknown>,
  response: http.ServerResponse,
): Promise<void> {
  const range = timeRange(body, sources.now());
  const { query, logGroups } = body;
  if (typeof query !== 'string' || query.trim() === '' || query.length > MAX_QUERY_LENGTH)
    throw badRequest(`query must be a Logs Insights query of 1 to ${MAX_QUERY_LENGTH} characters`);
  if (
    logGroups !== undefined &&
    !(Array.isArray(logGroups) && logGroups.every((group) => typeof group === 'string'))
  )
    throw badRequest('logGroups must be an array of log group names');
  const abandoned = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) abandoned.abort();
  };
  response.on('close', onClose);
  const answer = await queries.run(
    {
      query,
      logGroups: (logGroups ?? []) as string[],
      ...range,
      snapshot: sources.logs.snapshot(),
    },
    abandoned.signal,
  );
  response.off('close', onClose);
  if (abandoned.signal.aborted) return;
  if (!answer.ok) throw new RequestError(answer.status, answer.code, answer.message);
  sendJsonBytes(response, 200, answer.body);
}

/**
 * Server-sent events for the page: `change` after metrics arrive or an alarm changes, at most
 * every EVENT_INTERVAL_MS, so that the page redraws without polling for them.
 */
class ChangeEvents {
  private readonly clients = new Set<http.ServerResponse>();
  private pending = new Set<'metrics' | 'alarms'>();
  private timer: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly sources: MonitorSources) {}

  open(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
    });
    // The browser waits this long before reconnecting after the stream ends.
    response.write('retry: 2000\n\n');
    this.clients.add(response);
    request.on('close', () => {
      this.clients.delete(response);
      if (this.clients.size === 0) this.close();
    });
    if (this.unsubscribe.length === 0) {
      this.unsubscribe = [
        this.sources.metrics.subscribe(() => this.changed('metrics')),
        this.sources.alarms.subscribe(() => this.changed('alarms')),
      ];
      this.keepAlive = setInterval(() => this.broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS);
      this.keepAlive.unref();
    }
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
    clearInterval(this.keepAlive);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private changed(what: 'metrics' | 'alarms'): void {
    this.pending.add(what);
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const event: ChangeEvent = { now: this.sources.now(), what: [...this.pending] };
      this.pending = new Set();
      this.broadcast(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
    }, EVENT_INTERVAL_MS);
    this.timer.unref();
  }

  private broadcast(text: string): void {
    for (const client of this.clients) client.write(text);
  }
}
