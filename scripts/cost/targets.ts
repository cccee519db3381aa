import type { Stage } from '../../stacks/config';

/**
 * What the monitoring must stay within (issue 10's goals, README "Canaries"): its monthly cost per
 * stage, and the worst-case time until prod pages for a full outage. `npm run cost` and
 * `npm run bench` show each figure beside these.
 */
export const MONITORING_BUDGET_USD: Readonly<Record<Stage, number>> = {
  // $3 until the "canaries not running" composite (issue 19: a new stage's canaries must have
  // time for their first runs before "not running" may notify), which costs $0.50: dev's
  // monitoring is $3.35 with it. The owner's call; see README, "Canaries".
  dev: 3.5,
  prod: 15,
};
export const PROD_DETECTION_TARGET_MINUTES = 10;
