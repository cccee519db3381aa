/**
 * Every alarm threshold of the project and the reason for it, in one table. The alarms, the README
 * and the cost model read it. No cdktf imports.
 */
import type { CanaryName } from '../../contract/canaries';
import { DEPLOY_HOLD_SECONDS } from './deploy-hold';
import { runsWithinSeconds, type CanarySchedule as ScheduleSettings } from './schedules';
import {
  API_GATEWAY,
  deployInProgressMetric,
  DYNAMODB,
  LAMBDA,
  CLOUDFRONT,
  SYNTHETICS,
  type MetricSpec,
  type Statistic,
} from './metrics';

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export interface Threshold {
  readonly metric: MetricSpec;
  readonly statistic: Statistic;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  /** Why this threshold, in a sentence (README's table). */
  readonly why: string;
  /** What broke, in plain words (the alarm's description). */
  readonly broke: string;
  /** What to look at first (the alarm's description). */
  readonly checkFirst: string;
}

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

/** What a failed run of each journey leaves to look at first, on the canary's page. */
const FAILED_RUN_EVIDENCE: Readonly<Record<CanaryName, string>> = {
  website: 'its failed step and screenshot',
  api: "its failed step's error and request ids",
};

/**
 * The three alarms of one canary. Periods follow the schedule: one run per period for "failing",
 * two for "not running". With retries on, a run that a retry fixed must not page, so "failing"
 * watches SuccessPercentWithRetries (one value per scheduled run, after all its attempts).
 */
export function canaryThresholds(schedule: CanarySchedule) {
  const success =
    schedule.retries > 0 ? SYNTHETICS.successPercentWithRetries : SYNTHETICS.successPercent;
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
      periodSeconds: 2 * schedule.intervalSeconds,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No data is the point: a stopped or deleted canary publishes nothing.
      treatMissingData: 'breaching',
      why: 'no run at all in two intervals: the canary was stopped, deleted, or cannot start',
      broke: 'The canary has not run for two of its intervals: nothing is watching this journey.',
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
      'A deploy holds this stage: its "site down" and "canaries not running" alarms send nothing until it is released, or until the hold ends by itself about 2 hours after it was taken.',
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
 * "canaries not running": a new stage's canaries have no run yet, so their "not running" alarms
 * are in ALARM as soon as they are created. The composite that sends their notifications waits,
 * after the deploy that created them releases its hold, until every canary has had time for its
 * first run: the longest of the stage's canaries' runsWithinSeconds (an interval, then the run
 * with its retries), and a margin. A change while the deploy alarm has not reached ALARM yet (a
 * new deploy alarm is evaluated within a minute of its creation, a hold within a minute of being
 * sent) waits two minutes for it.
 */
export function notRunningSuppression(canaries: readonly ScheduleSettings[]): Suppression {
  return {
    waitSeconds: 120,
    extensionSeconds: Math.max(...canaries.map(runsWithinSeconds)) + FIRST_RUN_MARGIN_SECONDS,
  };
}
