import type { Stage } from '../../stacks/config';

/**
 * What the monitoring must stay within (issue 10's goals, README "Canaries"): its monthly cost per
 * stage, and the worst-case time until prod pages for a full outage. `npm run cost` and
 * `npm run bench` show each figure beside these.
 */
export const MONITORING_BUDGET_USD: Readonly<Record<Stage, number>> = { dev: 3, prod: 15 };
export const PROD_DETECTION_TARGET_MINUTES = 10;
