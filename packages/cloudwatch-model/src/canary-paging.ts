/**
 * The thresholds of a canary that pages without paging a new stage: each canary's three alarms,
 * the "deploy in progress" alarm a deploy holds (deploy-hold.ts), the "deployed recently" alarm
 * that guards a canary's "not running" for as long as its first run may take, and how the paging
 * composite waits on the deploy alarm. Data and arithmetic only: @monitored/cdktf-monitoring's
 * CanaryPaging builds the alarms from them, and a cost model or a docs table can read them alike.
 */
import { EVALUATION_RANGE_EXTRA_PERIODS, type Threshold } from './alarm-model';
import { DEPLOY_HOLD_SECONDS } from './deploy-hold';
import { deployInProgressMetric, SYNTHETICS } from './metrics';
import { runsWithinSeconds, type CanarySchedule } from './schedules';

/** What a canary's alarms are built from: its schedule's interval and retries. */
export interface CanaryAlarmSettings {
  /** The seconds between two scheduled runs: one run per alarm period. */
  readonly intervalSeconds: number;
  readonly retries: number;
  /**
   * What to look at first when the journey fails: what a failed run of this canary leaves
   * (a browser journey takes screenshots), and where its requests are logged.
   * @default "the canary's failed run"
   */
  readonly journeyCheckFirst?: string;
}

/** "Not running" reads this many periods of one interval, and alarms when all of them are empty. */
export const NOT_RUNNING_PERIODS = 2;

/** `6 minutes`, `1 hour`, `12 hours`: a whole number of minutes or hours in words. */
function durationInWords(seconds: number): string {
  const [count, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [seconds / 60, 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * The three alarms of one canary. Periods follow the schedule: one run per period. With retries
 * on, a run that a retry fixed must not page, so "failing" watches SuccessPercentWithRetries (one
 * value per scheduled run, after all its attempts). "Not running" reads 2 of 2 periods: it goes to
 * ALARM only once its whole evaluation range (N + 2 periods as the local engine reads it: 4
 * intervals; on AWS at least 3) has no run, so a run that comes late or is skipped once never
 * alarms, and a stopped canary is seen 4 intervals after its last run. It treats missing data as
 * breaching, so it is in ALARM before a new canary's first run too: it pages only through a
 * composite that a "deployed recently" alarm guards (CanaryPaging in @monitored/cdktf-monitoring).
 */
export function canaryThresholds(settings: CanaryAlarmSettings) {
  const success =
    settings.retries > 0 ? SYNTHETICS.successPercentWithRetries : SYNTHETICS.successPercent;
  // A run's SampleCount is never below 1, so "not running" (missing data breaching) fills missing
  // periods only while fewer than N real ones are in its range, and reaches ALARM only once no
  // period of its whole evaluation range holds a run (user guide, "How alarm state is evaluated
  // when data is missing": with fewer real points than N, "all real data points in the evaluation
  // range are included"). The time that takes, as the local engine evaluates it:
  const silentIntervals = NOT_RUNNING_PERIODS + EVALUATION_RANGE_EXTRA_PERIODS;
  return {
    journeyFailing: {
      metric: success,
      statistic: 'Average',
      comparison: 'LessThanThreshold',
      threshold: 100,
      periodSeconds: settings.intervalSeconds,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      why: 'one scheduled run that failed after its retries: the journey a person takes is broken',
      broke: 'The journey failed: a step a person takes did not work, even after a retry.',
      checkFirst: settings.journeyCheckFirst ?? "the canary's failed run",
    },
    notRunning: {
      metric: success,
      statistic: 'SampleCount',
      comparison: 'LessThanThreshold',
      threshold: 1,
      periodSeconds: settings.intervalSeconds,
      evaluationPeriods: NOT_RUNNING_PERIODS,
      datapointsToAlarm: NOT_RUNNING_PERIODS,
      // No data is the point: a stopped or deleted canary publishes nothing.
      treatMissingData: 'breaching',
      why: `no run at all in the whole evaluation range (${silentIntervals} intervals): the canary was stopped, deleted, or cannot start`,
      broke: `The canary has not run for ${silentIntervals} of its intervals (${durationInWords(silentIntervals * settings.intervalSeconds)}): nothing is watching this journey.`,
      checkFirst:
        "the canary's state in the console (stopped? error?), then its execution role and runtime",
    },
    broken: {
      metric: SYNTHETICS.failed,
      statistic: 'Sum',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      periodSeconds: settings.intervalSeconds,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      why: 'a run that failed to execute: the canary itself (script, role, runtime, bucket) is broken, not the site',
      broke:
        'The canary itself failed to run (its script, role, runtime or artifact bucket), so the journey was not checked.',
      checkFirst:
        "the canary's own log group for the error, then its role's permissions and the artifact bucket",
    },
  } satisfies Record<string, Threshold>;
}

/** The deploy alarm's metric and the words its description needs. */
export interface DeployHoldSettings {
  /** The namespace of the hold's metric (deployInProgressMetric): the stage's own. */
  readonly namespace: string;
  /** What a hold keeps quiet, in words, e.g. `its "site down" alarm`. */
  readonly quieted: string;
  /** The command a person runs to release a hold nobody released. */
  readonly releaseCommand: string;
}

/**
 * The "deploy in progress" alarm: in ALARM while a deploy holds it, until the deploy releases it
 * or the hold is older than its evaluation (deploy-hold.ts). Minutes, 1 of DEPLOY_HOLD_SECONDS'
 * worth: "M out of N" with missing data not breaching counts every real datapoint of the
 * evaluation range and fills the rest as not breaching (user guide, "How CloudWatch alarms treat
 * missing data", its 1-of-N rows), so one held minute anywhere in it is an ALARM, a released one
 * (Sum 0) is not, and a hold older than the range is OK again. One period of 2 hours would not
 * end: with fewer than N real datapoints AWS still uses "all real data points in the evaluation
 * range", which reaches periods back, and for a 2-hour period that is hours.
 */
export function deployHoldThreshold(settings: DeployHoldSettings) {
  const holdLasts = durationInWords(DEPLOY_HOLD_SECONDS);
  return {
    metric: deployInProgressMetric(settings.namespace),
    statistic: 'Sum',
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    periodSeconds: 60,
    evaluationPeriods: DEPLOY_HOLD_SECONDS / 60,
    datapointsToAlarm: 1,
    // No hold in the range is no deploy: OK, also for an alarm that never saw one.
    treatMissingData: 'notBreaching',
    why: `a hold a deploy sent and did not release, for ${holdLasts}: a deploy is under way and paging waits for it`,
    broke: `A deploy holds this stage: ${settings.quieted} sends nothing until it is released, or until the hold ends by itself about ${holdLasts} after it was taken.`,
    checkFirst: `whether a deploy of the stage is running (the pipeline, or someone by hand); if none is, release it: ${settings.releaseCommand}`,
  } satisfies Threshold;
}

/**
 * How a composite alarm waits on its actions suppressor, the deploy alarm ("Suppressing composite
 * alarm actions", CloudWatch user guide, Create_Composite_Alarm_Suppression.html): WaitPeriod, how
 * long a change of the composite waits for the suppressor to reach ALARM before it acts;
 * ExtensionPeriod, how long it stays quiet after the suppressor leaves ALARM, after which "composite
 * alarms take actions that are based on their current states".
 */
export interface Suppression {
  readonly waitSeconds: number;
  readonly extensionSeconds: number;
}

/**
 * The paging composite's suppression: a minute's wait, as AWS recommends for a suppressor that
 * changes within a minute (every minute of it is a minute later to page); after a deploy, long
 * enough for the given canary to run once more with its retries, so that a journey alarm left
 * over from the deploy clears before the composite may page.
 */
export function pagingSuppression(settlingCanary: CanarySchedule): Suppression {
  return { waitSeconds: 60, extensionSeconds: runsWithinSeconds(settlingCanary) + 60 };
}

/**
 * Time for Synthetics to start a canary it has just created (its function and layer are made
 * first) and for the "not running" alarm to see the first run: a margin beyond the first run's
 * own time. AWS states neither; this is generous.
 */
export const FIRST_RUN_MARGIN_SECONDS = 300;

/**
 * How long after a deploy a canary's silence is no evidence: the longest of the canaries'
 * runsWithinSeconds (until its next scheduled time, then the run with its retries: a new canary's
 * first run comes within it, a cron up to a whole interval after its creation), and a margin.
 */
export function newCanaryGraceSeconds(canaries: readonly CanarySchedule[]): number {
  return Math.max(...canaries.map(runsWithinSeconds)) + FIRST_RUN_MARGIN_SECONDS;
}

/**
 * The "deployed recently" alarm on the deploy alarm's metric (in `namespace`): in ALARM while a
 * deploy's hold or release is within the last `graceSeconds` (newCanaryGraceSeconds), in
 * one-minute periods. It watches the metric's SampleCount: a hold (+1) and a release (its -1 at
 * the held minute, and a 0 at the minute of the release: deploy-hold.ts) are all datapoints,
 * though a released minute's Sum is 0, so it counts from the end of the deploy as much as from
 * its start. 1 of N with missing data not breaching: any such minute in the range is an ALARM (the
 * 1-of-N rows of "How alarm state is evaluated when data is missing"), none is OK, also for an
 * alarm that never saw a deploy. It has no actions: the paging composite reads it, to keep a
 * canary's "not running" from paging while the canary may not have run yet. Its evaluation can be
 * a day at most (longestEvaluationSeconds): @monitored/terraform-policy's rule
 * canary-not-running-grace fails synth for a schedule whose grace would need more.
 */
export function deployedRecentlyThreshold(namespace: string, graceSeconds: number) {
  const periodSeconds = 60;
  const minutes = Math.ceil(graceSeconds / periodSeconds);
  return {
    metric: deployInProgressMetric(namespace),
    statistic: 'SampleCount',
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    periodSeconds,
    evaluationPeriods: minutes,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: `a deploy's hold or release in the last canary interval, run and retries and ${durationInWords(FIRST_RUN_MARGIN_SECONDS)}: a canary's silence may be a first run still to come`,
    broke: `A deploy of this stage was held or released in the last ${minutes} minutes: until then a canary that has not run is not reported (its first run may still be to come). It sends nothing itself.`,
    checkFirst:
      'which deploy of the stage ran in that time (the pipeline, or someone by hand), if a canary\'s "not running" is in ALARM meanwhile',
  } satisfies Threshold;
}
