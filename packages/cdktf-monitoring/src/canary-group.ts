import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { SYNTHETICS, type CanarySchedule } from '@monitored/cloudwatch-model';
import { Canary, type CanaryCode } from './canary';
import { assumeRolePolicy, policyDocument, type PolicyStatement } from './iam-policy';
import { canaryFunctionPattern, physicalName } from './physical-name';
import { PrivateBucket } from './private-bucket';

/** One canary of a group: what it runs, when, and the environment of its runs. */
export interface CanarySpec {
  /** From `physicalName(…, 'canary')`: at most 21 characters of [0-9a-z_-]. */
  readonly name: string;
  readonly bundle: CanaryCode;
  readonly schedule: CanarySchedule;
  /** The run's environment, e.g. references to the URLs it checks. @default none */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface CanaryGroupProps<Key extends string> {
  /** The start of the artifact bucket's and the role's names (`<app>-<stage>`). */
  readonly namePrefix: string;
  readonly region: string;
  /** The AWS account (a reference): the canaries' log group ARNs name it. */
  readonly accountId: string;
  /** The canaries, by a key of the caller's (a journey). */
  readonly canaries: Readonly<Record<Key, CanarySpec>>;
  /** A `syn-nodejs-puppeteer-*` runtime (SYNTHETICS_RUNTIMES in @monitored/cloudwatch-model). */
  readonly runtime: string;
  /** Days the runs' logs, history and artifacts are kept. */
  readonly retentionDays: number;
  /** The permissions boundary (its ARN) the canaries' role carries. */
  readonly permissionsBoundary: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * Canaries that share an artifact bucket and an execution role, with the permissions AWS documents
 * for a canary and nothing wider ("Required roles and permissions for canaries":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html):
 * each canary its own artifact prefix and its own log groups, metrics in the CloudWatchSynthetics
 * namespace only. Left out: logs:CreateLogGroup (the stack owns each canary's group, see
 * canary.ts) and xray:PutTraceSegments (no active tracing).
 */
export class CanaryGroup<Key extends string> extends Construct {
  public readonly artifactBucket: S3Bucket;
  public readonly role: IamRole;
  /** Each canary by its key: its name, schedule and log group for the alarms and dashboard. */
  public readonly byName: Readonly<Record<Key, Canary>>;

  constructor(scope: Construct, id: string, props: CanaryGroupProps<Key>) {
    super(scope, id);
    const provider = props.provider;
    const keys = Object.keys(props.canaries) as Key[];
    const nameOf = (key: Key) => props.canaries[key].name;

    const bucket = new PrivateBucket(this, 'artifacts', {
      bucketPrefix: physicalName(props.namePrefix, 'canary-artifacts', 's3BucketPrefix'),
      // Screenshots, HAR files, logs and reports of past runs: nothing to keep past the stack.
      forceDestroy: true,
      // Run retention only shortens the run history; S3 deletes nothing without this.
      expireObjectsAfterDays: props.retentionDays,
      provider,
    });
    this.artifactBucket = bucket.bucket;
    const prefixOf = (key: Key) => `${nameOf(key)}/`;
    const logGroupsOf = (key: Key) =>
      `arn:aws:logs:${props.region}:${props.accountId}:log-group:/aws/lambda/${canaryFunctionPattern(nameOf(key))}`;
    const statements: PolicyStatement[] = [
      {
        Sid: 'WriteArtifacts',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: keys.map((key) => bucket.arnForObjects(`${prefixOf(key)}*`)),
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
        Resource: keys.map(logGroupsOf),
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
      keys.map((key) => {
        const spec = props.canaries[key];
        const canary = new Canary(this, key, {
          name: spec.name,
          bundle: spec.bundle,
          runtime: props.runtime,
          schedule: spec.schedule,
          executionRoleArn: this.role.arn,
          artifactS3Location: `s3://${bucket.bucket.bucket}/${prefixOf(key)}`,
          environment: spec.environment ?? {},
          retentionDays: props.retentionDays,
          // Canaries start on creation: their first run needs the role's permissions in place.
          dependsOn: [policy],
          provider,
        });
        return [key, canary];
      }),
    ) as Record<Key, Canary>;
  }
}
