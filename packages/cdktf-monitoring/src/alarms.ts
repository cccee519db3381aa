import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import {
  ALARM_LIMITS,
  metric,
  type MetricRef,
  type Statistic,
  type Threshold,
} from '@monitored/cloudwatch-model';
import type { Canary } from './canary';

/** Where an alarm notifies: a topic in the alarm's own region, and that region's provider. */
export interface AlarmDestination {
  readonly region: string;
  readonly topicArn: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/** One metric alarm as built, with what a dashboard and a local monitor need to know of it. */
export interface BuiltAlarm {
  readonly alarm: CloudwatchMetricAlarm;
  readonly name: string;
  readonly metric: MetricRef;
  readonly threshold: Threshold;
  readonly region: string;
}

const ALARM_DESCRIPTION_LIMIT = ALARM_LIMITS.descriptionLength;

/** The longest a reference in a description can become: a Lambda function's name. */
const LONGEST_REFERENCED_NAME = 64;

/**
 * The description, or an error at synth: AWS refuses one over 1,024 characters. A reference in it
 * (`${TfToken[…]}`) counts as the longest name it can stand for.
 */
function checkedDescription(description: string): string {
  const length = description.replace(/\$\{TfToken\[[^\]]*\]\}/g, () =>
    'x'.repeat(LONGEST_REFERENCED_NAME),
  ).length;
  if (length <= ALARM_DESCRIPTION_LIMIT) return description;
  throw new Error(
    `alarm description can be ${length} characters; AWS takes ${ALARM_DESCRIPTION_LIMIT}: ${description.slice(0, 120)}…`,
  );
}

export interface ThresholdAlarmProps {
  /** From `physicalName(…, 'cloudwatchAlarm')`. */
  readonly name: string;
  readonly metric: MetricRef;
  /** A row of a thresholds table: statistic, comparison, periods, missing data, what broke. */
  readonly threshold: Threshold;
  readonly destination: AlarmDestination;
  /** Appended to the description after "what broke" and "check first": dashboard, logs, console. */
  readonly links: readonly string[];
  /**
   * Whether it notifies the topic itself (on ALARM and on OK); otherwise a composite over it does.
   * @default true
   */
  readonly notifies?: boolean;
}

/** What a metric alarm watches and when it is in ALARM, from a threshold row. */
function condition(ref: MetricRef, threshold: Threshold) {
  const percentile = /^p\d/.test(threshold.statistic);
  return {
    namespace: ref.spec.namespace,
    metricName: ref.spec.name,
    // A metric with none (a deploy hold's) leaves the attribute out, as AWS does.
    ...(Object.keys(ref.dimensions).length > 0 && { dimensions: { ...ref.dimensions } }),
    ...(percentile
      ? { extendedStatistic: threshold.statistic }
      : { statistic: threshold.statistic as Exclude<Statistic, `p${number}`> }),
    period: threshold.periodSeconds,
    evaluationPeriods: threshold.evaluationPeriods,
    datapointsToAlarm: threshold.datapointsToAlarm,
    threshold: threshold.threshold,
    comparisonOperator: threshold.comparison,
    treatMissingData: threshold.treatMissingData,
  };
}

/**
 * A metric alarm from a threshold row: its description says what broke, what to check first and
 * where (the links), and is checked against AWS's limit at synth.
 */
export function thresholdAlarm(
  scope: Construct,
  id: string,
  props: ThresholdAlarmProps,
): BuiltAlarm {
  const { threshold, metric: ref, destination } = props;
  const notifies = props.notifies ?? true;
  const alarm = new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.name,
    alarmDescription: checkedDescription(
      [`${threshold.broke} Check first: ${threshold.checkFirst}.`, ...props.links].join(' '),
    ),
    ...condition(ref, threshold),
    ...(notifies && { alarmActions: [destination.topicArn], okActions: [destination.topicArn] }),
    provider: destination.provider,
  });
  return { alarm, name: props.name, metric: ref, threshold, region: destination.region };
}

/** One alarm of a thresholds table: which row, on which metric, and where it differs from the row. */
export interface TableAlarm<Key extends string> {
  readonly key: Key;
  readonly metric: MetricRef;
  readonly links: readonly string[];
  /** Tells several alarms of one row apart (one per operation), in the id and the name. @default none */
  readonly suffix?: string;
  /** The row as this alarm applies it (a share of a timeout made absolute). @default the table's row */
  readonly threshold?: Threshold;
  /** @default the table's destination */
  readonly destination?: AlarmDestination;
}

export interface TableAlarmsProps<Key extends string> {
  /** The thresholds table: one row per thing that can break, with its reasons. */
  readonly table: Readonly<Record<Key, Threshold>>;
  readonly alarms: readonly TableAlarm<Key>[];
  /** The alarm's name from its row and suffix (`physicalName(…, 'cloudwatchAlarm')`). */
  readonly name: (key: Key, suffix: string) => string;
  readonly destination: AlarmDestination;
}

/**
 * Alarms from a thresholds table, with ids `<key><suffix>`, in the order given; `byKey` holds each
 * row's first alarm (what a dashboard draws as the row's threshold line).
 */
export function tableAlarms<Key extends string>(
  scope: Construct,
  props: TableAlarmsProps<Key>,
): { readonly all: BuiltAlarm[]; readonly byKey: Partial<Record<Key, BuiltAlarm>> } {
  const all: BuiltAlarm[] = [];
  const byKey: Partial<Record<Key, BuiltAlarm>> = {};
  for (const row of props.alarms) {
    const suffix = row.suffix ?? '';
    const built = thresholdAlarm(scope, `${row.key}${suffix}`, {
      name: props.name(row.key, suffix),
      metric: row.metric,
      threshold: row.threshold ?? props.table[row.key],
      destination: row.destination ?? props.destination,
      links: row.links,
    });
    all.push(built);
    byKey[row.key] ??= built;
  }
  return { all, byKey };
}

/** The three alarms of one canary. */
export interface CanaryAlarms {
  readonly journeyFailing: BuiltAlarm;
  readonly notRunning: BuiltAlarm;
  readonly broken: BuiltAlarm;
}

export interface CanaryAlarmsProps {
  readonly canary: Canary;
  /**
   * The canary's three thresholds, on Synthetics metrics (the caller picks success with or without
   * retries): the journey failing, no run at all, a run that could not execute.
   */
  readonly thresholds: Readonly<Record<keyof CanaryAlarms, Threshold>>;
  /** Each alarm's id and name, by what it watches. */
  readonly ids: Readonly<Record<keyof CanaryAlarms, string>>;
  readonly names: Readonly<Record<keyof CanaryAlarms, string>>;
  /** Each alarm's links, after the description's "check first". */
  readonly links: Readonly<Record<keyof CanaryAlarms, readonly string[]>>;
  readonly destination: AlarmDestination;
}

/**
 * A canary's alarms, on its `CanaryName` dimension: the journey failing and the canary broken
 * notify the topic; "not running" does not, because a canary that has not run yet looks exactly
 * like one that stopped, so it pages through a composite that can tell (`pagingComposite`).
 */
export function canaryAlarms(scope: Construct, props: CanaryAlarmsProps): CanaryAlarms {
  const build = (what: keyof CanaryAlarms, notifies: boolean) =>
    thresholdAlarm(scope, props.ids[what], {
      name: props.names[what],
      metric: metric(props.thresholds[what].metric, { CanaryName: props.canary.canary.name }),
      threshold: props.thresholds[what],
      destination: props.destination,
      links: props.links[what],
      notifies,
    });
  return {
    journeyFailing: build('journeyFailing', true),
    notRunning: build('notRunning', false),
    broken: build('broken', true),
  };
}

export interface DeployAlarmProps {
  /** From `physicalName(…, 'cloudwatchAlarm')`: what the deploy sets and clears. */
  readonly name: string;
  /** The hold's threshold, on a metric with no dimensions that the deploy writes. */
  readonly threshold: Threshold;
  readonly description: string;
  readonly destination: AlarmDestination;
}

/**
 * The alarm a deploy holds in ALARM while it runs: the actions suppressor of the paging
 * composite. It notifies on ALARM and OK, so that a hold left behind is seen.
 */
export function deployAlarm(
  scope: Construct,
  id: string,
  props: DeployAlarmProps,
): CloudwatchMetricAlarm {
  const { threshold, destination } = props;
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.name,
    alarmDescription: checkedDescription(props.description),
    ...condition(metric(threshold.metric, {}), threshold),
    alarmActions: [destination.topicArn],
    okActions: [destination.topicArn],
    provider: destination.provider,
  });
}

export interface PagingCompositeProps {
  readonly name: string;
  readonly description: string;
  /** Any of these in ALARM pages. */
  readonly alerting: readonly BuiltAlarm[];
  /**
   * These page only while `unless` is not in ALARM (a canary's "not running" unless it was
   * deployed recently). @default none
   */
  readonly guarded?: { readonly alarms: readonly BuiltAlarm[]; readonly unless: BuiltAlarm };
  /** The deploy alarm: while it is in ALARM, and for `extensionSeconds` after, nothing is sent. */
  readonly suppressor: {
    readonly alarm: CloudwatchMetricAlarm;
    /** The suppressor's name as text: the composite names it, and depends on it. */
    readonly name: string;
    readonly waitSeconds: number;
    readonly extensionSeconds: number;
  };
  readonly destination: AlarmDestination;
}

/**
 * The composite alarm that pages: `ALARM(a) OR ALARM(b) OR ((ALARM(g1) OR …) AND NOT ALARM(u))`,
 * with the deploy alarm as its actions suppressor ("Suppressing composite alarm actions",
 * CloudWatch user guide). The parentheses state the grouping: AWS documents no precedence of AND
 * over OR. It depends on every child, so that Terraform creates them first.
 */
export function pagingComposite(
  scope: Construct,
  id: string,
  props: PagingCompositeProps,
): CloudwatchCompositeAlarm {
  const quoted = (alarm: BuiltAlarm) => `ALARM("${alarm.name}")`;
  const guarded = props.guarded;
  const rule = [
    ...props.alerting.map(quoted),
    ...(guarded === undefined || guarded.alarms.length === 0
      ? []
      : [`((${guarded.alarms.map(quoted).join(' OR ')}) AND NOT ${quoted(guarded.unless)})`]),
  ].join(' OR ');
  const children = [
    ...props.alerting,
    ...(guarded === undefined ? [] : [...guarded.alarms, guarded.unless]),
  ];
  return new CloudwatchCompositeAlarm(scope, id, {
    alarmName: props.name,
    alarmDescription: checkedDescription(props.description),
    alarmRule: rule,
    actionsSuppressor: {
      alarm: props.suppressor.name,
      waitPeriod: props.suppressor.waitSeconds,
      extensionPeriod: props.suppressor.extensionSeconds,
    },
    alarmActions: [props.destination.topicArn],
    okActions: [props.destination.topicArn],
    provider: props.destination.provider,
    dependsOn: [...children.map((child) => child.alarm), props.suppressor.alarm],
  });
}
