/**
 * The monitoring loop of one stage on this machine: the metric store and log groups the local
 * parts write to, the stage's canaries on their schedules, its alarms evaluated every simulated
 * minute as CloudWatch evaluates them, each state change with actions delivered as the SNS email
 * into the outbox, and the monitor server (dashboard, alarms, logs, canary runs). Everything it
 * evaluates comes from the stage's synthesized definitions (stage-definitions.ts).
 */
import { METRICS } from '../../stacks/monitoring/catalogue';
import { ACCESS_LOG_NUMBER_FIELDS, type AccessLogEntry } from '../../contract/logs';
import { CANARY_NAMES } from '../../contract/canaries';
import {
  scheduleInterval,
  plural,
  type AlarmDefinition,
  type MetricAlarmDefinition,
  parseAlarmRule,
  referencedAlarmName,
} from '@monitored/cloudwatch-model';
import { namePrefix } from '../../stacks/shared/naming';
import { ensureDirectory } from '../folders';
import {
  type ListeningServer,
  AlarmEngine,
  type AlarmEvent,
  evaluationRangeLength,
  CanaryScheduler,
  type RunAttempt,
  type ScheduledCanary,
  type ScheduledRun,
  type ScheduleLag,
  nextMinute,
  type Clock,
  type SimulatedClock,
  type RecordMetric,
  localLink,
  MONITOR_PAGES,
  type SiteUrls,
  InMemoryLogStore,
  DEFAULT_RETENTION_MS,
  MetricDataError,
  MetricStore,
  type MetricDatum,
  monitorLinkTargets,
  startMonitorServer,
  type MonitorSources,
  Outbox,
  type SentEmail,
  LocalDeployHold,
} from '@monitored/cloudwatch-local';
import { canaryPages, failedRequestLinks, type RequestLinkOptions } from './canary-pages';
import type { LocalCanary, StageDefinitions } from './stage-definitions';

/** Refused data points and sent emails kept in memory, so that neither grows with the run. */
const KEPT_RECORDS = 100;

/** What the loop tells whoever runs it (the terminal, the drill, a test). */
export type LoopEvent =
  | { readonly type: 'canaryRun'; readonly run: ScheduledRun }
  | { readonly type: 'scheduleLag'; readonly lag: ScheduleLag; readonly scale: number }
  | { readonly type: 'alarm'; readonly event: AlarmEvent }
  | { readonly type: 'email'; readonly email: SentEmail }
  | { readonly type: 'notice'; readonly message: string };

/**
 * Where the local parts' data goes, made before the system starts so that its first request is
 * recorded: the metric store (it refuses anything outside the catalogue) and the log groups.
 */
export class MonitoringData<C extends Clock = Clock> {
  readonly metrics: MetricStore;
  /** Each group keeps its retention_in_days in simulated time, and at most its byte budget. */
  readonly logs: InMemoryLogStore;
  /** The first KEPT_RECORDS data points the store refused (outside the catalogue): there should be none. */
  readonly refused: { readonly datum: MetricDatum; readonly reason: string }[] = [];
  private readonly reported = new Set<string>();

  constructor(
    readonly definitions: StageDefinitions,
    readonly clock: C,
    private readonly notice: (message: string) => void,
    options: { readonly logGroupBudgetBytes?: number } = {},
  ) {
    this.logs = new InMemoryLogStore({
      now: () => clock.now(),
      groupBudgetBytes: options.logGroupBudgetBytes,
    });
    // Long enough for the longest evaluation range (dev's website canary: three days) and more
    // than the dashboard shows.
    const longestRange = Math.max(
      ...definitions.metricAlarms.map(
        (alarm) => evaluationRangeLength(alarm) * alarm.period * 1000,
      ),
    );
    this.metrics = new MetricStore({
      catalogue: METRICS,
      retentionMs: Math.max(DEFAULT_RETENTION_MS, longestRange),
    });
    const { names } = definitions;
    for (const group of [
      names.functionLogGroup,
      names.accessLogGroup,
      ...CANARY_NAMES.map((journey) => definitions.canaries[journey].logGroupName),
    ]) {
      const synthesized = definitions.logGroups.find((candidate) => candidate.name === group);
      if (synthesized === undefined)
        throw new Error(`the ${definitions.stage} stack has no log group ${group}`);
      this.logs.createGroup(group, { retentionDays: synthesized.retentionDays });
    }
  }

  /** Puts a data point; one the catalogue does not have is refused, kept and said once. */
  readonly record: RecordMetric = (datum) => {
    try {
      const dropped = this.metrics.droppedPoints;
      this.metrics.put(datum);
      if (dropped === 0 && this.metrics.droppedPoints > 0)
        this.notice(
          `The metric store holds ${this.metrics.maxPointsPerSeries.toLocaleString('en')} points a series, the most it keeps: older points of the busiest series are dropped, so their graphs start later than the range asked for`,
        );
    } catch (error: unknown) {
      if (!(error instanceof MetricDataError)) throw error;
      if (this.refused.length < KEPT_RECORDS) this.refused.push({ datum, reason: error.message });
      if (!this.reported.has(error.message)) {
        this.reported.add(error.message);
        this.notice(`A local part recorded a metric outside the catalogue: ${error.message}`);
      }
    }
  };

  /** A line the function wrote, into its log group, stamped on arrival. */
  functionLine(line: string): void {
    const group = this.definitions.names.functionLogGroup;
    this.logs.append(group, {
      '@timestamp': this.clock.now(),
      '@message': line,
      '@log': `${this.definitions.accountId}:${group}`,
    });
  }

  /**
   * An access log entry, into the API's access log group as API Gateway writes it with the
   * stack's format: numbers for ACCESS_LOG_NUMBER_FIELDS, strings (quoted variables) otherwise.
   */
  accessLog(entry: AccessLogEntry): void {
    const group = this.definitions.names.accessLogGroup;
    const numbers: readonly string[] = ACCESS_LOG_NUMBER_FIELDS;
    this.logs.append(group, {
      '@timestamp': this.clock.now(),
      '@message': JSON.stringify(
        Object.fromEntries(
          Object.entries(entry).map(([field, value]) => [
            field,
            numbers.includes(field) ? Number(value) : String(value),
          ]),
        ),
      ),
      '@log': `${this.definitions.accountId}:${group}`,
    });
  }
}

/** Runs one attempt of one of the stage's canaries: its journey's script (canary-runner.ts). */
export type StageRunAttempt = (
  canary: LocalCanary,
  run: Parameters<RunAttempt>[1],
) => ReturnType<RunAttempt>;

export interface MonitoringLoopOptions {
  /** The loop tells real time from simulated time by its clock's scale. */
  readonly data: MonitoringData<SimulatedClock>;
  /** Where the stage's site and API run on this machine. */
  readonly localUrls: SiteUrls;
  readonly outboxDir: string;
  /** The monitor's port; 0 picks a free one. */
  readonly port: number;
  readonly runAttempt: StageRunAttempt;
  readonly onEvent: (event: LoopEvent) => void;
  /**
   * Start as a stage's first deploy does: the deploy alarm held before the alarms exist (the
   * pipeline's `npm run deploy-alarm -- <stage> set`), and the canaries first running when
   * Synthetics would start them (a rate at once, a cron at its next time), not all at once.
   * Whoever runs the loop releases the hold (`deployAlarm.release()`), as the pipeline does after
   * its smoke gate, or leaves it to end by itself, as a runner that died.
   * @default false: every canary runs at once, and nothing is held
   */
  readonly newStage?: boolean;
}

/**
 * The stage's deploy alarm as `npm run deploy-alarm` holds and releases it, at the loop's now. Each
 * waits for the alarms to be evaluated up to that time first: a release rewrites minutes of the
 * past, which an evaluation still catching up (after a canary run) must not see before it
 * happened, as CloudWatch, evaluating as it goes, would not.
 */
export interface LoopDeployAlarm {
  hold(): Promise<void>;
  release(): Promise<void>;
}

export interface MonitoringLoop {
  readonly url: string;
  /** The simulated time the stage's alarms were created and its canaries started. */
  readonly startedAt: number;
  readonly alarms: AlarmEngine;
  readonly scheduler: CanaryScheduler;
  readonly deployAlarm: LoopDeployAlarm;
  readonly outbox: Outbox;
  /** The last KEPT_RECORDS sent emails, oldest first (every one is in the outbox). */
  readonly sent: readonly SentEmail[];
  /**
   * Stops scheduling, evaluating and serving at once; resolves when the canary runs under way
   * have ended.
   */
  stop(): Promise<void>;
}

const isMetricAlarm = (definition: AlarmDefinition): definition is MetricAlarmDefinition =>
  'metricName' in definition;

export async function startMonitoringLoop(options: MonitoringLoopOptions): Promise<MonitoringLoop> {
  const { data, onEvent } = options;
  const { definitions, clock } = data;
  const stopping = new AbortController();
  const requestLogGroups = [definitions.names.functionLogGroup, definitions.names.accessLogGroup];
  const notice = (message: string) => onEvent({ type: 'notice', message });

  const hold = new LocalDeployHold(data.metrics, namePrefix(definitions.stage));
  // The pipeline holds the deploy alarm before the deploy that creates the alarms.
  if (options.newStage === true) {
    hold.hold(clock.now());
    notice(`Deploy alarm held from the start, as the pipeline holds it for a first deploy.`);
  }

  const startedAt = clock.now();
  const alarms = new AlarmEngine({
    store: data.metrics,
    accountId: definitions.accountId,
    metricAlarms: definitions.metricAlarms,
    compositeAlarms: definitions.compositeAlarms,
    createdAt: startedAt,
  });
  const scheduler = new CanaryScheduler({
    clock,
    canaries: CANARY_NAMES.map((journey) => definitions.canaries[journey]),
    firstRuns: options.newStage === true ? 'schedule' : 'now',
    // The scheduler knows a canary by its name; the stage's runner runs its journey.
    runAttempt: (canary, run) => {
      const stageCanary = CANARY_NAMES.map((journey) => definitions.canaries[journey]).find(
        (candidate) => candidate.name === canary.name,
      );
      if (stageCanary === undefined) throw new Error(`${canary.name} is not a canary of the stage`);
      return options.runAttempt(stageCanary, run);
    },
    record: data.record,
    log: (group, event) => data.logs.append(group, event),
    accountId: definitions.accountId,
    onRun: (run) => onEvent({ type: 'canaryRun', run }),
    onLag: (lag) => onEvent({ type: 'scheduleLag', lag, scale: clock.scale }),
    onError: (error) =>
      notice(
        `The canary scheduler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  });
  /** Woken after each evaluation. */
  const evaluated = new Set<() => void>();
  /** Resolves once the alarms have been evaluated up to `time` (or the loop stops). */
  const caughtUp = async (time: number): Promise<void> => {
    while (alarms.evaluatedUntil < time && !stopping.signal.aborted)
      await new Promise<void>((resolve) => evaluated.add(resolve));
  };
  // Each takes effect at the simulated time it was asked for: an evaluation still catching up
  // (waiting for a canary run) first reaches that time, then the data is sent as of then.
  const deployAlarm: LoopDeployAlarm = {
    hold: async () => {
      const at = clock.now();
      await caughtUp(at);
      hold.hold(at);
      notice(`Deploy alarm held (npm run deploy-alarm -- ${definitions.stage} set).`);
    },
    release: async () => {
      const at = clock.now();
      await caughtUp(at);
      // Only the end-of-deploy 0 when nothing was held.
      const sent = hold.release(at);
      notice(
        sent.length === 1
          ? 'Deploy alarm: nothing held to release; the end of the deploy marked.'
          : `Deploy alarm released (npm run deploy-alarm -- ${definitions.stage} clear).`,
      );
    },
  };

  const sources: MonitorSources = {
    definitions,
    metrics: data.metrics,
    alarms,
    logs: data.logs,
    now: () => clock.now(),
    localUrls: options.localUrls,
  };
  // The emails link to the monitor, whose address is known once it listens.
  const listening: { server?: ListeningServer } = {};
  const monitorUrl = () => listening.server?.url ?? '';
  const sent: SentEmail[] = [];
  ensureDirectory(options.outboxDir);
  const outbox = new Outbox({
    directory: options.outboxDir,
    definitions,
    // An email is written once the evaluation has waited for the runs scheduled by its change,
    // so its links reach to now: the lines of those runs' requests, stamped as they happened.
    rewriteLink: (url, at) =>
      localLink(url, {
        ...monitorLinkTargets(sources, monitorUrl()),
        anchoredAt: at,
        anchoredUntil: clock.now(),
      }),
    localNotes: (definition, _state, at) =>
      canaryNotes(canariesOf(definition, definitions), (name) => scheduler.runs(name), at, {
        monitorUrl: monitorUrl(),
        requestLogGroups,
        scale: clock.scale,
      }),
    onUndeliverable: (alarmName, action) =>
      notice(`${alarmName}: action ${action} is not a topic of this stage; nothing was sent`),
  });
  alarms.subscribe((event) => {
    onEvent({ type: 'alarm', event });
    if (event.actions.length === 0) return;
    try {
      for (const email of outbox.deliver(event)) {
        sent.push(email);
        if (sent.length > KEPT_RECORDS) sent.shift();
        onEvent({ type: 'email', email });
      }
    } catch (error: unknown) {
      notice(
        `Could not write the email for ${event.change.alarmName} to ${outbox.directory}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });

  // The canaries start with the alarms, as a deployed canary starts with its stack: the first
  // evaluations wait for their runs. Started after the monitor (whose page is built first), a
  // canary-not-running alarm would see minutes with no run at all at a high time scale.
  scheduler.start();
  let server: ListeningServer;
  try {
    server = await startMonitorServer(sources, {
      port: options.port,
      fallback: canaryPages({
        scheduler,
        now: () => clock.now(),
        scale: clock.scale,
        requestLogGroups,
        dashboardName: definitions.dashboard.name,
      }),
    });
  } catch (error: unknown) {
    await scheduler.stop();
    throw error;
  }
  listening.server = server;

  // Every simulated minute; an evaluation waits for the canary runs that started before it.
  const wakeCatchingUp = () => {
    for (const wake of [...evaluated]) {
      evaluated.delete(wake);
      wake();
    }
  };
  const evaluating = (async () => {
    let next = nextMinute(alarms.evaluatedUntil);
    while (!stopping.signal.aborted) {
      try {
        await clock.sleepUntil(next, stopping.signal);
        await scheduler.settledThrough(next, stopping.signal);
      } catch {
        return;
      }
      if (stopping.signal.aborted) return;
      try {
        alarms.evaluate(Math.max(next, alarms.evaluatedUntil));
      } catch (error: unknown) {
        notice(
          `Alarm evaluation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      next = nextMinute(Math.max(next, alarms.evaluatedUntil));
      wakeCatchingUp();
    }
  })().finally(wakeCatchingUp);

  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    startedAt,
    alarms,
    scheduler,
    deployAlarm,
    outbox,
    sent,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort(new Error('the monitoring loop is stopping'));
        const runs = scheduler.stop();
        await Promise.all([server.stop(), evaluating]);
        await runs;
      })();
      return stopped;
    },
  };
}

/** The canaries an alarm watches: its own CanaryName, or its children's for a composite. */
function canariesOf(definition: AlarmDefinition, definitions: StageDefinitions): string[] {
  const seen = new Set<string>();
  const visit = (alarm: AlarmDefinition | undefined, depth: number): void => {
    if (alarm === undefined || depth > 10) return;
    if (isMetricAlarm(alarm)) {
      const canary = alarm.dimensions.CanaryName;
      if (canary !== undefined) seen.add(canary);
      return;
    }
    for (const child of parseAlarmRule(alarm.alarmRule).children) {
      const name = referencedAlarmName(child);
      visit(
        [...definitions.metricAlarms, ...definitions.compositeAlarms].find(
          (candidate) => candidate.name === name,
        ),
        depth + 1,
      );
    }
  };
  visit(definition, 0);
  return [...seen];
}

/**
 * What an alarm's email about a change at `at` says of the canaries it watches: each one's latest
 * run scheduled by then (a later one cannot have fed the alarm), a link to its runs, and for a
 * failed run a link to its failed request's lines in the logs.
 */
export function canaryNotes(
  canaries: readonly string[],
  runsOf: (name: string) => readonly ScheduledRun[],
  at: number,
  links: RequestLinkOptions & { readonly monitorUrl: string },
): string[] {
  return canaries.map((name) => {
    const page = `${links.monitorUrl}${MONITOR_PAGES.canary(name)}`;
    const latest = runsOf(name).find((run) => run.scheduledAt <= at);
    if (latest === undefined) return `${name} had not finished a run by then: ${page}`;
    const request = failedRequestLinks(latest, links)[0];
    return [
      describeRun(latest),
      ...(request === undefined
        ? []
        : [`Its failed request in the logs: ${links.monitorUrl}${request.path}`]),
      `Its runs: ${page}`,
    ].join(' ');
  });
}

/** A scheduled run in a sentence: when, and how it ended (the failed step, its error). */
export function describeRun(run: ScheduledRun): string {
  const when = `${new Date(run.scheduledAt).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  const last = run.attempts[run.attempts.length - 1];
  const retries =
    run.attempts.length > 1 ? ` after ${plural(run.attempts.length - 1, 'retry', 'retries')}` : '';
  if (run.passed) return `The run of ${run.canaryName} at ${when} passed${retries}.`;
  if (last.failedToExecute)
    return `The run of ${run.canaryName} at ${when} failed to execute${retries}: ${last.error ?? 'no reason given'}.`;
  const step = last.steps.find((candidate) => candidate.status === 'failed');
  return step === undefined
    ? `The run of ${run.canaryName} at ${when} failed${retries}: ${last.error ?? 'no reason given'}.`
    : `The run of ${run.canaryName} at ${when} failed${retries} at step ${step.name}: ${step.error ?? last.error ?? ''}.`;
}

/** A simulated time of day, marked as such beside the real times of the log lines. */
const clockTime = (time: number) => `[sim ${new Date(time).toISOString().slice(11, 16)}]`;

/** A loop event as one terminal line (undefined for those the terminal need not show). */
export function describeLoopEvent(event: LoopEvent, monitorUrl: string): string | undefined {
  switch (event.type) {
    case 'notice':
      return event.message;
    case 'canaryRun': {
      const { run } = event;
      const last = run.attempts[run.attempts.length - 1];
      if (run.passed)
        return `CANARY ${clockTime(run.scheduledAt)} ${run.canaryName} passed (${plural(last.steps.length, 'step')}, ${last.durationMs} ms)${run.attempts.length > 1 ? ` on retry ${last.retry}` : ''}`;
      return `CANARY ${clockTime(run.scheduledAt)} ${describeRun(run)} ${monitorUrl}${MONITOR_PAGES.canary(run.canaryName)}`;
    }
    case 'scheduleLag':
      return describeLag(event.lag, event.scale);
    case 'alarm': {
      const { event: alarm } = event;
      if (alarm.type === 'ActionsReleased') return undefined;
      const { change } = alarm;
      const held =
        alarm.suppressed === undefined
          ? ''
          : ` (actions held back: ${alarm.suppressed.reason}${alarm.suppressed.by === 'Alarm' ? '' : '; they run when it ends'})`;
      return `ALARM  ${clockTime(change.timestamp)} ${change.alarmName}: ${change.oldState} -> ${change.newState}${held}. ${change.reason}`;
    }
    case 'email':
      return `EMAIL  ${clockTime(event.email.sentAt)} ${event.email.subject} to ${event.email.recipient}: ${event.email.file}`;
  }
}

const realSeconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** A simulated duration in its largest whole unit: `6 simulated minutes`, `2 simulated hours`. */
function simulatedDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'simulated hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'simulated minute');
  return plural(seconds, 'simulated second');
}

/** Two significant digits, rounded down: the scale said to keep up must keep up. */
function roundDown(value: number): number {
  if (value < 1) return Math.floor(value * 100) / 100;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.floor(value / magnitude) * magnitude;
}

/** A canary falling behind its schedule (or catching up), and what that means, in a line. */
export function describeLag(lag: ScheduleLag, scale: number): string {
  const name = lag.canary.name;
  if (!lag.behind) return `CANARY ${name} has caught up with its schedule.`;
  return [
    `CANARY ${name} is behind its schedule: its interval, ${simulatedDuration(lag.intervalMs)}, lasts ${realSeconds(lag.intervalMs / scale)} of real time at ${scale}×, and its last run took ${realSeconds(lag.runRealMs)}.`,
    'Its runs go on one after another, each stamped with its scheduled time, and the alarms wait for them: alarms and emails come late, not wrong.',
    `This machine keeps up at about ${roundDown(lag.intervalMs / Math.max(1, lag.runRealMs))}× or less.`,
  ].join(' ');
}

/**
 * The stage's canary schedules in real time at `scale`, for the start-up lines: how often a run
 * comes, and what happens when one outlasts its interval.
 */
export function describeSchedules(canaries: readonly ScheduledCanary[], scale: number): string {
  const each = canaries.map((canary) => {
    const interval = scheduleInterval(canary.schedule.expression);
    return interval.kind === 'every'
      ? `${canary.name} every ${realSeconds((interval.seconds * 1000) / scale)}`
      : `${canary.name} ${canary.schedule.expression}`;
  });
  return `${each.join(', ')} of real time; a run that outlasts its interval delays the next one (none is skipped) and the alarms wait for it`;
}
