import fc from 'fast-check';
import { computeStatistic, parseStatistic } from '../src/statistics';

const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('computeStatistic', () => {
  const values = [3, 1, 4, 1, 5];

  it.each([
    ['SampleCount', 5],
    ['Sum', 14],
    ['Average', 2.8],
    ['Minimum', 1],
    ['Maximum', 5],
  ] as const)('computes %s as the statistics page defines it', (statistic, expected) => {
    expect(computeStatistic(values, statistic)).toBeCloseTo(expected, 12);
  });

  it.each(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p99'] as const)(
    'gives no datapoint for %s over a period without values',
    (statistic) => {
      expect(computeStatistic([], statistic)).toBeUndefined();
    },
  );

  it('takes p99 as the maximum of what is left after dropping the highest 1% (AWS example)', () => {
    expect(computeStatistic(oneToN(100), 'p99')).toBe(99);
    expect(computeStatistic(oneToN(1000), 'p99')).toBe(990);
  });

  it('returns a value from the data, not an interpolation', () => {
    expect(computeStatistic(oneToN(10), 'p50')).toBe(5);
    expect(computeStatistic([10, 20], 'p90')).toBe(20);
  });

  it('computes decimal percentiles exactly where floating point would round the rank up', () => {
    // 99.9 / 100 × 1000 is 999.0000000000001 in floating point, and 0.955 × 200 is 191.00000000000003.
    expect(computeStatistic(oneToN(1000), 'p99.9')).toBe(999);
    expect(computeStatistic(oneToN(200), 'p95.5')).toBe(191);
  });

  it('takes p0 as the minimum and p100 as the maximum', () => {
    expect(computeStatistic([7, 3, 9], 'p0')).toBe(3);
    expect(computeStatistic([7, 3, 9], 'p100')).toBe(9);
  });

  it('is the nearest-rank percentile for any data and any percentile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 100_000 }),
        (data, thousandths) => {
          const p = thousandths / 1000;
          const result = computeStatistic(data, `p${p}`);
          if (result === undefined) throw new Error(`no p${p} for ${data.length} values`);
          const rank = Math.max(1, Math.ceil((p * data.length) / 100 - 1e-9));
          expect(data).toContain(result);
          expect(data.filter((value) => value <= result).length).toBeGreaterThanOrEqual(rank);
          expect(data.filter((value) => value < result).length).toBeLessThan(rank);
        },
      ),
    );
  });

  it('gives no percentile when a value is negative, as CloudWatch does', () => {
    expect(computeStatistic([5, -1, 3], 'p50')).toBeUndefined();
    expect(computeStatistic([5, -1, 3], 'Sum')).toBe(7);
  });

  it('leaves the values it is given in their order', () => {
    const data = [3, 1, 2];
    computeStatistic(data, 'p50');
    expect(data).toEqual([3, 1, 2]);
  });
});

describe('parseStatistic', () => {
  it.each([
    'SampleCount',
    'Sum',
    'Average',
    'Minimum',
    'Maximum',
    'p0',
    'p50',
    'p99',
    'p99.9',
    'p100',
    'p95.0123456789',
  ])('accepts %s', (text) => {
    expect(parseStatistic(text)).toBe(text);
  });

  it.each([
    'p101',
    'p100.5',
    'p99.12345678901',
    'P99',
    'p',
    'p-1',
    'p99.',
    'average',
    'tm99',
    'IQM',
    '',
  ])('refuses %j and names it', (text) => {
    expect(() => parseStatistic(text)).toThrow(`unknown statistic ${JSON.stringify(text)}`);
  });
});
