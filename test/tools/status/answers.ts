/**
 * AWS's answers to the calls `npm run status` makes, as the SDK returns them, in the shapes the API
 * references document (typed by the SDK's own output types):
 * - Synthetics DescribeCanaries, GetCanaryRuns: https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_Canary.html,
 *   API_CanaryRun.html, API_CanaryStatus.html (CREATING | READY | STARTING | RUNNING | UPDATING |
 *   STOPPING | STOPPED | ERROR | DELETING), API_CanaryRunStatus.html (RUNNING | PASSED | FAILED)
 * - CloudWatch DescribeAlarms: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html,
 *   API_MetricAlarm.html, API_CompositeAlarm.html (ActionsSuppressedBy: WaitPeriod | ExtensionPeriod | Alarm)
 * - SNS ListSubscriptionsByTopic: https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
 *   (a subscription not yet confirmed has the SubscriptionArn "PendingConfirmation")
 * - errors: each API reference's "Errors" and the common errors (AccessDenied, 403; Throttling, 400),
 *   as the SDK throws them: a ServiceException with the code as its name and the HTTP status.
 */
import type {
  CompositeAlarm,
  DescribeAlarmsCommandOutput,
  MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ListSubscriptionsByTopicCommandOutput, Subscription } from '@aws-sdk/client-sns';
import type {
  Canary,
  CanaryRun,
  DescribeCanariesCommandOutput,
  GetCanaryRunsCommandOutput,
} from '@aws-sdk/client-synthetics';

export const ACCOUNT = '123456789012';
export const NOW = new Date('2026-11-28T12:00:00Z');
const metadata = {
  httpStatusCode: 200,
  requestId: 'c1b2a3d4-0000-4000-8000-000000000000',
  attempts: 1,
};

export const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

export function topicArn(region: string, prefix: string): string {
  return `arn:aws:sns:${region}:${ACCOUNT}:${prefix}-alarms`;
}

export function canary(
  name: string,
  state: NonNullable<Canary['Status']>['State'] = 'RUNNING',
  reason?: string,
): Canary {
  return {
    Id: 'eb2a4c2f-6c4b-4d10-a1c6-3a1f4b5c6d7e',
    Name: name,
    Code: { Handler: `${name.split('-').pop()}.handler` },
    ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-canary`,
    Schedule: { Expression: 'rate(6 minutes)', DurationInSeconds: 0 },
    RunConfig: { TimeoutInSeconds: 30, MemoryInMB: 960, ActiveTracing: false },
    SuccessRetentionPeriodInDays: 31,
    FailureRetentionPeriodInDays: 31,
    Status: { State: state, StateReason: reason },
    Timeline: {
      Created: minutesAgo(60 * 24),
      LastModified: minutesAgo(60),
      LastStarted: minutesAgo(60),
    },
    ArtifactS3Location: `s3://${name}-artifacts/${name}/`,
    EngineArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:cwsyn-${name}-0e2f:1`,
    RuntimeVersion: 'syn-nodejs-puppeteer-15.0',
  };
}

export function describeCanaries(canaries: Canary[]): DescribeCanariesCommandOutput {
  return { $metadata: metadata, Canaries: canaries };
}

export function run(
  name: string,
  state: NonNullable<CanaryRun['Status']>['State'],
  startedMinutesAgo: number,
  reason?: string,
): CanaryRun {
  return {
    Id: `run-${startedMinutesAgo}`,
    Name: name,
    Status: {
      State: state,
      StateReason: reason,
      StateReasonCode: state === 'FAILED' ? 'CANARY_FAILURE' : undefined,
    },
    Timeline: {
      Started: minutesAgo(startedMinutesAgo),
      Completed: state === 'RUNNING' ? undefined : minutesAgo(startedMinutesAgo - 1),
    },
    ArtifactS3Location: `${name}-artifacts/${name}/canary/us-east-1/run-${startedMinutesAgo}`,
  };
}

export function canaryRuns(runs: CanaryRun[]): GetCanaryRunsCommandOutput {
  return { $metadata: metadata, CanaryRuns: runs };
}

export function metricAlarm(
  name: string,
  topic: string,
  state: MetricAlarm['StateValue'] = 'OK',
  changes: Partial<MetricAlarm> = {},
): MetricAlarm {
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${topic.split(':')[3]}:${ACCOUNT}:alarm:${name}`,
    AlarmDescription: 'what broke, and what to check first',
    ActionsEnabled: true,
    OKActions: [topic],
    AlarmActions: [topic],
    InsufficientDataActions: [],
    StateValue: state,
    StateReason:
      state === 'ALARM'
        ? 'Threshold Crossed: 1 datapoint [1.0 (28/11/26 11:50:00)] was greater than or equal to the threshold (1.0).'
        : 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    StateUpdatedTimestamp: minutesAgo(10),
    MetricName: 'SuccessPercent',
    Namespace: 'CloudWatchSynthetics',
    Statistic: 'Average',
    Dimensions: [{ Name: 'CanaryName', Value: name }],
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 100,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'notBreaching',
    StateTransitionedTimestamp: minutesAgo(10),
    ...changes,
  };
}

export function compositeAlarm(
  name: string,
  topic: string,
  state: CompositeAlarm['StateValue'] = 'OK',
  changes: Partial<CompositeAlarm> = {},
): CompositeAlarm {
  return {
    ActionsEnabled: true,
    AlarmActions: [topic],
    OKActions: [topic],
    AlarmArn: `arn:aws:cloudwatch:${topic.split(':')[3]}:${ACCOUNT}:alarm:${name}`,
    AlarmName: name,
    AlarmRule: 'ALARM("x") OR ALARM("y")',
    StateValue: state,
    StateReason: 'arn:aws:cloudwatch:… transitioned to OK',
    StateUpdatedTimestamp: minutesAgo(30),
    StateTransitionedTimestamp: minutesAgo(30),
    ...changes,
  };
}

export function describeAlarms(
  metric: MetricAlarm[],
  composite: CompositeAlarm[] = [],
  nextToken?: string,
): DescribeAlarmsCommandOutput {
  return {
    $metadata: metadata,
    MetricAlarms: metric,
    CompositeAlarms: composite,
    NextToken: nextToken,
  };
}

export function subscription(topic: string, email: string, confirmed: boolean): Subscription {
  return {
    SubscriptionArn: confirmed
      ? `${topic}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`
      : 'PendingConfirmation',
    Owner: ACCOUNT,
    Protocol: 'email',
    Endpoint: email,
    TopicArn: topic,
  };
}

export function subscriptions(
  list: Subscription[],
  nextToken?: string,
): ListSubscriptionsByTopicCommandOutput {
  return { $metadata: metadata, Subscriptions: list, NextToken: nextToken };
}

/** A Terraform state (format version 4) with the stage's outputs, as the S3 backend stores it. */
export function stateObject(outputs: Record<string, string>): GetObjectCommandOutput {
  const text = JSON.stringify({
    version: 4,
    terraform_version: '1.14.9',
    serial: 12,
    lineage: 'b0b1b2b3-0000-4000-8000-000000000000',
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([name, value]) => [name, { value, type: 'string' }]),
    ),
    resources: [],
    check_results: null,
  });
  // The SDK's streaming body; status reads it with transformToString, as the SDK's docs show.
  const body = { transformToString: () => Promise.resolve(text) };
  return { $metadata: metadata, Body: body as unknown as GetObjectCommandOutput['Body'] };
}
