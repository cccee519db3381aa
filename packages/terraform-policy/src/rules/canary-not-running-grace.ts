import {
  AlarmRuleError,
  longestEvaluationSeconds,
  runsWithinSeconds,
} from '@monitored/cloudwatch-model';
import { alarmRuleNames, notifyingComposites, ruleHolds, ruleOf } from '../composites';
import {
  block,
  isJsonObject,
  strings,
  type TerraformModule,
  type JsonObject,
  type Resource,
} from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

/**
 * A missing run is no evidence either way until the canary should have run: an alarm that treats
 * a canary's missing data as breaching is in ALARM from its first evaluation on a new stage, whose
 * canaries have not run yet (a cron canary first runs at its next time: up to a whole interval).
 * Such an alarm deploys cleanly and then emails an ALARM for every new or re-created stage. So it
 * may not notify by itself: it pages through a composite whose rule names it under a guard, a
 * "deployed recently" alarm (`... AND NOT ALARM(deployed recently)`):
 * - with the alarm in ALARM and every other child OK the rule is TRUE (a silent canary pages), and
 *   with the guard in ALARM too it is FALSE;
 * - the guard counts the data of the composite's actions suppressor, the deploy alarm, that a
 *   deploy's hold and release send: SampleCount >= 1 in 1 of N, missing data not breaching;
 * - its range, Period × EvaluationPeriods, covers the canary's interval and its run with retries
 *   (runsWithinSeconds), and is within what PutMetricAlarm takes: a day for a period under an
 *   hour (longestEvaluationSeconds), so a schedule that would need more fails synth here;
 * - the composite waits at least a minute for its suppressor (WaitPeriod): on a new stage the
 *   composite can evaluate while the guard has no state yet ("ALARM(...) is TRUE if the named
 *   alarm is in ALARM state", PutCompositeAlarm: not in INSUFFICIENT_DATA, so NOT ALARM(guard) is
 *   TRUE), and the deploy alarm, evaluated every minute, must reach ALARM first: "the maximum time
 *   in seconds that the composite alarm waits for the suppressor alarm to go into the ALARM state"
 *   (ActionsSuppressorWaitPeriod, PutCompositeAlarm).
 * Any of these wrong deploys and fails only on the next new stage.
 */
export const canaryNotRunningGrace: PolicyRule = {
  id: 'canary-not-running-grace',
  description:
    "An alarm on a canary's missing runs pages only through a composite, guarded by a deployed-recently alarm that covers the canary's first run",
  resourceTypes: ['aws_cloudwatch_metric_alarm'],
  check(alarm, stack) {
    if (alarm.config.treat_missing_data !== 'breaching') return undefined;
    const dimensions = alarm.config.dimensions;
    const canary = isJsonObject(dimensions)
      ? stack.referencedBy(dimensions.CanaryName, 'aws_synthetics_canary')
      : undefined;
    if (canary === undefined) return undefined;
    const canaryRef = `canary aws_synthetics_canary.${canary.name}`;

    if (strings(alarm.config.alarm_actions).length > 0)
      return `it treats missing data as breaching and notifies by itself: it would send ALARM as soon as it is created, before ${canaryRef} has run; page through a composite alarm that a deployed-recently alarm guards`;
    const composites = notifyingComposites(stack, alarm);
    if (composites.length === 0)
      return `no composite alarm with alarm and OK actions names it in its rule: nobody would hear that ${canaryRef} stopped`;

    const schedule = block(canary.config.schedule);
    const run = block(canary.config.run_config);
    const expression = schedule?.expression;
    const retries = block(schedule?.retry_config)?.max_retries ?? 0;
    const timeout = run?.timeout_in_seconds;
    if (
      typeof expression !== 'string' ||
      typeof retries !== 'number' ||
      typeof timeout !== 'number'
    )
      return `${canaryRef} states no schedule expression, retries and timeout to wait for`;
    let needed: number;
    try {
      needed = runsWithinSeconds({ expression, maxRetries: retries, timeoutSeconds: timeout });
    } catch (error: unknown) {
      return `${canaryRef}: ${error instanceof Error ? error.message : String(error)}`;
    }
    const firstRun = `${needed} s ${canaryRef} can take to first run (${expression}, then ${1 + retries} × ${timeout} s)`;

    const problems = composites.flatMap((composite) =>
      compositeProblems(composite, alarm, stack, firstRun, needed),
    );
    return problems.length > 0 ? problems.join('; ') : undefined;
  },
};

function compositeProblems(
  composite: Resource,
  alarm: Resource,
  stack: TerraformModule,
  firstRun: string,
  needed: number,
): string[] {
  const where = `composite aws_cloudwatch_composite_alarm.${composite.name}`;
  const name = String(alarm.config.alarm_name);
  const suppressor = block(composite.config.actions_suppressor);
  if (suppressor === undefined)
    return [
      `${where} has no actions suppressor: on a new stage it may page before its guard has a state, and during every deploy`,
    ];
  const wait = suppressor.wait_period;
  if (typeof wait !== 'number' || wait < 60)
    return [
      `${where} waits ${String(wait)} s for its suppressor (wait_period), less than the minute between two evaluations of it`,
    ];
  const rule = ruleOf(composite);
  if (rule instanceof AlarmRuleError) return [`${where}: ${rule.message}`];
  if (!ruleHolds(rule, { [name]: 'ALARM' }))
    return [
      `${where}'s rule is not TRUE with ${name} in ALARM and its other children OK: a canary that stops would never page`,
    ];

  const metricAlarms = stack.ofType('aws_cloudwatch_metric_alarm');
  const guards = alarmRuleNames(rule)
    .filter((child) => child !== name && !ruleHolds(rule, { [name]: 'ALARM', [child]: 'ALARM' }))
    .flatMap((child) => metricAlarms.filter((candidate) => candidate.config.alarm_name === child));
  if (guards.length === 0)
    return [
      `${where} pages as soon as ${name} is created: no child of its rule keeps it quiet (e.g. AND NOT ALARM of a deployed-recently alarm), so a new stage's canaries are reported before their first run`,
    ];

  const deployAlarm = metricAlarms.find(
    (candidate) => candidate.config.alarm_name === suppressor.alarm,
  );
  if (deployAlarm === undefined)
    return [
      `${where}'s actions suppressor ${String(suppressor.alarm)} is no metric alarm of the stack: its guard cannot be checked against the deploy's data`,
    ];
  const counting = guards.filter((guard) => countsDeploys(guard.config, deployAlarm.config));
  if (counting.length === 0)
    return [
      `${where}'s guard ${guards.map((guard) => String(guard.config.alarm_name)).join(', ')} does not count the deploys: it must be SampleCount >= 1 in 1 of N of ${String(deployAlarm.config.namespace)} ${String(deployAlarm.config.metric_name)} (the data of the suppressor ${String(suppressor.alarm)}), missing data not breaching`,
    ];
  const problems = counting.map((guard) => {
    const period = Number(guard.config.period);
    const range = period * Number(guard.config.evaluation_periods);
    const guardName = `guard ${String(guard.config.alarm_name)}`;
    if (range > longestEvaluationSeconds(period))
      return `${guardName} reads ${range} s (period × evaluation_periods), more than the ${longestEvaluationSeconds(period)} s PutMetricAlarm takes for a ${period} s period; the ${firstRun} needs a shorter schedule`;
    if (range < needed)
      return `${guardName} covers ${range} s after a deploy, less than the ${firstRun}`;
    return undefined;
  });
  return problems.includes(undefined) ? [] : [`${where}'s ${problems.join(', and ')}`];
}

/**
 * Whether an alarm counts the deploy alarm's datapoints, a release's as much as a hold's: its
 * SampleCount at 1 or more in 1 of N, missing data not breaching (breaching would keep it in
 * ALARM, and the canary would never page).
 */
function countsDeploys(guard: JsonObject, deployAlarm: JsonObject): boolean {
  const sameMetric = (['namespace', 'metric_name'] as const).every(
    (key) => guard[key] === deployAlarm[key],
  );
  const sameDimensions =
    JSON.stringify(guard.dimensions ?? {}) === JSON.stringify(deployAlarm.dimensions ?? {});
  const threshold = guard.threshold;
  const anySample =
    typeof threshold === 'number' &&
    ((guard.comparison_operator === 'GreaterThanOrEqualToThreshold' && threshold <= 1) ||
      (guard.comparison_operator === 'GreaterThanThreshold' && threshold < 1));
  // Without datapoints_to_alarm, M is N (PutMetricAlarm).
  const oneOfN = (guard.datapoints_to_alarm ?? guard.evaluation_periods) === 1;
  return (
    sameMetric &&
    sameDimensions &&
    guard.statistic === 'SampleCount' &&
    anySample &&
    oneOfN &&
    guard.treat_missing_data !== 'breaching' &&
    typeof guard.period === 'number' &&
    typeof guard.evaluation_periods === 'number'
  );
}
