import { ActionsSuppression, compositeReason, compositeState } from '../src/composite-alarm';
import { parseAlarmRule, statesByName } from '@monitored/cloudwatch-model';

describe('compositeState', () => {
  it('is ALARM when the rule is TRUE and OK otherwise', () => {
    const rule = parseAlarmRule('ALARM(a) OR ALARM(b)');

    expect(compositeState(rule, statesByName({ a: 'OK', b: 'ALARM' }))).toBe('ALARM');
    expect(compositeState(rule, statesByName({ a: 'OK', b: 'OK' }))).toBe('OK');
  });

  it('is OK, not INSUFFICIENT_DATA, when children have no data', () => {
    const rule = parseAlarmRule('ALARM(a) OR ALARM(b)');

    expect(
      compositeState(rule, statesByName({ a: 'INSUFFICIENT_DATA', b: 'INSUFFICIENT_DATA' })),
    ).toBe('OK');
  });

  it('tests a child for INSUFFICIENT_DATA only with INSUFFICIENT_DATA()', () => {
    const rule = parseAlarmRule('INSUFFICIENT_DATA(a) AND NOT OK(a) AND NOT ALARM(a)');

    expect(compositeState(rule, statesByName({ a: 'INSUFFICIENT_DATA' }))).toBe('ALARM');
  });

  it('evaluates TRUE and FALSE', () => {
    expect(compositeState(parseAlarmRule('TRUE'), statesByName({}))).toBe('ALARM');
    expect(compositeState(parseAlarmRule('FALSE OR NOT TRUE'), statesByName({}))).toBe('OK');
  });
});

describe('compositeReason', () => {
  it("reproduces AWS's sample event of a child transition", () => {
    const child = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';

    const { reason, reasonData } = compositeReason(
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:Main',
      'ALARM',
      [{ arn: child, state: 'ALARM', timestamp: Date.UTC(2022, 6, 22, 15, 57, 45, 394) }],
    );

    expect(reason).toBe(`${child} transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC`);
    expect(reasonData).toBe(
      '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}',
    );
  });

  it('says the alarm was created on its first evaluation', () => {
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.Main';

    expect(compositeReason(arn, 'OK', []).reason).toBe(
      `${arn} was created and its alarm rule evaluates to OK`,
    );
  });
});

/**
 * "Suppressing composite alarm actions", examples 1 to 6: "WaitPeriod is configured as 2 units of
 * time, and ExtensionPeriod is configured as 3 units of time". One unit is a minute here.
 */
describe('ActionsSuppression: the user guide examples', () => {
  const UNIT = 60_000;
  const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
  const t = (k: number) => T0 + k * UNIT;
  const settings = { waitPeriodSeconds: 120, extensionPeriodSeconds: 180 };

  it('example 1: actions are not suppressed after WaitPeriod (t2 to t4, suppressor stays OK)', () => {
    const suppression = new ActionsSuppression(settings, 'OK');

    const atChange = suppression.compositeChanged(t(2));
    const atT3 = suppression.release(t(3));
    const atT4 = suppression.release(t(4));

    expect(atChange).toEqual({
      act: false,
      suppressedBy: 'WaitPeriod',
      suppressedReason: 'Actions suppressed by WaitPeriod',
    });
    expect(atT3).toBeUndefined();
    expect(atT4).toBe('WaitPeriod');
    expect(suppression.suppressedBy).toBeUndefined();
  });

  it('example 2: the suppressor going to ALARM at t3 discards the WaitPeriod and suppresses', () => {
    const suppression = new ActionsSuppression(settings, 'OK');
    suppression.compositeChanged(t(2));

    suppression.suppressorChanged(t(3), 'ALARM');

    expect(suppression.suppressedBy).toBe('Alarm');
    expect(suppression.release(t(4))).toBeUndefined();
    expect(suppression.release(t(20))).toBeUndefined();
  });

  it('example 3: the composite going back to OK at t3 discards the WaitPeriod and starts a new one, to t5', () => {
    const suppression = new ActionsSuppression(settings, 'OK');
    suppression.compositeChanged(t(2));

    const atT3 = suppression.compositeChanged(t(3));

    expect(atT3).toMatchObject({ act: false, suppressedBy: 'WaitPeriod' });
    expect(suppression.release(t(4))).toBeUndefined();
    expect(suppression.release(t(5))).toBe('WaitPeriod');
  });

  it('example 4: a suppressor already in ALARM suppresses the change at t2', () => {
    const suppression = new ActionsSuppression(settings, 'ALARM');

    const atChange = suppression.compositeChanged(t(2));

    expect(atChange).toEqual({
      act: false,
      suppressedBy: 'Alarm',
      suppressedReason: 'Actions suppressed by Alarm',
    });
    expect(suppression.release(t(10))).toBeUndefined();
  });

  it('example 5: actions are taken when the ExtensionPeriod from t6 ends at t9', () => {
    const suppression = new ActionsSuppression(settings, 'OK');
    suppression.compositeChanged(t(2));
    suppression.suppressorChanged(t(3), 'ALARM');

    suppression.suppressorChanged(t(6), 'OK');

    expect(suppression.suppressedBy).toBe('ExtensionPeriod');
    expect(suppression.release(t(8))).toBeUndefined();
    expect(suppression.release(t(9))).toBe('ExtensionPeriod');
  });

  it('example 6: the composite going to OK at t7 discards the ExtensionPeriod and starts a WaitPeriod to t9', () => {
    const suppression = new ActionsSuppression(settings, 'OK');
    suppression.compositeChanged(t(2));
    suppression.suppressorChanged(t(3), 'ALARM');
    suppression.suppressorChanged(t(6), 'OK');

    const atT7 = suppression.compositeChanged(t(7));

    expect(atT7).toMatchObject({ act: false, suppressedBy: 'WaitPeriod' });
    expect(suppression.release(t(8))).toBeUndefined();
    expect(suppression.release(t(9))).toBe('WaitPeriod');
  });

  it('the WaitPeriod that replaces an ExtensionPeriod runs from the change, not from the suppressor', () => {
    const suppression = new ActionsSuppression(
      { waitPeriodSeconds: 60, extensionPeriodSeconds: 180 },
      'ALARM',
    );
    suppression.compositeChanged(t(2));
    suppression.suppressorChanged(t(6), 'OK');

    suppression.compositeChanged(t(7));

    expect(suppression.release(t(8))).toBe('WaitPeriod');
  });

  it('replacing the suppressor alarm discards an active WaitPeriod or ExtensionPeriod', () => {
    const suppression = new ActionsSuppression(settings, 'OK');
    suppression.compositeChanged(t(2));

    suppression.suppressorReplaced('OK');

    expect(suppression.suppressedBy).toBeUndefined();
    expect(suppression.release(t(4))).toBeUndefined();
  });

  it('takes no action at the end of an ExtensionPeriod when no change was held back', () => {
    const suppression = new ActionsSuppression(settings, 'OK');
    suppression.suppressorChanged(t(1), 'ALARM');

    suppression.suppressorChanged(t(2), 'OK');

    expect(suppression.suppressedBy).toBe('ExtensionPeriod');
    expect(suppression.release(t(5))).toBeUndefined();
    expect(suppression.suppressedBy).toBeUndefined();
  });

  it('acts at once with a WaitPeriod of 0', () => {
    const suppression = new ActionsSuppression(
      { waitPeriodSeconds: 0, extensionPeriodSeconds: 0 },
      'OK',
    );

    expect(suppression.compositeChanged(t(2))).toEqual({ act: true });
  });
});
