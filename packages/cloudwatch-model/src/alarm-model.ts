/**
 * The alarm definitions the local engine evaluates, field for field the attributes of Terraform's
 * `aws_cloudwatch_metric_alarm` and `aws_cloudwatch_composite_alarm` (a converter reads them from
 * the synthesized stack), and the checks PutMetricAlarm / PutCompositeAlarm make on them:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
import type { MetricSpec, Statistic } from './metrics';
import { AlarmRuleError, parseAlarmRule, type AlarmState } from './alarm-rule';
import { parseStatistic, StatisticError } from './statistics';

export type { AlarmState } from './alarm-rule';

/** PutMetricAlarm's ComparisonOperator values that compare with a static threshold. */
export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** PutMetricAlarm's TreatMissingData values. */
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/**
 * A metric alarm's condition with the reasons a person reads: the stacks build alarms from it, the
 * docs list it, the cost model prices it, and the local engine evaluates what the stacks made of it.
 */
export interface Threshold {
  readonly metric: MetricSpec;
  readonly statistic: Statistic;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  /** Why this threshold, in a sentence (the docs' table). */
  readonly why: string;
  /** What broke, in plain words (the alarm's description). */
  readonly broke: string;
  /** What to look at first (the alarm's description). */
  readonly checkFirst: string;
}

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
];
export const TREAT_MISSING_DATA: readonly TreatMissingData[] = [
  'missing',
  'ignore',
  'breaching',
  'notBreaching',
];
export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** `aws_cloudwatch_metric_alarm` (a single metric; `statistic` also holds `extended_statistic`). */
export interface MetricAlarmDefinition {
  readonly name: string;
  readonly description?: string;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: Statistic;
  /** Seconds. */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** @default 'missing', or 'ignore' for an `AWS/DynamoDB` metric */
  readonly treatMissingData?: TreatMissingData;
  readonly unit?: string;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

/** `aws_cloudwatch_composite_alarm`. */
export interface CompositeAlarmDefinition {
  readonly name: string;
  readonly description?: string;
  readonly region: string;
  readonly alarmRule: string;
  readonly actionsSuppressor?: {
    /** Name or ARN of the suppressor alarm. */
    readonly alarm: string;
    readonly waitPeriodSeconds: number;
    readonly extensionPeriodSeconds: number;
  };
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

export type AlarmDefinition = MetricAlarmDefinition | CompositeAlarmDefinition;

export class AlarmDefinitionError extends Error {
  override readonly name = 'AlarmDefinitionError';
}

/** What PutMetricAlarm, PutCompositeAlarm and SetAlarmState take (CloudWatch API Reference). */
export const ALARM_LIMITS = {
  /** AlarmName: "Minimum length of 1. Maximum length of 255." */
  nameLength: 255,
  /** AlarmDescription: "Maximum length of 1024." */
  descriptionLength: 1024,
  /** AlarmActions, OKActions, InsufficientDataActions: "Maximum number of 5 items" each. */
  actions: 5,
  /** SetAlarmState: StateReason "Maximum length of 1023". */
  stateReasonLength: 1023,
  /** SetAlarmState: StateReasonData "Maximum length of 4000". */
  stateReasonDataLength: 4000,
} as const;
const MAX_NAME_LENGTH = ALARM_LIMITS.nameLength;
const MAX_DESCRIPTION_LENGTH = ALARM_LIMITS.descriptionLength;
const MAX_ACTIONS = ALARM_LIMITS.actions;
/** Period: "Valid values are 10, 20, 30, and any multiple of 60." */
const SUB_MINUTE_PERIODS = [10, 20, 30];
/**
 * "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a
 * period of less than one hour (3,600 seconds), the total evaluation period can't be longer than
 * one day (86,400 seconds)."
 */
const MAX_TOTAL_SECONDS = 604_800;
const MAX_TOTAL_SECONDS_UNDER_AN_HOUR = 86_400;
const ONE_HOUR = 3_600;

/**
 * How many periods CloudWatch reads beyond an alarm's N evaluation periods (its evaluation range).
 * AWS says only that it retrieves "a number of data points that is greater than Evaluation
 * Periods", with one example: "the evaluation range is 5" for 3 evaluation periods (user guide,
 * "How alarm state is evaluated when data is missing"). This model takes N + 2 for every alarm:
 * the local engine (@monitored/cloudwatch-local) evaluates so, and the times stated from it (a
 * stopped canary seen, a hold that ends by itself) are as that engine evaluates them; on AWS they
 * are at least N + 1 periods.
 */
export const EVALUATION_RANGE_EXTRA_PERIODS = 2;

/** The longest evaluation, Period × EvaluationPeriods, PutMetricAlarm takes for `periodSeconds`. */
export function longestEvaluationSeconds(periodSeconds: number): number {
  return periodSeconds < ONE_HOUR ? MAX_TOTAL_SECONDS_UNDER_AN_HOUR : MAX_TOTAL_SECONDS;
}

/** Throws an AlarmDefinitionError naming the alarm and the rule it breaks. */
export function validateMetricAlarm(definition: MetricAlarmDefinition): void {
  const fail = (rule: string): never => {
    throw new AlarmDefinitionError(`metric alarm ${JSON.stringify(definition.name)}: ${rule}`);
  };
  validateCommon(definition, fail);
  if (definition.namespace.length === 0 || definition.metricName.length === 0) {
    fail('namespace and metricName must not be empty');
  }
  try {
    parseStatistic(definition.statistic);
  } catch (error: unknown) {
    if (error instanceof StatisticError) fail(error.message);
    throw error;
  }
  const { period, evaluationPeriods, datapointsToAlarm } = definition;
  if (
    !Number.isInteger(period) ||
    period <= 0 ||
    !(SUB_MINUTE_PERIODS.includes(period) || period % 60 === 0)
  ) {
    fail(`period must be 10, 20, 30 or a multiple of 60 seconds, got ${period}`);
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    fail(`evaluationPeriods must be a whole number of at least 1, got ${evaluationPeriods}`);
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1) {
    fail(`datapointsToAlarm must be a whole number of at least 1, got ${datapointsToAlarm}`);
  }
  if (datapointsToAlarm > evaluationPeriods) {
    fail(
      `datapointsToAlarm (${datapointsToAlarm}) must not exceed evaluationPeriods (${evaluationPeriods})`,
    );
  }
  const limit = longestEvaluationSeconds(period);
  if (period * evaluationPeriods > limit) {
    fail(
      `period × evaluationPeriods (${period} × ${evaluationPeriods} = ${period * evaluationPeriods} s) ` +
        `must not exceed ${limit} s for a period ${period < ONE_HOUR ? 'under' : 'of at least'} one hour`,
    );
  }
  if (!Number.isFinite(definition.threshold)) {
    fail(`threshold must be a finite number, got ${definition.threshold}`);
  }
  if (!COMPARISON_OPERATORS.includes(definition.comparisonOperator)) {
    fail(
      `comparisonOperator ${JSON.stringify(definition.comparisonOperator)} is not one of ${COMPARISON_OPERATORS.join(', ')}`,
    );
  }
  if (
    definition.treatMissingData !== undefined &&
    !TREAT_MISSING_DATA.includes(definition.treatMissingData)
  ) {
    fail(
      `treatMissingData ${JSON.stringify(definition.treatMissingData)} is not one of ${TREAT_MISSING_DATA.join(', ')}`,
    );
  }
}

/** Throws an AlarmDefinitionError naming the alarm and the rule it breaks (including rule syntax). */
export function validateCompositeAlarm(definition: CompositeAlarmDefinition): void {
  const fail = (rule: string): never => {
    throw new AlarmDefinitionError(`composite alarm ${JSON.stringify(definition.name)}: ${rule}`);
  };
  validateCommon(definition, fail);
  try {
    parseAlarmRule(definition.alarmRule);
  } catch (error: unknown) {
    if (error instanceof AlarmRuleError) fail(error.message);
    throw error;
  }
  const suppressor = definition.actionsSuppressor;
  if (suppressor !== undefined) {
    if (suppressor.alarm.length === 0) fail('actionsSuppressor.alarm must name an alarm');
    for (const [field, seconds] of [
      ['waitPeriodSeconds', suppressor.waitPeriodSeconds],
      ['extensionPeriodSeconds', suppressor.extensionPeriodSeconds],
    ] as const) {
      if (!Number.isInteger(seconds) || seconds < 0) {
        fail(`actionsSuppressor.${field} must be a whole number of seconds, got ${seconds}`);
      }
    }
  }
}

function validateCommon(definition: AlarmDefinition, fail: (rule: string) => never): void {
  if (definition.name.length === 0 || definition.name.length > MAX_NAME_LENGTH) {
    fail(`the name must be 1 to ${MAX_NAME_LENGTH} characters`);
  }
  if ((definition.description?.length ?? 0) > MAX_DESCRIPTION_LENGTH) {
    fail(`the description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (definition.region.length === 0) fail('region must not be empty');
  for (const [field, actions] of [
    ['alarmActions', definition.alarmActions],
    ['okActions', definition.okActions],
    ['insufficientDataActions', definition.insufficientDataActions],
  ] as const) {
    if (actions.length > MAX_ACTIONS) {
      fail(`${field} has ${actions.length} actions, at most ${MAX_ACTIONS} are allowed`);
    }
  }
}

/** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`, the form alarm rules and events use. */
export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

/** The actions a definition runs on entering `state`. */
export function actionsFor(definition: AlarmDefinition, state: AlarmState): readonly string[] {
  switch (state) {
    case 'ALARM':
      return definition.alarmActions;
    case 'OK':
      return definition.okActions;
    case 'INSUFFICIENT_DATA':
      return definition.insufficientDataActions;
  }
}
