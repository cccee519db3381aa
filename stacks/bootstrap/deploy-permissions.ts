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
 * per provider version, and a missing one fails a deploy halfway (iam-no-wildcards allows these
 * families to deploy roles only). Every request the provider and the services make on the role's
 * behalf is judged by an IAM engine with AWS's authorization data in test/stacks/iam/: a grant
 * missing here fails a named row there before it fails a deploy.
 *
 * Escalation: the role may create and edit roles in its prefix, so each of them must carry the
 * stage's permissions boundary (bootstrap-owned, see permissions-boundary.ts), and the role may
 * neither remove it, nor change it, nor touch the deploy roles themselves (guardrailStatements).
 */
import { ACCESS_LOG_DEPLOYER_ACTIONS } from '../api/messages-api';
import { deployInProgressMetric } from '@monitored/cloudwatch-model';
import { ACTIONS_WITHOUT_RESOURCES } from '@monitored/terraform-policy';
import { deployRoleName, permissionsBoundaryName } from '../shared/iam';
import {
  canaryFunctionPattern,
  managedPolicyArn,
  roleArn,
  type PolicyStatement,
} from '@monitored/cdktf-monitoring';
import { lockKey, stateKey } from '../state/state-backend';

export interface DeployScope {
  readonly stage: string;
  readonly region: string;
  /** `msgs-<stage>`: every physical name of the stage starts with it and a dash. */
  readonly namePrefix: string;
  readonly accountId: string;
  /** The bucket holding every stage's state; the role reaches only its own stage's object. */
  readonly stateBucketArn: string;
  /** The stage's permissions boundary: every role the deploy role creates must carry it. */
  readonly permissionsBoundaryArn: string;
}

type Grant = (scope: DeployScope) => readonly PolicyStatement[];

const regional = (service: string, scope: DeployScope, resource: string) =>
  `arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;

/** Synthetics names a canary's Lambda, its layers and log group `cwsyn-<canary name>-<id>`. */
const syntheticsManaged = (scope: DeployScope) => canaryFunctionPattern(scope.namePrefix);

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
      // CreateCanary takes no resource (the Service Authorization Reference lists none): a grant
      // on the canary's ARN never covers it. The stage tag the provider sends with it (default_tags)
      // is what a policy can narrow it by.
      Sid: 'CreateStageCanaries',
      Effect: 'Allow',
      Action: ['synthetics:CreateCanary'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/stage': scope.stage } },
    },
    {
      Sid: 'Canaries',
      Effect: 'Allow',
      Action: [
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
      // Synthetics builds the canary's function from its runtime library with the caller's
      // permissions: CloudWatchSyntheticsFullAccess grants s3:GetObjectVersion on
      // aws-synthetics-library-* for it; here, the stage's region's library only.
      Sid: 'SyntheticsLibrary',
      Effect: 'Allow',
      Action: ['s3:GetObjectVersion'],
      Resource: `arn:aws:s3:::aws-synthetics-library-${scope.region}/*`,
    },
    {
      // Synthetics checks the artifact location; S3 has no resource-level permission for listing buckets.
      Sid: 'CanaryArtifactLocation',
      Effect: 'Allow',
      Action: ['s3:ListAllMyBuckets'],
      Resource: '*',
    },
  ],
  iamRoles: (scope): PolicyStatement[] => {
    const stageRoles = roleArn(scope.accountId, `${scope.namePrefix}-*`);
    const withTheBoundary = {
      StringEquals: { 'iam:PermissionsBoundary': scope.permissionsBoundaryArn },
    };
    return [
      {
        // What could widen a role's rights, only on roles that carry the stage's boundary
        // (iam:PermissionsBoundary is the boundary a role has, or for CreateRole and
        // PutRolePermissionsBoundary the one it is given): whatever the role writes into its
        // roles' policies, they can never do more than the boundary allows.
        Sid: 'RolesWithTheStageBoundary',
        Effect: 'Allow',
        Action: [
          'iam:CreateRole',
          'iam:PutRolePermissionsBoundary',
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:UpdateAssumeRolePolicy',
          'iam:DeleteRole',
        ],
        Resource: stageRoles,
        Condition: withTheBoundary,
      },
      {
        Sid: 'RoleUpkeep',
        Effect: 'Allow',
        Action: [
          'iam:UpdateRole',
          'iam:UpdateRoleDescription',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          'iam:ListInstanceProfilesForRole',
          'iam:ListRoleTags',
        ],
        Resource: stageRoles,
      },
      {
        // Only to the services the stage's roles are for: the function's and the canaries' Lambda.
        Sid: 'PassRolesToTheirServices',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: stageRoles,
        Condition: {
          StringEquals: {
            'iam:PassedToService': ['lambda.amazonaws.com', 'synthetics.amazonaws.com'],
          },
        },
      },
    ];
  },
  permissionsBoundary: (scope): PolicyStatement[] => [
    {
      // The stage stack reads the boundary at plan (data.aws_iam_policy), so that a stage deployed
      // before the bootstrap stack stops before creating anything.
      Sid: 'ReadTheStageBoundary',
      Effect: 'Allow',
      Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
      Resource: scope.permissionsBoundaryArn,
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
        // Provider 6.23+ sends the tags with CreateBucket and reads them through S3 Control.
        's3:TagResource',
        's3:ListTagsForResource',
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
      // A distribution that does not exist yet has no ARN: CreateDistribution (also the IAM action
      // of the API's CreateDistributionWithTags) takes no resource, narrowed by the stage tag the
      // provider sends with it.
      Sid: 'CreateStageDistributions',
      Effect: 'Allow',
      Action: ['cloudfront:CreateDistribution'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/stage': scope.stage } },
    },
    {
      // Origin access controls and response headers policies take no resource and no condition
      // on create; they are settings that only a distribution of this account can use.
      Sid: 'CreateDistributionSettings',
      Effect: 'Allow',
      Action: ['cloudfront:CreateOriginAccessControl', 'cloudfront:CreateResponseHeadersPolicy'],
      Resource: '*',
    },
    {
      // CloudFront ids are made by AWS (`E2…`), and CloudFront is global: the account is the
      // narrowest scope a policy can name for a distribution and its policies.
      Sid: 'CloudFront',
      Effect: 'Allow',
      Action: [
        'cloudfront:UpdateDistribution',
        'cloudfront:DeleteDistribution',
        'cloudfront:TagResource',
        'cloudfront:UntagResource',
        'cloudfront:ListTagsForResource',
        'cloudfront:UpdateOriginAccessControl',
        'cloudfront:DeleteOriginAccessControl',
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
  // What the role may do with a key once it exists is granted by the key's own policy (AlarmTopic),
  // not here: the provider calls EnableKeyRotation, GetKeyPolicy and DescribeKey right after
  // CreateKey, and a grant conditioned on the key's tags can be refused for up to five minutes
  // after they are set (https://docs.aws.amazon.com/kms/latest/developerguide/abac.html), while a
  // key policy is part of the key from its first moment.
  kmsKeys: (scope): PolicyStatement[] => [
    {
      // CreateKey has no resource at all: it is scoped by the stage tag the provider's
      // default_tags send with it.
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
      // tag already. No grant here reads a key's tags, so tagging a key gives it nothing more.
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
      // An alias names the key it points to: the alias side of CreateAlias and DeleteAlias (the
      // key side is in the key policy).
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
  'data.aws_iam_policy': ['permissionsBoundary'],
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
function stateStatements(scope: DeployScope): PolicyStatement[] {
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

/**
 * `npm run deploy-alarm -- <stage> set|clear` holds the stage's deploy alarm with data
 * (packages/cloudwatch-model/src/deploy-hold.ts): it reads the minutes of `DeployInProgress` back with
 * GetMetricStatistics and sends holds and releases with PutMetricData. Neither action takes a
 * resource ("Actions defined by Amazon CloudWatch", service authorization reference); PutMetricData
 * is narrowed by the `cloudwatch:namespace` condition to the stage's own namespace, so a role can
 * hold only its own stage's alarm. Reading metrics back reaches every metric of the region, read
 * only: CloudWatch offers no narrower scope for GetMetricStatistics.
 */
function deployAlarmStatements(scope: DeployScope): PolicyStatement[] {
  return [
    {
      Sid: 'DeployHold',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'cloudwatch:namespace': deployInProgressMetric(scope.namePrefix).namespace,
        },
      },
    },
    {
      Sid: 'DeployHoldRead',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricStatistics'],
      Resource: '*',
    },
  ];
}

/**
 * What the role may never do, whatever a grant above says: remove or replace the boundary on a
 * role, change the boundary policy itself, or change a deploy role (its own included). An
 * explicit deny wins over any allow, so a grant added later cannot reopen these.
 */
export function guardrailStatements(scope: DeployScope): PolicyStatement[] {
  return [
    {
      Sid: 'NoRoleWithoutTheBoundary',
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary'],
      Resource: '*',
    },
    {
      Sid: 'NoOtherBoundary',
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'iam:PermissionsBoundary': scope.permissionsBoundaryArn },
      },
    },
    {
      Sid: 'BoundaryPoliciesAreFixed',
      Effect: 'Deny',
      Action: [
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicy',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
      Resource: managedPolicyArn(scope.accountId, `${permissionsBoundaryName('')}*`),
    },
    {
      Sid: 'DeployRolesAreFixed',
      Effect: 'Deny',
      Action: [
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:PutRolePermissionsBoundary',
        'iam:DeleteRolePermissionsBoundary',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PassRole',
      ],
      Resource: roleArn(scope.accountId, `${deployRoleName('')}*`),
    },
  ];
}

/** Everything the stage's deploy role may do. */
export function deployPolicyStatements(scope: DeployScope): PolicyStatement[] {
  const grants = [...new Set(Object.values(GRANTS_BY_RESOURCE_TYPE).flat())].sort();
  return [
    ...stateStatements(scope),
    ...deployAlarmStatements(scope),
    ...grants.flatMap((name) => GRANTS[name](scope)),
    ...guardrailStatements(scope),
  ];
}
