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
 *   actions", CloudWatch user guide).
 */
import { plural } from '../../local/plural';
import { SYNTHETICS } from '../../stacks/monitoring/metrics';
import { scheduleInterval } from '../../stacks/monitoring/schedules';
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
export function canaryAlarmDetection(
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

type Rule =
  | { readonly kind: 'alarm'; readonly name: string }
  | { readonly kind: 'or' | 'and'; readonly parts: readonly Rule[] };

/** Parses a composite rule of ALARM(...) terms, AND, OR and parentheses (what a full outage trips). */
export function parseRule(rule: string): Rule {
  const tokens =
    rule.match(/ALARM\(\s*"[^"]*"\s*\)|ALARM\(\s*[^)"\s]+\s*\)|\(|\)|\bAND\b|\bOR\b|\S+/g) ?? [];
  let position = 0;
  const fail = (why: string): never => {
    throw new Error(`composite rule ${rule}: ${why}`);
  };
  const primary = (): Rule => {
    const token = tokens[position++];
    if (token === '(') {
      const inner = expression();
      if (tokens[position++] !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    const name = /^ALARM\(\s*"?([^")]+?)"?\s*\)$/.exec(token ?? '')?.[1];
    if (name === undefined)
      return fail(
        `"${token ?? 'its end'}" is not ALARM(...): only ALARM terms with AND and OR are modelled`,
      );
    return { kind: 'alarm', name };
  };
  const chain = (kind: 'and' | 'or', next: () => Rule): Rule => {
    const parts = [next()];
    while (tokens[position] === kind.toUpperCase()) {
      position++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0] : { kind, parts };
  };
  // AND binds tighter than OR, as in the CloudWatch rule syntax.
  const expression = (): Rule => chain('or', () => chain('and', primary));
  const parsed = expression();
  if (position !== tokens.length) fail(`unexpected "${tokens[position]}"`);
  return parsed;
}

/** The alarms a rule names. */
function childrenOf(rule: Rule): string[] {
  return rule.kind === 'alarm' ? [rule.name] : rule.parts.flatMap(childrenOf);
}

/** When a rule becomes true in a full outage, given when each alarm goes to ALARM. */
function ruleSeconds(rule: Rule, alarmSeconds: (name: string) => number): number {
  if (rule.kind === 'alarm') return alarmSeconds(rule.name);
  const times = rule.parts.map((part) => ruleSeconds(part, alarmSeconds));
  return rule.kind === 'or' ? Math.min(...times) : Math.max(...times);
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
 * composites over the journeys' alarms (a composite over other alarms, such as the canaries' "not
 * running", does not page for an outage).
 */
export function fullOutageDetection(inventory: StageInventory): Detection {
  const canaries = new Map(inventory.canaries.map((canary) => [canary.id, canary]));
  const journeyAlarms = new Map<string, AlarmDetection>();
  for (const alarm of inventory.metricAlarms) {
    const canary = alarm.canaryId === undefined ? undefined : canaries.get(alarm.canaryId);
    if (canary !== undefined && tripsOnFailure(alarm))
      journeyAlarms.set(alarm.name, canaryAlarmDetection(alarm, canary));
  }
  const pagers = inventory.compositeAlarms.filter((composite) =>
    childrenOf(parseRule(composite.rule)).every((name) => journeyAlarms.has(name)),
  );
  if (pagers.length === 0)
    throw new Error(
      `the ${inventory.stage} stack has no composite alarm over its journeys' alarms that pages`,
    );
  const results = pagers.map((composite) => {
    const rule = parseRule(composite.rule);
    const used: AlarmDetection[] = [];
    const alarmSeconds = ruleSeconds(rule, (name) => {
      const detection = journeyAlarms.get(name)!;
      used.push(detection);
      return detection.seconds;
    });
    const seconds = alarmSeconds + composite.actionsWaitSeconds;
    return {
      pagingAlarm: composite.name,
      alarmSeconds,
      seconds,
      minutes: seconds / 60,
      arithmetic: [
        ...used.flatMap((detection) => detection.arithmetic),
        `${composite.name} = ${composite.rule}: ${alarmSeconds} s (the ${rule.kind === 'and' ? 'last' : 'first'} of its children)`,
        `  + ${composite.actionsWaitSeconds} s while its actions wait for the suppressor alarm (wait period)`,
        `  = ${seconds} s = ${(seconds / 60).toFixed(1)} min until the notification is sent`,
      ],
    };
  });
  return results.reduce((first, next) => (next.seconds < first.seconds ? next : first));
}
