/**
 * Reading a dashboard body as AWS defines it ("Dashboard Body Structure and Syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html)
 * for the local preview: metric rows with their `"."` shorthand and each row's effective stat,
 * period and region, and the dashboard's relative `start`. It reads any body, not only ours, so
 * every field is checked rather than assumed. No Node.js imports: the page bundles it.
 */
import type { MetricQuery } from './monitor-api';

/** A metric row ready to query and draw. */
export interface MetricRowSpec extends MetricQuery {
  readonly kind: 'metric';
  readonly label: string;
  readonly color?: string;
  readonly visible: boolean;
  readonly yAxis: 'left' | 'right';
}

/** A row the preview does not draw (metric math, a SEARCH, a Metrics Insights query). */
export interface ExpressionRowSpec {
  readonly kind: 'expression';
  readonly expression: string;
  readonly label: string;
}

export type RowSpec = MetricRowSpec | ExpressionRowSpec;

export class DashboardBodyError extends Error {
  override readonly name = 'DashboardBodyError';
}

/** "By default CloudWatch uses Average if you don't specify a statistic". */
const DEFAULT_STAT = 'Average';
/** `period`: "The default is 300." */
const DEFAULT_PERIOD = 300;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOr = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value : fallback;

/**
 * The rows of a metric widget's `metrics`: `[Namespace, MetricName, DimName, DimValue, …,
 * {rendering}]`, where `"."` "repeats the previous row's" value at that position, and expression
 * rows `[{"expression": …}]`. Stat, period and region come from the row, else the widget, else
 * CloudWatch's defaults.
 */
export function metricRows(properties: Readonly<Record<string, unknown>>): RowSpec[] {
  const metrics = properties.metrics ?? [];
  if (!Array.isArray(metrics)) throw new DashboardBodyError('metrics must be an array');
  const widgetStat = stringOr(properties.stat, DEFAULT_STAT);
  const widgetPeriod = typeof properties.period === 'number' ? properties.period : DEFAULT_PERIOD;
  const widgetRegion = stringOr(properties.region, '');
  let previous: readonly string[] = [];
  return metrics.map((row: unknown, index): RowSpec => {
    if (!Array.isArray(row)) throw new DashboardBodyError(`metrics[${index}] must be an array`);
    const last = row[row.length - 1];
    const rendering = isObject(last) ? last : {};
    const values = isObject(last) ? row.slice(0, -1) : row;
    if (typeof rendering.expression === 'string') {
      return {
        kind: 'expression',
        expression: rendering.expression,
        label: stringOr(rendering.label, rendering.expression),
      };
    }
    const resolved = values.map((value: unknown, position) => {
      const text = value === '.' ? previous[position] : value;
      if (typeof text !== 'string') {
        throw new DashboardBodyError(
          `metrics[${index}][${position}] must be a string${value === '.' ? ' (a "." with nothing above it to repeat)' : ''}`,
        );
      }
      return text;
    });
    previous = resolved;
    if (resolved.length < 2 || resolved.length % 2 !== 0) {
      throw new DashboardBodyError(
        `metrics[${index}] must be [Namespace, MetricName, DimensionName, DimensionValue, …]`,
      );
    }
    const [namespace, metricName, ...pairs] = resolved;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
    return {
      kind: 'metric',
      namespace,
      metricName,
      dimensions,
      stat: stringOr(rendering.stat, widgetStat),
      period: typeof rendering.period === 'number' ? rendering.period : widgetPeriod,
      region: stringOr(rendering.region, widgetRegion),
      label: stringOr(rendering.label, metricName),
      ...(typeof rendering.color === 'string' && { color: rendering.color }),
      visible: rendering.visible !== false,
      yAxis: rendering.yAxis === 'right' ? 'right' : 'left',
    };
  });
}

/** The row's metric as a person reads it: `AWS/Lambda Errors (FunctionName=msgs-dev-api)`. */
export function describeMetric(
  row: Pick<MetricRowSpec, 'namespace' | 'metricName' | 'dimensions'>,
): string {
  const dimensions = Object.entries(row.dimensions)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return `${row.namespace} ${row.metricName}${dimensions === '' ? '' : ` (${dimensions})`}`;
}

const UNIT_SECONDS: Record<string, number> = {
  W: 7 * 86_400,
  D: 86_400,
  H: 3_600,
  M: 60,
  S: 1,
};

/**
 * The dashboard's `start` as seconds back from now: a relative value "must begin with -PT ...
 * minutes or hours, and must begin with -P if ... days, weeks, or months" (`-PT3H`, `-P1D`); a
 * month counts 30 days. Undefined for an absolute (ISO 8601) start or none.
 */
export function relativeStartSeconds(start: string | undefined): number | undefined {
  if (start === undefined) return undefined;
  const match = /^-P(?:(\d+)W)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(
    start,
  );
  if (match === null || start === '-P' || start.endsWith('T')) return undefined;
  const [, weeks, months, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (
    weeks * UNIT_SECONDS.W +
    months * 30 * UNIT_SECONDS.D +
    days * UNIT_SECONDS.D +
    hours * UNIT_SECONDS.H +
    minutes * UNIT_SECONDS.M +
    seconds
  );
}
