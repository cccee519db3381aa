import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { SYNTHETICS } from '@monitored/cloudwatch-model';
import {
  canaryFunctionPattern,
  policyDocument,
  type PolicyStatement,
} from '@monitored/cdktf-monitoring';

export interface BoundaryScope {
  readonly region: string;
  /** `msgs-<stage>`: every physical name of the stage starts with it and a dash. */
  readonly namePrefix: string;
  readonly accountId: string;
}

/**
 * The most any role of a stage may ever do, whatever its own policy says: write its logs, use the
 * stage's tables and buckets, publish canary metrics. No IAM, no STS, no KMS, nothing outside the
 * stage's names. A role's effective rights are its policy's AND these
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), so a deploy
 * role that writes "*" into a role it created still gets no more than this.
 */
function boundaryStatements(scope: BoundaryScope): PolicyStatement[] {
  const regional = (service: string, resource: string) =>
    `arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;
  return [
    {
      // The function's own group and the canaries' (`cwsyn-<canary>-<id>`); `*` spans `:log-stream:…`.
      Sid: 'WriteStageLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [
        regional('logs', `log-group:/aws/lambda/${scope.namePrefix}-*`),
        regional('logs', `log-group:/aws/lambda/${canaryFunctionPattern(scope.namePrefix)}`),
      ],
    },
    {
      Sid: 'UseStageTables',
      Effect: 'Allow',
      Action: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeTable',
      ],
      Resource: regional('dynamodb', `table/${scope.namePrefix}-*`),
    },
    {
      Sid: 'UseStageObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `arn:aws:s3:::${scope.namePrefix}-*/*`,
    },
    {
      Sid: 'LocateStageBuckets',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation'],
      Resource: `arn:aws:s3:::${scope.namePrefix}-*`,
    },
    {
      // A canary lists buckets before writing its artifacts; S3 has no narrower resource for it.
      Sid: 'ListBuckets',
      Effect: 'Allow',
      Action: ['s3:ListAllMyBuckets'],
      Resource: '*',
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
}

export interface PermissionsBoundaryProps {
  /** From `permissionsBoundaryName(stage)`: the name the stage stack looks it up by. */
  readonly name: string;
  readonly scope: BoundaryScope;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * A stage's permissions boundary as a managed policy, owned by the bootstrap stack: the stage's
 * deploy role may create roles only with it, and may not change it (deploy-permissions.ts).
 */
export class PermissionsBoundary extends Construct {
  public readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, 'policy', {
      name: props.name,
      description: `The most any role of ${props.scope.namePrefix} may do (permissions boundary)`,
      policy: policyDocument(boundaryStatements(props.scope)),
      provider: props.provider,
    });
  }
}
