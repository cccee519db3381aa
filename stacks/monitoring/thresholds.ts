/**
 * The services' alarm thresholds and the reason for each, in one table; the alarms, the docs and
 * the cost model read it. The canaries' and the deploy alarms' thresholds are built from each
 * canary's schedule by @monitored/cloudwatch-model (canaryThresholds, deployHoldThreshold,
 * deployedRecentlyThreshold). No cdktf imports.
 */
import type { CanaryName } from '../../contract/canaries';
import {
  API_GATEWAY,
  DYNAMODB,
  LAMBDA,
  CLOUDFRONT,
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

/** What a failed run of each journey leaves to look at first, on the canary's page. */
const FAILED_RUN_EVIDENCE: Readonly<Record<CanaryName, string>> = {
  website: 'its failed step and screenshot',
  api: "its failed step's error and request ids",
};

/**
 * What to look at first when a canary's journey fails (canaryThresholds in
 * @monitored/cloudwatch-model builds the canaries' alarms): its failed run, then its requests,
 * which carry the canary's correlation id.
 */
export function journeyCheckFirst(journey: CanaryName): string {
  return `the canary's failed run (${FAILED_RUN_EVIDENCE[journey]}), then the canary-marked requests in the logs`;
}
