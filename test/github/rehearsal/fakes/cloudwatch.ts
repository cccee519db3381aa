/**
 * CloudWatch in the fake account: GetMetricStatistics over the data PutMetricData received, and
 * each metric alarm's state, evaluated from that data as CloudWatch evaluates it, at the world's
 * time.
 *
 * An alarm's rule is the one Terraform created (the stack's declaration, read back by
 * local/monitoring/terraform-alarm.ts); its evaluation is the local engine's
 * (local/monitoring/alarm-evaluator.ts and alarm-windows.ts: every minute for a period of a
 * minute, the evaluation range, the missing-data rules of the user guide). Only an alarm on a
 * metric outside the AWS/ namespaces is evaluated: PutMetricData is the only way into those, so
 * the fake holds all of their data, and none of what AWS's services publish (an alarm on those
 * keeps the state it was created in).
 *
 * What AWS does not say, and what this assumes: that a datum can be read back and evaluated as
 * soon as PutMetricData has answered (AWS says only that data 3 hours old or more can take hours).
 */
import {
  evaluateMetricAlarm,
  evaluationInstant,
  evaluationIntervalSeconds,
  evaluationRange,
} from '@monitored/cloudwatch-local';
import {
  type AlarmState,
  computeStatistic,
  type MetricSpec,
  type Statistic,
} from '@monitored/cloudwatch-model';
import type { Alarm, CloudWatchRegion, MetricDatum } from './world';

/** One metric: "each unique combination of dimensions" is a separate one (GetMetricStatistics). */
export interface MetricQuery {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Only data sent with this unit; any unit when undefined. */
  readonly unit?: string;
}

/** The values of `query`'s metric that the account had received by `receivedBy`. */
function dataOf(region: CloudWatchRegion, query: MetricQuery, receivedBy: number): MetricDatum[] {
  const wanted = JSON.stringify(Object.entries(query.dimensions).sort());
  return region.metricPuts
    .filter((put) => put.namespace === query.namespace && put.receivedAt <= receivedBy)
    .flatMap((put) => put.data)
    .filter(
      (datum) =>
        datum.name === query.name &&
        JSON.stringify(Object.entries(datum.dimensions).sort()) === wanted &&
        (query.unit === undefined || datum.unit === query.unit),
    );
}

export interface PeriodStatistics {
  /** The start of the period, ms since the epoch. */
  readonly timestamp: number;
  readonly unit: string;
  readonly values: Readonly<Partial<Record<Statistic, number>>>;
}

/**
 * GetMetricStatistics: "CloudWatch aggregates all data points with time stamps that fall within
 * each one-hour period" (the API reference), each datapoint "stamped with the time corresponding
 * to the beginning of the period" (CloudWatch concepts, Statistics), only periods with data, from
 * StartTime (inclusive, already rounded) to EndTime (exclusive). The periods run from StartTime,
 * as the CLI reference's example shows (start 23:18 with a period of an hour: datapoints at :18).
 * One datapoint per unit in a period ("all data that was collected with any unit is returned,
 * along with the corresponding units"; AWS does not say how units in one period are split: this
 * assumes one datapoint each). Newest first: "Data points are not returned in chronological
 * order", so that no reader depends on an order.
 */
export function metricStatistics(
  region: CloudWatchRegion,
  query: MetricQuery & {
    readonly start: number;
    readonly end: number;
    readonly periodSeconds: number;
    readonly statistics: readonly Statistic[];
    readonly receivedBy: number;
  },
): PeriodStatistics[] {
  const periodMs = query.periodSeconds * 1000;
  const periods = new Map<string, { timestamp: number; unit: string; values: number[] }>();
  for (const datum of dataOf(region, query, query.receivedBy)) {
    if (datum.timestamp < query.start || datum.timestamp >= query.end) continue;
    const timestamp =
      query.start + Math.floor((datum.timestamp - query.start) / periodMs) * periodMs;
    const key = `${timestamp} ${datum.unit}`;
    const period = periods.get(key) ?? { timestamp, unit: datum.unit, values: [] };
    period.values.push(datum.value);
    periods.set(key, period);
  }
  return [...periods.values()]
    .sort((a, b) => b.timestamp - a.timestamp)
    .map(({ timestamp, unit, values }) => ({
      timestamp,
      unit,
      values: Object.fromEntries(
        query.statistics.map((statistic) => [statistic, computeStatistic(values, statistic)]),
      ),
    }));
}

export interface AlarmStatus {
  readonly state: AlarmState;
  readonly reason: string;
}

/** Whether the fake evaluates the alarm from its data (see the top of this file). */
export function isEvaluated(alarm: Alarm): boolean {
  return alarm.rule !== undefined && !alarm.rule.namespace.startsWith('AWS/');
}

/** The evaluation of `alarm` at `instant`, over the data received by `receivedBy`. */
function evaluate(
  region: CloudWatchRegion,
  alarm: Alarm,
  instant: number,
  receivedBy: number,
): AlarmStatus {
  const rule = alarm.rule;
  if (rule === undefined) return { state: alarm.state, reason: alarm.reason };
  const metric: MetricSpec = {
    namespace: rule.namespace,
    name: rule.metricName,
    dimensions: Object.keys(rule.dimensions),
    unit: 'None',
    statistic: rule.statistic,
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html',
  };
  const store = {
    window: (
      spec: MetricSpec,
      dimensions: Readonly<Record<string, string>>,
      statistic: Statistic,
      from: number,
      to: number,
    ) =>
      computeStatistic(
        dataOf(
          region,
          { namespace: spec.namespace, name: spec.name, dimensions, unit: rule.unit },
          receivedBy,
        )
          .filter((datum) => datum.timestamp > from && datum.timestamp <= to)
          .map((datum) => datum.value),
        statistic,
      ),
  };
  const range = evaluationRange(store, rule, instant, metric);
  const { state, reason } = evaluateMetricAlarm(rule, range, alarm.state, instant);
  return { state, reason };
}

/** The first evaluation instant after the alarm's creation. */
function firstEvaluation(alarm: Alarm): number {
  const rule = alarm.rule;
  if (rule === undefined) return Infinity;
  const interval = evaluationIntervalSeconds(rule) * 1000;
  return evaluationInstant(rule, alarm.createdAt) + interval;
}

/**
 * The alarm's state at `time`: its last evaluation at or before `time`, over the data received by
 * then; the state it was created in before its first evaluation, and for an alarm the fake does
 * not evaluate.
 */
export function alarmStateAt(region: CloudWatchRegion, alarm: Alarm, time: number): AlarmStatus {
  if (!isEvaluated(alarm) || alarm.rule === undefined) {
    return { state: alarm.state, reason: alarm.reason };
  }
  const instant = evaluationInstant(alarm.rule, time);
  if (instant < firstEvaluation(alarm)) return { state: alarm.state, reason: alarm.reason };
  return evaluate(region, alarm, instant, instant);
}

/**
 * What the alarm's next evaluation from `time` makes of the data received by `time` (its first
 * evaluation, for a time before it existed): whether that data holds it in ALARM, whatever
 * arrives later.
 */
export function nextEvaluation(region: CloudWatchRegion, alarm: Alarm, time: number): AlarmStatus {
  if (!isEvaluated(alarm) || alarm.rule === undefined) {
    throw new Error(`the fake does not evaluate alarm ${alarm.name} from its data`);
  }
  const interval = evaluationIntervalSeconds(alarm.rule) * 1000;
  const at = evaluationInstant(alarm.rule, time);
  const next = at === time ? at : at + interval;
  return evaluate(region, alarm, Math.max(next, firstEvaluation(alarm)), time);
}
