import {
  evaluateAlarmRule,
  parseAlarmRule,
  referencedAlarmName,
  statesByName,
} from '../src/alarm-rule';

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

    const value = evaluateAlarmRule(rule.root, statesByName({ a: 'OK', b: 'ALARM', c: 'ALARM' }));

    expect(value).toBe(false);
    expect(evaluateAlarmRule(rule.root, statesByName({ a: 'ALARM', b: 'OK', c: 'ALARM' }))).toBe(
      true,
    );
  });

  it('lets parentheses group', () => {
    const rule = parseAlarmRule('(ALARM(a) OR ALARM(b)) AND OK(c)');

    expect(evaluateAlarmRule(rule.root, statesByName({ a: 'ALARM', b: 'OK', c: 'ALARM' }))).toBe(
      false,
    );
    expect(evaluateAlarmRule(rule.root, statesByName({ a: 'ALARM', b: 'OK', c: 'OK' }))).toBe(true);
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

describe('referencedAlarmName', () => {
  it('names the alarm of a reference by name or by ARN', () => {
    expect(referencedAlarmName('msgs-dev-site-down')).toBe('msgs-dev-site-down');
    expect(
      referencedAlarmName('arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh'),
    ).toBe('ServerCpuTooHigh');
  });
});
