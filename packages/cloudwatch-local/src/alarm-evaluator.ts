/**
 * One evaluation of one metric alarm: the datapoints of its evaluation range in, its new state and
 * CloudWatch's StateReason out. Reproduces the user guide's "Configuring how CloudWatch alarms
 * treat missing data" and "Avoiding premature transitions to alarm state":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * and "Alarm evaluation": https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
 *
 * The rules, with N = Evaluation Periods and M = Datapoints to Alarm:
 * - N or more real datapoints in the range: the N most recent real ones decide, M breaching → ALARM,
 *   else OK; the missing-data treatment "is not needed and is ignored".
 * - Fewer than N: "CloudWatch fills in the missing data points with the result you specified ...
 *   all real data points in the evaluation range are included ... uses missing data points only as
 *   few times as possible": N minus the real ones are filled, the most recent gaps first ("the two
 *   most recent missing data points are both treated as breaching").
 * - With `missing` and `ignore` a gap is no evidence either way. M breaching real points → ALARM.
 *   With `missing`, the premature-alarm rule: ALARM when "the oldest available breaching datapoint
 *   ... is at least as old as the value of Datapoints to Alarm, and all other more recent data
 *   points are breaching or missing" — and, as the concepts page puts it ("only notifies you if the
 *   oldest data point is breaching and the others are breaching or missing") and row 3 of the 2-of-3
 *   table requires (`0 - X - -` is OK), no real point in the range is non-breaching. Otherwise a
 *   real non-breaching point → OK. Otherwise nothing decides: the state is kept.
 * - No real point at all: `missing` → INSUFFICIENT_DATA, `ignore` → state kept, `breaching` → ALARM,
 *   `notBreaching` → OK.
 * Every row of both example tables on that page is a test case (test/alarm-evaluator.test.ts).
 *
 * Where AWS is silent, and what this does:
 * - A partial range with `missing` or `ignore` and only breaching points too young for the
 *   premature rule (`- - - - X` with M = 3): the page says only that it does not go to ALARM. This
 *   keeps the state (the `missing` text promises INSUFFICIENT_DATA only when all points are missing).
 * - StateReason for filled and premature evaluations and for INSUFFICIENT_DATA with N > 1: AWS
 *   documents none; the texts follow the shapes seen in real alarms (research notes §3.5).
 */
import {
  DYNAMODB,
  EVALUATION_RANGE_EXTRA_PERIODS,
  type AlarmState,
  type ComparisonOperator,
  type MetricAlarmDefinition,
  type TreatMissingData,
  cloudWatchTimestamp,
  javaDouble,
  plural,
  reasonDate,
} from '@monitored/cloudwatch-model';

/** One datapoint of the evaluation range; `value` is undefined when the period had no data. */
export interface RangeDatapoint {
  /** The beginning of its period, in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly value: number | undefined;
}

export interface EvaluatedDatapoint {
  readonly timestamp: number;
  /** The real value; undefined for a missing datapoint filled by the treatment. */
  readonly value: number | undefined;
  readonly breaching: boolean;
}

/**
 * How the state was reached: real datapoints crossing (or not) the threshold, missing ones filled
 * by the treatment, the premature-alarm rule, no data, or kept because nothing decided.
 */
export type EvaluationOutcome = 'threshold' | 'filled' | 'premature' | 'insufficient' | 'kept';

/** StateReasonData of a metric alarm, as in AWS's samples. */
export interface MetricStateReasonData {
  readonly version: '1.0';
  readonly queryDate: string;
  readonly startDate: string;
  readonly statistic: string;
  readonly period: number;
  readonly recentDatapoints: readonly number[];
  readonly threshold: number;
  readonly evaluatedDatapoints: readonly { readonly timestamp: string; readonly value?: number }[];
}

export interface MetricAlarmEvaluation {
  readonly state: AlarmState;
  /** CloudWatch's StateReason for reaching `state` (for `kept`, a local explanation). */
  readonly reason: string;
  readonly reasonData: MetricStateReasonData;
  /** The datapoints that decided, oldest first (real ones and filled ones). */
  readonly evaluated: readonly EvaluatedDatapoint[];
  readonly outcome: EvaluationOutcome;
}

/** How many datapoints the engine retrieves: N + EVALUATION_RANGE_EXTRA_PERIODS. */
export function evaluationRangeLength(definition: MetricAlarmDefinition): number {
  return definition.evaluationPeriods + EVALUATION_RANGE_EXTRA_PERIODS;
}

/**
 * The treatment in force: the alarm's own, else `ignore` for `AWS/DynamoDB` ("Alarms that evaluate
 * metrics in the AWS/DynamoDB namespace default to ignore missing data. You can override this if
 * you choose a different option"; until 2023 the page said they always ignore it), else `missing`.
 */
export function effectiveTreatMissingData(definition: MetricAlarmDefinition): TreatMissingData {
  if (definition.treatMissingData !== undefined) return definition.treatMissingData;
  return definition.namespace === DYNAMODB.successfulRequestLatency.namespace
    ? 'ignore'
    : 'missing';
}

const COMPARISONS: Record<
  ComparisonOperator,
  { words: string; test: (value: number, threshold: number) => boolean }
> = {
  GreaterThanThreshold: { words: 'greater than', test: (value, threshold) => value > threshold },
  GreaterThanOrEqualToThreshold: {
    words: 'greater than or equal to',
    test: (value, threshold) => value >= threshold,
  },
  LessThanThreshold: { words: 'less than', test: (value, threshold) => value < threshold },
  LessThanOrEqualToThreshold: {
    words: 'less than or equal to',
    test: (value, threshold) => value <= threshold,
  },
};

/** Whether `value` is on the alarming side of the threshold. */
function isBreaching(definition: MetricAlarmDefinition, value: number): boolean {
  return COMPARISONS[definition.comparisonOperator].test(value, definition.threshold);
}

const FILL_LABEL: Record<TreatMissingData, string> = {
  breaching: 'Breaching',
  notBreaching: 'NonBreaching',
  ignore: 'Ignore',
  missing: 'Missing',
};

interface Slot extends EvaluatedDatapoint {
  /** 1 for the newest datapoint of the range, 2 for the one before, and so on. */
  readonly age: number;
}

/**
 * Evaluates `definition` on `range` (its evaluation range, oldest first) while it is in `current`;
 * `now` is the time of the evaluation, for StateReasonData.
 */
export function evaluateMetricAlarm(
  definition: MetricAlarmDefinition,
  range: readonly RangeDatapoint[],
  current: AlarmState,
  now: number,
): MetricAlarmEvaluation {
  const n = definition.evaluationPeriods;
  const m = definition.datapointsToAlarm;
  if (range.length < n) {
    throw new RangeError(
      `alarm ${JSON.stringify(definition.name)}: the evaluation range has ${range.length} datapoints, ` +
        `fewer than its ${n} evaluation periods`,
    );
  }
  const treatment = effectiveTreatMissingData(definition);
  const slots: Slot[] = range.map((point, index) => ({
    timestamp: point.timestamp,
    value: point.value,
    breaching: point.value !== undefined && isBreaching(definition, point.value),
    age: range.length - index,
  }));
  const real = slots.filter((slot) => slot.value !== undefined);
  const text = new ReasonText(definition, current);
  const result = (
    state: AlarmState,
    outcome: EvaluationOutcome,
    evaluated: readonly Slot[],
    reason: string,
  ): MetricAlarmEvaluation => ({
    state,
    outcome,
    reason,
    evaluated: evaluated.map(({ timestamp, value, breaching }) => ({
      timestamp,
      value,
      breaching,
    })),
    reasonData: reasonData(definition, evaluated, range, now),
  });

  if (real.length >= n) {
    const evaluated = real.slice(-n);
    const state = countBreaching(evaluated) >= m ? 'ALARM' : 'OK';
    return result(state, 'threshold', evaluated, text.threshold(state, evaluated));
  }

  if (treatment === 'breaching' || treatment === 'notBreaching') {
    const fillCount = n - real.length;
    const gaps = slots.filter((slot) => slot.value === undefined).slice(-fillCount);
    const filled = gaps.map((gap) => ({ ...gap, breaching: treatment === 'breaching' }));
    const evaluated = [...real, ...filled].sort((a, b) => a.timestamp - b.timestamp);
    const state = countBreaching(evaluated) >= m ? 'ALARM' : 'OK';
    return result(state, 'filled', evaluated, text.filled(state, real, fillCount, treatment));
  }

  if (real.length === 0) {
    return treatment === 'missing'
      ? result('INSUFFICIENT_DATA', 'insufficient', [], text.insufficient(n))
      : result(current, 'kept', [], text.kept(0, treatment));
  }
  if (countBreaching(real) >= m) {
    return result('ALARM', 'threshold', real, text.threshold('ALARM', real));
  }
  const anyNonBreaching = real.some((slot) => !slot.breaching);
  // "the oldest available breaching datapoint during the Evaluation Periods number of data points
  // is at least as old as the value of Datapoints to Alarm, and all other more recent data points
  // are breaching or missing" (user guide, "Avoiding premature transitions to alarm state"): only
  // the breaching point must be within the last N slots, not the older ones the evaluation range
  // also fetches; a non-breaching point anywhere in the range decides instead (the guide's tables).
  const oldestRecent = real.find((slot) => slot.age <= n);
  if (
    treatment === 'missing' &&
    !anyNonBreaching &&
    oldestRecent !== undefined &&
    oldestRecent.age >= m
  ) {
    return result('ALARM', 'premature', real, text.threshold('ALARM', real));
  }
  if (anyNonBreaching) return result('OK', 'threshold', real, text.threshold('OK', real));
  return result(current, 'kept', real, text.kept(real.length, treatment));
}

function countBreaching(points: readonly EvaluatedDatapoint[]): number {
  return points.filter((point) => point.breaching).length;
}

class ReasonText {
  constructor(
    private readonly definition: MetricAlarmDefinition,
    private readonly current: AlarmState,
  ) {}

  /**
   * `Threshold Crossed: 2 out of the last 3 datapoints [5.0 (28/11/26 10:02:00), 7.0 (28/11/26
   * 10:01:00)] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM
   * transition).` Listed are the real points on the side that decided, newest first.
   */
  threshold(state: 'OK' | 'ALARM', points: readonly EvaluatedDatapoint[]): string {
    return `Threshold Crossed: ${this.crossing(state, points)} (${this.minimum(state)}).`;
  }

  /** `Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].` */
  filled(
    state: 'OK' | 'ALARM',
    real: readonly EvaluatedDatapoint[],
    fillCount: number,
    treatment: TreatMissingData,
  ): string {
    const received =
      `Threshold Crossed: no datapoints were received for ${plural(fillCount, 'period')} and ` +
      `${plural(fillCount, 'missing datapoint')} ${fillCount === 1 ? 'was' : 'were'} treated as [${FILL_LABEL[treatment]}].`;
    const deciding = real.filter((point) => point.breaching === (state === 'ALARM'));
    if (deciding.length === 0) return received;
    return `${received} ${this.crossing(state, real)} (${this.minimum(state)}).`;
  }

  /** `Insufficient Data: 1 datapoint was unknown.` */
  insufficient(count: number): string {
    return `Insufficient Data: ${plural(count, 'datapoint')} ${count === 1 ? 'was' : 'were'} unknown.`;
  }

  kept(realCount: number, treatment: TreatMissingData): string {
    return (
      `Unchanged: ${realCount} of the last ${this.definition.evaluationPeriods} datapoints were received, ` +
      `missing data is treated as [${FILL_LABEL[treatment]}] and nothing decides; the state stays ${this.current}.`
    );
  }

  private crossing(state: 'OK' | 'ALARM', points: readonly EvaluatedDatapoint[]): string {
    const deciding = points.filter((point) => point.breaching === (state === 'ALARM')).reverse();
    const listed = deciding
      .flatMap(({ value, timestamp }) =>
        value === undefined ? [] : [`${javaDouble(value)} (${reasonDate(timestamp)})`],
      )
      .join(', ');
    const words = COMPARISONS[this.definition.comparisonOperator].words;
    return (
      `${deciding.length} out of the last ${points.length} datapoints [${listed}] ` +
      `${deciding.length === 1 ? 'was' : 'were'} ${state === 'OK' ? 'not ' : ''}${words} ` +
      `the threshold (${javaDouble(this.definition.threshold)})`
    );
  }

  /** ALARM needs M breaching points; OK needs enough non-breaching ones to make M impossible. */
  private minimum(state: 'OK' | 'ALARM'): string {
    const { evaluationPeriods, datapointsToAlarm } = this.definition;
    const needed =
      state === 'ALARM' ? datapointsToAlarm : evaluationPeriods - datapointsToAlarm + 1;
    return `minimum ${plural(needed, 'datapoint')} for ${this.current} -> ${state} transition`;
  }
}

function reasonData(
  definition: MetricAlarmDefinition,
  evaluated: readonly EvaluatedDatapoint[],
  range: readonly RangeDatapoint[],
  now: number,
): MetricStateReasonData {
  const start =
    evaluated[0]?.timestamp ?? range[range.length - definition.evaluationPeriods].timestamp;
  return {
    version: '1.0',
    queryDate: cloudWatchTimestamp(now),
    startDate: cloudWatchTimestamp(start),
    statistic: definition.statistic,
    period: definition.period,
    recentDatapoints: evaluated.flatMap((point) =>
      point.value === undefined ? [] : [point.value],
    ),
    threshold: definition.threshold,
    evaluatedDatapoints: evaluated.map((point) =>
      point.value === undefined
        ? { timestamp: cloudWatchTimestamp(point.timestamp) }
        : { timestamp: cloudWatchTimestamp(point.timestamp), value: point.value },
    ),
  };
}
