/**
 * An in-memory CloudWatch metric store: raw data points, and statistics over them per period.
 * Reproduces "Amazon CloudWatch concepts" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html):
 * "When statistics are aggregated over a period of time, they are stamped with the time
 * corresponding to the beginning of the period", and only periods with data have a datapoint.
 *
 * Every datum must be a metric of the catalogue the store is given (a MetricCatalogue of
 * @monitored/cloudwatch-model: AWS's metrics, the app's own) with exactly its dimension names and
 * its unit: what is recorded locally is what the dashboard and the alarms ask for, or it is
 * refused with a message naming it.
 *
 * AWS does not say how period buckets align to the clock; here they are multiples of the period
 * since the epoch (5-minute buckets start at :00, :05, ...).
 */
import {
  type MetricCatalogue,
  type MetricSpec,
  type Statistic,
  computeStatistic,
  parseStatistic,
} from '@monitored/cloudwatch-model';

export interface MetricDatum {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

export interface PeriodDatapoint {
  /** The beginning of the period, in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly value: number;
}

export interface MetricStoreOptions {
  /** The metrics it records (metricCatalogue(...)): a datum of any other is refused. */
  readonly catalogue: MetricCatalogue;
  /**
   * How long raw points are kept, counted back from the newest timestamp put. The default covers
   * the evaluation range of every alarm with a period under an hour (at most one day of
   * evaluation periods, plus two periods) and a two-day dashboard.
   * @default 2 days
   */
  readonly retentionMs?: number;
  /**
   * Raw points kept per series; past it the oldest go first, however recent. CloudWatch keeps a
   * metric 15 months at decreasing resolution; locally raw points stand for every statistic, so
   * a flood of requests is bounded by count instead (16 bytes a point: 1.6 MB a series).
   * @default 100,000
   */
  readonly maxPointsPerSeries?: number;
}

export const DEFAULT_RETENTION_MS = 2 * 24 * 3600 * 1000;
export const DEFAULT_MAX_POINTS_PER_SERIES = 100_000;
/**
 * Every series is pruned at most this often (in data time); in between, a put prunes only its own
 * series, so a put stays cheap.
 */
const PRUNE_EVERY_MS = 60_000;
/** "Dimension values must be 1-1024 characters" (PutMetricData, Dimension). */
const MAX_DIMENSION_VALUE_LENGTH = 1024;

export class MetricDataError extends Error {
  override readonly name = 'MetricDataError';
}

interface Series {
  readonly timestamps: number[];
  readonly values: number[];
}

export class MetricStore {
  readonly catalogue: MetricCatalogue;
  readonly retentionMs: number;
  readonly maxPointsPerSeries: number;
  /** Points dropped to keep maxPointsPerSeries, since the start. */
  droppedPoints = 0;
  private readonly series = new Map<string, Series>();
  private readonly listeners = new Set<(datum: MetricDatum) => void>();
  private newest = -Infinity;
  private prunedAt = -Infinity;

  constructor(options: MetricStoreOptions) {
    this.catalogue = options.catalogue;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.maxPointsPerSeries = options.maxPointsPerSeries ?? DEFAULT_MAX_POINTS_PER_SERIES;
    if (!(this.retentionMs > 0)) {
      throw new RangeError(`retentionMs must be positive, got ${this.retentionMs}`);
    }
  }

  /** Records one data point; throws a MetricDataError for a metric or unit outside the catalogue. */
  put(datum: MetricDatum): void {
    const spec = this.checkedSpec(datum);
    if (!Number.isFinite(datum.value)) {
      throw new MetricDataError(
        `${describe(datum)}: value must be a finite number, got ${datum.value}`,
      );
    }
    if (!Number.isFinite(datum.timestamp)) {
      throw new MetricDataError(`${describe(datum)}: timestamp must be a number of milliseconds`);
    }
    const key = seriesKey(spec, datum.dimensions);
    let series = this.series.get(key);
    if (series === undefined) {
      series = { timestamps: [], values: [] };
      this.series.set(key, series);
    }
    // Points arrive almost in order; one that comes late (a canary run that took a while) is
    // inserted where it belongs so the range queries can keep using binary search.
    const at = upperBound(series.timestamps, datum.timestamp);
    series.timestamps.splice(at, 0, datum.timestamp);
    series.values.splice(at, 0, datum.value);
    const excess = series.timestamps.length - this.maxPointsPerSeries;
    if (excess > 0) {
      series.timestamps.splice(0, excess);
      series.values.splice(0, excess);
      this.droppedPoints += excess;
    }
    this.newest = Math.max(this.newest, datum.timestamp);
    if (this.newest - this.prunedAt >= PRUNE_EVERY_MS) this.prune();
    else dropBefore(series, this.newest - this.retentionMs);
    for (const listener of this.listeners) listener(datum);
  }

  /** Calls `listener` after each put; returns the function that stops it. */
  subscribe(listener: (datum: MetricDatum) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * GetMetricStatistics for a graph: the statistic per period of `periodSeconds` between `start`
   * (inclusive) and `end` (exclusive), periods aligned to multiples of the period since the epoch,
   * each stamped with its beginning, oldest first; periods without data are left out.
   */
  datapoints(
    metric: MetricSpec,
    dimensions: Readonly<Record<string, string>>,
    statistic: Statistic,
    periodSeconds: number,
    start: number,
    end: number,
  ): PeriodDatapoint[] {
    parseStatistic(statistic);
    checkQueryDimensions(metric, dimensions);
    if (!Number.isInteger(periodSeconds) || periodSeconds <= 0) {
      throw new RangeError(
        `period must be a positive whole number of seconds, got ${periodSeconds}`,
      );
    }
    if (!(start < end)) throw new RangeError(`start (${start}) must be before end (${end})`);
    const series = this.series.get(seriesKey(metric, dimensions));
    if (series === undefined) return [];
    const periodMs = periodSeconds * 1000;
    const result: PeriodDatapoint[] = [];
    let from = lowerBound(series.timestamps, start);
    const until = lowerBound(series.timestamps, end);
    while (from < until) {
      const bucket = Math.floor(series.timestamps[from] / periodMs) * periodMs;
      const next = Math.min(until, lowerBound(series.timestamps, bucket + periodMs, from));
      const value = computeStatistic(series.values.slice(from, next), statistic);
      if (value !== undefined) result.push({ timestamp: bucket, value });
      from = next;
    }
    return result;
  }

  /**
   * The statistic over the raw points with from < timestamp ≤ to, or undefined when there are
   * none: one datapoint of an alarm's evaluation range.
   */
  window(
    metric: MetricSpec,
    dimensions: Readonly<Record<string, string>>,
    statistic: Statistic,
    from: number,
    to: number,
  ): number | undefined {
    checkQueryDimensions(metric, dimensions);
    const series = this.series.get(seriesKey(metric, dimensions));
    if (series === undefined) return undefined;
    const first = upperBound(series.timestamps, from);
    const last = upperBound(series.timestamps, to);
    return computeStatistic(series.values.slice(first, last), statistic);
  }

  /** Drops the points older than the retention, counted back from the newest point. */
  prune(): void {
    const cutoff = this.newest - this.retentionMs;
    for (const [key, series] of this.series) {
      dropBefore(series, cutoff);
      if (series.timestamps.length === 0) this.series.delete(key);
    }
    this.prunedAt = this.newest;
  }

  /** Number of raw points held, for tests and the monitor's status line. */
  get size(): number {
    let count = 0;
    for (const series of this.series.values()) count += series.timestamps.length;
    return count;
  }

  private checkedSpec(datum: MetricDatum): MetricSpec {
    const names = Object.keys(datum.dimensions);
    const spec = this.catalogue.find(datum.namespace, datum.metricName, names);
    if (spec === undefined) {
      throw new MetricDataError(`${describe(datum)} is not in the metric catalogue`);
    }
    if (datum.unit !== spec.unit) {
      throw new MetricDataError(
        `${describe(datum)}: unit ${JSON.stringify(datum.unit)} is not the catalogue's ${JSON.stringify(spec.unit)}`,
      );
    }
    for (const [name, value] of Object.entries(datum.dimensions)) {
      if (
        typeof value !== 'string' ||
        value.length === 0 ||
        value.length > MAX_DIMENSION_VALUE_LENGTH
      ) {
        throw new MetricDataError(
          `${describe(datum)}: dimension ${name} must have a value of 1 to ${MAX_DIMENSION_VALUE_LENGTH} characters`,
        );
      }
    }
    return spec;
  }
}

function dropBefore(series: Series, cutoff: number): void {
  if (series.timestamps.length === 0 || series.timestamps[0] >= cutoff) return;
  const keep = lowerBound(series.timestamps, cutoff);
  series.timestamps.splice(0, keep);
  series.values.splice(0, keep);
}

/** A query with other dimension names would silently find nothing: say so instead. */
function checkQueryDimensions(
  metric: MetricSpec,
  dimensions: Readonly<Record<string, string>>,
): void {
  const given = Object.keys(dimensions).sort().join(', ');
  const wanted = [...metric.dimensions].sort().join(', ');
  if (given !== wanted) {
    throw new MetricDataError(
      `metric ${metric.namespace} ${metric.name} has dimensions [${wanted}], the query gave [${given}]`,
    );
  }
}

function describe(datum: MetricDatum): string {
  const names = Object.keys(datum.dimensions).sort();
  return `metric ${datum.namespace} ${datum.metricName} with dimensions [${names.join(', ')}]`;
}

/** One series per metric and dimension values; dimension order does not matter, as in CloudWatch. */
function seriesKey(metric: MetricSpec, dimensions: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([metric.namespace, metric.name, pairs]);
}

/** First index whose timestamp is ≥ `time`. */
function lowerBound(timestamps: readonly number[], time: number, from = 0): number {
  let low = from;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timestamps[middle] < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose timestamp is > `time`. */
function upperBound(timestamps: readonly number[], time: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timestamps[middle] <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
