/**
 * The names of the stage's alarms and dashboard, from the one naming helper. The alarms, the
 * dashboard, the deploy pipeline (which sets the deploy alarm) and the local monitor read them.
 * No cdktf imports.
 */
import { physicalName } from '@monitored/cdktf-monitoring';

/** `<prefix>-<what>`, e.g. `msgs-prod-api-journey-failing`. */
export function alarmName(namePrefix: string, what: string): string {
  return physicalName(namePrefix, what, 'cloudwatchAlarm');
}

/**
 * The alarm a deploy holds in ALARM while it runs (`npm run deploy-alarm -- <stage> set`, then
 * `clear`); while it is in ALARM, the "site down" composite sends nothing.
 */
export function deployAlarmName(namePrefix: string): string {
  return alarmName(namePrefix, 'deploy-in-progress');
}

/**
 * The composite alarm that pages: a journey failing, or a canary not running outside the hours
 * after a deploy.
 */
export function siteDownAlarmName(namePrefix: string): string {
  return alarmName(namePrefix, 'site-down');
}

/**
 * The alarm in ALARM for a while after each hold or release of the deploy alarm: while it is, a
 * canary's "not running" does not page (its first run may still be to come).
 */
export function deployedRecentlyAlarmName(namePrefix: string): string {
  return alarmName(namePrefix, 'deployed-recently');
}

/** The stage's dashboard (dashboards are global: the name carries the stage). */
export function dashboardName(namePrefix: string): string {
  return physicalName(namePrefix, 'health', 'cloudwatchDashboard');
}
