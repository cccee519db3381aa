/**
 * How long a full outage of a stage goes unnoticed, worst case: from the synthesized canaries
 * (schedule, retries, run timeout), the metric alarms on their metrics (period, datapoints to
 * alarm) and the composite alarm that pages (its rule and its actions' wait). Each step of the
 * arithmetic is kept, so that `npm run cost` can show it.
 *
 * What AWS documents and what is assumed:
 * - A metric alarm is evaluated every minute over its last Period × EvaluationPeriods
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html).
 * - A retry follows a failed run; AWS states no delay, so it is taken to start at once.
 * - A composite alarm follows its children as they change (counted as no time), and does not act
 *   while its suppressor's WaitPeriod runs after it goes to ALARM ("Suppressing composite alarm
 *   actions", CloudWatch user guide). Its rule is read as AWS defines it (stacks/monitoring/
 *   alarm-rule.ts); the children a full outage does not trip keep their state, OK.
 */
import {
  plural,
  parseAlarmRule,
  referencedAlarmName,
  type AlarmRuleNode,
  SYNTHETICS,
  scheduleInterval,
} from '@monitored/cloudwatch-model';
import type { CanaryInventory, MetricAlarmInventory, StageInventory } from './stage-inventory';

/** Metric alarms are evaluated once a minute. */
const EVALUATION_STEP_SECONDS = 60;

export interface AlarmDetection {
  readonly alarm: string;
  readonly seconds: number;
  readonly arithmetic: readonly string[];
}

export interface Detection {
  /** The alarm that pages: the composite whose actions notify. */
  readonly pagingAlarm: string;
  /** Until the paging alarm is in ALARM. */
  readonly alarmSeconds: number;
  /** Until its notification is sent. */
  readonly seconds: number;
  readonly minutes: number;
  readonly arithmetic: readonly string[];
}

const retries = (n: number) => plural(n, 'retry', 'retries');

/** Worst case until a metric alarm on a failing canary's metric is in ALARM. */
function canaryAlarmDetection(
  alarm: MetricAlarmInventory,
  canary: CanaryInventory,
): AlarmDetection {
  const interval = scheduleInterval(canary.expression);
  if (interval.kind !== 'every')
    throw new Error(`canary ${canary.name}: ${canary.expression} does not run on a schedule`);
  const attempts = 1 + canary.maxRetries;
  const runs = attempts * canary.timeoutSeconds;
  const moreRuns = (alarm.datapointsToAlarm - 1) * Math.max(interval.seconds, alarm.periodSeconds);
  const seconds = interval.seconds + moreRuns + runs + EVALUATION_STEP_SECONDS;
  const window = alarm.periodSeconds * alarm.evaluationPeriods;
  return {
    alarm: alarm.name,
    seconds,
    arithmetic: [
      `${alarm.name} (period ${alarm.periodSeconds} s, ${alarm.datapointsToAlarm} of ${alarm.evaluationPeriods}) on canary ${canary.name} (${canary.expression}, ${retries(canary.maxRetries)}, ${canary.timeoutSeconds} s timeout):`,
      `    ${interval.seconds} s until the next scheduled run (the outage starts just after a run passed)`,
      ...(moreRuns > 0
        ? [
            `  + ${moreRuns} s for ${alarm.datapointsToAlarm - 1} more failing run(s), one per period`,
          ]
        : []),
      `  + ${runs} s for the run${canary.maxRetries > 0 ? ` and its ${retries(canary.maxRetries)}` : ''} to fail (${attempts} × the ${canary.timeoutSeconds} s timeout, at most; a retry taken to start at once)`,
      `  + ${EVALUATION_STEP_SECONDS} s until the alarm's next evaluation (every minute)`,
      `  = ${seconds} s`,
      ...(runs + EVALUATION_STEP_SECONDS > window
        ? [
            `  note: the run and its retries can outlast the alarm's ${window} s window, so the failed run may never be evaluated`,
          ]
        : []),
    ],
  };
}

/**
 * When an AlarmRule turns TRUE in a full outage, in seconds from its start; Infinity: never. Each
 * child the outage trips (`tripsAt` gives its time) is OK before that time and ALARM from it; every
 * other child keeps the state it had: OK (the canaries go on running, so "not running" stays OK,
 * and no deploy is under way). A part that would turn FALSE again during the outage (NOT, or OK(),
 * of a child the outage trips) is refused: a single time cannot describe it.
 */
export function ruleTrueAfter(
  rule: string,
  tripsAt: (alarm: string) => number | undefined,
): number {
  const at = (node: AlarmRuleNode): number => {
    switch (node.kind) {
      case 'constant':
        return node.value ? 0 : Infinity;
      case 'or':
        return Math.min(at(node.left), at(node.right));
      case 'and':
        return Math.max(at(node.left), at(node.right));
      case 'not': {
        const inner = at(node.operand);
        if (inner === Infinity) return 0;
        if (inner === 0) return Infinity;
        throw new Error(
          `composite rule ${rule}: a NOT over what a full outage turns TRUE after ${inner} s is not modelled`,
        );
      }
      case 'state': {
        const tripped = tripsAt(referencedAlarmName(node.alarm));
        if (node.state === 'INSUFFICIENT_DATA') return Infinity;
        if (tripped === undefined) return node.state === 'OK' ? 0 : Infinity;
        if (node.state === 'ALARM') return tripped;
        throw new Error(
          `composite rule ${rule}: OK(${node.alarm}) turns FALSE when a full outage trips it, which is not modelled`,
        );
      }
    }
  };
  return at(parseAlarmRule(rule).root);
}

/**
 * Whether a full outage trips the alarm: it watches a journey's success. An alarm on whether a
 * canary runs at all (its SampleCount) does not, as the canaries go on running.
 */
function tripsOnFailure(alarm: MetricAlarmInventory): boolean {
  return (
    (alarm.metricName === SYNTHETICS.successPercent.name ||
      alarm.metricName === SYNTHETICS.successPercentWithRetries.name) &&
    alarm.statistic !== 'SampleCount'
  );
}

/**
 * The worst-case time until the stage pages for a full outage (every journey failing), through the
 * composite whose rule the journeys' alarms turn TRUE first (a composite over other alarms only,
 * such as the canaries' "not running", does not page for an outage).
 */
export function fullOutageDetection(inventory: StageInventory): Detection {
  const canaries = new Map(inventory.canaries.map((canary) => [canary.id, canary]));
  const journeyAlarms = new Map<string, AlarmDetection>();
  for (const alarm of inventory.metricAlarms) {
    const canary = alarm.canaryId === undefined ? undefined : canaries.get(alarm.canaryId);
    if (canary !== undefined && tripsOnFailure(alarm))
      journeyAlarms.set(alarm.name, canaryAlarmDetection(alarm, canary));
  }
  const results = inventory.compositeAlarms.flatMap((composite) => {
    const used: AlarmDetection[] = [];
    const alarmSeconds = ruleTrueAfter(composite.rule, (name) => {
      const detection = journeyAlarms.get(name);
      if (detection !== undefined) used.push(detection);
      return detection?.seconds;
    });
    if (alarmSeconds === Infinity) return [];
    const seconds = alarmSeconds + composite.actionsWaitSeconds;
    return [
      {
        pagingAlarm: composite.name,
        alarmSeconds,
        seconds,
        minutes: seconds / 60,
        arithmetic: [
          ...used.flatMap((detection) => detection.arithmetic),
          `${composite.name} = ${composite.rule}:`,
          `    ${alarmSeconds} s, when its rule turns TRUE (its other children stay as they were: the canaries go on running, no deploy is under way)`,
          `  + ${composite.actionsWaitSeconds} s while its actions wait for the suppressor alarm (wait period)`,
          `  = ${seconds} s = ${(seconds / 60).toFixed(1)} min until the notification is sent`,
        ],
      },
    ];
  });
  if (results.length === 0)
    throw new Error(
      `the ${inventory.stage} stack has no composite alarm that a full outage of its journeys turns to ALARM`,
    );
  return results.reduce((first, next) => (next.seconds < first.seconds ? next : first));
}
