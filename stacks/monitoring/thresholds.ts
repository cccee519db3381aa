/**
 * Every alarm threshold of the project and the reason for it, in one table. The alarms, the README
 * and the cost model read it. No cdktf imports.
 */
import type { CanaryName } from '../../contract/canaries';
import {
  DEPLOY_HOLD_SECONDS,
  runsWithinSeconds,
  type CanarySchedule as ScheduleSettings,
  API_GATEWAY,
  deployInProgressMetric,
  DYNAMODB,
  LAMBDA,
  CLOUDFRONT,
  SYNTHETICS,
  type Threshold,
} from '@monitored/cloudwatch-model';

const FIVE_MINUTES = 300;

/**
 * The services' alarms. Metrics that only have data when something happens (errors, throttles)
 * treat missing data as not breaching, so the alarm returns to OK when the trouble stops. That
 * includes the DynamoDB ones: AWS now documents that alarms on AWS/DynamoDB only *default* to
 * ignoring missing data, and an explicit treatment overrides it ("You can override this if you
 * choose a different option", CloudWatch user guide, alarms-and-missing-data.html; the 2023 text,
 * still in older SDK references of PutMetricAlarm, said "always"); with `ignore` a throttle alarm
 * would stay in ALARM forever after one throttle.
 */
export const SERVICE_THRESHOLDS = {
  apiServerErrorRate: {
    metric: API_GATEWAY.serverErrors,
    // 5xx is 0 or 1 per request, so its Average is the share of requests that failed.
    statistic: 'Average',
    comparison: 'GreaterThanThreshold',
    threshold: 0.05,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
    why: 'more than 5% of requests failed on our side in two of three 5-minute periods: a rate, so quiet hours with one failure in a handful of requests do not page, and two periods so one bad minute does not either',
    broke:
      'More than 5% of API requests were answered with a 5xx (by the function or by API Gateway).',
    checkFirst:
      'the recent-errors log widget, then the function and DynamoDB graphs on the dashboard',
  },
  functionErrors: {
    metric: LAMBDA.errors,
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: 'the handler answers every error itself, so any Lambda error is a crash, an init failure or a timeout',
    broke: 'The function crashed, failed to start, or timed out (Lambda counted a function error).',
    checkFirst: 'the function log group for "Task timed out", "Runtime." or an uncaught exception',
  },
  functionThrottles: {
    metric: LAMBDA.throttles,
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: 'API Gateway throttles requests before they reach the function, so a Lambda throttle means the account concurrency is exhausted by something else',
    broke:
      'Lambda refused invocations of the function (throttled): the account is out of concurrency.',
    checkFirst:
      "the account's ConcurrentExecutions across all functions, and recent deploys of other functions",
  },
  functionDurationNearTimeout: {
    metric: LAMBDA.duration,
    statistic: 'Maximum',
    comparison: 'GreaterThanThreshold',
    // Set from the function's timeout where the alarm is built: this is the share of it.
    threshold: 0.8,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
    why: 'the slowest invocation above 80% of the timeout in two of three periods: requests are about to time out (the DynamoDB client gives up in under 3 s, so this means something else is slow)',
    broke: 'The slowest invocations came within 20% of the function timeout.',
    checkFirst: 'the slowest-requests log widget and DynamoDB latency',
  },
  tableReadThrottles: {
    metric: DYNAMODB.readThrottleEvents,
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: 'an on-demand table throttles only past its account-level or doubled-peak limits: any throttle is news',
    broke: 'DynamoDB throttled reads of the messages table.',
    checkFirst: "the table's consumed read capacity and the API request count on the dashboard",
  },
  tableWriteThrottles: {
    metric: DYNAMODB.writeThrottleEvents,
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: 'every create writes the one counter item, the first thing to throttle under a burst of creates',
    broke:
      'DynamoDB throttled writes to the messages table (every create writes the counter item).',
    checkFirst: 'the create rate (API Count) and transaction conflicts on the dashboard',
  },
  tableSystemErrors: {
    metric: DYNAMODB.systemErrors,
    statistic: 'Sum',
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: "a 500 from DynamoDB is on AWS's side; the function retries, but repeated ones reach users as 503s",
    broke: 'DynamoDB answered requests of the function with internal errors (HTTP 500).',
    checkFirst: 'the AWS Health Dashboard for DynamoDB in this region, then the API 5xx graph',
  },
  websiteServerErrorRate: {
    metric: CLOUDFRONT.errorRate5xx,
    statistic: 'Average',
    comparison: 'GreaterThanThreshold',
    // 5xxErrorRate is already a percentage.
    threshold: 5,
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
    why: 'more than 5% of page requests failing at CloudFront in two of three periods; only where the stage is in us-east-1, where CloudFront publishes its metrics',
    broke:
      'More than 5% of website requests got a 5xx from CloudFront (the bucket or the distribution).',
    checkFirst:
      "the CloudFront graphs, then the bucket policy and the distribution's origin access control",
  },
} satisfies Record<string, Threshold>;

/** The canary alarms, built per canary from its schedule and retries (see canaryThresholds). */
export interface CanarySchedule {
  readonly intervalSeconds: number;
  readonly retries: number;
  /** Which journey: what its failed run leaves to look at differs (a browser takes screenshots). */
  readonly journey: CanaryName;
}

/** "Not running" reads this many periods of one interval, and alarms when all of them are empty. */
const NOT_RUNNING_PERIODS = 2;

/** What a failed run of each journey leaves to look at first, on the canary's page. */
const FAILED_RUN_EVIDENCE: Readonly<Record<CanaryName, string>> = {
  website: 'its failed step and screenshot',
  api: "its failed step's error and request ids",
};

/**
 * How many periods CloudWatch reads beyond an alarm's N evaluation periods (its evaluation range).
 * AWS says only that it retrieves "a number of data points that is greater than Evaluation
 * Periods", with one example: "the evaluation range is 5" for 3 evaluation periods (user guide,
 * "How alarm state is evaluated when data is missing"). This project takes N + 2 for every alarm:
 * the local engine evaluates so, and the times stated from it (a stopped canary seen, a hold that
 * ends by itself) are as the engine evaluates them; on AWS they are at least N + 1 periods.
 */
export const EVALUATION_RANGE_EXTRA_PERIODS = 2;

/** `6 minutes`, `1 hour`, `12 hours`: a schedule's interval in words. */
function intervalInWords(seconds: number): string {
  const [count, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [seconds / 60, 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * The three alarms of one canary. Periods follow the schedule: one run per period. With retries
 * on, a run that a retry fixed must not page, so "failing" watches SuccessPercentWithRetries (one
 * value per scheduled run, after all its attempts). "Not running" reads 2 of 2 periods: it goes to
 * ALARM only once its whole evaluation range (N + 2 periods as the engine reads it: 4 intervals;
 * on AWS at least 3) has no run, so a run that comes late or is skipped once never alarms, and a
 * stopped canary is seen 4 intervals after its last run (it was 6, with one period of two
 * intervals: a range of 3 such periods).
 */
export function canaryThresholds(schedule: CanarySchedule) {
  const success =
    schedule.retries > 0 ? SYNTHETICS.successPercentWithRetries : SYNTHETICS.successPercent;
  // A run's SampleCount is never below 1, so "not running" (missing data breaching) fills missing
  // periods only while fewer than N real ones are in its range, and reaches ALARM only once no
  // period of its whole evaluation range holds a run (user guide, "How alarm state is evaluated
  // when data is missing": with fewer real points than N, "all real data points in the evaluation
  // range are included"). The time that takes, as the engine evaluates it:
  const silentIntervals = NOT_RUNNING_PERIODS + EVALUATION_RANGE_EXTRA_PERIODS;
  return {
    journeyFailing: {
      metric: success,
      statistic: 'Average',
      comparison: 'LessThanThreshold',
      threshold: 100,
      periodSeconds: schedule.intervalSeconds,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      why: 'one scheduled run that failed after its retries: the journey a person takes is broken',
      broke: 'The journey failed: a step a person takes did not work, even after a retry.',
      checkFirst: `the canary's failed run (${FAILED_RUN_EVIDENCE[schedule.journey]}), then the canary-marked requests in the logs`,
    },
    notRunning: {
      metric: success,
      statistic: 'SampleCount',
      comparison: 'LessThanThreshold',
      threshold: 1,
      periodSeconds: schedule.intervalSeconds,
      evaluationPeriods: NOT_RUNNING_PERIODS,
      datapointsToAlarm: NOT_RUNNING_PERIODS,
      // No data is the point: a stopped or deleted canary publishes nothing.
      treatMissingData: 'breaching',
      why: `no run at all in the whole evaluation range (${silentIntervals} intervals): the canary was stopped, deleted, or cannot start`,
      broke: `The canary has not run for ${silentIntervals} of its intervals (${intervalInWords(silentIntervals * schedule.intervalSeconds)}): nothing is watching this journey.`,
      checkFirst:
        "the canary's state in the console (stopped? error?), then its execution role and runtime",
    },
    broken: {
      metric: SYNTHETICS.failed,
      statistic: 'Sum',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      periodSeconds: schedule.intervalSeconds,
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

/**
 * The "deploy in progress" alarm of the stage whose name prefix is given: in ALARM while a deploy
 * holds it (`npm run deploy-alarm -- <stage> set`), until the deploy releases it (`clear`) or the
 * hold is older than its evaluation (deploy-hold.ts). Minutes, 1 of DEPLOY_HOLD_SECONDS' worth:
 * "M out of N" with missing data not breaching counts every real datapoint of the evaluation range
 * and fills the rest as not breaching (user guide, "How CloudWatch alarms treat missing data", its
 * 1-of-N rows), so one held minute anywhere in it is an ALARM, a released one (Sum 0) is not, and
 * a hold older than the range is OK again. One period of 2 hours would not end: with fewer than N
 * real datapoints AWS still uses "all real data points in the evaluation range", which reaches
 * periods back, and for a 2-hour period that is hours.
 */
export function deployHoldThreshold(stageNamePrefix: string) {
  return {
    metric: deployInProgressMetric(stageNamePrefix),
    statistic: 'Sum',
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    periodSeconds: 60,
    evaluationPeriods: DEPLOY_HOLD_SECONDS / 60,
    datapointsToAlarm: 1,
    // No hold in the range is no deploy: OK, also for an alarm that never saw one.
    treatMissingData: 'notBreaching',
    why: 'a hold sent by `npm run deploy-alarm -- <stage> set` and not released by `clear`, for 2 hours: a deploy is under way and paging waits for it',
    broke:
      'A deploy holds this stage: its "site down" alarm sends nothing until it is released, or until the hold ends by itself about 2 hours after it was taken.',
    checkFirst:
      'whether a deploy of the stage is running (the pipeline, or someone by hand); if none is, release it: npm run deploy-alarm -- <stage> clear',
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
 * "site down": a minute's wait, as AWS recommends for a suppressor that changes within a minute
 * (and every minute of it counts against prod's 10-minute detection goal); after a deploy, long
 * enough for the API journey to run once more with its retries, so that a journey alarm left over
 * from the deploy clears before the composite may page.
 */
export function siteDownSuppression(api: ScheduleSettings): Suppression {
  return { waitSeconds: 60, extensionSeconds: runsWithinSeconds(api) + 60 };
}

/**
 * Time for Synthetics to start a canary it has just created (its function and layer are made
 * first) and for the "not running" alarm to see the first run: a margin beyond the first run's
 * own time. AWS states neither; this is generous.
 */
export const FIRST_RUN_MARGIN_SECONDS = 300;

/**
 * How long after a deploy a canary's silence is no evidence: the longest of the stage's canaries'
 * runsWithinSeconds (until its next scheduled time, then the run with its retries: a new canary's
 * first run comes within it, dev's website cron up to 12 hours after its creation), and a margin.
 */
export function newCanaryGraceSeconds(canaries: readonly ScheduleSettings[]): number {
  return Math.max(...canaries.map(runsWithinSeconds)) + FIRST_RUN_MARGIN_SECONDS;
}

/**
 * The longest evaluation an alarm may have, Period × EvaluationPeriods, by its period. PutMetricAlarm
 * (CloudWatch API reference), EvaluationPeriods, as the SDKs long carried it: "An alarm's total
 * current evaluation period can be no longer than one day, so this number multiplied by Period
 * cannot be more than 86,400 seconds"; its Period text today: "An alarm's total current evaluation
 * period can be no longer than seven days, so Period multiplied by EvaluationPeriods can't be more
 * than 604,800 seconds. For alarms with a period of less than one hour (3,600 seconds), the total
 * evaluation period can't be longer than one day (86,400 seconds)." Both give one day for a period
 * of a minute.
 */
export function longestEvaluationSeconds(periodSeconds: number): number {
  return periodSeconds < 3600 ? 86_400 : 604_800;
}

/**
 * The "deployed recently" alarm of the stage whose name prefix is given: in ALARM while a deploy's
 * hold or release is within the last `graceSeconds` (newCanaryGraceSeconds), in one-minute
 * periods. It watches the deploy alarm's own metric, but its SampleCount: a hold (+1) and a
 * release (its -1 at the held minute, and a 0 at the minute of the release: deploy-hold.ts) are
 * all datapoints, though a released minute's Sum is 0, so it counts from the end of the deploy
 * as much as from its start. 1 of N with missing data not breaching: any such minute in the range
 * is an ALARM (the 1-of-N rows of "How alarm state is evaluated when data is missing"), none is
 * OK, also for an alarm that never saw a deploy. It has no actions: the "site down" composite
 * reads it, to keep a canary's "not running" from paging while the canary may not have run yet.
 * Its evaluation can be a day at most (longestEvaluationSeconds): the policy rule
 * canary-not-running-grace fails synth for a schedule whose grace would need more.
 */
export function deployedRecentlyThreshold(stageNamePrefix: string, graceSeconds: number) {
  const periodSeconds = 60;
  const minutes = Math.ceil(graceSeconds / periodSeconds);
  return {
    metric: deployInProgressMetric(stageNamePrefix),
    statistic: 'SampleCount',
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    periodSeconds,
    evaluationPeriods: minutes,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    why: "a hold or a release by `npm run deploy-alarm` in the last canary interval, run and retries and 5 minutes: a canary's silence may be a first run still to come",
    broke: `A deploy of this stage was held or released in the last ${minutes} minutes: until then a canary that has not run is not reported (its first run may still be to come). It sends nothing itself.`,
    checkFirst:
      'which deploy of the stage ran in that time (the pipeline, or someone by hand), if a canary\'s "not running" is in ALARM meanwhile',
  } satisfies Threshold;
}
