import { bundleLambda } from '../bundling/lambda';
import { buildWebsite } from '../bundling/website';
import { FUNCTION_ENV, MESSAGES_FUNCTION, messagesFunctionEnvironment } from '../contract/function';
import { LOCAL_PORTS } from '../contract/local-ports';
import type { AccessLogEntry } from '../contract/logs';
import { localSiteOrigins, stageConfigs, type ApiThrottling, type Stage } from '../stacks/config';
import { stageNames, type StageNames } from '../stacks/shared/stage-names';
import { startApiGateway } from './api-gateway';
import { lockDataDir } from './data-dir-lock';
import { localClient } from './dynamodb-local';
import { DynamoDbSupervisor } from './dynamodb-supervisor';
import type { ListeningServer } from '@monitored/cloudwatch-local';
import { LocalFunction } from './local-function';
import { escapeControls } from './log-format';
import { startDynamoDbProxy } from './monitoring/dynamodb-proxy';
import {
  apiGatewayRecorder,
  cloudFrontRecorder,
  lambdaRecorder,
  type RecorderTarget,
} from './monitoring/recorders';
import type { StageResourceIds } from './monitoring/stage-definitions';
import { assertPortFree, freePort } from './ports';
import { ensureMessagesTable } from './table';
import { startWebsiteServer } from './website-server';

/** Where the local parts record their metrics, and under which ids, when the system is monitored. */
export interface SystemMetrics extends RecorderTarget {
  /** The stand-in ids of the stage's API and distribution (the metrics' dimensions). */
  readonly ids: StageResourceIds;
}

export interface LocalSystemOptions {
  /**
   * Whose settings and physical names the system runs with: the function, the table and the log
   * groups get the stage's names, so the metrics it records carry the dimensions the stage's
   * alarms and dashboard ask for. @default 'dev'
   */
  readonly stage?: Stage;
  /** 0 picks a free port. @default LOCAL_PORTS */
  readonly ports?: Partial<Record<'website' | 'api' | 'dynamodb', number>>;
  /** Folder for DynamoDB Local's data; omit for an in-memory database. */
  readonly dataDir?: string;
  /** Serve the website against this deployed API instead of starting the local API and database. */
  readonly remoteApiUrl?: string;
  /** Each line the function logs (JSON), and each access log entry. */
  readonly onLogLine?: (line: string) => void;
  readonly onAccessLog?: (entry: AccessLogEntry) => void;
  /**
   * The local API's throttling; a benchmark that means to measure latency, not 429s, raises it.
   * @default the dev stage's, as deployed
   */
  readonly apiThrottling?: ApiThrottling;
  /**
   * What a person running the system should know, in a sentence: a stale data-directory lock
   * taken over, DynamoDB Local gone and restarted, a request the local servers failed to handle.
   * @default stderr
   */
  readonly onNotice?: (message: string) => void;
  /** Aborts start-up: whatever has started is stopped, and the start rejects with the reason. */
  readonly signal?: AbortSignal;
  /**
   * Records the services' metrics (API Gateway, Lambda, DynamoDB through a proxy in front of
   * DynamoDB Local, CloudFront) as the monitoring loop wants them. @default none recorded
   */
  readonly metrics?: SystemMetrics;
  /** The function's concurrency limit (LocalFunction's reservedConcurrency). @default 1000 */
  readonly reservedConcurrency?: number;
}

export interface LocalSystem {
  readonly stage: Stage;
  /** The stage's physical names, which the system runs under. */
  readonly names: StageNames;
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly dynamodb: DynamoDbSupervisor | undefined;
  readonly tableName: string;
  stop(): Promise<void>;
}

const STAGE_CONFIGS = stageConfigs({ alertEmails: { dev: [], prod: [] } });

async function choosePort(
  requested: number | undefined,
  fallback: number,
  what: string,
  variable: string,
): Promise<number> {
  const chosen = requested ?? fallback;
  if (chosen === 0) return freePort();
  await assertPortFree(chosen, what, `set ${variable} to another port`);
  return chosen;
}

/**
 * Starts the whole system on loopback: DynamoDB Local, the bundled function behind a local API
 * Gateway, and the website build. Whatever started is stopped again if a later part fails.
 */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const stage = options.stage ?? 'dev';
  const config = STAGE_CONFIGS[stage];
  const names = stageNames(config.namePrefix);
  const { metrics } = options;
  const ports = options.ports ?? {};
  const { signal } = options;
  const notice =
    options.onNotice ??
    ((message: string) =>
      process.stderr.write(`${message.split('\n').map(escapeControls).join('\n')}\n`));
  const onServerError = (error: unknown) =>
    notice(
      `A local server failed to handle a request: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  const stoppers: (() => Promise<void>)[] = [];
  const servers: ListeningServer[] = [];
  let dynamodb: DynamoDbSupervisor | undefined;
  const stopAll = async () => {
    // The servers first answer 503 with Retry-After to whatever arrives, their ports still open;
    // the parts behind them stop (the function lets the invocations under way finish, up to a
    // grace); the ports close last. A client that arrives meanwhile is told to retry, never cut
    // off or answered 500 by a part already stopped.
    for (const server of servers) server.beginStopping();
    dynamodb?.beginStopping();
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
    await Promise.all(servers.splice(0).map((server) => server.stop().catch(() => undefined)));
  };
  try {
    signal?.throwIfAborted();
    if (options.dataDir !== undefined && options.remoteApiUrl === undefined) {
      const lock = lockDataDir(options.dataDir);
      stoppers.push(async () => lock.release());
      if (lock.tookOverFrom !== undefined) {
        notice(
          `Took over the data directory ${options.dataDir}: its lock named PID ${lock.tookOverFrom.pid}, ` +
            'which no longer runs (it did not stop cleanly).',
        );
      }
    }
    const websitePort = await choosePort(
      ports.website,
      LOCAL_PORTS.website,
      'website',
      'WEBSITE_PORT',
    );
    let apiUrl = options.remoteApiUrl?.replace(/\/+$/, '');
    if (apiUrl === undefined) {
      const apiPort = await choosePort(ports.api, LOCAL_PORTS.api, 'local API', 'API_PORT');
      // The supervisor checks its own port.
      dynamodb = await DynamoDbSupervisor.start(
        {
          port: ports.dynamodb ?? LOCAL_PORTS.dynamodb,
          dataDir: options.dataDir,
          // After an in-memory restart the table is gone; on disk it is still there.
          prepare: async (endpoint) => {
            const client = localClient(endpoint);
            try {
              await ensureMessagesTable(client, names.table);
            } finally {
              client.destroy();
            }
          },
          onNotice: notice,
          onServerError,
        },
        signal,
      );
      const db = dynamodb;
      stoppers.push(() => db.stop());
      signal?.throwIfAborted();

      // The function reaches DynamoDB Local at its own port, not through the printed endpoint;
      // with metrics, through a proxy that records what DynamoDB would publish per request.
      let functionEndpoint = dynamodb.privateEndpoint;
      if (metrics !== undefined) {
        const proxy = await startDynamoDbProxy({
          target: dynamodb.privateEndpoint,
          record: metrics.record,
          now: () => metrics.simulated(Date.now()),
        });
        stoppers.push(() => proxy.stop());
        functionEndpoint = proxy.url;
      }
      const fn = new LocalFunction({
        functionName: names.function,
        bundle: bundleLambda(),
        environment: {
          ...messagesFunctionEnvironment({
            tableName: names.table,
            logLevel: config.logLevel,
            debugSampleRate: config.debugSampleRate,
          }),
          [FUNCTION_ENV.dynamodbEndpoint]: functionEndpoint,
        },
        logLevel: config.logLevel,
        // The stage's own region (its function ARN, AWS_REGION); DynamoDB Local answers any.
        region: config.region,
        settings: MESSAGES_FUNCTION,
        reservedConcurrency: options.reservedConcurrency,
        onLogLine: options.onLogLine ?? (() => undefined),
        onInvocation: metrics && lambdaRecorder(metrics, names.function),
      });
      stoppers.push(() => fn.stop());
      const recordRequest = metrics && apiGatewayRecorder(metrics, metrics.ids);
      const gateway = await startApiGateway({
        port: apiPort,
        allowedOrigins: localSiteOrigins(websitePort),
        invoke: (event) => fn.invoke(event),
        onAccessLog:
          recordRequest === undefined
            ? options.onAccessLog
            : (entry) => {
                recordRequest(entry);
                options.onAccessLog?.(entry);
              },
        throttling: options.apiThrottling ?? config.apiThrottling,
        onError: onServerError,
      });
      servers.push(gateway);
      apiUrl = gateway.url;
      signal?.throwIfAborted();
    }
    const website = await startWebsiteServer({
      port: websitePort,
      build: buildWebsite(),
      config: { apiUrl },
      onError: onServerError,
      onResponse: metrics && cloudFrontRecorder(metrics, metrics.ids.distributionId),
    });
    servers.push(website);
    signal?.throwIfAborted();
    return {
      stage,
      names,
      websiteUrl: website.url.replace('127.0.0.1', 'localhost'),
      apiUrl,
      dynamodb,
      tableName: names.table,
      stop: stopAll,
    };
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
}
