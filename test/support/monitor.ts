/**
 * A monitor server fed by hand: the stage's real definitions (synthesized in-process), a metric
 * store filled with catalogue-built datums for SOME of the dashboard's metrics, an alarm engine
 * over the stage's alarms, and an in-memory log store with a few JSON lines in the function's, the
 * access log's and the canaries' groups. The clock is a number the test moves.
 */
import { METRICS } from '../../stacks/monitoring/catalogue';
import { API_STAGE, ROUTES } from '../../contract/api';
import { CANARY_STEPS } from '../../contract/canaries';
import { LOG_FIELDS as F, LOG_MESSAGES } from '../../contract/logs';
import type { Stage } from '../../stacks/config';
import { API_GATEWAY, LAMBDA, SYNTHETICS, type DashboardBody } from '@monitored/cloudwatch-model';
import {
  type ListeningServer,
  AlarmEngine,
  datum,
  LOCAL_API_ID,
  InMemoryLogStore,
  type InMemoryLogStoreOptions,
  type QueryRunnerOptions,
  MetricStore,
  startMonitorServer,
  type MonitorSources,
  type RequestHandler,
} from '@monitored/cloudwatch-local';
import {
  loadStageDefinitions,
  type StageDefinitions,
} from '../../local/monitoring/stage-definitions';
import { TEST_TODAY } from './synth';

/** The simulated now the monitors start at: a whole hour, so periods line up in the assertions. */
export const START = Date.UTC(2026, 10, 28, 12, 0, 0);
const MINUTE = 60_000;
/** Long enough for the longest alarm's evaluation range (dev's website canary: 3 days). */
const RETENTION_MS = 7 * 24 * 3600 * 1000;

const definitionsCache = new Map<Stage, StageDefinitions>();

export function stageDefinitions(stage: Stage): StageDefinitions {
  let definitions = definitionsCache.get(stage);
  if (definitions === undefined) {
    definitions = loadStageDefinitions(stage, { today: TEST_TODAY });
    definitionsCache.set(stage, definitions);
  }
  return definitions;
}

/** The stage's site and API as if they ran locally (nothing listens there in these tests). */
export const LOCAL_URLS = {
  websiteUrl: 'http://127.0.0.1:8080',
  apiUrl: 'http://127.0.0.1:3000',
};

/**
 * Data for the website journey (success and duration, journey and steps), the API's requests and
 * 5xx, and the function's invocations and errors, one point every 5 minutes over the last hour;
 * nothing for the table, CloudFront, latencies, the function's duration or the API journey.
 */
export function fillSomeMetrics(store: MetricStore, definitions: StageDefinitions, now: number) {
  const website = definitions.canaries.website.name;
  const api = { ApiId: LOCAL_API_ID, Stage: API_STAGE };
  const fn = { FunctionName: definitions.names.function };
  for (let i = 12; i >= 1; i--) {
    const at = now - i * 5 * MINUTE + MINUTE;
    const failed = i === 4;
    store.put(
      datum(SYNTHETICS.successPercentWithRetries, { CanaryName: website }, failed ? 0 : 100, at),
    );
    store.put(datum(SYNTHETICS.duration, { CanaryName: website }, 2_400 + 100 * i, at));
    for (const [position, step] of CANARY_STEPS.website.entries()) {
      const dimensions = { CanaryName: website, StepName: step };
      store.put(
        datum(SYNTHETICS.stepSuccessPercent, dimensions, failed && step === 'post' ? 0 : 100, at),
      );
      store.put(datum(SYNTHETICS.stepDuration, dimensions, 300 + 150 * position, at));
    }
    for (let request = 0; request < 10; request++) {
      store.put(datum(API_GATEWAY.count, api, 1, at + request));
      store.put(
        datum(API_GATEWAY.serverErrors, api, request === 0 && failed ? 1 : 0, at + request),
      );
      store.put(datum(LAMBDA.invocations, fn, 1, at + request));
      store.put(datum(LAMBDA.errors, fn, request === 0 && failed ? 1 : 0, at + request));
      store.put(datum(LAMBDA.duration, fn, 20 + 5 * request, at + request));
    }
  }
}

/**
 * An ERROR line, two request lines (one a create) and a 5xx access-log line, and the website
 * canary's report of a failed step, in the last hour.
 */
export function fillSomeLogs(logs: InMemoryLogStore, definitions: StageDefinitions, now: number) {
  const fnGroup = definitions.names.functionLogGroup;
  const line = (minutesAgo: number, fields: Record<string, unknown>) => ({
    '@timestamp': now - minutesAgo * MINUTE,
    '@message': JSON.stringify(fields),
  });
  logs.append(
    fnGroup,
    line(30, {
      [F.level]: 'INFO',
      [F.message]: LOG_MESSAGES.request,
      [F.route]: ROUTES.createMessage,
      [F.status]: 201,
      [F.latencyMs]: 42,
      [F.correlationId]: 'req-create-1',
    }),
  );
  logs.append(
    fnGroup,
    line(20, {
      [F.level]: 'INFO',
      [F.message]: LOG_MESSAGES.request,
      [F.route]: ROUTES.countMessages,
      [F.status]: 200,
      [F.latencyMs]: 7,
      [F.correlationId]: 'req-count-1',
    }),
  );
  logs.append(
    fnGroup,
    line(10, {
      [F.level]: 'ERROR',
      [F.message]: LOG_MESSAGES.failed,
      [F.errorCode]: 'INTERNAL_ERROR',
      [F.status]: 500,
      [F.correlationId]: 'req-failed-1',
    }),
  );
  logs.append(
    definitions.names.accessLogGroup,
    line(10, { requestId: 'req-failed-1', status: 500, errorMessage: '-' }),
  );
  for (const canary of Object.values(definitions.canaries)) logs.createGroup(canary.logGroupName);
  // A line as a canary's function writes it (time, request id, level, message): a long message.
  const at = now - 10 * MINUTE;
  logs.append(definitions.canaries.website.logGroupName, {
    '@timestamp': at,
    '@message': `${new Date(at).toISOString()}\t6f1c1e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b\tERROR\t${CANARY_FAILURE}`,
  });
}

/** What the website canary logged when its post step failed (fillSomeLogs). */
export const CANARY_FAILURE =
  'Step post failed: POST /messages answered 503 SERVICE_UNAVAILABLE three times; the message was not created, so the journey stops before look-up';

export interface FedMonitor {
  readonly server: ListeningServer;
  readonly sources: MonitorSources;
  readonly definitions: StageDefinitions;
  readonly metrics: MetricStore;
  readonly alarms: AlarmEngine;
  readonly logs: InMemoryLogStore;
  /** Moves the simulated clock. */
  setNow(now: number): void;
}

export interface FedMonitorOptions {
  /** Changes the body served (a hostile text widget, a broken query); @default as synthesized */
  readonly body?: (body: DashboardBody) => DashboardBody;
  /** @default some metrics and logs, as fillSomeMetrics and fillSomeLogs */
  readonly empty?: boolean;
  /** The log store's limits. @default the store's */
  readonly logs?: InMemoryLogStoreOptions;
  /** What a Logs Insights query may take. @default the monitor's */
  readonly queries?: QueryRunnerOptions;
  /** The simulated clock, when the test keeps its own. @default START, moved with setNow */
  readonly now?: () => number;
  /** What answers the paths the monitor has no route for (the loop's canary pages). */
  readonly fallback?: (sources: MonitorSources) => RequestHandler;
}

export async function startFedMonitor(
  stage: Stage,
  options: FedMonitorOptions = {},
): Promise<FedMonitor> {
  const synthesized = stageDefinitions(stage);
  const definitions: StageDefinitions =
    options.body === undefined
      ? synthesized
      : {
          ...synthesized,
          dashboard: { ...synthesized.dashboard, body: options.body(synthesized.dashboard.body) },
        };
  let now = START;
  const metrics = new MetricStore({ catalogue: METRICS, retentionMs: RETENTION_MS });
  const logs = new InMemoryLogStore(options.logs);
  if (options.empty !== true) {
    fillSomeMetrics(metrics, definitions, now);
    fillSomeLogs(logs, definitions, now);
  }
  const alarms = new AlarmEngine({
    store: metrics,
    accountId: definitions.accountId,
    metricAlarms: definitions.metricAlarms,
    compositeAlarms: definitions.compositeAlarms,
    createdAt: now - 2 * 3600 * 1000,
  });
  const sources: MonitorSources = {
    definitions,
    metrics,
    alarms,
    logs,
    now: options.now ?? (() => now),
    localUrls: LOCAL_URLS,
  };
  const server = await startMonitorServer(sources, {
    port: 0,
    queries: options.queries,
    ...(options.fallback !== undefined && { fallback: options.fallback(sources) }),
  });
  return {
    server,
    sources,
    definitions,
    metrics,
    alarms,
    logs,
    setNow: (value) => {
      now = value;
    },
  };
}
