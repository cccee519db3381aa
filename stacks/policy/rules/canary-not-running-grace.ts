import { runsWithinSeconds } from '../../monitoring/schedules';
import { notifyingComposites } from '../composites';
import { block, isJsonObject, strings } from '../json';
import type { PolicyRule } from '../types';

/**
 * A missing run is no evidence either way until the canary should have run: an alarm that treats
 * a canary's missing data as breaching is in ALARM from its first evaluation on a new stage, whose
 * canaries have not run yet (a cron canary first runs at its next time: up to a whole interval).
 * Such an alarm deploys cleanly and then emails an ALARM for every new or re-created stage. So it
 * may not notify by itself: a composite over it notifies, with an actions suppressor (the deploy
 * alarm a deploy holds) whose ExtensionPeriod, counted from the end of the deploy, covers the
 * canary's interval and its run with retries, and whose WaitPeriod gives the suppressor the
 * minute CloudWatch takes to evaluate it ("Suppressing composite alarm actions", CloudWatch user
 * guide). An extension shorter than that deploys and fails only on the next new stage.
 */
export const canaryNotRunningGrace: PolicyRule = {
  id: 'canary-not-running-grace',
  description:
    "An alarm on a canary's missing runs notifies only through a composite whose suppressor waits for the canary's first run",
  resourceTypes: ['aws_cloudwatch_metric_alarm'],
  check(alarm, stack) {
    if (alarm.config.treat_missing_data !== 'breaching') return undefined;
    const dimensions = alarm.config.dimensions;
    const canary = isJsonObject(dimensions)
      ? stack.referencedBy(dimensions.CanaryName, 'aws_synthetics_canary')
      : undefined;
    if (canary === undefined) return undefined;

    if (strings(alarm.config.alarm_actions).length > 0)
      return `it treats missing data as breaching and notifies by itself: it would send ALARM as soon as it is created, before canary aws_synthetics_canary.${canary.name} has run; notify through a composite alarm whose actions suppressor waits for the first run`;
    const composites = notifyingComposites(stack, alarm);
    if (composites.length === 0)
      return `no composite alarm with alarm and OK actions names it in its rule: nobody would hear that canary aws_synthetics_canary.${canary.name} stopped`;

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
      return `canary aws_synthetics_canary.${canary.name} states no schedule expression, retries and timeout to wait for`;
    let needed: number;
    try {
      needed = runsWithinSeconds({ expression, maxRetries: retries, timeoutSeconds: timeout });
    } catch (error: unknown) {
      return `canary aws_synthetics_canary.${canary.name}: ${error instanceof Error ? error.message : String(error)}`;
    }

    const problems = composites.flatMap((composite) => {
      const suppressor = block(composite.config.actions_suppressor);
      const where = `composite aws_cloudwatch_composite_alarm.${composite.name}`;
      if (suppressor === undefined)
        return [
          `${where} has no actions suppressor, so it sends ALARM before canary aws_synthetics_canary.${canary.name} has first run`,
        ];
      const { extension_period: extension, wait_period: wait } = suppressor;
      return [
        ...(typeof extension !== 'number' || extension < needed
          ? [
              `${where} waits ${String(extension)} s after a deploy (extension_period), less than the ${needed} s canary aws_synthetics_canary.${canary.name} can take to first run (${expression}, then ${1 + retries} × ${timeout} s)`,
            ]
          : []),
        ...(typeof wait !== 'number' || wait < 60
          ? [
              `${where} waits ${String(wait)} s for its suppressor (wait_period), less than the minute between two evaluations of it`,
            ]
          : []),
      ];
    });
    return problems.length > 0 ? problems.join('; ') : undefined;
  },
};
