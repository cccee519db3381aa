/**
 * The names and ARNs of one stage as deployed in the test account, read from the synthesized
 * stacks (resolved) and the naming helpers: what the request table's rows name.
 */
import { CANARY_NAMES } from '../../../contract/canaries';
import type { Stage } from '../../../stacks/config';
import {
  deployAlarmName,
  siteDownAlarmName,
  dashboardName,
} from '../../../stacks/monitoring/names';
import { deployRoleName, permissionsBoundaryName } from '../../../stacks/shared/iam';
import { APP_NAME } from '../../../stacks/shared/naming';
import { stageNames } from '../../../stacks/shared/stage-names';
import { lockKey, stateKey } from '../../../stacks/state/state-backend';
import { ACCOUNT, deployedAccount, type DeployedAccount } from '../../support/iam/deployed';
import { TEST_CONFIGS } from '../../support/synth';

export interface StageWorld {
  readonly stage: Stage;
  readonly region: string;
  readonly prefix: string;
  readonly deployRole: string;
  readonly boundaryArn: string;
  readonly tableArn: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly functionRole: string;
  readonly functionRoleArn: string;
  readonly canariesRole: string;
  readonly canariesRoleArn: string;
  readonly canaryName: string;
  readonly canaryArn: string;
  /** The Lambda function Synthetics makes for the canary: `cwsyn-<name>-<id>`. */
  readonly canaryFunctionArn: string;
  readonly canaryLayerArn: string;
  readonly canaryLogGroupArn: string;
  readonly functionLogGroupArn: string;
  readonly accessLogGroupArn: string;
  readonly websiteBucket: string;
  readonly artifactsBucket: string;
  readonly distributionArn: string;
  readonly originAccessControlArn: string;
  readonly responseHeadersPolicyArn: string;
  readonly apiArn: string;
  readonly topicArn: string;
  readonly keyArn: string;
  readonly aliasArn: string;
  readonly alarmArn: string;
  readonly deployAlarmArn: string;
  readonly dashboardArn: string;
  readonly stateObjectArn: string;
  readonly stateLockArn: string;
  readonly stateBucketArn: string;
  /** The tags the stage's provider puts on everything it creates (default_tags). */
  readonly requestTags: Readonly<Record<string, string | readonly string[]>>;
  /** The same tags, as a resource created with them carries them. */
  readonly resourceTags: Readonly<Record<string, string>>;
}

function build(account: DeployedAccount, stage: Stage): StageWorld {
  const config = TEST_CONFIGS[stage];
  const prefix = config.namePrefix;
  const names = stageNames(prefix);
  const region = config.region;
  const regional = (service: string, resource: string) =>
    `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
  const at = (type: string, where: (c: Record<string, unknown>) => boolean, attribute: string) =>
    account.attribute(stage, type, where, attribute);
  const bucket = (what: string) =>
    at('aws_s3_bucket', (c) => c.bucket_prefix === `${prefix}-${what}-`, 'bucket');
  const canaryName = names.canary(CANARY_NAMES[0]);
  const engineArn = at('aws_synthetics_canary', (c) => c.name === canaryName, 'engine_arn');
  const canaryFunction = engineArn.split(':')[6];
  const stateBucket = account.attribute(
    'bootstrap',
    'aws_s3_bucket',
    (c) => c.bucket_prefix === `${APP_NAME}-tfstate-`,
    'bucket',
  );
  const tags = { app: APP_NAME, stage, 'managed-by': 'cdktf' };
  return {
    stage,
    region,
    prefix,
    deployRole: deployRoleName(stage),
    boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/${permissionsBoundaryName(stage)}`,
    tableArn: regional('dynamodb', `table/${names.table}`),
    functionName: names.function,
    functionArn: regional('lambda', `function:${names.function}`),
    functionRole: names.functionRole,
    functionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${names.functionRole}`,
    canariesRole: `${prefix}-canaries`,
    canariesRoleArn: `arn:aws:iam::${ACCOUNT}:role/${prefix}-canaries`,
    canaryName,
    canaryArn: regional('synthetics', `canary:${canaryName}`),
    canaryFunctionArn: regional('lambda', `function:${canaryFunction}`),
    canaryLayerArn: regional('lambda', `layer:${canaryFunction}:1`),
    canaryLogGroupArn: regional('logs', `log-group:/aws/lambda/${canaryFunction}`),
    functionLogGroupArn: regional('logs', `log-group:${names.functionLogGroup}`),
    accessLogGroupArn: regional('logs', `log-group:${names.accessLogGroup}`),
    websiteBucket: bucket('website'),
    artifactsBucket: bucket('canary-artifacts'),
    distributionArn: at('aws_cloudfront_distribution', () => true, 'arn'),
    originAccessControlArn: `arn:aws:cloudfront::${ACCOUNT}:origin-access-control/${at('aws_cloudfront_origin_access_control', () => true, 'id')}`,
    responseHeadersPolicyArn: `arn:aws:cloudfront::${ACCOUNT}:response-headers-policy/${at('aws_cloudfront_response_headers_policy', () => true, 'id')}`,
    apiArn: `arn:aws:apigateway:${region}::/apis/${at('aws_apigatewayv2_api', () => true, 'id')}`,
    topicArn: regional('sns', `${prefix}-alarms`),
    keyArn: at('aws_kms_key', () => true, 'arn'),
    aliasArn: regional('kms', `alias/${prefix}-alarms`),
    alarmArn: regional('cloudwatch', `alarm:${siteDownAlarmName(prefix)}`),
    deployAlarmArn: regional('cloudwatch', `alarm:${deployAlarmName(prefix)}`),
    dashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${dashboardName(prefix)}`,
    stateBucketArn: `arn:aws:s3:::${stateBucket}`,
    stateObjectArn: `arn:aws:s3:::${stateBucket}/${stateKey(stage)}`,
    stateLockArn: `arn:aws:s3:::${stateBucket}/${lockKey(stage)}`,
    requestTags: {
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
      'aws:TagKeys': Object.keys(tags),
    },
    resourceTags: Object.fromEntries(
      Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]),
    ),
  };
}

const worlds = new Map<Stage, StageWorld>();

export function stageWorld(stage: Stage): StageWorld {
  const world = worlds.get(stage) ?? build(deployedAccount(), stage);
  worlds.set(stage, world);
  return world;
}
