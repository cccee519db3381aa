import type { AlarmState } from '../../../local/monitoring/alarm-model';
import {
  ActionsSuppression,
  compositeReason,
  compositeState,
  evaluateAlarmRule,
  parseAlarmRule,
} from '../../../local/monitoring/composite-alarm';

function states(map: Record<string, AlarmState>): (alarm: string) => AlarmState {
  return (alarm) => {
    const state = map[alarm];
    if (state === undefined) throw new Error(`no state for ${alarm}`);
    return state;
  };
}

describe('parseAlarmRule', () => {
  it.each([
    [
      'ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)',
      ['CPUUtilizationTooHigh', 'DiskReadOpsTooHigh'],
    ],
    ['ALARM("my alarm") OR OK( spaced name )', ['my alarm', 'spaced name']],
    [
      'INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh)',
      ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh'],
    ],
    ['ALARM(a) OR ALARM(b) OR ALARM(a)', ['a', 'b']],
    ['TRUE', []],
  ])('reads %s and its children', (text, children) => {
    expect(parseAlarmRule(text).children).toEqual(children);
  });

  it('counts child alarms, TRUE/FALSE and grouping parentheses as elements', () => {
    expect(parseAlarmRule('(ALARM(a) OR FALSE) AND NOT OK(b)').elements).toBe(5);
  });

  it('binds NOT before AND before OR', () => {
    const rule = parseAlarmRule('ALARM(a) OR ALARM(b) AND NOT ALARM(c)');

    const value = evaluateAlarmRule(rule.root, states({ a: 'OK', b: 'ALARM', c: 'ALARM' }));

    expect(value).toBe(false);
    expect(evaluateAlarmRule(rule.root, states({ a: 'ALARM', b: 'OK', c: 'ALARM' }))).toBe(true);
  });

  it('lets parentheses group', () => {
    const rule = parseAlarmRule('(ALARM(a) OR ALARM(b)) AND OK(c)');

    expect(evaluateAlarmRule(rule.root, states({ a: 'ALARM', b: 'OK', c: 'ALARM' }))).toBe(false);
    expect(evaluateAlarmRule(rule.root, states({ a: 'ALARM', b: 'OK', c: 'OK' }))).toBe(true);
  });

  it.each([
    [
      '',
      'alarm rule, character 1: expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or "(", found the end of the rule',
    ],
    [
      'ALARM(a) AND',
      'alarm rule, character 13: expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or "(", found the end of the rule',
    ],
    ['ALARM a', 'alarm rule, character 7: expected "(" after ALARM, found "a"'],
    [
      'alarm(a)',
      'alarm rule, character 1: expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or "(", found "alarm(a)"',
    ],
    [
      'ALARM("a) OR OK(b)',
      'alarm rule, character 7: expected a closing \'"\' for the alarm name, found "\\"a) OR OK(b)"',
    ],
    [
      'ALARM(a) XOR ALARM(b)',
      'alarm rule, character 10: expected AND, OR or the end of the rule, found "XOR ALARM(b)"',
    ],
    [
      '(ALARM(a) OR ALARM(b)',
      'alarm rule, character 22: expected AND, OR or ")", found the end of the rule',
    ],
    ['ALARM()', 'alarm rule, character 7: expected an alarm name or ARN, found ")"'],
    [
      'ALARM(a',
      'alarm rule, character 8: expected ")" after the alarm name, found the end of the rule',
    ],
  ])('refuses %j with the position and what was expected', (text, message) => {
    expect(() => parseAlarmRule(text)).toThrow(message);
  });

  it('allows 100 children and refuses 101', () => {
    const rule = (count: number) =>
      Array.from({ length: count }, (_, i) => `ALARM(a${i})`).join(' OR ');

    expect(parseAlarmRule(rule(100)).children).toHaveLength(100);
    expect(() => parseAlarmRule(rule(101))).toThrow(
      'alarm rule references 101 alarms, at most 100 are allowed',
    );
  });

  it('allows 500 elements and refuses 501', () => {
    const rule = (count: number) => Array.from({ length: count }, () => 'TRUE').join(' OR ');

    expect(parseAlarmRule(rule(500)).elements).toBe(500);
    expect(() => parseAlarmRule(rule(501))).toThrow('alarm rule has more than 500 elements');
  });

  it('refuses deep nesting by its element count, not with a stack overflow', () => {
    const text = `${'('.repeat(5000)}TRUE${')'.repeat(5000)}`;

    expect(() => parseAlarmRule(text)).toThrow('alarm rule has more than 500 elements');
  });

  it('refuses a rule longer than 10240 characters', () => {
    const text = `ALARM(${'a'.repeat(10_233)})`;

    expect(() => parseAlarmRule(`${text} `)).toThrow(
      'alarm rule is 10241 characters long, at most 10240 are allowed',
    );
    expect(parseAlarmRule(text).children).toHaveLength(1);
  });
});

describe('compositeState', () => {
  it('is ALARM when the rule is TRUE and OK otherwise', () => {
    const rule = parseAlarmRule('ALARM(a) OR ALARM(b)');

    expect(compositeState(rule, states({ a: 'OK', b: 'ALARM' }))).toBe('ALARM');
    expect(compositeState(rule, states({ a: 'OK', b: 'OK' }))).toBe('OK');
  });

  it('is OK, not INSUFFICIENT_DATA, when children have no data', () => {
    const rule = parseAlarmRule('ALARM(a) OR ALARM(b)');

    expect(compositeState(rule, states({ a: 'INSUFFICIENT_DATA', b: 'INSUFFICIENT_DATA' }))).toBe(
      'OK',
    );
  });

  it('tests a child for INSUFFICIENT_DATA only with INSUFFICIENT_DATA()', () => {
    const rule = parseAlarmRule('INSUFFICIENT_DATA(a) AND NOT OK(a) AND NOT ALARM(a)');

    expect(compositeState(rule, states({ a: 'INSUFFICIENT_DATA' }))).toBe('ALARM');
  });

  it('evaluates TRUE and FALSE', () => {
    expect(compositeState(parseAlarmRule('TRUE'), states({}))).toBe('ALARM');
    expect(compositeState(parseAlarmRule('FALSE OR NOT TRUE'), states({}))).toBe('OK');
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
