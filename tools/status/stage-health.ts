/**
 * What `npm run status -- <stage>` reads from AWS, read-only, with the caller's credentials: the
 * canaries and their last runs (Synthetics DescribeCanaries, GetCanaryRuns), the stage's alarms
 * (CloudWatch DescribeAlarms, metric and composite), the email subscriptions of the topics those
 * alarms notify (SNS ListSubscriptionsByTopic), the outputs and the state lock (S3 GetObject,
 * HeadObject). Every name comes from the naming helpers the stacks use; every failed call is kept
 * as a one-line CallFailure beside what the other calls found.
 */
import * as path from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type CompositeAlarm,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DescribeCanariesCommand,
  GetCanaryRunsCommand,
  SyntheticsClient,
  type Canary,
  type CanaryRun,
} from '@aws-sdk/client-synthetics';
import { CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import { STAGES, stageConfigs, type Stage } from '../../stacks/config';
import { CLOUDFRONT_METRICS_REGION } from '@monitored/cloudwatch-model';
import {
  deployAlarmName,
  deployedRecentlyAlarmName,
  siteDownAlarmName,
} from '../../stacks/monitoring/names';
import { namePrefix as prefixOf } from '../../stacks/shared/naming';
import { stageNames } from '../../stacks/shared/stage-names';
import { DEFAULT_STATE_REGION, lockKey, stateKey } from '../../stacks/state/state-backend';
import { attempt, type CallFailure } from './aws-failure';
import {
  readOutputs,
  readStateLock,
  type OutputsSource,
  type StageOutputs,
  type StateLock,
} from './outputs';

/** How many of each canary's runs are shown. */
const RUNS_SHOWN = 5;

/**
 * Pages read at most per paged call: DescribeAlarms returns up to 100 alarms a page, a stage has
 * fewer than 30; the bound only stops a service that keeps answering with a NextToken.
 */
const MAX_PAGES = 20;

/** Everything status needs to know of a stage before asking AWS. */
export interface StatusTarget {
  readonly stage: Stage;
  readonly region: string;
  /** `msgs-<stage>`: every alarm of the stage starts with it and a dash. */
  readonly namePrefix: string;
  /** The stage's region, and us-east-1 too where the CloudFront alarm lives apart from it. */
  readonly alarmRegions: readonly string[];
  readonly canaries: Readonly<Record<CanaryName, string>>;
  readonly deployAlarm: string;
  /** In ALARM for hours after each deploy, by design: a note, not a problem. */
  readonly deployedRecentlyAlarm: string;
  readonly siteDownAlarm: string;
  readonly outputs: OutputsSource;
  /** The lock file of the stage's state, when the state is in a bucket. */
  readonly stateLock?: { readonly bucket: string; readonly key: string; readonly region: string };
}

export interface TargetSettings {
  /** TF_STATE_BUCKET: the stage's state is in this bucket, as the deploy's backend put it. */
  readonly stateBucket?: string;
  /** TF_STATE_REGION. @default DEFAULT_STATE_REGION */
  readonly stateRegion?: string;
  /** A file `cdktf deploy --outputs-file` wrote; read instead of the state. */
  readonly outputsFile?: string;
  /** Where local state is kept without a bucket: the project's root. */
  readonly projectDirectory: string;
}

export function statusTarget(stage: Stage, settings: TargetSettings): StatusTarget {
  // Only the region, the prefix and the alarm layout are read; alert emails play no part here.
  const config = stageConfigs({ alertEmails: { dev: [], prod: [] } })[stage];
  const names = stageNames(config.namePrefix);
  const stateRegion = settings.stateRegion ?? DEFAULT_STATE_REGION;
  const bucket = settings.stateBucket;
  const outputs: OutputsSource =
    settings.outputsFile !== undefined
      ? { kind: 'outputs-file', path: settings.outputsFile, stack: stage }
      : bucket !== undefined
        ? { kind: 's3', bucket, key: stateKey(stage), region: stateRegion }
        : {
            kind: 'local-state',
            path: path.join(settings.projectDirectory, `terraform.${stage}.tfstate`),
          };
  return {
    stage,
    region: config.region,
    namePrefix: config.namePrefix,
    alarmRegions:
      config.serviceAlarms && config.region !== CLOUDFRONT_METRICS_REGION
        ? [config.region, CLOUDFRONT_METRICS_REGION]
        : [config.region],
    canaries: Object.fromEntries(
      CANARY_NAMES.map((journey) => [journey, names.canary(journey)]),
    ) as Record<CanaryName, string>,
    deployAlarm: deployAlarmName(config.namePrefix),
    deployedRecentlyAlarm: deployedRecentlyAlarmName(config.namePrefix),
    siteDownAlarm: siteDownAlarmName(config.namePrefix),
    outputs,
    stateLock:
      bucket === undefined ? undefined : { bucket, key: lockKey(stage), region: stateRegion },
  };
}

/** The SDK clients status uses, one per service and region. */
export interface AwsClients {
  synthetics(region: string): SyntheticsClient;
  cloudwatch(region: string): CloudWatchClient;
  sns(region: string): SNSClient;
  s3(region: string): S3Client;
}

export interface ClientSettings {
  /**
   * Attempts per call, the first included. The SDK's standard retry strategy backs off
   * exponentially with jitter, longer for throttling. @default 5
   */
  readonly maxAttempts?: number;
  /** Another endpoint for every client (tests). @default AWS's */
  readonly endpoint?: string;
  /** @default the SDK's default credential chain (environment, profile, SSO, instance role) */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Clients made on first use and kept, each with the same retry settings. */
export function awsClients(settings: ClientSettings = {}): AwsClients {
  const config = (region: string) => ({
    region,
    maxAttempts: settings.maxAttempts ?? 5,
    retryMode: 'standard',
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  });
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    synthetics: (region) =>
      once(`synthetics ${region}`, () => new SyntheticsClient(config(region))),
    cloudwatch: (region) =>
      once(`cloudwatch ${region}`, () => new CloudWatchClient(config(region))),
    sns: (region) => once(`sns ${region}`, () => new SNSClient(config(region))),
    // The state bucket may be read by path or virtual host; a test endpoint needs path style.
    s3: (region) =>
      once(
        `s3 ${region}`,
        () => new S3Client({ ...config(region), forcePathStyle: settings.endpoint !== undefined }),
      ),
  };
}

export interface RunSummary {
  readonly state: string;
  readonly reason?: string;
  readonly started?: Date;
}

export interface CanaryHealth {
  readonly journey: CanaryName;
  readonly name: string;
  /** Undefined when DescribeCanaries did not return the canary: it does not exist. */
  readonly canary?: {
    readonly state: string;
    readonly reason?: string;
    readonly schedule?: string;
    readonly runtime?: string;
  };
  /** Newest first. */
  readonly runs: readonly RunSummary[] | CallFailure;
}

export interface AlarmHealth {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly region: string;
  readonly state: string;
  readonly reason?: string;
  readonly since?: Date;
  readonly actionsEnabled: boolean;
  /** Topics it notifies (SNS ARNs among its alarm and OK actions). */
  readonly topics: readonly string[];
  /** A composite's actions held back: `Alarm` (by the deploy alarm), `WaitPeriod`, `ExtensionPeriod`. */
  readonly suppressedBy?: string;
}

export interface TopicSubscriptions {
  readonly topicArn: string;
  readonly subscriptions:
    | readonly { readonly protocol: string; readonly endpoint: string; readonly pending: boolean }[]
    | CallFailure;
}

export interface StageHealth {
  readonly target: StatusTarget;
  readonly canaries: readonly CanaryHealth[] | CallFailure;
  readonly alarms: readonly AlarmHealth[];
  readonly alarmFailures: readonly CallFailure[];
  readonly topics: readonly TopicSubscriptions[];
  readonly outputs: StageOutputs;
  readonly stateLock?: StateLock;
}

export function isFailure(value: unknown): value is CallFailure {
  return typeof value === 'object' && value !== null && 'kind' in value && 'call' in value;
}

async function readCanaries(
  target: StatusTarget,
  clients: AwsClients,
): Promise<CanaryHealth[] | CallFailure> {
  const client = clients.synthetics(target.region);
  const names = CANARY_NAMES.map((journey) => target.canaries[journey]);
  const described = await attempt(`Synthetics.DescribeCanaries in ${target.region}`, () =>
    client.send(new DescribeCanariesCommand({ Names: names })),
  );
  if (!described.ok) return described.failure;
  const found = new Map<string, Canary>(
    (described.value.Canaries ?? []).map((canary) => [canary.Name ?? '', canary]),
  );
  return Promise.all(
    CANARY_NAMES.map(async (journey): Promise<CanaryHealth> => {
      const name = target.canaries[journey];
      const canary = found.get(name);
      if (canary === undefined) return { journey, name, runs: [] };
      const runs = await attempt(`Synthetics.GetCanaryRuns ${name} in ${target.region}`, () =>
        client.send(new GetCanaryRunsCommand({ Name: name, MaxResults: RUNS_SHOWN })),
      );
      return {
        journey,
        name,
        canary: {
          state: canary.Status?.State ?? 'UNKNOWN',
          reason: canary.Status?.StateReason,
          schedule: canary.Schedule?.Expression,
          runtime: canary.RuntimeVersion,
        },
        runs: runs.ok ? newestFirst(runs.value.CanaryRuns ?? []) : runs.failure,
      };
    }),
  );
}

/** The runs by start time, newest first: the API reference does not promise an order. */
function newestFirst(runs: readonly CanaryRun[]): RunSummary[] {
  return runs
    .map((run) => ({
      state: run.Status?.State ?? 'UNKNOWN',
      reason: run.Status?.StateReason,
      started: run.Timeline?.Started,
    }))
    .sort((a, b) => (b.started?.getTime() ?? 0) - (a.started?.getTime() ?? 0))
    .slice(0, RUNS_SHOWN);
}

function snsTopics(alarm: MetricAlarm | CompositeAlarm): string[] {
  return [...(alarm.AlarmActions ?? []), ...(alarm.OKActions ?? [])].filter((action) =>
    action.startsWith('arn:aws:sns:'),
  );
}

/** The stage's alarms in `region`: those named `<prefix>-…`, not another stage's longer prefix. */
async function readAlarms(
  target: StatusTarget,
  region: string,
  clients: AwsClients,
): Promise<AlarmHealth[] | CallFailure> {
  const prefix = `${target.namePrefix}-`;
  const others = STAGES.map((stage) => `${prefixOf(stage)}-`).filter(
    (other) => other !== prefix && other.startsWith(prefix),
  );
  const alarms: AlarmHealth[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await attempt(`CloudWatch.DescribeAlarms in ${region}`, () =>
      clients.cloudwatch(region).send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: prefix,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          NextToken: nextToken,
        }),
      ),
    );
    if (!answer.ok) return answer.failure;
    const common = (alarm: MetricAlarm | CompositeAlarm) => ({
      name: alarm.AlarmName ?? '',
      region,
      state: alarm.StateValue ?? 'UNKNOWN',
      reason: alarm.StateReason,
      since: alarm.StateUpdatedTimestamp,
      actionsEnabled: alarm.ActionsEnabled ?? true,
      topics: snsTopics(alarm),
    });
    for (const alarm of answer.value.MetricAlarms ?? [])
      alarms.push({ ...common(alarm), kind: 'metric' });
    for (const alarm of answer.value.CompositeAlarms ?? [])
      alarms.push({ ...common(alarm), kind: 'composite', suppressedBy: alarm.ActionsSuppressedBy });
    nextToken = answer.value.NextToken;
    if (nextToken === undefined) break;
  }
  return alarms.filter((alarm) => !others.some((other) => alarm.name.startsWith(other)));
}

/** The region of a topic, from its ARN (`arn:aws:sns:<region>:<account>:<name>`). */
export function topicRegion(topicArn: string): string {
  return topicArn.split(':')[3] ?? '';
}

/**
 * A subscription SNS has not had confirmed yet: ListSubscriptionsByTopic gives it the
 * SubscriptionArn `PendingConfirmation` instead of an ARN.
 */
const PENDING = 'PendingConfirmation';

async function readSubscriptions(
  topicArn: string,
  clients: AwsClients,
): Promise<TopicSubscriptions> {
  const subscriptions: { protocol: string; endpoint: string; pending: boolean }[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await attempt(`SNS.ListSubscriptionsByTopic ${topicArn}`, () =>
      clients
        .sns(topicRegion(topicArn))
        .send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken })),
    );
    if (!answer.ok) return { topicArn, subscriptions: answer.failure };
    for (const subscription of answer.value.Subscriptions ?? []) {
      subscriptions.push({
        protocol: subscription.Protocol ?? '',
        endpoint: subscription.Endpoint ?? '',
        pending: subscription.SubscriptionArn === PENDING,
      });
    }
    nextToken = answer.value.NextToken;
    if (nextToken === undefined) break;
  }
  return { topicArn, subscriptions };
}

/** Asks AWS everything status shows; the calls that do not depend on each other run together. */
export async function readStageHealth(
  target: StatusTarget,
  clients: AwsClients,
): Promise<StageHealth> {
  const [canaries, alarmsByRegion, outputs, stateLock] = await Promise.all([
    readCanaries(target, clients),
    Promise.all(target.alarmRegions.map((region) => readAlarms(target, region, clients))),
    readOutputs(target.outputs, clients.s3),
    target.stateLock === undefined
      ? Promise.resolve(undefined)
      : readStateLock(
          target.stateLock.bucket,
          target.stateLock.key,
          target.stateLock.region,
          clients.s3,
        ),
  ]);
  const alarms = alarmsByRegion.flatMap((found) => (isFailure(found) ? [] : found));
  const alarmFailures = alarmsByRegion.filter(isFailure);
  const topicArns = [...new Set(alarms.flatMap((alarm) => alarm.topics))].sort();
  const topics = await Promise.all(topicArns.map((arn) => readSubscriptions(arn, clients)));
  return { target, canaries, alarms, alarmFailures, topics, outputs, stateLock };
}
