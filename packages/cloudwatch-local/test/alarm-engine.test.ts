import { AWS_CATALOGUE } from './aws-catalogue';
import { AlarmEngine, type AlarmEngineOptions, type AlarmEvent } from '../src/alarm-engine';
import type { CompositeAlarmDefinition, MetricAlarmDefinition } from '@monitored/cloudwatch-model';
import { MetricStore } from '../src/metric-store';

/** Saturday 28 November 2026, 10:00:00 UTC: when the alarms are created. */
const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const MINUTE = 60_000;
const ACCOUNT = '000000000000';
const TOPIC = 'arn:aws:sns:us-west-2:000000000000:msgs-dev-alarms';
const arn = (name: string) => `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:${name}`;

const JOURNEY = 'msgs-dev-journey-failing';
const ERRORS = 'msgs-dev-api-errors';
const DEPLOY = 'msgs-dev-deploy-in-progress';
const SITE_DOWN = 'msgs-dev-site-down';

function metricAlarm(overrides: Partial<MetricAlarmDefinition>): MetricAlarmDefinition {
  return {
    name: JOURNEY,
    region: 'us-west-2',
    namespace: 'CloudWatchSynthetics',
    metricName: 'SuccessPercent',
    dimensions: { CanaryName: 'msgs-dev-journey' },
    statistic: 'Average',
    period: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 100,
    comparisonOperator: 'LessThanThreshold',
    treatMissingData: 'missing',
    alarmActions: [TOPIC],
    okActions: [TOPIC],
    insufficientDataActions: [],
    ...overrides,
  };
}

const journey = metricAlarm({});
const apiErrors = metricAlarm({
  name: ERRORS,
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  dimensions: { FunctionName: 'msgs-dev-api' },
  statistic: 'Sum',
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'notBreaching',
});
/** An alarm on a metric with no data, whose state set by hand stays: missing data ignored. */
const deploy = metricAlarm({
  name: DEPLOY,
  namespace: 'msgs-dev',
  metricName: 'DeployInProgress',
  dimensions: {},
  statistic: 'Maximum',
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'ignore',
  alarmActions: [],
  okActions: [],
});

function siteDown(overrides: Partial<CompositeAlarmDefinition> = {}): CompositeAlarmDefinition {
  return {
    name: SITE_DOWN,
    region: 'us-west-2',
    alarmRule: `ALARM(${JOURNEY}) OR ALARM("${ERRORS}")`,
    actionsSuppressor: { alarm: DEPLOY, waitPeriodSeconds: 60, extensionPeriodSeconds: 60 },
    alarmActions: [TOPIC],
    okActions: [TOPIC],
    insufficientDataActions: [],
    ...overrides,
  };
}

function engine(options: Partial<AlarmEngineOptions> = {}): {
  engine: AlarmEngine;
  store: MetricStore;
} {
  const store = options.store ?? new MetricStore({ catalogue: AWS_CATALOGUE });
  return {
    store,
    engine: new AlarmEngine({
      store,
      accountId: ACCOUNT,
      metricAlarms: [journey, apiErrors, deploy],
      compositeAlarms: [siteDown()],
      createdAt: T0,
      ...options,
    }),
  };
}

function journeyResult(store: MetricStore, successPercent: number, at: number): void {
  store.put({
    namespace: 'CloudWatchSynthetics',
    metricName: 'SuccessPercent',
    dimensions: { CanaryName: 'msgs-dev-journey' },
    value: successPercent,
    unit: 'Percent',
    timestamp: at,
  });
}

function changesOf(events: readonly AlarmEvent[], name: string) {
  return events.filter((event) => event.type === 'StateChange' && event.change.alarmName === name);
}

describe('AlarmEngine: metric alarms', () => {
  it('starts every alarm in INSUFFICIENT_DATA, as a newly created alarm', () => {
    const { engine: alarms } = engine();

    const statuses = alarms.statuses();

    expect(statuses.map((status) => [status.name, status.state, status.reason])).toEqual([
      [JOURNEY, 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation'],
      [ERRORS, 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation'],
      [DEPLOY, 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation'],
      [SITE_DOWN, 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation'],
    ]);
    expect(alarms.history()).toEqual([]);
  });

  it('evaluates at the end of the minute and runs the alarm actions on the change', () => {
    const { engine: alarms, store } = engine({ compositeAlarms: [] });
    journeyResult(store, 0, T0 + 20_000);

    const beforeTheMinute = alarms.evaluate(T0 + 59_999);
    const atTheMinute = alarms.evaluate(T0 + MINUTE);

    expect(beforeTheMinute).toEqual([]);
    const [change] = changesOf(atTheMinute, JOURNEY);
    expect(change).toMatchObject({
      type: 'StateChange',
      actions: [TOPIC],
      change: {
        timestamp: T0 + MINUTE,
        alarmArn: arn(JOURNEY),
        oldState: 'INSUFFICIENT_DATA',
        newState: 'ALARM',
        reason:
          'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (28/11/26 10:00:00)] was less than the threshold (100.0) (minimum 1 datapoint for INSUFFICIENT_DATA -> ALARM transition).',
      },
    });
    expect(alarms.status(JOURNEY).lastEvaluation?.outcome).toBe('threshold');
  });

  it('runs no action while the state stays the same', () => {
    const { engine: alarms, store } = engine({ compositeAlarms: [] });
    journeyResult(store, 0, T0 + 20_000);
    alarms.evaluate(T0 + MINUTE);
    journeyResult(store, 0, T0 + MINUTE + 20_000);
    journeyResult(store, 0, T0 + 2 * MINUTE + 20_000);

    const events = alarms.evaluate(T0 + 3 * MINUTE);

    expect(changesOf(events, JOURNEY)).toEqual([]);
    expect(alarms.history(JOURNEY)).toHaveLength(1);
  });

  it('goes back to OK with the OK actions', () => {
    const { engine: alarms, store } = engine({ compositeAlarms: [] });
    journeyResult(store, 0, T0 + 20_000);
    alarms.evaluate(T0 + MINUTE);
    journeyResult(store, 100, T0 + MINUTE + 20_000);

    const events = alarms.evaluate(T0 + 2 * MINUTE);

    expect(changesOf(events, JOURNEY)).toMatchObject([
      { actions: [TOPIC], change: { oldState: 'ALARM', newState: 'OK' } },
    ]);
    expect(alarms.status(JOURNEY).reason).toContain('was not less than the threshold (100.0)');
  });

  it('replays every minute since the previous call, keeping the last real point while it is in range', () => {
    const { engine: alarms, store } = engine({ compositeAlarms: [] });
    journeyResult(store, 0, T0 + 20_000);

    alarms.evaluate(T0 + 5 * MINUTE);

    // The range is 3 one-minute windows: the 0 of 10:00 decides until the evaluation of 10:04.
    expect(
      alarms.history(JOURNEY).map((entry) => [entry.timestamp, entry.oldState, entry.newState]),
    ).toEqual([
      [T0 + MINUTE, 'INSUFFICIENT_DATA', 'ALARM'],
      [T0 + 4 * MINUTE, 'ALARM', 'INSUFFICIENT_DATA'],
    ]);
  });

  it('evaluates an alarm with a 10-second period every 10 seconds', () => {
    const tenSeconds = metricAlarm({ name: 'fast', period: 10 });
    const { engine: alarms, store } = engine({ metricAlarms: [tenSeconds], compositeAlarms: [] });
    journeyResult(store, 0, T0 + 12_000);

    alarms.evaluate(T0 + 20_000);

    expect(alarms.history('fast').map((entry) => [entry.timestamp, entry.newState])).toEqual([
      [T0 + 20_000, 'ALARM'],
    ]);
  });

  it('refuses time that goes backwards', () => {
    const { engine: alarms } = engine();
    alarms.evaluate(T0 + 2 * MINUTE);

    expect(() => alarms.evaluate(T0 + MINUTE)).toThrow(
      'time went backwards: 2026-11-28T10:01:00.000Z is before 2026-11-28T10:02:00.000Z',
    );
  });

  it('sends every event to subscribers too', () => {
    const { engine: alarms, store } = engine();
    const received: AlarmEvent[] = [];
    alarms.subscribe((event) => received.push(event));
    journeyResult(store, 0, T0 + 20_000);

    const returned = alarms.evaluate(T0 + MINUTE);

    expect(received).toEqual(returned);
    expect(returned.length).toBeGreaterThan(0);
  });
});

describe('AlarmEngine: composite alarms', () => {
  it('evaluates a composite after its children: OK on creation, then ALARM when a child changes', () => {
    const { engine: alarms, store } = engine({
      compositeAlarms: [siteDown({ actionsSuppressor: undefined })],
    });
    journeyResult(store, 100, T0 + 20_000);
    const first = alarms.evaluate(T0 + MINUTE);
    journeyResult(store, 0, T0 + MINUTE + 20_000);

    const second = alarms.evaluate(T0 + 2 * MINUTE);

    expect(changesOf(first, SITE_DOWN)).toMatchObject([
      {
        actions: [TOPIC],
        change: {
          newState: 'OK',
          reason: `${arn(SITE_DOWN)} was created and its alarm rule evaluates to OK`,
        },
      },
    ]);
    expect(changesOf(second, SITE_DOWN)).toMatchObject([
      {
        actions: [TOPIC],
        change: {
          timestamp: T0 + 2 * MINUTE,
          oldState: 'OK',
          newState: 'ALARM',
          reason: `${arn(JOURNEY)} transitioned to ALARM at Saturday 28 November, 2026 10:02:00 UTC`,
          reasonData: `{"triggeringAlarms":[{"arn":"${arn(JOURNEY)}","state":{"value":"ALARM","timestamp":"2026-11-28T10:02:00.000+0000"}}]}`,
        },
      },
    ]);
    const order = second.map((event) =>
      event.type === 'StateChange' ? event.change.alarmName : event.type,
    );
    expect(order.indexOf(JOURNEY)).toBeLessThan(order.indexOf(SITE_DOWN));
  });

  it('evaluates a composite of composites after the composite it reads, whatever the order given', () => {
    const outer: CompositeAlarmDefinition = {
      ...siteDown({ actionsSuppressor: undefined }),
      name: 'outer',
      alarmRule: `ALARM(${SITE_DOWN})`,
    };
    const { engine: alarms, store } = engine({
      compositeAlarms: [outer, siteDown({ actionsSuppressor: undefined })],
    });
    journeyResult(store, 0, T0 + 20_000);

    alarms.evaluate(T0 + MINUTE);

    expect(alarms.status('outer').state).toBe('ALARM');
    expect(alarms.history().map((entry) => entry.alarmName)).toEqual([
      JOURNEY,
      ERRORS,
      SITE_DOWN,
      'outer',
    ]);
  });

  it('holds its actions for the WaitPeriod, then takes those of its current state', () => {
    const { engine: alarms, store } = engine();
    journeyResult(store, 100, T0 + 20_000);
    alarms.evaluate(T0 + 2 * MINUTE);
    journeyResult(store, 0, T0 + 2 * MINUTE + 20_000);

    const atChange = alarms.evaluate(T0 + 3 * MINUTE);
    const afterWait = alarms.evaluate(T0 + 4 * MINUTE);

    expect(changesOf(atChange, SITE_DOWN)).toMatchObject([
      { actions: [], suppressed: { by: 'WaitPeriod', reason: 'Actions suppressed by WaitPeriod' } },
    ]);
    expect(afterWait.filter((event) => event.type === 'ActionsReleased')).toMatchObject([
      {
        timestamp: T0 + 4 * MINUTE,
        releasedBy: 'WaitPeriod',
        actions: [TOPIC],
        change: { newState: 'ALARM' },
      },
    ]);
  });

  it('keeps its state when set by hand until a child changes', () => {
    const { engine: alarms, store } = engine({
      compositeAlarms: [siteDown({ actionsSuppressor: undefined })],
    });
    journeyResult(store, 100, T0 + 20_000);
    alarms.evaluate(T0 + MINUTE);
    alarms.setAlarmState(SITE_DOWN, 'ALARM', 'testing the email', T0 + MINUTE + 1);
    journeyResult(store, 100, T0 + MINUTE + 20_000);

    alarms.evaluate(T0 + 2 * MINUTE);
    const whileChildrenStay = alarms.status(SITE_DOWN).state;
    journeyResult(store, 0, T0 + 2 * MINUTE + 20_000);
    alarms.evaluate(T0 + 3 * MINUTE);
    journeyResult(store, 100, T0 + 3 * MINUTE + 20_000);
    alarms.evaluate(T0 + 4 * MINUTE);

    expect(whileChildrenStay).toBe('ALARM');
    expect(alarms.status(SITE_DOWN).state).toBe('OK');
  });
});

describe('AlarmEngine: SetAlarmState and the deploy suppressor', () => {
  it('keeps a treat-missing "ignore" alarm without data in the state it was set to', () => {
    const { engine: alarms } = engine();

    const set = alarms.setAlarmState(DEPLOY, 'ALARM', 'deploy started', T0 + 30_000);
    alarms.evaluate(T0 + 10 * MINUTE);

    expect(changesOf(set, DEPLOY)).toMatchObject([
      { change: { oldState: 'INSUFFICIENT_DATA', newState: 'ALARM', reason: 'deploy started' } },
    ]);
    expect(alarms.status(DEPLOY).state).toBe('ALARM');
    expect(alarms.history(DEPLOY)).toHaveLength(1);
  });

  it('keeps two weeks of history, as CloudWatch retains it (issue 21, finding 5)', () => {
    const { engine: alarms } = engine();
    const DAY = 24 * 60 * MINUTE;
    for (let day = 0; day < 20; day += 1) {
      alarms.setAlarmState(DEPLOY, 'ALARM', `deploy ${day}`, T0 + day * DAY);
      alarms.setAlarmState(DEPLOY, 'OK', `deployed ${day}`, T0 + day * DAY + MINUTE);
    }

    const history = alarms.history(DEPLOY);

    expect(history[0].timestamp).toBeGreaterThanOrEqual(T0 + 19 * DAY + MINUTE - 14 * DAY);
    expect(history.at(-1)?.reason).toBe('deployed 19');
    expect(history.length).toBeLessThanOrEqual(2 * 15);
  });

  it('lets the next evaluation reset an alarm that treats missing data as missing', () => {
    const { engine: alarms } = engine({
      metricAlarms: [journey, apiErrors, { ...deploy, treatMissingData: 'missing' }],
    });
    alarms.setAlarmState(DEPLOY, 'ALARM', 'deploy started', T0 + 30_000);

    alarms.evaluate(T0 + MINUTE);

    expect(alarms.status(DEPLOY).state).toBe('INSUFFICIENT_DATA');
  });

  it('suppresses the composite while the deploy alarm is in ALARM, and acts after the ExtensionPeriod', () => {
    const { engine: alarms, store } = engine();
    journeyResult(store, 100, T0 + 20_000);
    alarms.evaluate(T0 + 2 * MINUTE);
    alarms.setAlarmState(DEPLOY, 'ALARM', 'deploy started', T0 + 2 * MINUTE + 5_000);
    journeyResult(store, 0, T0 + 2 * MINUTE + 20_000);

    const duringDeploy = alarms.evaluate(T0 + 3 * MINUTE);
    const suppressedBy = alarms.status(SITE_DOWN).actionsSuppressedBy;
    journeyResult(store, 0, T0 + 3 * MINUTE + 20_000);
    alarms.setAlarmState(DEPLOY, 'OK', 'deploy finished', T0 + 3 * MINUTE + 30_000);
    journeyResult(store, 0, T0 + 4 * MINUTE + 20_000);
    const afterDeploy = alarms.evaluate(T0 + 5 * MINUTE);

    expect(changesOf(duringDeploy, SITE_DOWN)).toMatchObject([
      {
        actions: [],
        suppressed: { by: 'Alarm', reason: 'Actions suppressed by Alarm' },
        change: { newState: 'ALARM' },
      },
    ]);
    expect(suppressedBy).toBe('Alarm');
    expect(afterDeploy.filter((event) => event.type === 'ActionsReleased')).toMatchObject([
      { timestamp: T0 + 5 * MINUTE, releasedBy: 'ExtensionPeriod', actions: [TOPIC] },
    ]);
  });

  it('sends nothing for a composite that stayed OK through a deploy', () => {
    const { engine: alarms, store } = engine();
    for (let minute = 0; minute < 6; minute += 1)
      journeyResult(store, 100, T0 + minute * MINUTE + 20_000);
    alarms.evaluate(T0 + 2 * MINUTE);
    alarms.setAlarmState(DEPLOY, 'ALARM', 'deploy started', T0 + 2 * MINUTE + 5_000);
    alarms.setAlarmState(DEPLOY, 'OK', 'deploy finished', T0 + 3 * MINUTE);

    const after = alarms.evaluate(T0 + 6 * MINUTE);

    expect(after).toEqual([]);
  });

  it('refuses an unknown alarm, a reason too long and reason data that is not JSON', () => {
    const { engine: alarms } = engine();

    expect(() => alarms.setAlarmState('nope', 'ALARM', 'x', T0)).toThrow('no alarm named "nope"');
    expect(() => alarms.setAlarmState(DEPLOY, 'ALARM', 'x'.repeat(1024), T0)).toThrow(
      'the reason must be at most 1023 characters',
    );
    expect(() => alarms.setAlarmState(DEPLOY, 'ALARM', 'x', T0, '{oops')).toThrow(
      'SetAlarmState: the reason data must be JSON',
    );
  });
});

describe('AlarmEngine: definitions', () => {
  it.each([
    [
      'an invalid metric alarm',
      { metricAlarms: [{ ...journey, period: 45 }] },
      'metric alarm "msgs-dev-journey-failing": period must be 10, 20, 30 or a multiple of 60',
    ],
    [
      'a metric outside the catalogue',
      { metricAlarms: [{ ...journey, metricName: 'Success' }] },
      'metric CloudWatchSynthetics Success with dimensions [CanaryName] is not in the metric catalogue',
    ],
    [
      "a unit other than the catalogue's",
      { metricAlarms: [{ ...journey, unit: 'Count' }] },
      'unit "Count" differs from the catalogue\'s "Percent"',
    ],
    [
      'two alarms of the same name',
      { metricAlarms: [journey, journey], compositeAlarms: [] },
      'two alarms are named "msgs-dev-journey-failing" in us-west-2',
    ],
    [
      'a rule naming an unknown alarm',
      { compositeAlarms: [siteDown({ alarmRule: 'ALARM(ghost)' })] },
      'composite alarm "msgs-dev-site-down": its rule references "ghost", which is not an alarm of this stack',
    ],
    [
      'an unknown suppressor',
      {
        compositeAlarms: [
          siteDown({
            actionsSuppressor: {
              alarm: 'ghost',
              waitPeriodSeconds: 60,
              extensionPeriodSeconds: 60,
            },
          }),
        ],
      },
      'its actions suppressor "ghost" is not an alarm of this stack',
    ],
    [
      'composites in a cycle',
      {
        compositeAlarms: [
          siteDown({ name: 'a', alarmRule: 'ALARM(b)', actionsSuppressor: undefined }),
          siteDown({ name: 'b', alarmRule: 'ALARM(a)', actionsSuppressor: undefined }),
        ],
      },
      'composite alarms form a cycle: a -> b -> a',
    ],
  ] as const)('refuses %s', (_, options: Partial<AlarmEngineOptions>, message) => {
    expect(() => engine(options)).toThrow(message);
  });

  it('refuses an alarm whose evaluation range is longer than the store keeps data', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE, retentionMs: 10 * MINUTE });

    expect(() =>
      engine({ store, metricAlarms: [{ ...journey, period: 300 }], compositeAlarms: [] }),
    ).toThrow('its evaluation range (900 s) is longer than the metric store keeps data (600 s)');
  });

  it('resolves children given by ARN and asks for an ARN when a name is in two regions', () => {
    const east = { ...journey, region: 'us-east-1' };
    const byArn = siteDown({ alarmRule: `ALARM(${arn(JOURNEY)})`, actionsSuppressor: undefined });
    const { engine: alarms, store } = engine({
      metricAlarms: [journey, east],
      compositeAlarms: [byArn],
    });
    journeyResult(store, 0, T0 + 20_000);

    alarms.evaluate(T0 + MINUTE);

    expect(alarms.status(SITE_DOWN).state).toBe('ALARM');
    expect(() => alarms.status(JOURNEY)).toThrow(
      '2 alarms are named "msgs-dev-journey-failing" (in different regions): give the ARN',
    );
    expect(alarms.status(arn(JOURNEY)).state).toBe('ALARM');
  });
});
