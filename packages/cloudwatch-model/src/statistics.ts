/**
 * CloudWatch statistics over the raw values of one period, as "Statistics definitions" defines
 * them: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 *
 * Percentiles: AWS gives no algorithm. The closest it comes is "Both p99 and tm99 ignore the 1% of
 * the data points with the highest values ... After that, p99 is the maximum value of the remaining
 * 99%". Read literally that is the nearest-rank percentile: drop the floor(n × 1%) highest values
 * and take the largest one left, i.e. the value of rank ceil(n × p / 100) in ascending order — always
 * a value from the data, never an interpolation. p0 is the smallest value.
 */
import type { Statistic } from './metrics';

const NAMED_STATISTICS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] as const;
type NamedStatistic = (typeof NAMED_STATISTICS)[number];

/**
 * `p0`–`p100` with up to ten decimal places ("You can specify the percentile with up to ten
 * decimal places (for example, p95.0123456789)"); the shape is PutMetricAlarm's ExtendedStatistic.
 */
const PERCENTILE = /^p(100|\d{1,2}(?:\.(\d{1,10}))?)$/;
const PERCENTILE_DECIMALS = 10;

export class StatisticError extends Error {
  override readonly name = 'StatisticError';
}

/** The statistic named by `text`, or a StatisticError naming it and what is accepted. */
export function parseStatistic(text: string): Statistic {
  if ((NAMED_STATISTICS as readonly string[]).includes(text)) return text as NamedStatistic;
  if (PERCENTILE.test(text)) return text as `p${number}`;
  throw new StatisticError(
    `unknown statistic ${JSON.stringify(text)}: expected one of ${NAMED_STATISTICS.join(', ')} ` +
      'or a percentile p0 to p100 with at most 10 decimal places (p99, p99.9)',
  );
}

/**
 * The statistic of one period's raw values, or undefined when CloudWatch would report no
 * datapoint: no values, or a percentile over data with a negative value ("Percentile statistics
 * are not available for metrics when any of the metric values are negative numbers").
 */
export function computeStatistic(
  values: readonly number[],
  statistic: Statistic,
): number | undefined {
  if (values.length === 0) return undefined;
  switch (statistic) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return sum(values);
    case 'Average':
      return sum(values) / values.length;
    case 'Minimum':
      return values.reduce((low, value) => (value < low ? value : low));
    case 'Maximum':
      return values.reduce((high, value) => (value > high ? value : high));
    default:
      return percentile(values, parseStatistic(statistic));
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function percentile(values: readonly number[], statistic: Statistic): number | undefined {
  if (values.some((value) => value < 0)) return undefined;
  const sorted = Float64Array.from(values).sort();
  return sorted[nearestRank(statistic, sorted.length) - 1];
}

/**
 * ceil(n × p / 100), at least 1, in exact integer arithmetic: p has up to ten decimals, so
 * p × 10^10 is an integer and the product with n needs no rounding (9.9 × 10 must be rank 99 of
 * 1000, not 99.00000000000001 rounded up to 100).
 */
function nearestRank(statistic: Statistic, count: number): number {
  const [whole, fraction = ''] = statistic.slice(1).split('.');
  const scaled = BigInt(whole + fraction.padEnd(PERCENTILE_DECIMALS, '0'));
  const denominator = 100n * 10n ** BigInt(PERCENTILE_DECIMALS);
  const rank = (scaled * BigInt(count) + denominator - 1n) / denominator;
  return Math.max(1, Number(rank));
}
