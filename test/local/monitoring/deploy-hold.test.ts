/**
 * The stages' own alarms, as synthesized, evaluated by the local engine over the data that
 * `npm run deploy-alarm` sends (through the same planner) and the canaries publish: a new stage
 * created during a held deploy, a canary that never runs or stops, a runner that dies holding the
 * deploy alarm. Time is moved by the test, minute by minute, as CloudWatch evaluates.
 */
import { METRICS } from '../../../stacks/monitoring/catalogue';
import {
  AlarmEngine,
  type AlarmEvent,
  ActionsSuppression,
  compositeState,
  datum,
  MetricStore,
  LocalDeployHold,
} from '@monitored/cloudwatch-local';
import {
  type AlarmState,
  parseAlarmRule,
  deployInProgressMetric,
  SYNTHETICS,
  nextRun,
} from '@monitored/cloudwatch-model';
import {
  loadStageDefinitions,
  type StageDefinitions,
} from '../../../local/monitoring/stage-definitions';
import type { Stage } from '../../../stacks/config';
import { TEST_TODAY } from '../../support/synth';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Saturday 28 November 2026, 10:00 UTC: a deploy starts and holds the deploy alarm. */
const T0 = Date.UTC(2026, 10, 28, 10, 0);

const definitions: Partial<Record<Stage, StageDefinitions>> = {};
const definitionsOf = (stage: Stage) =>
  (definitions[stage] ??= loadStageDefinitions(stage, { today: TEST_TODAY }));

/** A notification: a state change that ran actions, or actions released at a period's end. */
interface Sent {
  readonly alarm: string;
  readonly state: string;
  readonly at: number;
}

interface Scenario {
  readonly stage: Stage;
  /** When the deploy holds the deploy alarm. @default T0 */
  readonly heldAt?: number;
  /** When the deploy creates the stage's alarms and canaries. */
  readonly createdAt: number;
  /** When the deploy releases its hold; undefined: never (its runner died). */
  readonly releasedAt?: number;
  /** When each canary stops running: no run scheduled from then on starts (0: it never runs). */
  readonly stops?: Partial<Record<'api' | 'website', number>>;
  readonly until: number;
}

/**
 * Plays a scenario: the hold (at T0 unless said), the alarms and canaries created at `createdAt` (each canary
 * first running as Synthetics starts it: a rate at once, a cron at its next time), the release,
 * every passing run until the canary stops, the engine evaluating every minute.
 */
function play(scenario: Scenario) {
  const stage = definitionsOf(scenario.stage);
  const store = new MetricStore({ catalogue: METRICS, retentionMs: 4 * 24 * HOUR });
  const hold = new LocalDeployHold(store, `msgs-${stage.stage}`);
  hold.hold(scenario.heldAt ?? T0);
  const engine = new AlarmEngine({
    store,
    accountId: stage.accountId,
    metricAlarms: stage.metricAlarms,
    compositeAlarms: stage.compositeAlarms,
    createdAt: scenario.createdAt,
  });
  const sent: Sent[] = [];
  engine.subscribe((event: AlarmEvent) => {
    if (event.actions.length === 0) return;
    sent.push({
      alarm: event.change.alarmName,
      state: event.change.newState,
      at: event.type === 'StateChange' ? event.change.timestamp : event.timestamp,
    });
  });
  const canaries = Object.values(stage.canaries).map((canary) => ({
    canary,
    next: nextRun(canary.schedule.expression, scenario.createdAt, scenario.createdAt - 1),
    stopsAt: scenario.stops?.[canary.journey] ?? Infinity,
  }));
  let released = scenario.releasedAt === undefined;
  for (let now = scenario.createdAt; now <= scenario.until; now += MINUTE) {
    for (const entry of canaries) {
      while (entry.next !== undefined && entry.next <= now && entry.next < entry.stopsAt) {
        const dimensions = { CanaryName: entry.canary.name };
        store.put(datum(SYNTHETICS.successPercent, dimensions, 100, entry.next));
        store.put(datum(SYNTHETICS.successPercentWithRetries, dimensions, 100, entry.next));
        entry.next = nextRun(entry.canary.schedule.expression, scenario.createdAt, entry.next);
      }
    }
    if (!released && now >= scenario.releasedAt!) {
      hold.release(now);
      released = true;
    }
    engine.evaluate(now);
  }
  const prefix = `msgs-${stage.stage}`;
  return {
    sent,
    engine,
    prefix,
    alarms: (state: string) => sent.filter((entry) => entry.state === state),
  };
}

describe("a new stage created during a held deploy, with the stage's synthesized alarms", () => {
  it("sends no ALARM but the deploy alarm's own through dev's first 16 hours, while its canaries' not running alarms wait for their first runs", () => {
    const releasedAt = T0 + 25 * MINUTE;
    const { alarms, engine, prefix } = play({
      stage: 'dev',
      createdAt: T0 + 15 * MINUTE,
      releasedAt,
      until: T0 + 16 * HOUR,
    });

    expect(alarms('ALARM')).toEqual([
      // At the alarm's first evaluation, the minute after the deploy created it.
      { alarm: `${prefix}-deploy-in-progress`, state: 'ALARM', at: T0 + 16 * MINUTE },
    ]);
    // Not vacuous: both "not running" alarms were in ALARM until their canary's first run
    // (the API's at 12:00, the website's at 12:30), while deployed-recently kept "site down" OK.
    for (const [journey, firstRun] of [
      ['api', Date.UTC(2026, 10, 28, 12, 0)],
      ['website', Date.UTC(2026, 10, 28, 12, 30)],
    ] as const) {
      expect(
        engine
          .history(`${prefix}-${journey}-canary-not-running`)
          .map((change) => [change.newState, change.timestamp]),
      ).toEqual([
        ['ALARM', T0 + 16 * MINUTE],
        ['OK', firstRun],
      ]);
    }
    // In ALARM from the hold's data, until 729 minutes and the 2 more periods the engine reads
    // have passed since the release.
    expect(
      engine
        .history(`${prefix}-deployed-recently`)
        .map((change) => [change.newState, change.timestamp]),
    ).toEqual([
      ['ALARM', T0 + 16 * MINUTE],
      ['OK', releasedAt + 731 * MINUTE],
    ]);
    expect(
      engine
        .history(`${prefix}-site-down`)
        .map((change) => [change.newState, change.actionsSuppressed?.by]),
    ).toEqual([['OK', 'Alarm']]);
    // The deploy alarm is back to OK at the first evaluation after the release; "site down"
    // says it is OK once its ExtensionPeriod (one more API journey: 2 hours, 2 × 30 s, a minute)
    // ends.
    expect(alarms('OK')).toEqual(
      expect.arrayContaining([
        { alarm: `${prefix}-deploy-in-progress`, state: 'OK', at: releasedAt },
        { alarm: `${prefix}-site-down`, state: 'OK', at: releasedAt + 7_320_000 },
      ]),
    );
  });

  it("gives a canary its first run's time from the end of a long deploy, not from its hold", () => {
    // Held at 12:00, the stage created at 12:31 (CloudFront takes its time), released at 12:35:
    // dev's website cron first runs at 00:30, 12 h 29 min after the hold.
    const heldAt = Date.UTC(2026, 10, 28, 12, 0);
    const releasedAt = heldAt + 35 * MINUTE;
    const { alarms, engine, prefix } = play({
      stage: 'dev',
      heldAt,
      createdAt: heldAt + 31 * MINUTE,
      releasedAt,
      until: heldAt + 14 * HOUR,
    });

    expect(alarms('ALARM')).toEqual([
      { alarm: `${prefix}-deploy-in-progress`, state: 'ALARM', at: heldAt + 32 * MINUTE },
    ]);
    // Not vacuous: the website canary was silent until 00:30, and the release kept the deploy
    // recent until 00:46 (counted from the hold, it would have ended at 00:11).
    expect(
      engine
        .history(`${prefix}-website-canary-not-running`)
        .map((change) => [change.newState, change.timestamp]),
    ).toEqual([
      ['ALARM', heldAt + 32 * MINUTE],
      ['OK', Date.UTC(2026, 10, 29, 0, 30)],
    ]);
    expect(engine.history(`${prefix}-deployed-recently`).at(-1)).toMatchObject({
      newState: 'OK',
      timestamp: releasedAt + 731 * MINUTE,
    });
  });

  it('pages a canary that never runs once it should have: when the deployed-recently alarm ends, and a WaitPeriod', () => {
    const releasedAt = T0 + 25 * MINUTE;
    const { alarms, engine, prefix } = play({
      stage: 'dev',
      createdAt: T0 + 15 * MINUTE,
      releasedAt,
      stops: { website: 0 },
      until: T0 + 16 * HOUR,
    });

    // A 12-hour interval, the run and its retry at 120 s, and 5 minutes: 729 one-minute periods,
    // and the 2 more the engine reads, from the release; then "site down" waits a minute for its
    // suppressor, long released.
    expect(alarms('ALARM')).toEqual([
      // At the alarm's first evaluation, the minute after the deploy created it.
      { alarm: `${prefix}-deploy-in-progress`, state: 'ALARM', at: T0 + 16 * MINUTE },
      { alarm: `${prefix}-site-down`, state: 'ALARM', at: releasedAt + 732 * MINUTE },
    ]);
    // The reason names the child that changed: deployed-recently, gone OK while the website
    // canary's "not running" was in ALARM.
    const paged = engine.history(`${prefix}-site-down`).at(-1)!;
    expect(paged.newState).toBe('ALARM');
    expect(paged.reason).toMatch(
      new RegExp(`:alarm:${prefix}-deployed-recently transitioned to OK`),
    );
    expect(engine.status(`${prefix}-website-canary-not-running`).state).toBe('ALARM');
  });

  it('pages a canary that stops later four of its intervals after its last run, and a WaitPeriod', () => {
    // prod's API canary runs every 6 minutes from its creation at 10:10; stopped at 13:00, its
    // last run is at 12:58. Its alarm reads 2 of 2 periods of 6 minutes and treats missing data
    // as breaching only once its whole evaluation range (4 periods here: AWS documents 5 for 3
    // evaluation periods, the engine takes N + 2) has no datapoint: from 13:22.
    const { alarms, engine, prefix } = play({
      stage: 'prod',
      createdAt: T0 + 10 * MINUTE,
      releasedAt: T0 + 20 * MINUTE,
      stops: { api: T0 + 3 * HOUR },
      until: T0 + 4 * HOUR,
    });

    expect(alarms('ALARM')).toEqual([
      { alarm: `${prefix}-deploy-in-progress`, state: 'ALARM', at: T0 + 11 * MINUTE },
      { alarm: `${prefix}-site-down`, state: 'ALARM', at: Date.UTC(2026, 10, 28, 13, 23) },
    ]);
    // The reason names the canary's own "not running" alarm.
    expect(engine.history(`${prefix}-site-down`).at(-1)!.reason).toMatch(
      new RegExp(
        `:alarm:${prefix}-api-canary-not-running transitioned to ALARM at Saturday 28 November, 2026 13:22:00 UTC`,
      ),
    );
  });

  it('lets a hold its runner never released end by itself after 2 hours, and then "site down" acts', () => {
    const { alarms, prefix } = play({
      stage: 'prod',
      createdAt: T0 + 10 * MINUTE,
      until: T0 + 4 * HOUR,
    });

    expect(alarms('ALARM')).toEqual([
      { alarm: `${prefix}-deploy-in-progress`, state: 'ALARM', at: T0 + 11 * MINUTE },
    ]);
    // Its 120 one-minute periods, and the 2 more the engine's evaluation range reads.
    const expired = T0 + 2 * HOUR + 2 * MINUTE;
    expect(alarms('OK')).toEqual(
      expect.arrayContaining([
        { alarm: `${prefix}-deploy-in-progress`, state: 'OK', at: expired },
        // "site down", OK since its creation, says so when its ExtensionPeriod (one more API
        // journey: 6 minutes, 2 × 30 s, a minute) ends.
        { alarm: `${prefix}-site-down`, state: 'OK', at: expired + 480_000 },
      ]),
    );
  });

  it('pages a canary that stopped while a dead runner held the deploy alarm, once the hold has ended by itself', () => {
    // The API canary's last run at 10:40; its "not running" in ALARM from 11:04, "site down" with
    // it while deployed-recently has ended (11:11): suppressed until the hold ends at 12:02.
    const { alarms, engine, prefix } = play({
      stage: 'prod',
      createdAt: T0 + 10 * MINUTE,
      stops: { api: T0 + 45 * MINUTE },
      until: T0 + 4 * HOUR,
    });

    const expired = T0 + 2 * HOUR + 2 * MINUTE;
    expect(alarms('ALARM')).toEqual([
      { alarm: `${prefix}-deploy-in-progress`, state: 'ALARM', at: T0 + 11 * MINUTE },
      { alarm: `${prefix}-site-down`, state: 'ALARM', at: expired + 480_000 },
    ]);
    expect(
      engine
        .history(`${prefix}-site-down`)
        .map((change) => [change.newState, change.actionsSuppressed?.by]),
    ).toEqual([
      ['OK', 'Alarm'],
      ['ALARM', 'Alarm'],
    ]);
  });
});

describe('a new stage\'s "site down" created on AWS before its children have a state', () => {
  // AWS creates the children first (depends_on) and evaluates each new alarm on its own minute:
  // the composite can see "not running" in ALARM while deployed-recently and the deploy alarm are
  // still INSUFFICIENT_DATA, and "ALARM(...) is TRUE if the named alarm is in ALARM state"
  // (PutCompositeAlarm), so NOT ALARM(deployed-recently) is TRUE. Played here on the synthesized
  // rule and suppressor, child by child, as the local engine would only if AWS's order were its.
  const siteDown = () =>
    definitionsOf('dev').compositeAlarms.find((alarm) => alarm.name === 'msgs-dev-site-down')!;
  const created = (deployAlarmReachesAlarmAfterMs: number) => {
    const { alarmRule, actionsSuppressor } = siteDown();
    const rule = parseAlarmRule(alarmRule);
    const states: Record<string, AlarmState> = Object.fromEntries(
      rule.children.map((child) => [child, 'INSUFFICIENT_DATA' as AlarmState]),
    );
    const stateNow = () => compositeState(rule, (child) => states[child]);
    const suppression = new ActionsSuppression(
      {
        waitPeriodSeconds: actionsSuppressor!.waitPeriodSeconds,
        extensionPeriodSeconds: actionsSuppressor!.extensionPeriodSeconds,
      },
      'INSUFFICIENT_DATA',
    );
    const sent: string[] = [];
    let state = stateNow();
    const settle = (at: number) => {
      const next = stateNow();
      if (next !== state) {
        state = next;
        if (suppression.compositeChanged(at).act) sent.push(next);
      }
      if (suppression.release(at) !== undefined) sent.push(state);
    };
    // The website canary's "not running" is evaluated first, in ALARM: the composite with it.
    states['msgs-dev-website-canary-not-running'] = 'ALARM';
    settle(T0);
    const wentToAlarm = state;
    // The deploy alarm, its hold sent before the deploy, reaches ALARM at its first evaluation;
    // deployed-recently, from the same data, in the same minute.
    const at = T0 + deployAlarmReachesAlarmAfterMs;
    for (let now = T0 + 10_000; now < at; now += 10_000) settle(now);
    suppression.suppressorChanged(at, 'ALARM');
    states['msgs-dev-deployed-recently'] = 'ALARM';
    settle(at);
    return { wentToAlarm, sent, state };
  };

  it('sends nothing when the deploy alarm reaches ALARM within the WaitPeriod: a minute, the time between two evaluations', () => {
    expect(siteDown().actionsSuppressor?.waitPeriodSeconds).toBe(60);

    const { wentToAlarm, sent, state } = created(50_000);

    expect(wentToAlarm).toBe('ALARM');
    expect(state).toBe('OK');
    expect(sent).toEqual([]);
  });

  it('would send the ALARM if the deploy alarm took longer than the WaitPeriod', () => {
    expect(created(70_000).sent).toEqual(['ALARM']);
  });
});

describe("the deploy alarm held and released as npm run deploy-alarm does, with the stage's synthesized alarm", () => {
  const stage = () => definitionsOf('prod');
  const deployAlarm = () => 'msgs-prod-deploy-in-progress';

  function started() {
    const store = new MetricStore({ catalogue: METRICS });
    const engine = new AlarmEngine({
      store,
      accountId: stage().accountId,
      metricAlarms: stage().metricAlarms.filter((alarm) => alarm.name === deployAlarm()),
      compositeAlarms: [],
      createdAt: T0,
    });
    return { store, engine, hold: new LocalDeployHold(store, 'msgs-prod') };
  }
  const stateAt = (engine: AlarmEngine, at: number) => {
    engine.evaluate(at);
    return engine.status(deployAlarm()).state;
  };

  it('is OK with no hold at all, holds from the next evaluation, and is OK again after a release', () => {
    const { engine, hold } = started();

    expect(stateAt(engine, T0 + MINUTE)).toBe('OK');
    hold.hold(T0 + 90_000);
    expect(stateAt(engine, T0 + 2 * MINUTE)).toBe('ALARM');
    hold.release(T0 + 30 * MINUTE + 10_000);
    expect(stateAt(engine, T0 + 31 * MINUTE)).toBe('OK');
    // And stays OK while the released hold is still in the window.
    expect(stateAt(engine, T0 + 100 * MINUTE)).toBe('OK');
  });

  it('holds again after a release within the same window, and releases again', () => {
    const { engine, hold } = started();
    hold.hold(T0);
    hold.release(T0 + 20 * MINUTE);
    expect(stateAt(engine, T0 + 21 * MINUTE)).toBe('OK');

    hold.hold(T0 + 40 * MINUTE);
    expect(stateAt(engine, T0 + 41 * MINUTE)).toBe('ALARM');
    // The first hold leaves the window at 12:00 with its release: the second still holds.
    expect(stateAt(engine, T0 + 2 * HOUR + 5 * MINUTE)).toBe('ALARM');
    hold.release(T0 + 2 * HOUR + 10 * MINUTE);
    expect(stateAt(engine, T0 + 2 * HOUR + 11 * MINUTE)).toBe('OK');
  });

  it('ends every hold with one release, a dead runner’s too', () => {
    const { engine, hold } = started();
    hold.hold(T0);
    hold.hold(T0 + 30 * MINUTE);

    // Both held minutes, and the end of the deploy.
    expect(hold.release(T0 + 50 * MINUTE)).toHaveLength(3);
    expect(stateAt(engine, T0 + 51 * MINUTE)).toBe('OK');
  });

  it('is not cancelled by a release that raced another one', () => {
    const { engine, hold, store } = started();
    hold.hold(T0);
    const first = hold.release(T0 + 20 * MINUTE);
    // A second release that read the minutes before the first one's data could be seen sends
    // the same again: the minute is now over-released.
    for (const { timestamp, value } of first)
      store.put(datum(deployInProgressMetric('msgs-prod'), {}, value, timestamp));
    expect(stateAt(engine, T0 + 21 * MINUTE)).toBe('OK');

    hold.hold(T0 + 40 * MINUTE);

    expect(stateAt(engine, T0 + 41 * MINUTE)).toBe('ALARM');
  });

  it('returns to its data at the next evaluation when set by hand, as AWS says of SetAlarmState', () => {
    const { engine } = started();
    expect(stateAt(engine, T0 + MINUTE)).toBe('OK');

    engine.setAlarmState(deployAlarm(), 'ALARM', 'by hand', T0 + 90_000);

    expect(engine.status(deployAlarm()).state).toBe('ALARM');
    expect(stateAt(engine, T0 + 2 * MINUTE)).toBe('OK');
  });
});
