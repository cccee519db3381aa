/**
 * The stage's canaries on their schedules, as a started canary runs
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_autoretry.html,
 * https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryRun.html):
 * the first run when it starts (or, for a new stage, when Synthetics would: see FirstRuns), then
 * at each time its schedule gives, until it is stopped; a failed run is retried up
 * to its maxRetries, each attempt a run of its own; every attempt writes its lines to the
 * canary's log group and publishes what Synthetics publishes
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_metrics.html):
 * - per attempt: SuccessPercent (100 or 0), Duration, and per step SuccessPercent and Duration;
 *   Failed (1) when the canary itself could not run, which a failing journey does not publish;
 * - per scheduled run, once its attempts are over: SuccessPercentWithRetries (100 or 0), and
 *   RetryCount only when it retried ("only displayed when there are retries").
 *
 * Where AWS is silent, and what this does:
 * - A retry starts as soon as the failed attempt ends.
 * - The metrics of a scheduled run are stamped with its scheduled time, a retry's with its own
 *   start. A run takes real seconds, which at N times real speed are N times as many simulated
 *   ones; settledThrough() lets the alarm evaluation wait for the runs that started before an
 *   evaluation, so an alarm sees a run as CloudWatch would, published moments after it began,
 *   rather than late by this machine's speed times N.
 * - A scheduled time that passes while the previous run is still going is run as soon as that run
 *   ends, its metrics stamped with its scheduled time: the schedule is kept, late. On AWS this
 *   cannot happen for one attempt, since a run's timeout may not exceed its schedule's interval
 *   ("You can't set this time to be longer than the frequency of the runs of this canary",
 *   https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryRunConfigInput.html);
 *   here a run takes real seconds, N times as many simulated ones, so at a scale this machine
 *   cannot keep the runs fall behind. Skipping them instead would leave gaps that the canary's
 *   "not running" alarm reads as a canary that stopped. Falling behind and catching up are each
 *   told once (onLag), with the largest scale the last run would have kept up with.
 */
import { randomUUID } from 'node:crypto';
import { visibleText, SYNTHETICS, nextRun, type CanarySchedule } from '@monitored/cloudwatch-model';
import type { Clock } from './clock';
import { datum, type RecordMetric } from './datum';
import type { LogEvent } from './logs-insights/log-event';

export interface StepResult {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface CanaryRun {
  readonly canaryName: string;
  readonly passed: boolean;
  readonly steps: readonly StepResult[];
  /** What the script logged through the Synthetics logger, one line each: `LEVEL message`. */
  readonly logs: readonly string[];
  readonly error?: string;
  /**
   * The canary itself could not run: its script did not load, or it failed outside every step (the
   * browser did not start, its environment is incomplete). What CloudWatch counts as `Failed`,
   * "runs that failed to execute", as opposed to a journey whose step failed.
   */
  readonly failedToExecute: boolean;
  /** The run was ended by its timeout; the step it was in is reported failed. */
  readonly timedOut: boolean;
}

export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

export interface ScheduledCanary {
  readonly journey: string;
  /** The physical name: the CanaryName dimension. */
  readonly name: string;
  readonly schedule: CanarySchedule;
  readonly logGroupName: string;
}

export interface LoggedLine {
  /** Simulated time it was written. */
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
}

/** One attempt: the scheduled run's first, or a retry. */
export interface CanaryAttempt {
  /** 0 for the scheduled run, then 1, 2 for its retries (CanaryRun's RetryAttempt). */
  readonly retry: number;
  readonly runId: string;
  /** Simulated start: the scheduled time for a run's first attempt, a retry's own start. */
  readonly startedAt: number;
  /** Simulated time it ended. */
  readonly endedAt: number;
  /** Real milliseconds it took. */
  readonly durationMs: number;
  readonly passed: boolean;
  readonly failedToExecute: boolean;
  readonly timedOut: boolean;
  readonly error?: string;
  readonly steps: readonly StepResult[];
  readonly logs: readonly LoggedLine[];
}

/** One scheduled run with its attempts. */
export interface ScheduledRun {
  readonly id: string;
  readonly canaryName: string;
  readonly journey: string;
  /** The simulated time the schedule gave it. */
  readonly scheduledAt: number;
  /** Simulated time its last attempt ended. */
  readonly endedAt: number;
  readonly attempts: readonly CanaryAttempt[];
  /** After all its attempts. */
  readonly passed: boolean;
  /**
   * Simulated time between its scheduled time and its start: more than its interval when the run
   * before it outlasted theirs.
   */
  readonly startedLateMs: number;
}

/** A canary's runs fell behind its schedule, or caught up with it. */
export interface ScheduleLag {
  readonly canary: ScheduledCanary;
  /** True when the next run is already due as the last one ends; false once it is not. */
  readonly behind: boolean;
  /** The simulated time between the last run's scheduled time and the next one's. */
  readonly intervalMs: number;
  /** Real milliseconds the last run took, its retries included. */
  readonly runRealMs: number;
}

/**
 * Runs one attempt of a canary (the caller's: in this repository, local/canary-runner.ts): it must end the
 * attempt by `timeoutMs` of real time and pass each line it logs to `onLog`.
 */
export type RunAttempt = (
  canary: ScheduledCanary,
  options: {
    readonly timeoutMs: number;
    readonly onLog: (level: LogLevel, message: string) => void;
  },
) => Promise<CanaryRun>;

/**
 * When each canary first runs. `now`: every canary at once, so that a local start has its first
 * results within seconds whatever the schedules. `schedule`: as a canary Synthetics has just
 * created and started, which is how a new stage begins: a rate at once, a cron at its next time
 * (a cron names times of day; AWS's pages say when a canary runs, not when its first run comes,
 * so this is an assumption, and the one that can leave a new stage's canary without a run for a
 * whole interval: dev's website canary, up to 12 hours).
 */
export type FirstRuns = 'now' | 'schedule';

export interface CanarySchedulerOptions {
  readonly clock: Clock;
  /** @default 'now' */
  readonly firstRuns?: FirstRuns;
  readonly canaries: readonly ScheduledCanary[];
  readonly runAttempt: RunAttempt;
  readonly record: RecordMetric;
  /** Appends one event to a log group. */
  readonly log: (group: string, event: LogEvent) => void;
  /** For each event's `@log` (`account-id:log-group-name`). */
  readonly accountId: string;
  /** Told of each scheduled run once its attempts are over. */
  readonly onRun?: (run: ScheduledRun) => void;
  /** Told when a canary's runs fall behind its schedule, and when they catch up. */
  readonly onLag?: (lag: ScheduleLag) => void;
  /** Runs kept per canary, newest first. @default 50 */
  readonly historyLimit?: number;
  /** A failure of the scheduler itself (not of a run); the canary's schedule goes on. @default stderr */
  readonly onError?: (error: unknown) => void;
}

interface CanaryState {
  readonly canary: ScheduledCanary;
  /** Aborted by stopCanary(): no run starts after it. */
  readonly stopped: AbortController;
  /** The next scheduled time; undefined once the schedule has no more runs. */
  nextDue: number | undefined;
  /** The scheduled time of the run under way. */
  running: number | undefined;
  /** Whether the last run ended with the next one already due. */
  behind: boolean;
  readonly history: ScheduledRun[];
}

const iso = (time: number) => new Date(time).toISOString();

export class CanaryScheduler {
  private readonly states: CanaryState[];
  private readonly stopping = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: CanarySchedulerOptions) {
    this.states = options.canaries.map((canary) => ({
      canary,
      stopped: new AbortController(),
      nextDue: undefined,
      running: undefined,
      behind: false,
      history: [],
    }));
  }

  /** Starts every canary: each first runs as `firstRuns` says, then on its schedule. */
  start(): void {
    const startedAt = this.options.clock.now();
    for (const state of this.states) {
      // Refuses a schedule it cannot follow before anything runs.
      const first = nextRun(state.canary.schedule.expression, startedAt, startedAt - 1);
      state.nextDue = (this.options.firstRuns ?? 'now') === 'now' ? startedAt : first;
    }
    this.changed();
    for (const state of this.states) this.loops.push(this.loop(state, startedAt));
  }

  /** Stops scheduling; resolves once the runs under way have ended. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('the canary scheduler is stopping'));
    await Promise.all(this.loops);
  }

  /**
   * StopCanary: no run of the canary starts any more (a run under way ends as it would); the
   * others go on. As `aws synthetics stop-canary`, for a canary that stops running.
   */
  stopCanary(name: string): void {
    const state = this.state(name);
    state.stopped.abort(new Error(`canary ${name} was stopped`));
    if (state.running === undefined) state.nextDue = undefined;
    this.changed();
  }

  /** A canary's runs, newest first. */
  runs(name: string): readonly ScheduledRun[] {
    return this.state(name).history;
  }

  /** What a canary is doing: the run under way (its scheduled time) and the next one. */
  status(name: string): { readonly running?: number; readonly nextDue?: number } {
    const state = this.state(name);
    return { running: state.running, nextDue: state.nextDue };
  }

  get canaries(): readonly ScheduledCanary[] {
    return this.options.canaries;
  }

  /**
   * Resolves once no canary has a run due or under way that was scheduled at or before `instant`:
   * every run that started by then has published its metrics.
   */
  settledThrough(instant: number, signal?: AbortSignal): Promise<void> {
    const settled = () =>
      this.stopping.signal.aborted ||
      this.states.every(
        (state) =>
          (state.running === undefined || state.running > instant) &&
          (state.nextDue === undefined || state.nextDue > instant),
      );
    if (settled()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!settled()) return;
        this.listeners.delete(check);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.listeners.delete(check);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(check);
    });
  }

  private state(name: string): CanaryState {
    const state = this.states.find((candidate) => candidate.canary.name === name);
    if (state === undefined) throw new Error(`no canary named ${JSON.stringify(name)}`);
    return state;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async loop(state: CanaryState, startedAt: number): Promise<void> {
    const { clock } = this.options;
    const { expression } = state.canary.schedule;
    const signal = AbortSignal.any([this.stopping.signal, state.stopped.signal]);
    while (state.nextDue !== undefined && !signal.aborted) {
      const due = state.nextDue;
      try {
        await clock.sleepUntil(due, signal);
      } catch {
        break;
      }
      state.running = due;
      this.changed();
      const realStart = performance.now();
      let run: ScheduledRun | undefined;
      try {
        run = await this.runScheduled(state.canary, due);
      } catch (error: unknown) {
        (this.options.onError ?? ((e) => process.stderr.write(`${visibleText(String(e))}\n`)))(
          error,
        );
      }
      const runRealMs = performance.now() - realStart;
      // The schedule's next time, even when it has already come: it runs at once, late.
      const next = nextRun(expression, startedAt, due);
      if (run !== undefined) {
        state.history.unshift(run);
        state.history.length = Math.min(state.history.length, this.options.historyLimit ?? 50);
      }
      state.running = undefined;
      state.nextDue = signal.aborted ? undefined : next;
      this.changed();
      // A run that failed once a stop was asked for most likely failed because of it (the local
      // system going down under it): kept in the history, not reported as a failure.
      if (run !== undefined && (run.passed || !this.stopping.signal.aborted))
        this.options.onRun?.(run);
      const behind = next !== undefined && next <= clock.now();
      if (next !== undefined && behind !== state.behind && !signal.aborted) {
        state.behind = behind;
        this.options.onLag?.({ canary: state.canary, behind, intervalMs: next - due, runRealMs });
      }
    }
    state.nextDue = undefined;
    this.changed();
  }

  private async runScheduled(canary: ScheduledCanary, scheduledAt: number): Promise<ScheduledRun> {
    const { clock } = this.options;
    const startedLateMs = Math.max(0, clock.now() - scheduledAt);
    const attempts: CanaryAttempt[] = [];
    for (let retry = 0; retry <= canary.schedule.maxRetries; retry++) {
      const attempt = await this.attempt(canary, retry, retry === 0 ? scheduledAt : clock.now());
      attempts.push(attempt);
      if (attempt.passed || this.stopping.signal.aborted) break;
    }
    const passed = attempts[attempts.length - 1].passed;
    const dimensions = { CanaryName: canary.name };
    this.options.record(
      datum(SYNTHETICS.successPercentWithRetries, dimensions, passed ? 100 : 0, scheduledAt),
    );
    if (attempts.length > 1) {
      this.options.record(
        datum(SYNTHETICS.retryCount, dimensions, attempts.length - 1, scheduledAt),
      );
    }
    return {
      id: attempts[0].runId,
      canaryName: canary.name,
      journey: canary.journey,
      scheduledAt,
      endedAt: clock.now(),
      attempts,
      passed,
      startedLateMs,
    };
  }

  private async attempt(
    canary: ScheduledCanary,
    retry: number,
    startedAt: number,
  ): Promise<CanaryAttempt> {
    const { clock, record, accountId } = this.options;
    const runId = randomUUID();
    const logs: LoggedLine[] = [];
    const stream = `${iso(startedAt).slice(0, 10).replace(/-/g, '/')}/[$LATEST]${runId.replace(/-/g, '')}`;
    const onLog = (level: LogLevel, message: string) => {
      const at = clock.now();
      logs.push({ at, level, message });
      // The Lambda text format a canary's function writes: time, request id, level, message.
      this.options.log(canary.logGroupName, {
        '@timestamp': at,
        '@message': `${iso(at)}\t${runId}\t${level}\t${message}`,
        '@logStream': stream,
        '@log': `${accountId}:${canary.logGroupName}`,
      });
    };
    if (retry > 0)
      onLog('INFO', `Retry ${retry} of ${canary.schedule.maxRetries} after a failed run`);
    const realStart = performance.now();
    let result: CanaryRun;
    try {
      result = await this.options.runAttempt(canary, {
        timeoutMs: canary.schedule.timeoutSeconds * 1000,
        onLog,
      });
    } catch (error: unknown) {
      // The runner itself failed: the canary could not run at all.
      const message = error instanceof Error ? error.message : String(error);
      onLog('ERROR', `Canary could not run: ${message}`);
      result = {
        canaryName: canary.name,
        passed: false,
        steps: [],
        logs: [],
        error: message,
        failedToExecute: true,
        timedOut: false,
      };
    }
    const durationMs = Math.round(performance.now() - realStart);
    const dimensions = { CanaryName: canary.name };
    record(datum(SYNTHETICS.successPercent, dimensions, result.passed ? 100 : 0, startedAt));
    record(datum(SYNTHETICS.duration, dimensions, durationMs, startedAt));
    if (result.failedToExecute) record(datum(SYNTHETICS.failed, dimensions, 1, startedAt));
    for (const step of result.steps) {
      const stepDimensions = { CanaryName: canary.name, StepName: step.name };
      record(
        datum(
          SYNTHETICS.stepSuccessPercent,
          stepDimensions,
          step.status === 'passed' ? 100 : 0,
          startedAt,
        ),
      );
      record(datum(SYNTHETICS.stepDuration, stepDimensions, step.durationMs, startedAt));
    }
    return {
      retry,
      runId,
      startedAt,
      endedAt: clock.now(),
      durationMs,
      passed: result.passed,
      failedToExecute: result.failedToExecute,
      timedOut: result.timedOut,
      ...(result.error !== undefined && { error: result.error }),
      steps: result.steps,
      logs,
    };
  }
}
