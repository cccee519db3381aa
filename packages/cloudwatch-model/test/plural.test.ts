import { plural } from '../src/plural';

describe('plural', () => {
  it.each([
    [1, 'simulated second', undefined, undefined, '1 simulated second'],
    [60, 'simulated second', undefined, undefined, '60 simulated seconds'],
    [0.5, 'simulated second', undefined, undefined, '0.5 simulated seconds'],
    [0, 'step', undefined, undefined, '0 steps'],
    [1, 'retry', 'retries', undefined, '1 retry'],
    [2, 'retry', 'retries', undefined, '2 retries'],
    [1_000_000, 'request', undefined, '1,000,000', '1,000,000 requests'],
  ])('writes %p %s as one would', (count, singular, pluralForm, written, expected) => {
    expect(plural(count, singular, pluralForm, written)).toBe(expected);
  });
});
