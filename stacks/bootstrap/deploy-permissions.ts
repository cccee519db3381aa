/**
 * What a stage's deploy role may do: the Terraform resource types the stage stacks create, each
 * mapped to the grants that create, read, update and delete it, plus the state object and the
 * deploy alarm. A test synthesizes both stages and fails on a resource type missing here, so a
 * new kind of resource cannot reach the pipeline without its permissions.
 *
 * Scoping: every grant names the stage's region, this account and the stage's name prefix
 * (`msgs-<stage>-`) where the service lets a policy name its resources. Where it cannot, the
 * statement says why. Read actions are granted as families (`Get*`, `List*`, `Describe*`) on
 * those same resources: the provider's refresh calls a different set of them per resource and
 * per provider version, and a missing one fails a deploy halfway. Not verified against AWS (no
 * account here): a deploy that the role is refused names the missing action; add it here.
 */
import { ACCESS_LOG_DEPLOYER_ACTIONS } from '../api/messages-api';
import { deployAlarmName } from '../monitoring/names';
import { ACTIONS_WITHOUT_RESOURCES } from '../policy/rules/iam-no-wildcards';
import type { PolicyStatement } from '../shared/iam';
import { lockKey, stateKey } from '../state/state-backend';

export interface DeployScope {
  readonly stage: string;
  readonly region: string;
  /** `msgs-<stage>`: every physical name of the stage starts with it and a dash. */
  readonly namePrefix: string;
  readonly accountId: string;
  /** The bucket holding every stage's state; the role reaches only its own stage's object. */
  readonly stateBucketArn: string;
}

type Grant = (scope: DeployScope) => readonly PolicyStatement[];

const regional = (service: string, scope: DeployScope, resource: string) =>
  `arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;

/** Synthetics names a canary's Lambda, its layers and log group `cwsyn-<canary name>-<id>`. */
const syntheticsManaged = (scope: DeployScope) => `cwsyn-${scope.namePrefix}-*`;

export const GRANTS = {
  dynamodbTables: (scope): PolicyStatement[] => [
    {
      Sid: 'Tables',
      Effect: 'Allow',
      Action: [
        'dynamodb:CreateTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:UpdateTimeToLive',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
        'dynamodb:Describe*',
        'dynamodb:ListTagsOfResource',
      ],
      Resource: regional('dynamodb', scope, `table/${scope.namePrefix}-*`),
    },
  ],
  lambdaFunctions: (scope): PolicyStatement[] => [
    {
      // The stage's function, and the functions Synthetics creates for the canaries on the
      // caller's permissions (AWS managed policy CloudWatchSyntheticsFullAccess grants the same on cwsyn-*).
      Sid: 'Functions',
      Effect: 'Allow',
      Action: [
        'lambda:CreateFunction',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:PublishVersion',
        'lambda:DeleteFunction',
        'lambda:AddPermission',
        'lambda:RemovePermission',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:Get*',
        'lambda:List*',
      ],
      Resource: [
        regional('lambda', scope, `function:${scope.namePrefix}-*`),
        regional('lambda', scope, `function:${syntheticsManaged(scope)}`),
      ],
    },
  ],
  syntheticsCanaries: (scope): PolicyStatement[] => [
    {
      Sid: 'Canaries',
      Effect: 'Allow',
      Action: [
        'synthetics:CreateCanary',
        'synthetics:UpdateCanary',
        'synthetics:DeleteCanary',
        'synthetics:StartCanary',
        'synthetics:StopCanary',
        'synthetics:TagResource',
        'synthetics:UntagResource',
        'synthetics:Get*',
        'synthetics:ListTagsForResource',
      ],
      Resource: regional('synthetics', scope, `canary:${scope.namePrefix}-*`),
    },
    {
      Sid: 'CanaryCodeLayers',
      Effect: 'Allow',
      Action: ['lambda:PublishLayerVersion', 'lambda:GetLayerVersion', 'lambda:DeleteLayerVersion'],
      Resource: regional('lambda', scope, `layer:${syntheticsManaged(scope)}`),
    },
    {
      // The runtime's own layers live in AWS's accounts, so the account cannot be named
      // (CloudWatchSyntheticsFullAccess names them the same way).
      Sid: 'SyntheticsRuntimeLayers',
      Effect: 'Allow',
      Action: ['lambda:GetLayerVersion'],
      Resource: [
        `arn:aws:lambda:${scope.region}:*:layer:Synthetics:*`,
        `arn:aws:lambda:${scope.region}:*:layer:AWS-CW-Synthetics*:*`,
      ],
    },
    {
      // Synthetics checks the artifact location; S3 has no resource-level permission for listing buckets.
      Sid: 'CanaryArtifactLocation',
      Effect: 'Allow',
      Action: ['s3:ListAllMyBuckets'],
      Resource: '*',
    },
  ],
  iamRoles: (scope): PolicyStatement[] => [
    {
      Sid: 'Roles',
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
        'iam:ListRoleTags',
      ],
      Resource: `arn:aws:iam::${scope.accountId}:role/${scope.namePrefix}-*`,
    },
    {
      // Only to the services the stage's roles are for: the function's and the canaries' Lambda.
      Sid: 'PassRolesToTheirServices',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: `arn:aws:iam::${scope.accountId}:role/${scope.namePrefix}-*`,
      Condition: {
        StringEquals: {
          'iam:PassedToService': ['lambda.amazonaws.com', 'synthetics.amazonaws.com'],
        },
      },
    },
  ],
  logGroups: (scope): PolicyStatement[] => {
    // AWS's list for turning on an HTTP API's access logs (ACCESS_LOG_DEPLOYER_ACTIONS) grants the
    // log-group actions on every group and CreateLogGroup on "*"; here they reach the stage's own
    // groups, which the stack creates by name, and only what takes no resource stays on "*".
    const onGroups = ACCESS_LOG_DEPLOYER_ACTIONS.logGroups.filter(
      (action) => !ACTIONS_WITHOUT_RESOURCES.has(action),
    );
    const anywhere = [
      ...ACCESS_LOG_DEPLOYER_ACTIONS.logGroups,
      ...ACCESS_LOG_DEPLOYER_ACTIONS.anyResource,
    ].filter((action) => ACTIONS_WITHOUT_RESOURCES.has(action));
    return [
      {
        Sid: 'LogGroups',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:DeleteLogGroup',
          'logs:PutRetentionPolicy',
          'logs:DeleteRetentionPolicy',
          'logs:TagResource',
          'logs:UntagResource',
          'logs:ListTagsForResource',
          ...onGroups,
        ],
        Resource: [
          regional('logs', scope, `log-group:/aws/lambda/${scope.namePrefix}-*`),
          regional('logs', scope, `log-group:/aws/lambda/${syntheticsManaged(scope)}`),
          regional('logs', scope, `log-group:/aws/apigateway/${scope.namePrefix}-*`),
        ],
      },
      {
        // Listing log groups, and the log delivery that access logging sets up: no resource.
        Sid: 'AccessLogDelivery',
        Effect: 'Allow',
        Action: anywhere,
        Resource: '*',
      },
    ];
  },
  s3Buckets: (scope): PolicyStatement[] => [
    {
      // Buckets are named by bucket_prefix (`msgs-<stage>-<what>-<random>`), so the prefix is the
      // narrowest name; S3 bucket ARNs carry no account or region.
      Sid: 'Buckets',
      Effect: 'Allow',
      Action: [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutEncryptionConfiguration',
        's3:PutLifecycleConfiguration',
        's3:PutBucketTagging',
        's3:GetBucket*',
        's3:GetAccelerateConfiguration',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
      ],
      Resource: `arn:aws:s3:::${scope.namePrefix}-*`,
    },
    {
      // The website's files, and the canaries' artifacts that force_destroy empties.
      Sid: 'Objects',
      Effect: 'Allow',
      Action: [
        's3:PutObject',
        's3:GetObject',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:PutObjectTagging',
        's3:GetObjectTagging',
      ],
      Resource: `arn:aws:s3:::${scope.namePrefix}-*/*`,
    },
  ],
  cloudfront: (scope): PolicyStatement[] => [
    {
      // CloudFront ids are made by AWS (`E2…`), and CloudFront is global: the account is the
      // narrowest scope a policy can name for a distribution and its policies.
      Sid: 'CloudFront',
      Effect: 'Allow',
      Action: [
        'cloudfront:CreateDistribution',
        'cloudfront:CreateDistributionWithTags',
        'cloudfront:UpdateDistribution',
        'cloudfront:DeleteDistribution',
        'cloudfront:TagResource',
        'cloudfront:UntagResource',
        'cloudfront:ListTagsForResource',
        'cloudfront:CreateOriginAccessControl',
        'cloudfront:UpdateOriginAccessControl',
        'cloudfront:DeleteOriginAccessControl',
        'cloudfront:CreateResponseHeadersPolicy',
        'cloudfront:UpdateResponseHeadersPolicy',
        'cloudfront:DeleteResponseHeadersPolicy',
        'cloudfront:Get*',
      ],
      Resource: [
        `arn:aws:cloudfront::${scope.accountId}:distribution/*`,
        `arn:aws:cloudfront::${scope.accountId}:origin-access-control/*`,
        `arn:aws:cloudfront::${scope.accountId}:response-headers-policy/*`,
      ],
    },
  ],
  httpApis: (scope): PolicyStatement[] => [
    {
      // API Gateway authorizes by HTTP verb on paths, and API ids are made by AWS: every API of
      // the stage's region is the narrowest scope.
      Sid: 'HttpApis',
      Effect: 'Allow',
      Action: [
        'apigateway:GET',
        'apigateway:POST',
        'apigateway:PATCH',
        'apigateway:PUT',
        'apigateway:DELETE',
      ],
      Resource: [
        `arn:aws:apigateway:${scope.region}::/apis`,
        `arn:aws:apigateway:${scope.region}::/apis/*`,
        `arn:aws:apigateway:${scope.region}::/tags/*`,
      ],
    },
  ],
  alarms: (scope): PolicyStatement[] => [
    {
      Sid: 'Alarms',
      Effect: 'Allow',
      Action: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:PutCompositeAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'cloudwatch:ListTagsForResource',
      ],
      Resource: regional('cloudwatch', scope, `alarm:${scope.namePrefix}-*`),
    },
  ],
  dashboards: (scope): PolicyStatement[] => [
    {
      // Dashboards are global: their ARN has no region.
      Sid: 'Dashboards',
      Effect: 'Allow',
      Action: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
      Resource: `arn:aws:cloudwatch::${scope.accountId}:dashboard/${scope.namePrefix}-*`,
    },
  ],
  snsTopics: (scope): PolicyStatement[] => [
    {
      // Subscription ARNs are `<topic ARN>:<id>`, so the topic prefix covers them too.
      Sid: 'AlarmTopics',
      Effect: 'Allow',
      Action: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:SetSubscriptionAttributes',
        'sns:TagResource',
        'sns:UntagResource',
        'sns:Get*',
        'sns:List*',
      ],
      Resource: regional('sns', scope, `${scope.namePrefix}-*`),
    },
  ],
  kmsKeys: (scope): PolicyStatement[] => [
    {
      // A key's id is made by AWS, and CreateKey has no resource at all: keys are scoped by the
      // stage tag the provider's default_tags put on them at creation.
      Sid: 'CreateStageKeys',
      Effect: 'Allow',
      Action: ['kms:CreateKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/stage': scope.stage } },
    },
    {
      // Tagging a key as it is created needs kms:TagResource on "all KMS keys in the account and
      // Region" (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html,
      // manage-tags-api.html): for the stage's own tag only, and never on a key that has a stage
      // tag already, so one stage's role cannot claim another's key by tagging it.
      Sid: 'TagNewStageKeys',
      Effect: 'Allow',
      Action: ['kms:TagResource'],
      Resource: regional('kms', scope, 'key/*'),
      Condition: {
        StringEquals: { 'aws:RequestTag/stage': scope.stage },
        Null: { 'aws:ResourceTag/stage': 'true' },
      },
    },
    {
      Sid: 'StageKeys',
      Effect: 'Allow',
      Action: [
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:UpdateKeyDescription',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:ScheduleKeyDeletion',
        'kms:CreateAlias',
        'kms:DeleteAlias',
        'kms:UpdateAlias',
      ],
      Resource: regional('kms', scope, 'key/*'),
      Condition: { StringEquals: { 'aws:ResourceTag/stage': scope.stage } },
    },
    {
      // An alias names the key it points to: the alias side of CreateAlias and DeleteAlias.
      Sid: 'StageKeyAliases',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: regional('kms', scope, `alias/${scope.namePrefix}-*`),
    },
    {
      // Reading aliases back: ListAliases takes no resource.
      Sid: 'ListKeyAliases',
      Effect: 'Allow',
      Action: ['kms:ListAliases'],
      Resource: '*',
    },
  ],
} satisfies Record<string, Grant>;

export type GrantName = keyof typeof GRANTS;

/**
 * Every Terraform resource and data source type a stage stack may create or read, and the grants
 * it needs. Alarms, dashboards, topics and keys are here ahead of the monitoring stacks that
 * create them (issue 11): the role is deployed once by hand and should not need a second visit.
 */
export const GRANTS_BY_RESOURCE_TYPE: Readonly<Record<string, readonly GrantName[]>> = {
  aws_apigatewayv2_api: ['httpApis'],
  aws_apigatewayv2_integration: ['httpApis'],
  aws_apigatewayv2_route: ['httpApis'],
  aws_apigatewayv2_stage: ['httpApis', 'logGroups'],
  aws_cloudfront_distribution: ['cloudfront'],
  aws_cloudfront_origin_access_control: ['cloudfront'],
  aws_cloudfront_response_headers_policy: ['cloudfront'],
  aws_cloudwatch_composite_alarm: ['alarms'],
  aws_cloudwatch_dashboard: ['dashboards'],
  aws_cloudwatch_log_group: ['logGroups'],
  aws_cloudwatch_metric_alarm: ['alarms'],
  aws_dynamodb_table: ['dynamodbTables'],
  aws_iam_role: ['iamRoles'],
  aws_iam_role_policy: ['iamRoles'],
  aws_kms_alias: ['kmsKeys'],
  aws_kms_key: ['kmsKeys'],
  aws_lambda_function: ['lambdaFunctions', 'iamRoles'],
  aws_lambda_permission: ['lambdaFunctions'],
  aws_s3_bucket: ['s3Buckets'],
  aws_s3_bucket_lifecycle_configuration: ['s3Buckets'],
  aws_s3_bucket_ownership_controls: ['s3Buckets'],
  aws_s3_bucket_policy: ['s3Buckets'],
  aws_s3_bucket_public_access_block: ['s3Buckets'],
  aws_s3_bucket_server_side_encryption_configuration: ['s3Buckets'],
  aws_s3_object: ['s3Buckets'],
  aws_sns_topic: ['snsTopics', 'kmsKeys'],
  aws_sns_topic_policy: ['snsTopics'],
  aws_sns_topic_subscription: ['snsTopics'],
  aws_synthetics_canary: ['syntheticsCanaries', 'lambdaFunctions', 'iamRoles', 's3Buckets'],
  // sts:GetCallerIdentity needs no permission: any valid credentials may call it.
  'data.aws_caller_identity': [],
};

/**
 * The state object of the stage and its lock file, as the S3 backend needs them
 * (https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required).
 * ListBucket has no key condition: Terraform also lists the workspace prefix, and the listing
 * shows key names only.
 */
export function stateStatements(scope: DeployScope): PolicyStatement[] {
  return [
    {
      Sid: 'StateBucket',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: scope.stateBucketArn,
    },
    {
      Sid: 'StateObject',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${scope.stateBucketArn}/${stateKey(scope.stage)}`,
    },
    {
      Sid: 'StateLock',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${scope.stateBucketArn}/${lockKey(scope.stage)}`,
    },
  ];
}

/** `npm run deploy-alarm` holds the stage's deploy alarm in ALARM for the length of a deploy. */
export function deployAlarmStatement(scope: DeployScope): PolicyStatement {
  return {
    Sid: 'DeployAlarm',
    Effect: 'Allow',
    Action: ['cloudwatch:SetAlarmState'],
    Resource: regional('cloudwatch', scope, `alarm:${deployAlarmName(scope.namePrefix)}`),
  };
}

/** Everything the stage's deploy role may do. */
export function deployPolicyStatements(scope: DeployScope): PolicyStatement[] {
  const grants = [...new Set(Object.values(GRANTS_BY_RESOURCE_TYPE).flat())].sort();
  return [
    ...stateStatements(scope),
    deployAlarmStatement(scope),
    ...grants.flatMap((name) => GRANTS[name](scope)),
  ];
}
