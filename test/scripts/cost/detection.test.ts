import { parseRule } from '../../../scripts/cost/detection';

describe('parseRule', () => {
  it('reads ALARM terms joined by OR, with or without quotes', () => {
    expect(parseRule('ALARM("a-b") OR ALARM(c)')).toEqual({
      kind: 'or',
      parts: [
        { kind: 'alarm', name: 'a-b' },
        { kind: 'alarm', name: 'c' },
      ],
    });
  });

  it('binds AND tighter than OR, and follows parentheses', () => {
    expect(parseRule('ALARM("a") OR ALARM("b") AND ALARM("c")')).toEqual({
      kind: 'or',
      parts: [
        { kind: 'alarm', name: 'a' },
        {
          kind: 'and',
          parts: [
            { kind: 'alarm', name: 'b' },
            { kind: 'alarm', name: 'c' },
          ],
        },
      ],
    });
    expect(parseRule('(ALARM("a") OR ALARM("b")) AND ALARM("c")')).toMatchObject({ kind: 'and' });
  });

  it.each([
    ['NOT ALARM("a")', /"NOT" is not ALARM/],
    ['OK("a")', /"OK\("a"\)" is not ALARM/],
    ['(ALARM("a")', /a parenthesis is not closed/],
    ['ALARM("a") ALARM("b")', /unexpected "ALARM\("b"\)"/],
  ])('refuses %s, saying why', (rule, why) => {
    expect(() => parseRule(rule)).toThrow(why);
  });
});
