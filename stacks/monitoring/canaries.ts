import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import type { CanaryBundle } from '../../bundling/canaries';
import { CANARY_ENV, CANARY_NAMES, CANARY_RUNTIME, type CanaryName } from '../../contract/canaries';
import { assumeRolePolicy, policyDocument, type PolicyStatement } from '../shared/iam';
import { physicalName } from '../shared/naming';
import { stageNames } from '../shared/stage-names';
import { PrivateBucket } from '../shared/private-bucket';
import { Canary } from './canary';
import { SYNTHETICS, type CanarySchedule } from '@monitored/cloudwatch-model';

export interface CanariesProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly region: string;
  /** The AWS account the stage deploys to (a reference): the canaries' log group ARNs name it. */
  readonly accountId: string;
  /** The stage's website and API, as references: each run's WEBSITE_URL and API_URL. */
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly schedules: Readonly<Record<CanaryName, CanarySchedule>>;
  readonly bundles: Readonly<Record<CanaryName, CanaryBundle>>;
  /** Days the runs' logs, history and artifacts are kept. */
  readonly retentionDays: number;
  /** The stage's permissions boundary (its ARN), which the canaries' role carries. */
  readonly permissionsBoundary: string;
  /** @default CANARY_RUNTIME */
  readonly runtime?: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * The stage's canaries, one per journey, watching the website and the API from outside; their
 * artifact bucket; and the execution role they share, with the permissions AWS documents for a
 * canary and nothing wider ("Required roles and permissions for canaries":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html):
 * its own artifact prefix, its own log groups, metrics in the CloudWatchSynthetics namespace only.
 * Left out: logs:CreateLogGroup (the stack owns each canary's group, see canary.ts) and
 * xray:PutTraceSegments (no active tracing).
 */
export class Canaries extends Construct {
  public readonly artifactBucket: S3Bucket;
  public readonly role: IamRole;
  /** Each journey's canary: its name, schedule and log group for the alarms and dashboard. */
  public readonly byName: Readonly<Record<CanaryName, Canary>>;

  constructor(scope: Construct, id: string, props: CanariesProps) {
    super(scope, id);
    const provider = props.provider;
    const runtime = props.runtime ?? CANARY_RUNTIME;
    const names = Object.fromEntries(
      CANARY_NAMES.map((journey) => [journey, stageNames(props.namePrefix).canary(journey)]),
    ) as Record<CanaryName, string>;

    const bucket = new PrivateBucket(this, 'artifacts', {
      bucketPrefix: physicalName(props.namePrefix, 'canary-artifacts', 's3BucketPrefix'),
      // Screenshots, HAR files, logs and reports of past runs: nothing to keep past the stage.
      forceDestroy: true,
      // Run retention only shortens the run history; S3 deletes nothing without this.
      expireObjectsAfterDays: props.retentionDays,
      provider,
    });
    this.artifactBucket = bucket.bucket;
    const prefixOf = (journey: CanaryName) => `${names[journey]}/`;

    // A canary's Lambda is `cwsyn-<first 21 characters of its name>-<uuid>`; the names are 21 at most.
    const logGroupsOf = (journey: CanaryName) =>
      `arn:aws:logs:${props.region}:${props.accountId}:log-group:/aws/lambda/cwsyn-${names[journey]}-*`;
    const statements: PolicyStatement[] = [
      {
        Sid: 'WriteArtifacts',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: CANARY_NAMES.map((journey) => bucket.arnForObjects(`${prefixOf(journey)}*`)),
      },
      {
        Sid: 'LocateArtifactBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation'],
        Resource: bucket.bucket.arn,
      },
      {
        Sid: 'ListBuckets',
        Effect: 'Allow',
        Action: ['s3:ListAllMyBuckets'],
        Resource: '*',
      },
      {
        Sid: 'WriteRunLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: CANARY_NAMES.map(logGroupsOf),
      },
      {
        Sid: 'PublishCanaryMetrics',
        Effect: 'Allow',
        Action: ['cloudwatch:PutMetricData'],
        Resource: '*',
        Condition: {
          StringEquals: { 'cloudwatch:namespace': SYNTHETICS.successPercent.namespace },
        },
      },
    ];
    this.role = new IamRole(this, 'role', {
      name: physicalName(props.namePrefix, 'canaries', 'iamRole'),
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
      permissionsBoundary: props.permissionsBoundary,
      provider,
    });
    const policy = new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'canary-runs',
      policy: policyDocument(statements),
      provider,
    });

    this.byName = Object.fromEntries(
      CANARY_NAMES.map((journey) => [
        journey,
        new Canary(this, journey, {
          name: names[journey],
          bundle: props.bundles[journey],
          runtime,
          schedule: props.schedules[journey],
          executionRoleArn: this.role.arn,
          artifactS3Location: `s3://${bucket.bucket.bucket}/${prefixOf(journey)}`,
          environment: {
            [CANARY_ENV.websiteUrl]: props.websiteUrl,
            [CANARY_ENV.apiUrl]: props.apiUrl,
          },
          retentionDays: props.retentionDays,
          // Canaries start on creation: their first run needs the role's permissions in place.
          dependsOn: [policy],
          provider,
        }),
      ]),
    ) as Record<CanaryName, Canary>;
  }
}
