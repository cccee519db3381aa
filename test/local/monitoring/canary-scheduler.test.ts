/**
 * The canary scheduler on a clock the test moves, with scripted runs standing in for the journeys
 * (the real runner is tested with real journeys in test/canaries and through the whole loop in
 * monitoring-loop.test.ts): when runs happen, retries, and what each publishes.
 */
import { METRICS } from '../../../stacks/monitoring/catalogue';
import type { CanaryRun } from '../../../local/canary-runner';
import {
  AlarmEngine,
  CanaryScheduler,
  type CanarySchedulerOptions,
  type RunAttempt,
  type ScheduleLag,
  type ScheduledCanary,
  type ScheduledRun,
  MetricStore,
  type MetricDatum,
  InMemoryLogStore,
} from '@monitored/cloudwatch-local';

import { ManualClock } from '../../support/manual-clock';
import { stageDefinitions } from '../../support/monitor';

const START = Date.UTC(2026, 10, 28, 12, 0, 30);
const MINUTE = 60_000;
const CANARY: ScheduledCanary = {
  journey: 'api',
  name: 'msgs-prod-api',
  schedule: { expression: 'rate(6 minutes)', maxRetries: 1, timeoutSeconds: 60, memoryMb: 960 },
  logGroupName: '/aws/lambda/cwsyn-msgs-prod-api-test',
};

type Outcome = 'pass' | 'fail' | 'broken';

function runOf(outcome: Outcome): CanaryRun {
  const steps =
    outcome === 'broken'
      ? []
      : [
          { name: 'count', status: 'passed' as const, durationMs: 12 },
          outcome === 'pass'
            ? { name: 'create', status: 'passed' as const, durationMs: 30 }
            : {
                name: 'create',
                status: 'failed' as const,
                durationMs: 8,
                error: 'create: HTTP 503',
              },
        ];
  return {
    canaryName: CANARY.name,
    passed: outcome === 'pass',
    steps,
    logs: [],
    failedToExecute: outcome === 'broken',
    timedOut: false,
    ...(outcome !== 'pass' && {
      error: outcome === 'broken' ? 'Chromium not found' : 'create: HTTP 503',
    }),
  };
}

interface Harness {
  readonly clock: ManualClock;
  readonly scheduler: CanaryScheduler;
  readonly datums: MetricDatum[];
  readonly logs: InMemoryLogStore;
  readonly attempts: { timeoutMs: number }[];
  /** Resolves with the next scheduled run to finish. */
  finished(): Promise<ScheduledRun>;
}

/** dev's website canary: a cron twice a day, at 00:30 and 12:30 UTC. */
const WEBSITE: ScheduledCanary = {
  journey: 'website',
  name: 'msgs-dev-website',
  schedule: {
    expression: 'cron(30 0/12 * * ? *)',
    maxRetries: 1,
    timeoutSeconds: 120,
    memoryMb: 960,
  },
  logGroupName: '/aws/lambda/cwsyn-msgs-dev-website-test',
};

/** A scheduler whose attempts end as `outcomes` says, one after the other (then they pass). */
function harness(
  outcomes: Outcome[],
  runAttempt?: RunAttempt,
  onRun?: (run: ScheduledRun) => void,
  more: Partial<Pick<CanarySchedulerOptions, 'canaries' | 'firstRuns' | 'onLag'>> = {},
): Harness {
  const clock = new ManualClock(START);
  const datums: MetricDatum[] = [];
  const logs = new InMemoryLogStore();
  const attempts: { timeoutMs: number }[] = [];
  const done: ScheduledRun[] = [];
  const waiting: ((run: ScheduledRun) => void)[] = [];
  const scheduler = new CanaryScheduler({
    clock,
    canaries: [CANARY],
    ...more,
    runAttempt:
      runAttempt ??
      (async (_canary, options) => {
        attempts.push({ timeoutMs: options.timeoutMs });
        options.onLog('INFO', `attempt ${attempts.length}`);
        return runOf(outcomes.shift() ?? 'pass');
      }),
    record: (datum) => datums.push(datum),
    log: (group, event) => logs.append(group, event),
    accountId: '000000000000',
    onRun: (run) => {
      onRun?.(run);
      const waiter = waiting.shift();
      if (waiter === undefined) done.push(run);
      else waiter(run);
    },
  });
  return {
    clock,
    scheduler,
    datums,
    logs,
    attempts,
    finished: () => {
      const run = done.shift();
      return run !== undefined
        ? Promise.resolve(run)
        : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** The data points of one metric, by name and whether they carry a StepName. */
function points(datums: readonly MetricDatum[], name: string, step?: string) {
  return datums
    .filter(
      (datum) =>
        datum.metricName === name &&
        datum.dimensions.StepName === step &&
        datum.dimensions.CanaryName === CANARY.name,
    )
    .map((datum) => ({ value: datum.value, timestamp: datum.timestamp }));
}

/** A runner whose attempts end only when the test releases them. */
function heldRunner() {
  const held: ((run: CanaryRun) => void)[] = [];
  const waiting: (() => void)[] = [];
  const runAttempt: RunAttempt = () =>
    new Promise((resolve) => {
      held.push(resolve);
      waiting.shift()?.();
    });
  return {
    runAttempt,
    /** Resolves once an attempt is under way. */
    started: () =>
      held.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)),
    release: (run: CanaryRun) => held.shift()?.(run),
  };
}

let running: CanaryScheduler | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('CanaryScheduler', () => {
  it('runs a canary when it starts, then on its schedule, with its run timeout', async () => {
    const { clock, scheduler, finished, attempts } = harness([]);
    running = scheduler;

    scheduler.start();
    const first = await finished();
    const dueAfterFirst = scheduler.status(CANARY.name).nextDue;
    clock.advanceTo(START + 6 * MINUTE);
    const second = await finished();

    expect(first.scheduledAt).toBe(START);
    expect(dueAfterFirst).toBe(START + 6 * MINUTE);
    expect(second.scheduledAt).toBe(START + 6 * MINUTE);
    expect(scheduler.status(CANARY.name).nextDue).toBe(START + 12 * MINUTE);
    expect(attempts).toEqual([{ timeoutMs: 60_000 }, { timeoutMs: 60_000 }]);
  });

  it("starts a new stage's canaries as Synthetics starts them: a rate at once, a cron at its next time", async () => {
    const { clock, scheduler, finished } = harness([], undefined, undefined, {
      canaries: [CANARY, WEBSITE],
      firstRuns: 'schedule',
    });
    running = scheduler;

    scheduler.start();
    const rate = await finished();
    const websiteDue = scheduler.status(WEBSITE.name).nextDue;
    clock.advanceTo(Date.UTC(2026, 10, 28, 12, 30));
    const later = [await finished(), await finished()];

    expect([rate.canaryName, rate.scheduledAt]).toEqual([CANARY.name, START]);
    expect(websiteDue).toBe(Date.UTC(2026, 10, 28, 12, 30));
    expect(scheduler.runs(WEBSITE.name).map((run) => run.scheduledAt)).toEqual([
      Date.UTC(2026, 10, 28, 12, 30),
    ]);
    expect(later.map((run) => run.canaryName).sort()).toEqual([WEBSITE.name, CANARY.name].sort());
  });

  it('runs every canary at once when started for a stage that is running already', () => {
    const { scheduler } = harness([], undefined, undefined, { canaries: [CANARY, WEBSITE] });
    running = scheduler;

    scheduler.start();

    expect(scheduler.status(WEBSITE.name).nextDue).toBe(START);
    expect(scheduler.status(CANARY.name).nextDue).toBe(START);
  });

  it('starts no run of a stopped canary, and goes on with the others', async () => {
    const { clock, scheduler, finished } = harness([], undefined, undefined, {
      canaries: [
        CANARY,
        { ...WEBSITE, schedule: { ...WEBSITE.schedule, expression: 'rate(1 hour)' } },
      ],
    });
    running = scheduler;
    scheduler.start();
    await finished();
    await finished();

    scheduler.stopCanary(CANARY.name);
    clock.advanceTo(START + 60 * MINUTE);
    const next = await finished();

    expect(next.canaryName).toBe(WEBSITE.name);
    expect(scheduler.runs(CANARY.name)).toHaveLength(1);
    expect(scheduler.status(CANARY.name).nextDue).toBeUndefined();
  });

  it('publishes SuccessPercent and Duration per attempt and per step, SuccessPercentWithRetries per run, and no RetryCount without a retry', async () => {
    const { scheduler, finished, datums } = harness(['pass']);
    running = scheduler;

    scheduler.start();
    await finished();

    expect(points(datums, 'SuccessPercent')).toEqual([{ value: 100, timestamp: START }]);
    expect(points(datums, 'SuccessPercentWithRetries')).toEqual([{ value: 100, timestamp: START }]);
    expect(points(datums, 'Duration')).toHaveLength(1);
    expect(points(datums, 'SuccessPercent', 'count')).toEqual([{ value: 100, timestamp: START }]);
    expect(points(datums, 'Duration', 'create')).toEqual([{ value: 30, timestamp: START }]);
    expect(points(datums, 'RetryCount')).toEqual([]);
    expect(points(datums, 'Failed')).toEqual([]);
    for (const datum of datums)
      expect(
        METRICS.find(datum.namespace, datum.metricName, Object.keys(datum.dimensions)),
      ).toBeDefined();
  });

  it('retries a failed run: SuccessPercent counts each attempt, SuccessPercentWithRetries the run after its retry, RetryCount the retry', async () => {
    const { scheduler, finished, datums, attempts } = harness(['fail', 'pass']);
    running = scheduler;

    scheduler.start();
    const run = await finished();

    expect(attempts).toHaveLength(2);
    expect(run.passed).toBe(true);
    expect(run.attempts.map((attempt) => [attempt.retry, attempt.passed])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(points(datums, 'SuccessPercent').map((point) => point.value)).toEqual([0, 100]);
    expect(points(datums, 'SuccessPercent', 'create').map((point) => point.value)).toEqual([
      0, 100,
    ]);
    expect(points(datums, 'SuccessPercentWithRetries')).toEqual([{ value: 100, timestamp: START }]);
    expect(points(datums, 'RetryCount')).toEqual([{ value: 1, timestamp: START }]);
    expect(points(datums, 'Failed')).toEqual([]);
  });

  it('fails the run when its retries fail too: SuccessPercentWithRetries 0, and no Failed for a failing journey', async () => {
    const { scheduler, finished, datums } = harness(['fail', 'fail']);
    running = scheduler;

    scheduler.start();
    const run = await finished();

    expect(run.passed).toBe(false);
    expect(points(datums, 'SuccessPercent').map((point) => point.value)).toEqual([0, 0]);
    expect(points(datums, 'SuccessPercentWithRetries')).toEqual([{ value: 0, timestamp: START }]);
    expect(points(datums, 'RetryCount')).toEqual([{ value: 1, timestamp: START }]);
    expect(points(datums, 'Failed')).toEqual([]);
  });

  it('publishes Failed for each attempt of a canary that could not run, and no step metrics', async () => {
    const { scheduler, finished, datums } = harness(['broken', 'broken']);
    running = scheduler;

    scheduler.start();
    const run = await finished();

    expect(run.attempts.every((attempt) => attempt.failedToExecute)).toBe(true);
    expect(points(datums, 'Failed').map((point) => point.value)).toEqual([1, 1]);
    expect(points(datums, 'SuccessPercentWithRetries').map((point) => point.value)).toEqual([0]);
    expect(datums.filter((datum) => datum.dimensions.StepName !== undefined)).toEqual([]);
  });

  it('counts a runner that throws as a canary that could not run', async () => {
    const { scheduler, finished, datums } = harness([], async () => {
      throw new Error('the zip could not be unpacked');
    });
    running = scheduler;

    scheduler.start();
    const run = await finished();

    expect(run.attempts.map((attempt) => attempt.error)).toEqual([
      'the zip could not be unpacked',
      'the zip could not be unpacked',
    ]);
    expect(points(datums, 'Failed').map((point) => point.value)).toEqual([1, 1]);
  });

  it('writes every attempt to the canary log group, stamped with the simulated time', async () => {
    const { scheduler, finished, logs } = harness(['fail', 'pass']);
    running = scheduler;

    scheduler.start();
    const run = await finished();
    const events = await logs.events([CANARY.logGroupName], 0, Number.MAX_SAFE_INTEGER);

    expect(events.map((event) => event['@message'].split('\t').slice(1))).toEqual([
      [run.attempts[0].runId, 'INFO', 'attempt 1'],
      [run.attempts[1].runId, 'INFO', 'Retry 1 of 1 after a failed run'],
      [run.attempts[1].runId, 'INFO', 'attempt 2'],
    ]);
    expect(events.every((event) => event['@timestamp'] === START)).toBe(true);
    expect(events[0]['@log']).toBe(`000000000000:${CANARY.logGroupName}`);
  });

  it('settles an evaluation instant only once the runs scheduled by then have published', async () => {
    const runner = heldRunner();
    const { clock, scheduler, finished, datums } = harness([], runner.runAttempt);
    running = scheduler;
    scheduler.start();
    let settled = false;

    const settling = scheduler.settledThrough(START + MINUTE).then(() => (settled = true));
    clock.advanceTo(START + MINUTE);
    await runner.started();
    const whileRunning = settled;
    runner.release(runOf('pass'));
    await finished();
    await settling;

    expect(whileRunning).toBe(false);
    expect(settled).toBe(true);
    expect(points(datums, 'SuccessPercentWithRetries')).toEqual([{ value: 100, timestamp: START }]);
  });

  it('does not report a run that failed after a stop was asked for (the stop, not the system)', async () => {
    const runner = heldRunner();
    const reported: ScheduledRun[] = [];
    const { scheduler } = harness([], runner.runAttempt, (run) => reported.push(run));
    scheduler.start();
    await runner.started();

    const stopping = scheduler.stop();
    runner.release(runOf('fail'));
    await stopping;

    expect(reported).toEqual([]);
    expect(scheduler.runs(CANARY.name).map((run) => run.passed)).toEqual([false]);
  });

  it('runs the scheduled times that came while a run was still going, one after another, each stamped with its scheduled time', async () => {
    const runner = heldRunner();
    const { clock, scheduler, finished, datums } = harness([], runner.runAttempt);
    running = scheduler;
    scheduler.start();
    await runner.started();

    clock.advanceTo(START + 13 * MINUTE);
    const runs: ScheduledRun[] = [];
    for (let i = 0; i < 3; i++) {
      await runner.started();
      runner.release(runOf('pass'));
      runs.push(await finished());
    }

    expect(runs.map((run) => run.scheduledAt - START)).toEqual([0, 6 * MINUTE, 12 * MINUTE]);
    expect(runs.map((run) => run.startedLateMs)).toEqual([0, 7 * MINUTE, MINUTE]);
    expect(points(datums, 'SuccessPercentWithRetries').map((p) => p.timestamp - START)).toEqual([
      0,
      6 * MINUTE,
      12 * MINUTE,
    ]);
    expect(scheduler.status(CANARY.name).nextDue).toBe(START + 18 * MINUTE);
  });

  it('says once when its runs fall behind the schedule, with the scale that would keep up, and once when they catch up', async () => {
    const runner = heldRunner();
    const lags: ScheduleLag[] = [];
    const { clock, scheduler, finished } = harness([], runner.runAttempt, undefined, {
      onLag: (lag) => lags.push(lag),
    });
    running = scheduler;
    scheduler.start();
    await runner.started();

    clock.advanceTo(START + 13 * MINUTE);
    for (let i = 0; i < 3; i++) {
      await runner.started();
      runner.release(runOf('pass'));
      await finished();
    }

    expect(lags.map((lag) => [lag.canary.name, lag.behind, lag.intervalMs])).toEqual([
      [CANARY.name, true, 6 * MINUTE],
      [CANARY.name, false, 6 * MINUTE],
    ]);
  });

  it("never lets prod's canary-not-running alarm fire because a run outlasted its intervals", async () => {
    const definitions = stageDefinitions('prod');
    const canary = definitions.canaries.api;
    const notRunning = definitions.metricAlarms.filter(
      (alarm) => alarm.name === `${definitions.names.canary('api')}-canary-not-running`,
    );
    const store = new MetricStore({ catalogue: METRICS, retentionMs: 24 * 3600 * 1000 });
    const runner = heldRunner();
    const clock = new ManualClock(START);
    const done: (() => void)[] = [];
    const scheduler = new CanaryScheduler({
      clock,
      canaries: [canary],
      runAttempt: runner.runAttempt,
      record: (datum) => store.put(datum),
      log: () => undefined,
      accountId: definitions.accountId,
      onRun: () => done.shift()?.(),
    });
    running = scheduler;
    const engine = new AlarmEngine({
      store,
      accountId: definitions.accountId,
      metricAlarms: notRunning,
      compositeAlarms: [],
      createdAt: START,
    });
    scheduler.start();
    await runner.started();

    // One run that lasts an hour of simulated time (a second at 3600x): longer than the alarm's
    // evaluation range (three 12-minute periods), within which CloudWatch looks for older data.
    const end = START + 60 * MINUTE;
    clock.advanceTo(end);
    while (scheduler.status(canary.name).nextDue! <= end) {
      const ended = new Promise<void>((resolve) => done.push(resolve));
      await runner.started();
      runner.release({ ...runOf('pass'), canaryName: canary.name });
      await ended;
    }
    await scheduler.settledThrough(end);
    engine.evaluate(end);

    expect(notRunning).toHaveLength(1);
    expect(engine.history().filter((entry) => entry.newState === 'ALARM')).toEqual([]);
  });
});
