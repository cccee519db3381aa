/**
 * When a metric alarm is evaluated and which data each datapoint of its evaluation range covers,
 * as "Alarm evaluation" describes (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html):
 * "For any period of one minute or longer, an alarm is evaluated every minute ... if the Period is
 * 5 minutes (300 seconds) and Evaluation Periods is 1, then at the end of minute 5 the alarm
 * evaluates based on data from minutes 1 to 5. Then at the end of minute 6, the alarm is evaluated
 * based on the data from minutes 2 to 6." So the windows slide with the evaluation, one period
 * each, ending at the evaluation instant, not on the period grid. "If the alarm period is 10
 * seconds, 20 seconds, or 30 seconds, the alarm is evaluated every 10 seconds." "If the number of
 * evaluation periods multiplied by the length of each evaluation period exceeds one day, the alarm
 * is evaluated once per hour", "only the metrics up to the current hour at the :00 minute".
 *
 * AWS's sample event (queryDate 17:04:40, startDate 16:59:00, period 300) shows the windows end on
 * the minute boundary before the query and each datapoint is stamped with its window's start.
 */
import {
  type MetricCatalogue,
  type MetricSpec,
  AlarmDefinitionError,
  type MetricAlarmDefinition,
} from '@monitored/cloudwatch-model';
import { evaluationRangeLength, type RangeDatapoint } from './alarm-evaluator';
import type { MetricStore } from './metric-store';

const SECOND = 1000;
const ONE_DAY_SECONDS = 86_400;

/** Seconds between two evaluations of the alarm. */
export function evaluationIntervalSeconds(definition: MetricAlarmDefinition): number {
  if (definition.period < 60) return 10;
  if (definition.period * definition.evaluationPeriods > ONE_DAY_SECONDS) return 3600;
  return 60;
}

/** The latest evaluation instant at or before `now`: evaluations fall on the clock's minute (or 10 s, or hour). */
export function evaluationInstant(definition: MetricAlarmDefinition, now: number): number {
  const interval = evaluationIntervalSeconds(definition) * SECOND;
  return Math.floor(now / interval) * interval;
}

/** The catalogue entry of the alarm's metric, or an error naming the alarm and the metric. */
export function alarmMetric(
  catalogue: MetricCatalogue,
  definition: MetricAlarmDefinition,
): MetricSpec {
  const spec = catalogue.find(
    definition.namespace,
    definition.metricName,
    Object.keys(definition.dimensions),
  );
  if (spec === undefined) {
    throw new AlarmDefinitionError(
      `metric alarm ${JSON.stringify(definition.name)}: metric ${definition.namespace} ${definition.metricName} ` +
        `with dimensions [${Object.keys(definition.dimensions).sort().join(', ')}] is not in the metric catalogue`,
    );
  }
  return spec;
}

/**
 * The evaluation range at the instant `end`: N + 2 windows of one period, the newest ending at
 * `end`, oldest first, each the alarm's statistic over the raw points with start < t ≤ end.
 */
export function evaluationRange(
  store: Pick<MetricStore, 'window'>,
  definition: MetricAlarmDefinition,
  end: number,
  metric: MetricSpec,
): RangeDatapoint[] {
  const periodMs = definition.period * SECOND;
  const count = evaluationRangeLength(definition);
  const range: RangeDatapoint[] = [];
  for (let index = count; index >= 1; index -= 1) {
    const from = end - index * periodMs;
    range.push({
      timestamp: from,
      value: store.window(
        metric,
        definition.dimensions,
        definition.statistic,
        from,
        from + periodMs,
      ),
    });
  }
  return range;
}
