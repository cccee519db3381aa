/**
 * The local system run as a stage, with its monitoring loop: what `npm start` runs (and the
 * drill, and the tests that need the whole loop). The stage's definitions are synthesized first,
 * so that the system records its metrics under the ids its alarms and dashboard name; then the
 * system; then the loop, whose canaries run against it.
 */
import { visibleText } from '@monitored/cloudwatch-model';
import { bundleCanaries } from '../bundling/canaries';
import { CANARY_ENV } from '../contract/canaries';
import { LOCAL_PORTS } from '../contract/local-ports';
import type { Stage } from '../stacks/config';
import { runCanary } from './canary-runner';
import { SimulatedClock } from '@monitored/cloudwatch-local';
import {
  MonitoringData,
  startMonitoringLoop,
  type LoopEvent,
  type MonitoringLoop,
} from './monitoring/monitoring-loop';
import { loadStageDefinitions, type StageDefinitions } from './monitoring/stage-definitions';
import { assertPortFree } from './ports';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from './system';

/**
 * Simulated seconds per real second when nothing else is asked: an hour a minute. dev's API
 * canary (every 2 hours) then runs every 2 real minutes and its website canary every 12, prod's
 * every 6 real seconds and every real minute; the dashboard's 3-hour range is 3 real minutes.
 */
export const DEFAULT_TIME_SCALE = 60;

/**
 * How long stopping waits for the canary runs under way, once told to end (their browsers closed),
 * before it leaves them behind; what is left goes with the process (local/temp-space.ts).
 */
const RUNS_STOP_WITHIN_MS = 2_000;

export interface MonitoredSystemOptions extends Omit<
  LocalSystemOptions,
  'metrics' | 'stage' | 'remoteApiUrl'
> {
  readonly stage: Stage;
  /** Simulated seconds per real second. @default DEFAULT_TIME_SCALE */
  readonly timeScale?: number;
  /** 0 picks a free port. @default LOCAL_PORTS.monitor */
  readonly monitorPort?: number;
  /** Where the alarm emails are written. */
  readonly outboxDir: string;
  /** Who the stage's topic emails. @default you@localhost */
  readonly alertEmails?: readonly string[];
  /** The day the stack is judged on (the runtime's deprecation date). @default today */
  readonly today?: Date;
  readonly onMonitorEvent?: (event: LoopEvent) => void;
  /**
   * Start the loop as the stage's first deploy: see MonitoringLoopOptions.newStage.
   * @default false
   */
  readonly newStage?: boolean;
}

export interface MonitoredSystem {
  readonly system: LocalSystem;
  readonly loop: MonitoringLoop;
  readonly data: MonitoringData<SimulatedClock>;
  readonly definitions: StageDefinitions;
  readonly clock: SimulatedClock;
  stop(): Promise<void>;
}

export async function startMonitoredSystem(
  options: MonitoredSystemOptions,
): Promise<MonitoredSystem> {
  const { signal } = options;
  const notice =
    options.onNotice ??
    ((message: string) => process.stderr.write(`${visibleText(message, { keepLayout: true })}\n`));
  const onEvent = options.onMonitorEvent ?? (() => undefined);
  const clock = new SimulatedClock(options.timeScale ?? DEFAULT_TIME_SCALE);
  const monitorPort = options.monitorPort ?? LOCAL_PORTS.monitor;
  signal?.throwIfAborted();
  const definitions = loadStageDefinitions(options.stage, {
    today: options.today,
    alertEmails: options.alertEmails,
  });
  const data = new MonitoringData(definitions, clock, (message) =>
    onEvent({ type: 'notice', message }),
  );
  const system = await startLocalSystem({
    ...options,
    stage: options.stage,
    metrics: {
      record: data.record,
      simulated: (real) => clock.fromReal(real),
      ids: definitions.ids,
    },
    onLogLine: (line) => {
      data.functionLine(line);
      options.onLogLine?.(line);
    },
    onAccessLog: (entry) => {
      data.accessLog(entry);
      options.onAccessLog?.(entry);
    },
    onNotice: notice,
  });
  // Aborted first when the system stops: each run under way ends at once, its browser closed.
  const runsStopping = new AbortController();
  let loop: MonitoringLoop;
  try {
    signal?.throwIfAborted();
    // After the system: a data folder in use is the first thing to say.
    if (monitorPort !== 0)
      await assertPortFree(monitorPort, 'monitor', 'set MONITOR_PORT to another port');
    const bundles = bundleCanaries();
    const environment = {
      [CANARY_ENV.websiteUrl]: system.websiteUrl,
      [CANARY_ENV.apiUrl]: system.apiUrl,
    };
    loop = await startMonitoringLoop({
      data,
      localUrls: { websiteUrl: system.websiteUrl, apiUrl: system.apiUrl },
      outboxDir: options.outboxDir,
      port: monitorPort,
      runAttempt: (canary, run) =>
        runCanary(bundles[canary.journey], {
          canaryName: canary.name,
          environment,
          timeoutMs: run.timeoutMs,
          onLog: run.onLog,
          signal: runsStopping.signal,
        }),
      onEvent,
      newStage: options.newStage,
    });
  } catch (error: unknown) {
    await system.stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    system,
    loop,
    data,
    definitions,
    clock,
    stop: () => {
      stopped ??= (async () => {
        // The runs end first (their browsers closed, nothing more asked of the system), then the
        // loop and the system stop side by side: the system answers 503 meanwhile.
        runsStopping.abort(new Error('the system is stopping'));
        const loopStopped = loop.stop();
        let timer: NodeJS.Timeout | undefined;
        await Promise.all([
          Promise.race([
            loopStopped,
            new Promise((resolve) => (timer = setTimeout(resolve, RUNS_STOP_WITHIN_MS))),
          ]),
          system.stop(),
        ]);
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
