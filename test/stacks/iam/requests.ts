/**
 * The request table: every call AWS will authorize for the stages, per principal, each with its
 * source, and whether it must be allowed or refused. The IAM engine judges every row
 * (requests.test.ts), and the deploy roles' page (docs/deploy-roles.md) is rendered from it.
 *
 * Deploy roles: what Terraform's AWS provider (6.25, hashicorp/terraform-provider-aws) calls on
 * create, read (the refresh before every plan), update and destroy of each resource type the
 * stage stacks hold, read from the provider's Go source (`internal/service/<svc>/<resource>.go`),
 * and what a service then does with the caller's own permissions (Synthetics building a canary's
 * function; AWS's managed policy CloudWatchSyntheticsFullAccess is the reference).
 */
import { STAGES, type Stage } from '../../../stacks/config';
import { deployInProgressMetric } from '@monitored/cloudwatch-model';
import { ACCOUNT, OTHER_ACCOUNT, type PolicyDocument } from '../../support/iam/deployed';
import type { Principal, RequestRow } from '../../support/iam/judge-row';
import { stageWorld, type StageWorld } from './world';

export type Phase = 'first deploy' | 'no-op deploy' | 'update' | 'destroy';

interface Call {
  readonly resourcePolicy?: PolicyDocument;
  readonly action: string;
  readonly resource: (w: StageWorld) => string;
  readonly context?: (w: StageWorld) => Readonly<Record<string, string | readonly string[]>>;
  /** What the call is for, when its action does not say it. */
  readonly note?: string;
}

interface ResourceTypeCalls {
  readonly type: string;
  readonly source: string;
  /** On create (the first deploy); `read` follows every create and update too. */
  readonly create?: readonly Call[];
  /** On refresh, before every plan: a no-op deploy makes only these. */
  readonly read?: readonly Call[];
  readonly update?: readonly Call[];
  readonly delete?: readonly Call[];
}

const PROVIDER = 'hashicorp/terraform-provider-aws internal/service/';
const SYNTHETICS_ACCESS =
  'AWS managed policy CloudWatchSyntheticsFullAccess (v14); https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_Roles.html';

const tagged = (w: StageWorld) => w.requestTags;
const existing = (w: StageWorld) => w.resourceTags;
const objectOf = (bucket: (w: StageWorld) => string, key: string) => (w: StageWorld) =>
  `arn:aws:s3:::${bucket(w)}/${key}`;
const bucketArn = (bucket: (w: StageWorld) => string) => (w: StageWorld) =>
  `arn:aws:s3:::${bucket(w)}`;
const website = (w: StageWorld) => w.websiteBucket;
const withBoundary = (w: StageWorld) => ({ 'iam:PermissionsBoundary': w.boundaryArn });

const each = (actions: readonly string[], resource: Call['resource'], context?: Call['context']) =>
  actions.map((action): Call => ({ action, resource, context }));

/** What the deploy role's Terraform calls, by resource type. */
export const PROVIDER_CALLS: readonly ResourceTypeCalls[] = [
  {
    type: 'aws_dynamodb_table',
    source: `${PROVIDER}dynamodb/table.go`,
    create: [
      { action: 'dynamodb:CreateTable', resource: (w) => w.tableArn, context: tagged },
      { action: 'dynamodb:TagResource', resource: (w) => w.tableArn, context: tagged },
      { action: 'dynamodb:UpdateContinuousBackups', resource: (w) => w.tableArn },
    ],
    read: each(
      [
        'dynamodb:DescribeTable',
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:ListTagsOfResource',
      ],
      (w) => w.tableArn,
    ),
    update: [{ action: 'dynamodb:UpdateTable', resource: (w) => w.tableArn }],
    delete: [{ action: 'dynamodb:DeleteTable', resource: (w) => w.tableArn, context: existing }],
  },
  {
    type: 'aws_iam_role',
    source: `${PROVIDER}iam/role.go`,
    create: [
      {
        action: 'iam:CreateRole',
        resource: (w) => w.functionRoleArn,
        context: (w) => ({ ...w.requestTags, ...withBoundary(w) }),
      },
      { action: 'iam:TagRole', resource: (w) => w.functionRoleArn, context: tagged },
    ],
    read: [
      ...each(
        ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
        (w) => w.functionRoleArn,
        withBoundary,
      ),
      { action: 'iam:GetRolePolicy', resource: (w) => w.functionRoleArn },
    ],
    update: [
      {
        action: 'iam:UpdateAssumeRolePolicy',
        resource: (w) => w.functionRoleArn,
        context: withBoundary,
      },
      { action: 'iam:UpdateRoleDescription', resource: (w) => w.functionRoleArn },
      {
        action: 'iam:PutRolePermissionsBoundary',
        resource: (w) => w.functionRoleArn,
        context: withBoundary,
        note: 'a role created before it carried the boundary gets it',
      },
    ],
    delete: [
      { action: 'iam:ListInstanceProfilesForRole', resource: (w) => w.functionRoleArn },
      { action: 'iam:DeleteRole', resource: (w) => w.functionRoleArn, context: withBoundary },
    ],
  },
  {
    type: 'aws_iam_role_policy',
    source: `${PROVIDER}iam/role_policy.go`,
    create: each(['iam:PutRolePolicy'], (w) => w.canariesRoleArn, withBoundary),
    read: each(['iam:GetRolePolicy'], (w) => w.canariesRoleArn),
    update: each(['iam:PutRolePolicy'], (w) => w.canariesRoleArn, withBoundary),
    delete: each(['iam:DeleteRolePolicy'], (w) => w.canariesRoleArn, withBoundary),
  },
  {
    type: 'data.aws_iam_policy',
    source: `${PROVIDER}iam/policy_data_source.go`,
    read: each(['iam:GetPolicy', 'iam:GetPolicyVersion'], (w) => w.boundaryArn),
  },
  {
    type: 'data.aws_caller_identity',
    source: `${PROVIDER}sts/caller_identity_data_source.go (sts:GetCallerIdentity needs no permission)`,
  },
  {
    type: 'aws_lambda_function',
    source: `${PROVIDER}lambda/function.go`,
    create: [
      { action: 'lambda:CreateFunction', resource: (w) => w.functionArn, context: tagged },
      { action: 'lambda:TagResource', resource: (w) => w.functionArn, context: tagged },
      {
        action: 'iam:PassRole',
        resource: (w) => w.functionRoleArn,
        context: () => ({ 'iam:PassedToService': 'lambda.amazonaws.com' }),
      },
    ],
    read: each(
      [
        'lambda:GetFunction',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:ListVersionsByFunction',
        'lambda:ListTags',
      ],
      (w) => w.functionArn,
    ),
    update: each(
      [
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:GetFunctionConfiguration',
      ],
      (w) => w.functionArn,
    ),
    delete: each(['lambda:DeleteFunction'], (w) => w.functionArn),
  },
  {
    type: 'aws_lambda_permission',
    source: `${PROVIDER}lambda/permission.go`,
    create: each(['lambda:AddPermission'], (w) => w.functionArn),
    read: each(['lambda:GetPolicy'], (w) => w.functionArn),
    delete: each(['lambda:RemovePermission'], (w) => w.functionArn),
  },
  {
    type: 'aws_cloudwatch_log_group',
    source: `${PROVIDER}logs/group.go`,
    create: [
      { action: 'logs:CreateLogGroup', resource: (w) => w.functionLogGroupArn, context: tagged },
      { action: 'logs:TagResource', resource: (w) => w.canaryLogGroupArn, context: tagged },
      { action: 'logs:PutRetentionPolicy', resource: (w) => w.accessLogGroupArn },
    ],
    read: [
      { action: 'logs:DescribeLogGroups', resource: () => '*' },
      { action: 'logs:ListTagsForResource', resource: (w) => w.canaryLogGroupArn },
    ],
    update: each(['logs:PutRetentionPolicy'], (w) => w.canaryLogGroupArn),
    delete: each(['logs:DeleteLogGroup'], (w) => w.functionLogGroupArn),
  },
  {
    type: 'aws_apigatewayv2_api',
    source: `${PROVIDER}apigatewayv2/api.go (IAM: "Amazon API Gateway Management V2")`,
    create: [
      {
        action: 'apigateway:POST',
        resource: (w) => w.apiArn.replace(/\/[^/]+$/, ''),
        context: tagged,
      },
    ],
    read: each(['apigateway:GET'], (w) => w.apiArn),
    update: each(['apigateway:PATCH'], (w) => w.apiArn),
    delete: each(['apigateway:DELETE'], (w) => w.apiArn),
  },
  {
    type: 'aws_apigatewayv2_route',
    source: `${PROVIDER}apigatewayv2/route.go`,
    create: each(['apigateway:POST'], (w) => `${w.apiArn}/routes`),
    read: each(['apigateway:GET'], (w) => `${w.apiArn}/routes/abc1234`),
    delete: each(['apigateway:DELETE'], (w) => `${w.apiArn}/routes/abc1234`),
  },
  {
    type: 'aws_apigatewayv2_integration',
    source: `${PROVIDER}apigatewayv2/integration.go`,
    create: each(['apigateway:POST'], (w) => `${w.apiArn}/integrations`),
    read: each(['apigateway:GET'], (w) => `${w.apiArn}/integrations/xyz9876`),
    update: each(['apigateway:PATCH'], (w) => `${w.apiArn}/integrations/xyz9876`),
  },
  {
    type: 'aws_apigatewayv2_stage',
    source: `${PROVIDER}apigatewayv2/stage.go; access logs: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html`,
    create: [
      { action: 'apigateway:POST', resource: (w) => `${w.apiArn}/stages` },
      ...each(
        [
          'logs:CreateLogDelivery',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:GetLogDelivery',
          'logs:ListLogDeliveries',
        ],
        () => '*',
      ),
    ],
    read: each(['apigateway:GET'], (w) => `${w.apiArn}/stages/$default`),
    update: [
      { action: 'apigateway:PATCH', resource: (w) => `${w.apiArn}/stages/$default` },
      { action: 'logs:UpdateLogDelivery', resource: () => '*' },
    ],
    delete: [
      { action: 'apigateway:DELETE', resource: (w) => `${w.apiArn}/stages/$default` },
      { action: 'logs:DeleteLogDelivery', resource: () => '*' },
    ],
  },
  {
    type: 'aws_s3_bucket',
    source: `${PROVIDER}s3/bucket.go`,
    create: [
      { action: 's3:CreateBucket', resource: bucketArn(website) },
      {
        action: 's3:TagResource',
        resource: bucketArn(website),
        context: tagged,
        note: 'provider 6.23+: tags in CreateBucket',
      },
    ],
    read: each(
      [
        's3:ListBucket',
        's3:GetBucketPolicy',
        's3:GetBucketAcl',
        's3:GetBucketCORS',
        's3:GetBucketWebsite',
        's3:GetBucketVersioning',
        's3:GetAccelerateConfiguration',
        's3:GetBucketRequestPayment',
        's3:GetBucketLogging',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
        's3:GetEncryptionConfiguration',
        's3:GetBucketObjectLockConfiguration',
        's3:ListTagsForResource',
      ],
      bucketArn(website),
    ),
    delete: [
      {
        action: 's3:ListBucketVersions',
        resource: bucketArn(website),
        note: 'force_destroy empties it',
      },
      { action: 's3:DeleteObjectVersion', resource: objectOf(website, 'index.html') },
      { action: 's3:DeleteBucket', resource: bucketArn(website) },
    ],
  },
  {
    type: 'aws_s3_bucket_policy',
    source: `${PROVIDER}s3/bucket_policy.go`,
    create: each(['s3:PutBucketPolicy'], bucketArn(website)),
    read: each(['s3:GetBucketPolicy'], bucketArn(website)),
    delete: each(['s3:DeleteBucketPolicy'], bucketArn(website)),
  },
  {
    type: 'aws_s3_bucket_public_access_block',
    source: `${PROVIDER}s3/bucket_public_access_block.go`,
    create: each(['s3:PutBucketPublicAccessBlock'], bucketArn(website)),
    read: each(['s3:GetBucketPublicAccessBlock'], bucketArn(website)),
  },
  {
    type: 'aws_s3_bucket_ownership_controls',
    source: `${PROVIDER}s3/bucket_ownership_controls.go`,
    create: each(['s3:PutBucketOwnershipControls'], bucketArn(website)),
    read: each(['s3:GetBucketOwnershipControls'], bucketArn(website)),
  },
  {
    type: 'aws_s3_bucket_server_side_encryption_configuration',
    source: `${PROVIDER}s3/bucket_server_side_encryption_configuration.go`,
    create: each(['s3:PutEncryptionConfiguration'], bucketArn(website)),
    read: each(['s3:GetEncryptionConfiguration'], bucketArn(website)),
  },
  {
    type: 'aws_s3_bucket_lifecycle_configuration',
    source: `${PROVIDER}s3/bucket_lifecycle_configuration.go`,
    create: each(
      ['s3:PutLifecycleConfiguration'],
      bucketArn((w) => w.artifactsBucket),
    ),
    read: each(
      ['s3:GetLifecycleConfiguration'],
      bucketArn((w) => w.artifactsBucket),
    ),
  },
  {
    type: 'aws_s3_object',
    source: `${PROVIDER}s3/object.go`,
    create: each(['s3:PutObject'], objectOf(website, 'index.html')),
    read: each(['s3:GetObject', 's3:GetObjectTagging'], objectOf(website, 'config.json')),
    update: each(['s3:PutObject', 's3:PutObjectTagging'], objectOf(website, 'config.json')),
    delete: each(['s3:DeleteObject'], objectOf(website, 'index.html')),
  },
  {
    type: 'aws_cloudfront_distribution',
    source: `${PROVIDER}cloudfront/distribution.go`,
    create: [
      {
        action: 'cloudfront:CreateDistribution',
        resource: () => '*',
        context: tagged,
        note: 'CreateDistributionWithTags',
      },
      { action: 'cloudfront:TagResource', resource: (w) => w.distributionArn, context: tagged },
    ],
    read: each(
      ['cloudfront:GetDistribution', 'cloudfront:ListTagsForResource'],
      (w) => w.distributionArn,
    ),
    update: each(
      ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
      (w) => w.distributionArn,
    ),
    delete: each(
      ['cloudfront:UpdateDistribution', 'cloudfront:DeleteDistribution'],
      (w) => w.distributionArn,
    ),
  },
  {
    type: 'aws_cloudfront_origin_access_control',
    source: `${PROVIDER}cloudfront/origin_access_control.go`,
    create: each(['cloudfront:CreateOriginAccessControl'], () => '*'),
    read: each(['cloudfront:GetOriginAccessControl'], (w) => w.originAccessControlArn),
    update: each(['cloudfront:UpdateOriginAccessControl'], (w) => w.originAccessControlArn),
    delete: each(['cloudfront:DeleteOriginAccessControl'], (w) => w.originAccessControlArn),
  },
  {
    type: 'aws_cloudfront_response_headers_policy',
    source: `${PROVIDER}cloudfront/response_headers_policy.go`,
    create: each(['cloudfront:CreateResponseHeadersPolicy'], () => '*'),
    read: each(['cloudfront:GetResponseHeadersPolicy'], (w) => w.responseHeadersPolicyArn),
    update: each(['cloudfront:UpdateResponseHeadersPolicy'], (w) => w.responseHeadersPolicyArn),
    delete: each(['cloudfront:DeleteResponseHeadersPolicy'], (w) => w.responseHeadersPolicyArn),
  },
  {
    type: 'aws_synthetics_canary',
    source: `${PROVIDER}synthetics/canary.go`,
    create: [
      { action: 'synthetics:CreateCanary', resource: () => '*', context: tagged },
      { action: 'synthetics:TagResource', resource: (w) => w.canaryArn, context: tagged },
      {
        action: 'iam:PassRole',
        resource: (w) => w.canariesRoleArn,
        context: () => ({ 'iam:PassedToService': 'synthetics.amazonaws.com' }),
      },
      { action: 'synthetics:StartCanary', resource: (w) => w.canaryArn, context: existing },
    ],
    read: each(['synthetics:GetCanary'], (w) => w.canaryArn, existing),
    update: each(
      ['synthetics:StopCanary', 'synthetics:UpdateCanary', 'synthetics:StartCanary'],
      (w) => w.canaryArn,
      existing,
    ),
    delete: each(
      ['synthetics:StopCanary', 'synthetics:DeleteCanary'],
      (w) => w.canaryArn,
      existing,
    ),
  },
  {
    type: 'aws_cloudwatch_metric_alarm',
    source: `${PROVIDER}cloudwatch/metric_alarm.go`,
    create: [
      { action: 'cloudwatch:PutMetricAlarm', resource: (w) => w.alarmArn, context: tagged },
      { action: 'cloudwatch:TagResource', resource: (w) => w.alarmArn, context: tagged },
    ],
    read: each(['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'], (w) => w.alarmArn),
    update: each(['cloudwatch:PutMetricAlarm'], (w) => w.alarmArn),
    delete: each(['cloudwatch:DeleteAlarms'], (w) => w.alarmArn),
  },
  {
    type: 'aws_cloudwatch_composite_alarm',
    source: `${PROVIDER}cloudwatch/composite_alarm.go`,
    create: each(['cloudwatch:PutCompositeAlarm'], (w) => w.alarmArn, tagged),
    read: each(['cloudwatch:DescribeAlarms'], (w) => w.alarmArn),
    delete: each(['cloudwatch:DeleteAlarms'], (w) => w.alarmArn),
  },
  {
    type: 'aws_cloudwatch_dashboard',
    source: `${PROVIDER}cloudwatch/dashboard.go`,
    create: each(['cloudwatch:PutDashboard'], (w) => w.dashboardArn),
    read: each(['cloudwatch:GetDashboard'], (w) => w.dashboardArn),
    delete: each(['cloudwatch:DeleteDashboards'], (w) => w.dashboardArn),
  },
  {
    type: 'aws_kms_key',
    source: `${PROVIDER}kms/key.go; tags on create: https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html`,
    create: [
      { action: 'kms:CreateKey', resource: () => '*', context: tagged },
      // A new key has no tags yet, so no aws:ResourceTag keys: the key policy is what grants these.
      {
        action: 'kms:TagResource',
        resource: (w) => w.keyArn,
        context: tagged,
        note: 'tags sent with CreateKey',
      },
      { action: 'kms:EnableKeyRotation', resource: (w) => w.keyArn },
      { action: 'kms:GetKeyRotationStatus', resource: (w) => w.keyArn },
      { action: 'kms:ListResourceTags', resource: (w) => w.keyArn },
    ],
    read: each(
      ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
      (w) => w.keyArn,
      existing,
    ),
    update: each(['kms:PutKeyPolicy', 'kms:UpdateKeyDescription'], (w) => w.keyArn, existing),
    delete: each(['kms:ScheduleKeyDeletion'], (w) => w.keyArn, existing),
  },
  {
    type: 'aws_kms_alias',
    source: `${PROVIDER}kms/alias.go; https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html`,
    create: [
      { action: 'kms:CreateAlias', resource: (w) => w.aliasArn },
      { action: 'kms:CreateAlias', resource: (w) => w.keyArn, note: 'the key side' },
    ],
    read: each(['kms:ListAliases'], () => '*'),
    update: [
      { action: 'kms:UpdateAlias', resource: (w) => w.aliasArn },
      { action: 'kms:UpdateAlias', resource: (w) => w.keyArn, note: 'the key side' },
    ],
    delete: [
      { action: 'kms:DeleteAlias', resource: (w) => w.aliasArn },
      { action: 'kms:DeleteAlias', resource: (w) => w.keyArn, note: 'the key side' },
    ],
  },
  {
    type: 'aws_sns_topic',
    source: `${PROVIDER}sns/topic.go`,
    create: [
      { action: 'sns:CreateTopic', resource: (w) => w.topicArn, context: tagged },
      { action: 'sns:TagResource', resource: (w) => w.topicArn, context: tagged },
      { action: 'sns:SetTopicAttributes', resource: (w) => w.topicArn },
    ],
    read: each(['sns:GetTopicAttributes', 'sns:ListTagsForResource'], (w) => w.topicArn),
    update: each(['sns:SetTopicAttributes'], (w) => w.topicArn),
    delete: each(['sns:DeleteTopic'], (w) => w.topicArn),
  },
  {
    type: 'aws_sns_topic_policy',
    source: `${PROVIDER}sns/topic_policy.go`,
    create: each(['sns:SetTopicAttributes'], (w) => w.topicArn),
    read: each(['sns:GetTopicAttributes'], (w) => w.topicArn),
  },
  {
    type: 'aws_sns_topic_subscription',
    source: `${PROVIDER}sns/topic_subscription.go`,
    create: each(['sns:Subscribe'], (w) => w.topicArn),
    // IAM authorizes a subscription's calls on its topic (the reference lists `topic` for them).
    read: each(['sns:GetSubscriptionAttributes'], (w) => w.topicArn),
    delete: each(['sns:Unsubscribe'], (w) => w.topicArn),
  },
];

/**
 * What Synthetics does with the caller's permissions when it creates, updates or deletes a canary:
 * it builds the canary's Lambda function and code layer (`cwsyn-<name>-<id>`) from its runtime's
 * library, and checks the artifact location.
 */
const SYNTHETICS_SIDE_CALLS: readonly { readonly phase: Phase; readonly call: Call }[] = [
  {
    phase: 'first deploy',
    call: { action: 'lambda:CreateFunction', resource: (w) => w.canaryFunctionArn },
  },
  {
    phase: 'first deploy',
    call: {
      action: 'lambda:PublishLayerVersion',
      resource: (w) => w.canaryLayerArn.replace(/:1$/, ''),
    },
  },
  {
    phase: 'first deploy',
    call: {
      action: 'lambda:GetLayerVersion',
      resource: (w) =>
        `arn:aws:lambda:${w.region}:${'3'.repeat(12)}:layer:AWS-CW-SyntheticsNodeJsPuppeteer:42`,
      note: "the runtime's layer, in AWS's account",
      // Another account's layer needs its own permission too: AWS shares the runtime's layers with everyone.
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: '*' },
        ],
      },
    },
  },
  {
    phase: 'first deploy',
    call: {
      action: 's3:GetObjectVersion',
      resource: (w) =>
        `arn:aws:s3:::aws-synthetics-library-${w.region}/nodejs/puppeteer/library.zip`,
      note: "the runtime's library",
    },
  },
  {
    phase: 'first deploy',
    call: {
      action: 'iam:PassRole',
      resource: (w) => w.canariesRoleArn,
      context: () => ({ 'iam:PassedToService': 'lambda.amazonaws.com' }),
    },
  },
  { phase: 'first deploy', call: { action: 's3:ListAllMyBuckets', resource: () => '*' } },
  {
    phase: 'first deploy',
    call: { action: 's3:GetBucketLocation', resource: (w) => `arn:aws:s3:::${w.artifactsBucket}` },
  },
  {
    phase: 'update',
    call: { action: 'lambda:UpdateFunctionCode', resource: (w) => w.canaryFunctionArn },
  },
  {
    phase: 'update',
    call: { action: 'lambda:PublishVersion', resource: (w) => w.canaryFunctionArn },
  },
  {
    phase: 'no-op deploy',
    call: { action: 'lambda:GetFunction', resource: (w) => w.canaryFunctionArn },
  },
  {
    phase: 'destroy',
    call: {
      action: 'lambda:DeleteFunction',
      resource: (w) => w.canaryFunctionArn,
      note: 'delete_lambda',
    },
  },
  {
    phase: 'destroy',
    call: {
      action: 'lambda:DeleteLayerVersion',
      resource: (w) => w.canaryLayerArn,
      note: 'delete_lambda',
    },
  },
];

const STATE_SOURCE =
  'https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required';

/** The stage's state and its lock file (use_lockfile), in every phase. */
function stateRows(w: StageWorld, phase: Phase): RequestRow[] {
  const principal = { role: w.deployRole };
  const row = (action: string, resource: string): RequestRow => ({
    name: `${w.deployRole} · ${phase} · state · ${action} ${resource.endsWith('.tflock') ? 'lock' : resource.endsWith('.tfstate') ? 'state' : 'bucket'}`,
    principal,
    action,
    resource,
    expect: 'allow',
    source: STATE_SOURCE,
  });
  const rows = [row('s3:ListBucket', w.stateBucketArn), row('s3:GetObject', w.stateObjectArn)];
  if (phase === 'no-op deploy') return rows;
  return [
    ...rows,
    row('s3:PutObject', w.stateLockArn),
    row('s3:PutObject', w.stateObjectArn),
    row('s3:DeleteObject', w.stateLockArn),
  ];
}

/**
 * The deploy alarm, kept in one place: `npm run deploy-alarm -- <stage> set|clear` holds the
 * stage's deploy alarm with data (scripts/deploy-alarm.ts, packages/cloudwatch-model/src/deploy-hold.ts):
 * `aws cloudwatch get-metric-statistics` reads the stage's DeployInProgress minutes back, and
 * `aws cloudwatch put-metric-data` sends the hold or the release into the stage's own namespace.
 * A change to how the deploy alarm works changes these rows only.
 */
export function deployAlarmRows(w: StageWorld, other: StageWorld): RequestRow[] {
  const source =
    'scripts/deploy-alarm.ts (cloudwatch:GetMetricStatistics, cloudwatch:PutMetricData; packages/cloudwatch-model/src/deploy-hold.ts)';
  const principal = { role: w.deployRole };
  const namespaceOf = (world: StageWorld) => ({
    'cloudwatch:namespace': deployInProgressMetric(world.prefix).namespace,
  });
  return [
    {
      name: `${w.deployRole} · every deploy · deploy alarm · reads its hold back`,
      principal,
      action: 'cloudwatch:GetMetricStatistics',
      resource: '*',
      expect: 'allow',
      source,
    },
    {
      name: `${w.deployRole} · every deploy · deploy alarm · holds and releases its own`,
      principal,
      action: 'cloudwatch:PutMetricData',
      resource: '*',
      context: namespaceOf(w),
      expect: 'allow',
      source,
    },
    {
      name: `${w.deployRole} · refused · deploy alarm · holds another stage's`,
      principal,
      action: 'cloudwatch:PutMetricData',
      resource: '*',
      context: namespaceOf(other),
      expect: 'deny',
      source,
    },
    {
      name: `${w.deployRole} · refused · deploy alarm · metrics in an AWS namespace`,
      principal,
      action: 'cloudwatch:PutMetricData',
      resource: '*',
      context: { 'cloudwatch:namespace': 'CloudWatchSynthetics' },
      expect: 'deny',
      source,
    },
    {
      name: `${w.deployRole} · refused · deploy alarm · sets any alarm's state by hand`,
      principal,
      action: 'cloudwatch:SetAlarmState',
      resource: w.deployAlarmArn,
      expect: 'deny',
      source,
    },
  ];
}

const PHASE_OF: Record<'create' | 'read' | 'update' | 'delete', Phase> = {
  create: 'first deploy',
  read: 'no-op deploy',
  update: 'update',
  delete: 'destroy',
};

function deployRows(w: StageWorld): RequestRow[] {
  const principal = { role: w.deployRole };
  const rows: RequestRow[] = [];
  for (const spec of PROVIDER_CALLS) {
    for (const step of ['create', 'read', 'update', 'delete'] as const) {
      for (const call of spec[step] ?? []) {
        const resource = call.resource(w);
        rows.push({
          name: `${w.deployRole} · ${PHASE_OF[step]} · ${spec.type} · ${call.action}${call.note ? ` (${call.note})` : ''}`,
          principal,
          action: call.action,
          resource,
          context: call.context?.(w),
          expect: 'allow',
          source: spec.source,
        });
      }
    }
  }
  for (const { phase, call } of SYNTHETICS_SIDE_CALLS) {
    rows.push({
      name: `${w.deployRole} · ${phase} · Synthetics with the caller's rights · ${call.action}${call.note ? ` (${call.note})` : ''}`,
      principal,
      action: call.action,
      resource: call.resource(w),
      context: call.context?.(w),
      resourcePolicy: call.resourcePolicy,
      expect: 'allow',
      source: SYNTHETICS_ACCESS,
    });
  }
  for (const phase of ['first deploy', 'no-op deploy', 'update', 'destroy'] as const) {
    rows.push(...stateRows(w, phase));
  }
  return rows;
}

const ADMIN: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** What the deploy role must be refused: the other stage, itself, escalation. */
function refusedDeployRows(w: StageWorld, other: StageWorld): RequestRow[] {
  const principal = { role: w.deployRole };
  const refused = (
    what: string,
    action: string,
    resource: string,
    context?: RequestRow['context'],
    source = 'stage isolation',
  ): RequestRow => ({
    name: `${w.deployRole} · refused · ${what}`,
    principal,
    action,
    resource,
    context,
    expect: 'deny',
    source,
  });
  const escalation = 'escalation: deploy-permissions.ts guardrailStatements';
  return [
    refused("the other stage's table", 'dynamodb:DeleteTable', other.tableArn),
    refused("the other stage's function", 'lambda:UpdateFunctionCode', other.functionArn),
    refused(
      "the other stage's canary",
      'synthetics:DeleteCanary',
      other.canaryArn,
      other.resourceTags,
    ),
    refused(
      'a canary tagged for the other stage',
      'synthetics:CreateCanary',
      '*',
      other.requestTags,
    ),
    refused(
      "the other stage's bucket policy",
      's3:PutBucketPolicy',
      `arn:aws:s3:::${other.websiteBucket}`,
    ),
    refused("the other stage's state", 's3:PutObject', other.stateObjectArn),
    refused("the other stage's key", 'kms:PutKeyPolicy', other.keyArn, other.resourceTags),
    refused("the other stage's topic", 'sns:SetTopicAttributes', other.topicArn),
    refused("the other stage's alarm", 'cloudwatch:DeleteAlarms', other.alarmArn),
    refused("the other stage's role policy", 'iam:PutRolePolicy', other.functionRoleArn, {
      'iam:PermissionsBoundary': other.boundaryArn,
    }),
    refused("tagging the other stage's key as its own", 'kms:TagResource', other.keyArn, {
      ...w.requestTags,
      ...other.resourceTags,
    }),
    refused(
      'its own policy',
      'iam:PutRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/${w.deployRole}`,
      undefined,
      escalation,
    ),
    refused(
      'a managed policy on itself',
      'iam:AttachRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/${w.deployRole}`,
      { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
      escalation,
    ),
    refused(
      'its own trust policy',
      'iam:UpdateAssumeRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/${w.deployRole}`,
      undefined,
      escalation,
    ),
    refused(
      "the other deploy role's policy",
      'iam:PutRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/${other.deployRole}`,
      undefined,
      escalation,
    ),
    refused(
      'a role without the boundary',
      'iam:CreateRole',
      `arn:aws:iam::${ACCOUNT}:role/${w.prefix}-no-boundary`,
      w.requestTags,
      escalation,
    ),
    refused(
      'a role with another boundary',
      'iam:CreateRole',
      `arn:aws:iam::${ACCOUNT}:role/${w.prefix}-admin`,
      {
        ...w.requestTags,
        'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess',
      },
      escalation,
    ),
    refused(
      'the policy of a role without the boundary',
      'iam:PutRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/${w.prefix}-legacy`,
      undefined,
      escalation,
    ),
    refused(
      'removing the boundary from a role',
      'iam:DeleteRolePermissionsBoundary',
      w.functionRoleArn,
      { 'iam:PermissionsBoundary': w.boundaryArn },
      escalation,
    ),
    refused(
      'replacing the boundary of a role',
      'iam:PutRolePermissionsBoundary',
      w.functionRoleArn,
      { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' },
      escalation,
    ),
    refused(
      'a new version of its boundary',
      'iam:CreatePolicyVersion',
      w.boundaryArn,
      undefined,
      escalation,
    ),
    refused('deleting its boundary', 'iam:DeletePolicy', w.boundaryArn, undefined, escalation),
    refused(
      'passing a role of the other stage',
      'iam:PassRole',
      other.functionRoleArn,
      { 'iam:PassedToService': 'lambda.amazonaws.com' },
      escalation,
    ),
    refused(
      'passing itself',
      'iam:PassRole',
      `arn:aws:iam::${ACCOUNT}:role/${w.deployRole}`,
      { 'iam:PassedToService': 'lambda.amazonaws.com' },
      escalation,
    ),
    refused(
      'passing an administrator role outside the stage',
      'iam:PassRole',
      `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`,
      { 'iam:PassedToService': 'lambda.amazonaws.com' },
      escalation,
    ),
    refused(
      "passing the stage's role to another service",
      'iam:PassRole',
      w.functionRoleArn,
      { 'iam:PassedToService': 'ec2.amazonaws.com' },
      escalation,
    ),
  ];
}

const FUNCTION_SOURCE =
  'stacks/api/messages-api.ts (TABLE_ACTIONS), packages/cdktf-monitoring/src/node-function.ts';
const CANARY_SOURCE =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html';

function workloadRows(w: StageWorld, other: StageWorld): RequestRow[] {
  const fn: Principal = { role: w.functionRole };
  const canaries: Principal = { role: w.canariesRole };
  const row = (
    principal: Principal,
    name: string,
    action: string,
    resource: string,
    expect: 'allow' | 'deny',
    source: string,
    context?: RequestRow['context'],
  ): RequestRow => ({
    name: `${'role' in principal ? principal.role : principal.service} · ${name}`,
    principal,
    action,
    resource,
    context,
    expect,
    source,
  });
  return [
    row(fn, 'reads a message', 'dynamodb:GetItem', w.tableArn, 'allow', FUNCTION_SOURCE),
    row(
      fn,
      'writes a message (TransactWriteItems: Put)',
      'dynamodb:PutItem',
      w.tableArn,
      'allow',
      FUNCTION_SOURCE,
    ),
    row(
      fn,
      'counts (TransactWriteItems: Update)',
      'dynamodb:UpdateItem',
      w.tableArn,
      'allow',
      FUNCTION_SOURCE,
    ),
    row(
      fn,
      'writes its log lines',
      'logs:PutLogEvents',
      `${w.functionLogGroupArn}:log-stream:2026/11/28/[$LATEST]abc`,
      'allow',
      FUNCTION_SOURCE,
    ),
    row(
      fn,
      'refused · deleting a message',
      'dynamodb:DeleteItem',
      w.tableArn,
      'deny',
      FUNCTION_SOURCE,
    ),
    row(
      fn,
      "refused · the other stage's table",
      'dynamodb:PutItem',
      other.tableArn,
      'deny',
      FUNCTION_SOURCE,
    ),
    row(
      fn,
      "refused · another group's logs",
      'logs:PutLogEvents',
      `${w.accessLogGroupArn}:log-stream:x`,
      'deny',
      FUNCTION_SOURCE,
    ),
    row(
      { role: w.functionRole, inlineOverride: ADMIN },
      'refused even as an administrator · creating a user (boundary)',
      'iam:CreateUser',
      `arn:aws:iam::${ACCOUNT}:user/intruder`,
      'deny',
      'stacks/bootstrap/permissions-boundary.ts',
    ),
    row(
      { role: w.functionRole, inlineOverride: ADMIN },
      "refused even as an administrator · the other stage's objects (boundary)",
      's3:GetObject',
      `arn:aws:s3:::${other.websiteBucket}/index.html`,
      'deny',
      'stacks/bootstrap/permissions-boundary.ts',
    ),
    row(
      canaries,
      'writes its artifacts',
      's3:PutObject',
      `arn:aws:s3:::${w.artifactsBucket}/${w.canaryName}/2026/11/28/run.har`,
      'allow',
      CANARY_SOURCE,
    ),
    row(
      canaries,
      'locates its artifact bucket',
      's3:GetBucketLocation',
      `arn:aws:s3:::${w.artifactsBucket}`,
      'allow',
      CANARY_SOURCE,
    ),
    row(canaries, 'lists buckets', 's3:ListAllMyBuckets', '*', 'allow', CANARY_SOURCE),
    row(
      canaries,
      'writes its run logs',
      'logs:PutLogEvents',
      `${w.canaryLogGroupArn}:log-stream:x`,
      'allow',
      CANARY_SOURCE,
    ),
    row(
      canaries,
      'publishes its metrics',
      'cloudwatch:PutMetricData',
      '*',
      'allow',
      CANARY_SOURCE,
      { 'cloudwatch:namespace': 'CloudWatchSynthetics' },
    ),
    row(
      canaries,
      'refused · metrics in another namespace',
      'cloudwatch:PutMetricData',
      '*',
      'deny',
      CANARY_SOURCE,
      { 'cloudwatch:namespace': 'AWS/Lambda' },
    ),
    row(
      canaries,
      'refused · writing into the website bucket',
      's3:PutObject',
      `arn:aws:s3:::${w.websiteBucket}/index.html`,
      'deny',
      CANARY_SOURCE,
    ),
    row(
      canaries,
      'refused · over plain HTTP',
      's3:PutObject',
      `arn:aws:s3:::${w.artifactsBucket}/${w.canaryName}/x`,
      'deny',
      'packages/cdktf-monitoring/src/private-bucket.ts',
      { 'aws:SecureTransport': 'false' },
    ),
  ];
}

const SNS_SOURCE =
  'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services';
const OAC_SOURCE =
  'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html';

function serviceRows(w: StageWorld, other: StageWorld): RequestRow[] {
  const cloudwatch: Principal = { service: 'cloudwatch.amazonaws.com' };
  const cloudfront: Principal = { service: 'cloudfront.amazonaws.com' };
  const fromAlarm = (alarmArn: string, account = ACCOUNT) => ({
    'aws:SourceArn': alarmArn,
    'aws:SourceAccount': account,
  });
  const row = (
    principal: Principal,
    name: string,
    action: string,
    resource: string,
    expect: 'allow' | 'deny',
    source: string,
    context?: RequestRow['context'],
  ): RequestRow => ({
    name: `${'service' in principal ? principal.service : principal.role} · ${w.stage} · ${name}`,
    principal,
    action,
    resource,
    context,
    expect,
    source,
  });
  const object = `arn:aws:s3:::${w.websiteBucket}/index.html`;
  return [
    row(
      cloudwatch,
      "publishes an alarm of the stage to the stage's topic",
      'sns:Publish',
      w.topicArn,
      'allow',
      SNS_SOURCE,
      fromAlarm(w.alarmArn),
    ),
    row(
      cloudwatch,
      "encrypts for the topic with the stage's key",
      'kms:GenerateDataKey',
      w.keyArn,
      'allow',
      SNS_SOURCE,
      fromAlarm(w.alarmArn),
    ),
    row(
      cloudwatch,
      "decrypts with the stage's key",
      'kms:Decrypt',
      w.keyArn,
      'allow',
      SNS_SOURCE,
      fromAlarm(w.alarmArn),
    ),
    row(
      cloudwatch,
      "refused · another account's alarm",
      'sns:Publish',
      w.topicArn,
      'deny',
      SNS_SOURCE,
      fromAlarm(w.alarmArn.replace(`:${ACCOUNT}:`, `:${OTHER_ACCOUNT}:`), OTHER_ACCOUNT),
    ),
    row(
      cloudwatch,
      "refused · the other stage's alarm",
      'sns:Publish',
      w.topicArn,
      'deny',
      SNS_SOURCE,
      fromAlarm(other.alarmArn),
    ),
    row(
      cloudfront,
      'reads the website through its distribution',
      's3:GetObject',
      object,
      'allow',
      OAC_SOURCE,
      { 'aws:SourceArn': w.distributionArn, 'aws:SourceAccount': ACCOUNT },
    ),
    row(cloudfront, 'refused · another distribution', 's3:GetObject', object, 'deny', OAC_SOURCE, {
      'aws:SourceArn': other.distributionArn,
      'aws:SourceAccount': ACCOUNT,
    }),
    row(
      cloudfront,
      "refused · another account's distribution",
      's3:GetObject',
      object,
      'deny',
      OAC_SOURCE,
      {
        'aws:SourceArn': w.distributionArn.replace(`::${ACCOUNT}:`, `::${OTHER_ACCOUNT}:`),
        'aws:SourceAccount': OTHER_ACCOUNT,
      },
    ),
    row(
      cloudfront,
      'refused · listing the bucket',
      's3:ListBucket',
      `arn:aws:s3:::${w.websiteBucket}`,
      'deny',
      OAC_SOURCE,
      { 'aws:SourceArn': w.distributionArn, 'aws:SourceAccount': ACCOUNT },
    ),
    row(
      cloudfront,
      "refused · the canaries' artifacts",
      's3:GetObject',
      `arn:aws:s3:::${w.artifactsBucket}/x`,
      'deny',
      OAC_SOURCE,
      { 'aws:SourceArn': w.distributionArn, 'aws:SourceAccount': ACCOUNT },
    ),
  ];
}

/** Every row, for every stage. */
export function requestTable(): RequestRow[] {
  return STAGES.flatMap((stage: Stage) => {
    const w = stageWorld(stage);
    const other = stageWorld(STAGES.find((s) => s !== stage)!);
    return [
      ...deployRows(w),
      ...deployAlarmRows(w, other),
      ...refusedDeployRows(w, other),
      ...workloadRows(w, other),
      ...serviceRows(w, other),
    ];
  });
}
