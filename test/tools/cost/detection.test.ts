import { ruleTrueAfter } from '../../../tools/cost/detection';

/** `a` trips at 100 s, `b` at 300 s; every other alarm stays OK. */
const tripsAt = (alarm: string) => ({ a: 100, b: 300 })[alarm];

describe('ruleTrueAfter: when a full outage turns a composite rule TRUE', () => {
  it('takes the first child of an OR and the last of an AND, quoted or not', () => {
    expect(ruleTrueAfter('ALARM("a") OR ALARM(b)', tripsAt)).toBe(100);
    expect(ruleTrueAfter('ALARM("a") AND ALARM(b)', tripsAt)).toBe(300);
  });

  it('reads a child named by its ARN', () => {
    expect(ruleTrueAfter('ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:b)', tripsAt)).toBe(
      300,
    );
  });

  it('never turns TRUE on children the outage leaves OK', () => {
    expect(ruleTrueAfter('ALARM("quiet") OR ALARM("other")', tripsAt)).toBe(Infinity);
  });

  it("takes NOT ALARM of a child the outage leaves OK as TRUE throughout: site down's guarded not-running part", () => {
    const siteDown =
      'ALARM("a") OR ALARM("b") OR ((ALARM("not-running") OR ALARM("x")) AND NOT ALARM("deployed-recently"))';

    expect(ruleTrueAfter(siteDown, tripsAt)).toBe(100);
    expect(ruleTrueAfter('ALARM("b") AND NOT ALARM("deployed-recently")', tripsAt)).toBe(300);
    expect(ruleTrueAfter('ALARM("b") AND OK("deployed-recently")', tripsAt)).toBe(300);
  });

  it('follows the precedence and parentheses AWS rules are read with', () => {
    expect(ruleTrueAfter('ALARM(quiet) OR ALARM(a) AND ALARM(b)', tripsAt)).toBe(300);
    expect(ruleTrueAfter('(ALARM(quiet) OR ALARM(a)) AND TRUE', tripsAt)).toBe(100);
    expect(ruleTrueAfter('ALARM(a) AND FALSE', tripsAt)).toBe(Infinity);
  });

  it.each([
    ['NOT ALARM("a")', /a NOT over what a full outage turns TRUE after 100 s is not modelled/],
    ['OK("b")', /OK\(b\) turns FALSE when a full outage trips it/],
    ['(ALARM("a")', /expected AND, OR or "\)", found the end of the rule/],
    ['ALARM("a") ALARM("b")', /expected AND, OR or the end of the rule/],
  ])('refuses %s, saying why', (rule, why) => {
    expect(() => ruleTrueAfter(rule, tripsAt)).toThrow(why);
  });
});
