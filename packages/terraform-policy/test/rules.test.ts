import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../src/rules';
import { TerraformModule, type JsonObject } from '@monitored/terraform-json';
import type { PolicyRule } from '../src/types';
import { cloudfrontHttps } from '../src/rules/cloudfront-https';
import { cloudfrontOac } from '../src/rules/cloudfront-oac';
import { corsNoWildcard } from '../src/rules/cors-no-wildcard';
import { dynamodbPitr } from '../src/rules/dynamodb-pitr';
import { httpApiThrottling } from '../src/rules/http-api-throttling';
import { iamNoWildcards } from '../src/rules/iam-no-wildcards';
import { lambdaLogLevel } from '../src/rules/lambda-log-level';
import { lambdaRuntimeSupported } from '../src/rules/lambda-runtime-supported';
import { logGroupRetention } from '../src/rules/log-group-retention';
import { s3BucketEncryption } from '../src/rules/s3-bucket-encryption';
import { s3NoPublicAcl } from '../src/rules/s3-no-public-acl';
import { s3NoPublicPolicy } from '../src/rules/s3-no-public-policy';
import { s3PublicAccessBlock } from '../src/rules/s3-public-access-block';
import { alarmActions } from '../src/rules/alarm-actions';
import { alarmTopicEncryption } from '../src/rules/alarm-topic-encryption';
import { canaryNotRunningGrace } from '../src/rules/canary-not-running-grace';
import { problemsOf, TEST_CONTEXT, writeZipFile, type Resources } from './support/policy-rules';
import { syntheticsArtifactBucket } from '../src/rules/synthetics-artifact-bucket';
import { syntheticsCanaryName } from '../src/rules/synthetics-canary-name';
import { syntheticsCanaryZip } from '../src/rules/synthetics-canary-zip';
import { syntheticsRunConfig } from '../src/rules/synthetics-run-config';
import { syntheticsRuntimeSupported } from '../src/rules/synthetics-runtime-supported';
import { syntheticsStartAndCleanup } from '../src/rules/synthetics-start-and-cleanup';

// Zips for the canary rules, as a FileAsset's source files.
const zipDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-zips-'));
afterAll(() => fs.rmSync(zipDir, { recursive: true, force: true }));
function zip(name: string, entries: Record<string, string>): string {
  const file = path.join(zipDir, name);
  writeZipFile(file, entries);
  return file;
}
const SCRIPT = 'exports.handler = async () => "ok";';
const ASSET_SOURCES = new Map([
  ['assets/canary/1/api.zip', zip('api.zip', { 'nodejs/node_modules/api.js': SCRIPT })],
  ['assets/canary/2/api.zip', zip('root.zip', { 'api.js': SCRIPT })],
  ['assets/canary/3/api.zip', zip('other.zip', { 'nodejs/node_modules/index.js': SCRIPT })],
]);

/** Runs `rule` over every resource of its types in `resources`; returns the problems found. */
const problems = (
  rule: PolicyRule,
  resources: Resources,
  today = new Date('2026-11-28T00:00:00Z'),
) => problemsOf(rule, resources, { ...TEST_CONTEXT, today, assetSources: ASSET_SOURCES });

const policy = (statements: unknown[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const bucket = { aws_s3_bucket: { site: { bucket_prefix: 'msgs-dev-website-' } } };
const FUNCTIONS = 'arn:aws:lambda:us-west-2:1:function:msgs-dev-*';
const GITHUB_TRUST = policy([
  {
    Effect: 'Allow',
    Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' },
    Action: 'sts:AssumeRoleWithWebIdentity',
  },
]);
const LAMBDA_TRUST = policy([
  { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
]);
const fullBlock = {
  bucket: '${aws_s3_bucket.site.id}',
  block_public_acls: true,
  block_public_policy: true,
  ignore_public_acls: true,
  restrict_public_buckets: true,
};
const canaryConfig: JsonObject = {
  name: 'msgs-dev-api',
  runtime_version: 'syn-nodejs-puppeteer-15.0',
  handler: 'api.handler',
  zip_file: 'assets/canary/1/api.zip',
  start_canary: true,
  delete_lambda: true,
  artifact_s3_location: 's3://${aws_s3_bucket.artifacts.bucket}/msgs-dev-api/',
  schedule: { expression: 'rate(6 minutes)', retry_config: { max_retries: 1 } },
  run_config: { timeout_in_seconds: 60, memory_in_mb: 960 },
};
/** A canary (and its artifact bucket) with `changes` to the compliant configuration. */
const canary = (changes: JsonObject = {}, bucketPrefix = 'msgs-dev-canary-artifacts-') => ({
  aws_s3_bucket: { artifacts: { bucket_prefix: bucketPrefix } },
  aws_synthetics_canary: { c: { ...canaryConfig, ...changes } },
});
const schedule = (expression: string, maxRetries = 1) => ({
  schedule: { expression, retry_config: { max_retries: maxRetries } },
});
const runConfig = (timeout: number, memory = 960) => ({
  run_config: { timeout_in_seconds: timeout, memory_in_mb: memory },
});
const ownership = {
  aws_s3_bucket_ownership_controls: {
    own: { bucket: '${aws_s3_bucket.site.id}', rule: { object_ownership: 'BucketOwnerEnforced' } },
  },
};

/** A topic `t` with `topic` attributes, an alarm notifying it on ALARM and OK, and `extra` resources. */
const alarmWith = (topic: Record<string, string>, extra: Resources): Resources => ({
  aws_sns_topic: { t: topic },
  aws_cloudwatch_metric_alarm: {
    a: { alarm_actions: ['${aws_sns_topic.t.arn}'], ok_actions: ['${aws_sns_topic.t.arn}'] },
  },
  ...extra,
});
const TOPIC = '${aws_sns_topic.t.arn}';
const NOT_RUNNING = 'msgs-dev-website-canary-not-running';
const DEPLOYED_RECENTLY = 'msgs-dev-deployed-recently';
/** The "site down" rule: a journey failing, or the canary not running outside the hours after a deploy. */
const SITE_DOWN_RULE = `ALARM("msgs-dev-website-journey-failing") OR (ALARM("${NOT_RUNNING}") AND NOT ALARM("${DEPLOYED_RECENTLY}"))`;
/** The data a deploy's hold and release send (the deploy alarm's metric). */
const DEPLOY_METRIC = { namespace: 'msgs-dev', metric_name: 'DeployInProgress' };
/**
 * dev's website canary (a 12-hour cron, 1 retry, 120 s timeout, or `canaryChanges`), its "not
 * running" alarm with `alarm` changes, the deploy alarm, a "deployed recently" alarm with `guard`
 * changes, and the "site down" composite over them with `suppressor` changes (null: none) and
 * `composite` changes.
 */
const notRunningWith = (
  alarm: JsonObject = {},
  suppressor: JsonObject | null = {},
  composite: JsonObject = {},
  guard: JsonObject = {},
  canaryChanges: JsonObject = { ...schedule('cron(30 0/12 * * ? *)'), ...runConfig(120) },
): Resources => {
  const { aws_synthetics_canary: canaries, ...rest } = canary(canaryChanges);
  return {
    ...rest,
    aws_synthetics_canary: canaries,
    aws_sns_topic: { t: {} },
    aws_cloudwatch_metric_alarm: {
      nr: {
        alarm_name: NOT_RUNNING,
        treat_missing_data: 'breaching',
        dimensions: { CanaryName: '${aws_synthetics_canary.c.name}' },
        ...alarm,
      },
      deploy: {
        alarm_name: 'msgs-dev-deploy-in-progress',
        ...DEPLOY_METRIC,
        statistic: 'Sum',
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
      },
      dr: {
        alarm_name: DEPLOYED_RECENTLY,
        ...DEPLOY_METRIC,
        statistic: 'SampleCount',
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        period: 60,
        // The interval, the run and its retry at 120 s, and 5 minutes: 43,740 s.
        evaluation_periods: 729,
        datapoints_to_alarm: 1,
        treat_missing_data: 'notBreaching',
        ...guard,
      },
    },
    aws_cloudwatch_composite_alarm: {
      sd: {
        alarm_name: 'msgs-dev-site-down',
        alarm_rule: SITE_DOWN_RULE,
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
        ...(suppressor !== null && {
          actions_suppressor: {
            alarm: 'msgs-dev-deploy-in-progress',
            wait_period: 60,
            extension_period: 7320,
            ...suppressor,
          },
        }),
        ...composite,
      },
    },
  };
};
const cloudwatchMayUseKey = {
  Effect: 'Allow',
  Principal: { Service: 'cloudwatch.amazonaws.com' },
  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  Resource: '*',
};
const onlyTheAccount = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 'kms:*',
  Resource: '*',
};
const keyPolicy = (statement: object): Resources => ({
  aws_kms_key: { k: { policy: policy([onlyTheAccount, statement]) } },
  aws_kms_alias: { a: { name: 'alias/msgs-dev-alarms', target_key_id: '${aws_kms_key.k.key_id}' } },
});

interface Case {
  readonly rule: PolicyRule;
  readonly compliant: Resources;
  readonly nonCompliant: Resources;
  readonly expected: RegExp;
}

const CASES: Case[] = [
  {
    rule: s3PublicAccessBlock,
    compliant: { ...bucket, aws_s3_bucket_public_access_block: { block: fullBlock } },
    nonCompliant: {
      ...bucket,
      aws_s3_bucket_public_access_block: {
        block: { ...fullBlock, restrict_public_buckets: false },
      },
    },
    expected: /restrict_public_buckets off/,
  },
  {
    rule: s3PublicAccessBlock,
    compliant: { ...bucket, aws_s3_bucket_public_access_block: { block: fullBlock } },
    nonCompliant: bucket,
    expected: /no aws_s3_bucket_public_access_block/,
  },
  {
    rule: s3NoPublicAcl,
    compliant: { ...bucket, ...ownership },
    nonCompliant: {
      ...bucket,
      ...ownership,
      aws_s3_bucket_acl: { acl: { bucket: '${aws_s3_bucket.site.id}', acl: 'public-read' } },
    },
    expected: /canned ACL "public-read"/,
  },
  {
    rule: s3NoPublicAcl,
    compliant: { ...bucket, ...ownership },
    nonCompliant: {
      ...bucket,
      aws_s3_bucket_ownership_controls: {
        own: { bucket: '${aws_s3_bucket.site.id}', rule: { object_ownership: 'ObjectWriter' } },
      },
    },
    expected: /ObjectWriter, not BucketOwnerEnforced/,
  },
  {
    rule: s3NoPublicPolicy,
    compliant: {
      aws_s3_bucket_policy: {
        p: {
          bucket: 'b',
          policy: policy([
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
              Condition: { StringEquals: { 'AWS:SourceArn': 'x' } },
            },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_s3_bucket_policy: {
        p: {
          bucket: 'b',
          policy: policy([
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
            },
          ]),
        },
      },
    },
    expected: /allows s3:GetObject to everyone/,
  },
  {
    rule: s3NoPublicPolicy,
    compliant: {
      aws_s3_bucket_policy: {
        p: {
          bucket: 'b',
          policy: policy([
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: '*',
              Condition: { Bool: { 'aws:SecureTransport': false } },
            },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_s3_bucket_policy: {
        p: {
          bucket: 'b',
          policy: policy([
            {
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: ['s3:GetObject'],
              Resource: 'arn:aws:s3:::b/*',
            },
          ]),
        },
      },
    },
    expected: /everyone/,
  },
  {
    rule: s3BucketEncryption,
    compliant: {
      ...bucket,
      aws_s3_bucket_server_side_encryption_configuration: {
        e: {
          bucket: '${aws_s3_bucket.site.id}',
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
        },
      },
    },
    nonCompliant: bucket,
    expected: /no aws_s3_bucket_server_side_encryption_configuration/,
  },
  {
    rule: dynamodbPitr,
    compliant: {
      aws_dynamodb_table: { t: { name: 't', point_in_time_recovery: { enabled: true } } },
    },
    nonCompliant: { aws_dynamodb_table: { t: { name: 't' } } },
    expected: /point-in-time recovery is off/,
  },
  {
    rule: lambdaRuntimeSupported,
    compliant: { aws_lambda_function: { f: { runtime: 'nodejs22.x' } } },
    nonCompliant: { aws_lambda_function: { f: { runtime: 'nodejs20.x' } } },
    expected: /nodejs20\.x was deprecated on 2026-04-30/,
  },
  {
    rule: lambdaRuntimeSupported,
    compliant: { aws_lambda_function: { f: { runtime: 'nodejs24.x' } } },
    nonCompliant: { aws_lambda_function: { f: { runtime: 'nodejs26.x' } } },
    expected: /not in the dated list/,
  },
  {
    rule: lambdaLogLevel,
    compliant: {
      aws_lambda_function: {
        f: {
          environment: { variables: { POWERTOOLS_LOG_LEVEL: 'INFO' } },
          logging_config: { log_format: 'JSON', application_log_level: 'INFO' },
        },
      },
    },
    nonCompliant: {
      aws_lambda_function: {
        f: {
          environment: { variables: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } },
          logging_config: { log_format: 'JSON', application_log_level: 'INFO' },
        },
      },
    },
    expected: /POWERTOOLS_LOG_LEVEL is DEBUG but Lambda's application_log_level is INFO/,
  },
  {
    rule: lambdaLogLevel,
    compliant: {
      aws_lambda_function: {
        f: {
          environment: {
            variables: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1' },
          },
          logging_config: { log_format: 'JSON', application_log_level: 'DEBUG' },
        },
      },
    },
    nonCompliant: {
      aws_lambda_function: {
        f: {
          environment: {
            variables: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1' },
          },
          logging_config: { log_format: 'JSON', application_log_level: 'INFO' },
        },
      },
    },
    expected: /debug sampling is on but Lambda drops DEBUG lines/,
  },
  {
    rule: logGroupRetention,
    compliant: {
      aws_cloudwatch_log_group: { g: { name: '/aws/lambda/f', retention_in_days: 30 } },
    },
    nonCompliant: { aws_cloudwatch_log_group: { g: { name: '/aws/lambda/f' } } },
    expected: /no retention_in_days/,
  },
  {
    rule: iamNoWildcards,
    compliant: {
      aws_iam_role_policy: {
        p: {
          policy: policy([
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem'],
              Resource: 'arn:aws:dynamodb:us-east-1:1:table/t',
            },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_iam_role_policy: {
        p: {
          policy: policy([
            {
              Effect: 'Allow',
              Action: 'dynamodb:*',
              Resource: 'arn:aws:dynamodb:us-east-1:1:table/t',
            },
          ]),
        },
      },
    },
    expected: /allows the action "dynamodb:\*"/,
  },
  {
    // A deploy role (trusted by GitHub's OIDC provider) may read by family on its stage's names.
    rule: iamNoWildcards,
    compliant: {
      aws_iam_role: { deploy: { name: 'msgs-deploy-dev', assume_role_policy: GITHUB_TRUST } },
      aws_iam_role_policy: {
        p: {
          role: '${aws_iam_role.deploy.id}',
          policy: policy([
            { Effect: 'Allow', Action: ['lambda:Get*', 'lambda:List*'], Resource: FUNCTIONS },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_iam_role: { deploy: { name: 'msgs-deploy-dev', assume_role_policy: GITHUB_TRUST } },
      aws_iam_role_policy: {
        p: {
          role: '${aws_iam_role.deploy.id}',
          policy: policy([{ Effect: 'Allow', Action: ['lambda:Update*'], Resource: FUNCTIONS }]),
        },
      },
    },
    expected: /allows "lambda:Update\*": a deploy role may be granted read families/,
  },
  {
    // A role that runs code gets no family at all.
    rule: iamNoWildcards,
    compliant: {
      aws_iam_role: { fn: { name: 'msgs-dev-api-function', assume_role_policy: LAMBDA_TRUST } },
      aws_iam_role_policy: {
        p: {
          role: '${aws_iam_role.fn.id}',
          policy: policy([
            { Effect: 'Allow', Action: ['lambda:GetFunction'], Resource: FUNCTIONS },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_iam_role: { fn: { name: 'msgs-dev-api-function', assume_role_policy: LAMBDA_TRUST } },
      aws_iam_role_policy: {
        p: {
          role: '${aws_iam_role.fn.id}',
          policy: policy([{ Effect: 'Allow', Action: ['lambda:Get*'], Resource: FUNCTIONS }]),
        },
      },
    },
    expected: /allows "lambda:Get\*": a role that runs code names every action it calls/,
  },
  {
    rule: iamNoWildcards,
    compliant: {
      aws_iam_role_policy: {
        p: {
          policy: policy([
            {
              Effect: 'Allow',
              Action: 'cloudwatch:PutMetricData',
              Resource: '*',
              Condition: { StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' } },
            },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_iam_role_policy: {
        p: {
          policy: policy([
            { Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:PutObject'], Resource: '*' },
          ]),
        },
      },
    },
    expected: /allows s3:PutObject on every resource/,
  },
  {
    rule: iamNoWildcards,
    compliant: {
      aws_iam_role: {
        r: {
          assume_role_policy: policy([
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'lambda.amazonaws.com' },
            },
          ]),
        },
      },
    },
    nonCompliant: {
      aws_iam_role: {
        r: {
          inline_policy: [
            { name: 'x', policy: policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]) },
          ],
        },
      },
    },
    expected: /allows the action "\*"/,
  },
  {
    rule: httpApiThrottling,
    compliant: {
      aws_apigatewayv2_stage: {
        s: { default_route_settings: { throttling_burst_limit: 10, throttling_rate_limit: 5 } },
      },
    },
    nonCompliant: {
      aws_apigatewayv2_stage: {
        s: {
          default_route_settings: { detailed_metrics_enabled: true, throttling_burst_limit: 10 },
        },
      },
    },
    expected: /no positive throttling_rate_limit/,
  },
  {
    rule: corsNoWildcard,
    compliant: {
      aws_apigatewayv2_api: {
        a: { cors_configuration: { allow_origins: ['https://d111.cloudfront.net'] } },
      },
    },
    nonCompliant: { aws_apigatewayv2_api: { a: { cors_configuration: { allow_origins: ['*'] } } } },
    expected: /any origin/,
  },
  {
    rule: cloudfrontOac,
    compliant: {
      aws_cloudfront_distribution: {
        d: {
          origin: [
            {
              origin_id: 's3',
              domain_name: '${aws_s3_bucket.site.bucket_regional_domain_name}',
              origin_access_control_id: '${aws_cloudfront_origin_access_control.oac.id}',
            },
          ],
        },
      },
    },
    nonCompliant: {
      aws_cloudfront_distribution: {
        d: {
          origin: [
            {
              origin_id: 's3',
              domain_name: 'b.s3.us-east-1.amazonaws.com',
              s3_origin_config: { origin_access_identity: 'origin-access-identity/cloudfront/E1' },
            },
          ],
        },
      },
    },
    expected: /legacy origin access identity/,
  },
  {
    rule: cloudfrontOac,
    compliant: {
      aws_cloudfront_distribution: {
        d: { origin: [{ origin_id: 'api', domain_name: 'example.com' }] },
      },
    },
    nonCompliant: {
      aws_cloudfront_distribution: {
        d: {
          origin: [
            { origin_id: 's3', domain_name: '${aws_s3_bucket.site.bucket_regional_domain_name}' },
          ],
        },
      },
    },
    expected: /no origin_access_control_id/,
  },
  {
    rule: cloudfrontHttps,
    compliant: {
      aws_cloudfront_distribution: {
        d: {
          default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
          ordered_cache_behavior: [{ viewer_protocol_policy: 'https-only' }],
        },
      },
    },
    nonCompliant: {
      aws_cloudfront_distribution: {
        d: {
          default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
          ordered_cache_behavior: [{ viewer_protocol_policy: 'allow-all' }],
        },
      },
    },
    expected: /allows plain HTTP \(viewer_protocol_policy allow-all\)/,
  },
  {
    rule: alarmTopicEncryption,
    compliant: alarmWith(
      { kms_master_key_id: '${aws_kms_key.k.arn}' },
      keyPolicy(cloudwatchMayUseKey),
    ),
    nonCompliant: alarmWith({ kms_master_key_id: 'alias/aws/sns' }, keyPolicy(cloudwatchMayUseKey)),
    expected: /encrypted with the AWS managed key alias\/aws\/sns/,
  },
  {
    rule: alarmTopicEncryption,
    compliant: alarmWith(
      { kms_master_key_id: '${aws_kms_alias.a.arn}' },
      keyPolicy(cloudwatchMayUseKey),
    ),
    nonCompliant: alarmWith(
      { kms_master_key_id: '${aws_kms_alias.a.arn}' },
      keyPolicy(onlyTheAccount),
    ),
    expected: /aws_kms_key\.k, whose policy does not let cloudwatch\.amazonaws\.com kms:Decrypt/,
  },
  {
    rule: alarmTopicEncryption,
    compliant: alarmWith({}, {}),
    nonCompliant: alarmWith(
      {},
      {
        aws_sns_topic_policy: {
          p: {
            arn: '${aws_sns_topic.t.arn}',
            policy: policy([
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: '*',
              },
            ]),
          },
        },
      },
    ),
    expected: /aws_sns_topic_policy\.p\) does not let cloudwatch\.amazonaws\.com sns:Publish/,
  },
  {
    rule: alarmTopicEncryption,
    // Limited to the alarms of this account: a condition CloudWatch's publication meets.
    compliant: alarmWith(
      { kms_master_key_id: '${aws_kms_key.k.arn}' },
      keyPolicy({
        ...cloudwatchMayUseKey,
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-west-2:123456789012:alarm:*' },
        },
      }),
    ),
    // Limited by a key CloudWatch's request does not carry.
    nonCompliant: alarmWith(
      { kms_master_key_id: '${aws_kms_key.k.arn}' },
      keyPolicy({
        ...cloudwatchMayUseKey,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      }),
    ),
    expected: /whose policy does not let cloudwatch\.amazonaws\.com kms:Decrypt/,
  },
  {
    rule: alarmTopicEncryption,
    compliant: alarmWith({}, {}),
    nonCompliant: alarmWith(
      {},
      {
        aws_sns_topic_policy: {
          p: {
            arn: '${aws_sns_topic.t.arn}',
            policy: policy([
              {
                Effect: 'Allow',
                Principal: { Service: 'cloudwatch.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: '*',
              },
              { Effect: 'Deny', Principal: '*', Action: 'sns:*', Resource: '*' },
            ]),
          },
        },
      },
    ),
    expected: /aws_sns_topic_policy\.p\) does not let cloudwatch\.amazonaws\.com sns:Publish/,
  },
  {
    rule: alarmActions,
    compliant: alarmWith({}, {}),
    nonCompliant: {
      aws_sns_topic: { t: {} },
      aws_cloudwatch_metric_alarm: { a: { alarm_actions: ['${aws_sns_topic.t.arn}'] } },
    },
    expected: /no ok_actions/,
  },
  {
    rule: alarmActions,
    compliant: alarmWith({}, {}),
    nonCompliant: {
      aws_sns_topic: { t: { provider: 'aws.useast1' } },
      aws_cloudwatch_composite_alarm: {
        a: { alarm_actions: ['${aws_sns_topic.t.arn}'], ok_actions: ['${aws_sns_topic.t.arn}'] },
      },
    },
    expected: /notifies aws_sns_topic\.t of aws\.useast1, but the alarm is in the default provider/,
  },
  {
    // A child of a composite that notifies needs no actions of its own.
    rule: alarmActions,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({}, {}, { alarm_rule: `ALARM("${NOT_RUNNING}")` }),
    expected: /^no alarm_actions/,
  },
  {
    rule: alarmActions,
    compliant: notRunningWith(),
    nonCompliant: {
      aws_sns_topic: { t: {} },
      aws_cloudwatch_composite_alarm: {
        c: { alarm_rule: 'ALARM(a) XOR ALARM(b)', alarm_actions: [TOPIC], ok_actions: [TOPIC] },
      },
    },
    expected:
      /^alarm rule, character 10: expected AND, OR or the end of the rule, found "XOR ALARM\(b\)": PutCompositeAlarm would refuse it/,
  },
  {
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({}, {}, {}, { evaluation_periods: 60 }),
    expected:
      /^composite aws_cloudwatch_composite_alarm\.sd's guard msgs-dev-deployed-recently covers 3600 s after a deploy, less than the 43440 s canary aws_synthetics_canary\.c can take to first run \(cron\(30 0\/12 \* \* \? \*\), then 2 × 120 s\)$/,
  },
  {
    // A canary that runs once a day needs more than the day PutMetricAlarm takes of one-minute periods.
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith(
      {},
      {},
      {},
      { evaluation_periods: 1449 },
      {
        ...schedule('cron(30 0 * * ? *)'),
        ...runConfig(120),
      },
    ),
    expected:
      /guard msgs-dev-deployed-recently reads 86940 s \(period × evaluation_periods\), more than the 86400 s PutMetricAlarm takes for a 60 s period; the 86640 s canary aws_synthetics_canary\.c can take to first run/,
  },
  {
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({}, {}, { alarm_rule: `ALARM("${NOT_RUNNING}")` }),
    expected:
      /^composite aws_cloudwatch_composite_alarm\.sd pages as soon as msgs-dev-website-canary-not-running is created: no child of its rule keeps it quiet/,
  },
  {
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith(
      {},
      {},
      { alarm_rule: `ALARM("${NOT_RUNNING}") AND ALARM("${DEPLOYED_RECENTLY}")` },
    ),
    expected:
      /rule is not TRUE with msgs-dev-website-canary-not-running in ALARM and its other children OK/,
  },
  {
    // The Sum of the deploy's data is 0 once released: it does not count a released deploy.
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({}, {}, {}, { statistic: 'Sum' }),
    expected:
      /guard msgs-dev-deployed-recently does not count the deploys: it must be SampleCount >= 1 in 1 of N of msgs-dev DeployInProgress/,
  },
  {
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({}, { wait_period: 0 }),
    expected: /waits 0 s for its suppressor \(wait_period\), less than the minute/,
  },
  {
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({}, null),
    expected: /^composite aws_cloudwatch_composite_alarm\.sd has no actions suppressor/,
  },
  {
    rule: canaryNotRunningGrace,
    compliant: notRunningWith(),
    nonCompliant: notRunningWith({ alarm_actions: [TOPIC], ok_actions: [TOPIC] }),
    expected: /notifies by itself: it would send ALARM as soon as it is created/,
  },
  {
    rule: canaryNotRunningGrace,
    // An alarm that does not treat missing data as breaching is not this rule's.
    compliant: notRunningWith(
      { treat_missing_data: 'notBreaching' },
      {},
      { alarm_rule: 'ALARM("msgs-dev-website-journey-failing")' },
    ),
    nonCompliant: notRunningWith(
      {},
      {},
      { alarm_rule: 'ALARM("msgs-dev-website-journey-failing")' },
    ),
    expected: /^no composite alarm with alarm and OK actions names it in its rule/,
  },
  {
    rule: syntheticsRuntimeSupported,
    compliant: canary(),
    nonCompliant: canary({ runtime_version: 'syn-nodejs-puppeteer-7.0' }),
    expected:
      /^runtime syn-nodejs-puppeteer-7\.0 was deprecated on 2026-01-22: .*no canary can be created on it/,
  },
  {
    rule: syntheticsRuntimeSupported,
    compliant: canary({ runtime_version: 'syn-nodejs-puppeteer-13.1' }),
    nonCompliant: canary({ runtime_version: 'syn-nodejs-puppeteer-16.0' }),
    expected: /^runtime syn-nodejs-puppeteer-16\.0 is not in the dated list/,
  },
  {
    rule: syntheticsCanaryZip,
    compliant: canary(),
    nonCompliant: canary({ zip_file: 'assets/canary/3/api.zip' }),
    expected:
      /^handler api\.handler needs nodejs\/node_modules\/api\.js or api\.js in the zip, which has nodejs\/node_modules\/index\.js$/,
  },
  {
    // A script at the root of the zip loads from 11.0 on only.
    rule: syntheticsCanaryZip,
    compliant: canary({ zip_file: 'assets/canary/2/api.zip' }),
    nonCompliant: canary({
      zip_file: 'assets/canary/2/api.zip',
      runtime_version: 'syn-nodejs-puppeteer-10.0',
    }),
    expected:
      /^handler api\.handler needs nodejs\/node_modules\/api\.js in the zip, which has api\.js$/,
  },
  {
    rule: syntheticsCanaryZip,
    compliant: canary(),
    nonCompliant: canary({ handler: 'api.run' }),
    expected: /^nodejs\/node_modules\/api\.js in the zip never mentions "run"/,
  },
  {
    rule: syntheticsCanaryZip,
    compliant: canary(),
    nonCompliant: canary({ zip_file: 'assets/canary/9/api.zip' }),
    expected: /^zip_file assets\/canary\/9\/api\.zip is not a file this stack copies/,
  },
  {
    rule: syntheticsCanaryName,
    compliant: canary({ name: 'msgs-prod-website' }),
    nonCompliant: canary({ name: 'msgs-prod-website-check' }),
    expected: /^name "msgs-prod-website-check" is 23 characters; AWS keeps 21/,
  },
  {
    rule: syntheticsCanaryName,
    compliant: canary({ name: 'msgs_dev-1' }),
    nonCompliant: canary({ name: 'Msgs.dev' }),
    expected: /may only contain lowercase letters, digits, _ and -/,
  },
  {
    rule: syntheticsStartAndCleanup,
    compliant: canary(),
    nonCompliant: canary({ start_canary: false }),
    expected: /^start_canary is not true: the canary is created stopped and never runs$/,
  },
  {
    rule: syntheticsStartAndCleanup,
    compliant: canary(),
    nonCompliant: { aws_synthetics_canary: { c: { ...canaryConfig, delete_lambda: null } } },
    expected: /^delete_lambda is not true: destroy would leave the canary's Lambda/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary(runConfig(360)),
    nonCompliant: canary(runConfig(361)),
    expected: /^timeout 361 s is longer than the 360 s between runs of rate\(6 minutes\)$/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary({ ...schedule('rate(1 hour)'), ...runConfig(840, 3008) }),
    nonCompliant: canary(runConfig(2, 1000)),
    expected:
      /^timeout 2 s is outside 3–840 s; memory 1000 MB is not a multiple of 64 from 960 to 3008$/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary(schedule('cron(0 0/2 * * ? *)')),
    nonCompliant: canary(schedule('rate(2 hours)')),
    expected: /^schedule rate\(2 hours\): not rate\(N minute\|minutes\|hour\) nor cron/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary(schedule('rate(1 hour)')),
    nonCompliant: canary(schedule('rate(90 minutes)')),
    expected:
      /a rate runs from every minute to every hour; use cron\(\.\.\.\) for longer intervals$/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary(schedule('cron(30 0/12 * * ? *)')),
    nonCompliant: canary(schedule('cron(0 12 ? * MON-FRI *)')),
    expected: /cannot tell the longest time between its runs/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary({ ...schedule('rate(1 hour)', 2), ...runConfig(599) }),
    nonCompliant: canary({ ...schedule('rate(1 hour)', 2), ...runConfig(600) }),
    expected: /^with 2 retries the timeout must be under 600 s, not 600 s$/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary({
      runtime_version: 'syn-nodejs-puppeteer-9.1',
      ...schedule('rate(1 hour)', 0),
    }),
    nonCompliant: canary({ runtime_version: 'syn-nodejs-puppeteer-9.1' }),
    expected: /^runtime syn-nodejs-puppeteer-9\.1 does not retry/,
  },
  {
    rule: syntheticsRunConfig,
    compliant: canary(schedule('rate(6 minutes)', 2)),
    nonCompliant: canary(schedule('rate(6 minutes)', 3)),
    expected: /^max_retries 3 is not 0 to 2$/,
  },
  {
    rule: syntheticsArtifactBucket,
    compliant: canary(),
    nonCompliant: canary({}, 'msgs.dev-canary-artifacts-'),
    expected:
      /^artifact bucket aws_s3_bucket\.artifacts has a period in its bucket_prefix "msgs\.dev-canary-artifacts-"$/,
  },
  {
    rule: syntheticsArtifactBucket,
    compliant: canary({ artifact_s3_location: 's3://msgs-dev-artifacts/api/' }),
    nonCompliant: canary({ artifact_s3_location: 's3://msgs.dev.artifacts/api/' }),
    expected: /^artifact bucket "msgs\.dev\.artifacts" has a period in its name$/,
  },
];

describe.each(CASES.map((testCase) => [testCase.rule.id, testCase] as const))(
  'rule %s',
  (_id, { rule, compliant, nonCompliant, expected }) => {
    it('passes a compliant configuration', () => {
      expect(problems(rule, compliant)).toEqual([]);
    });
    it('reports a non-compliant one', () => {
      const found = problems(rule, nonCompliant);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(expected);
    });
  },
);

describe('rule alarm-actions, by region', () => {
  const crossProvider: Resources = {
    aws_sns_topic: { t: { provider: 'aws.second' } },
    aws_cloudwatch_metric_alarm: {
      a: { alarm_actions: ['${aws_sns_topic.t.arn}'], ok_actions: ['${aws_sns_topic.t.arn}'] },
    },
  };
  const context = { ...TEST_CONTEXT, assetSources: ASSET_SOURCES };

  it("passes a topic of another provider in the alarm's own region", () => {
    const providers: JsonObject[] = [
      { region: 'us-east-1' },
      { alias: 'second', region: 'us-east-1' },
    ];
    expect(problemsOf(alarmActions, crossProvider, context, providers)).toEqual([]);
  });

  it('reports a topic in another region, naming both regions', () => {
    const providers: JsonObject[] = [
      { region: 'us-west-2' },
      { alias: 'second', region: 'us-east-1' },
    ];
    expect(problemsOf(alarmActions, crossProvider, context, providers)).toEqual([
      'alarm_actions notifies aws_sns_topic.t of aws.second (us-east-1), but the alarm is in the default provider (us-west-2): an alarm can only notify a topic in its own region',
    ]);
  });
});

const RULES_DIR = path.join(__dirname, '..', 'src', 'rules');
const RULE_FILES = fs
  .readdirSync(RULES_DIR)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .map((file) => path.basename(file, '.ts'));

function isRule(value: unknown): value is PolicyRule {
  return typeof value === 'object' && value !== null && 'id' in value && 'check' in value;
}

describe('rule set', () => {
  it.each(RULE_FILES)('registers the one rule of %s.ts, whose id is its file name', (file) => {
    const module = jest.requireActual<Record<string, unknown>>(path.join(RULES_DIR, file));
    const rules = Object.values(module).filter(isRule);
    expect(rules.map((rule) => rule.id)).toEqual([file]);
    expect(ALL_RULES).toContain(rules[0]);
  });

  it('registers no rule without a file of its name', () => {
    expect(ALL_RULES.map((rule) => rule.id).sort()).toEqual([...RULE_FILES].sort());
  });

  it('tests every rule with a compliant and a non-compliant case', () => {
    expect(new Set(CASES.map((testCase) => testCase.rule.id))).toEqual(
      new Set(ALL_RULES.map((rule) => rule.id)),
    );
  });

  it('warns from 90 days before a runtime deprecation date, naming the runtime and the date', () => {
    const fn = new TerraformModule({
      resource: { aws_lambda_function: { f: { runtime: 'nodejs22.x' } } },
    });
    const warning = (day: string) =>
      lambdaRuntimeSupported.warn?.(fn.resources[0], fn, {
        today: new Date(day),
        assetSources: new Map(),
      });
    expect(warning('2027-01-29T23:59:59Z')).toBeUndefined();
    expect(warning('2027-01-30T00:00:00Z')).toBe(
      'runtime nodejs22.x is deprecated on 2027-04-30, in 90 days; synth fails from that day',
    );
    expect(warning('2027-04-29T12:00:00Z')).toBe(
      'runtime nodejs22.x is deprecated on 2027-04-30, in 1 day; synth fails from that day',
    );
    // From the date on, check() reports the deprecation as an error instead.
    expect(warning('2027-04-30T00:00:00Z')).toBeUndefined();
  });

  it('warns of a canary runtime 90 days before its date and fails from it', () => {
    const stack = new TerraformModule({
      resource: canary({ runtime_version: 'syn-nodejs-puppeteer-7.0' }),
    });
    const [resource] = stack.ofType('aws_synthetics_canary');
    const judge = (day: string) => {
      const context = { ...TEST_CONTEXT, today: new Date(day), assetSources: ASSET_SOURCES };
      return [
        syntheticsRuntimeSupported.check(resource, stack, context),
        syntheticsRuntimeSupported.warn?.(resource, stack, context),
      ];
    };
    expect(judge('2025-10-23T23:59:59Z')).toEqual([undefined, undefined]);
    expect(judge('2025-10-24T00:00:00Z')).toEqual([
      undefined,
      'runtime syn-nodejs-puppeteer-7.0 is deprecated on 2026-01-22, in 90 days; synth fails from that day',
    ]);
    expect(judge('2026-01-22T00:00:00Z')).toEqual([
      'runtime syn-nodejs-puppeteer-7.0 was deprecated on 2026-01-22: existing canaries keep running and can be stopped, started and deleted, but no canary can be created on it, and an existing one can only be updated to a supported runtime (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html). ' +
        'Move to a newer runtime; to synth anyway (a destroy, an urgent fix), set ACCEPT_DEPRECATED_RUNTIMES=syn-nodejs-puppeteer-7.0, e.g. `ACCEPT_DEPRECATED_RUNTIMES=syn-nodejs-puppeteer-7.0 npx cdktf destroy <stack>`',
      undefined,
    ]);
  });

  it('judges deprecation by the day of the synth: nodejs22.x fails from 2027-04-30', () => {
    const fn = { aws_lambda_function: { f: { runtime: 'nodejs22.x' } } };
    expect(problems(lambdaRuntimeSupported, fn, new Date('2027-04-29T12:00:00Z'))).toEqual([]);
    expect(problems(lambdaRuntimeSupported, fn, new Date('2027-04-30T00:00:00Z'))).toEqual([
      'runtime nodejs22.x was deprecated on 2027-04-30: existing functions keep running; Lambda blocks creating functions on it from 2027-06-01 and updating them from 2027-07-01 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). ' +
        'Move to a newer runtime; to synth anyway (a destroy, an urgent fix), set ACCEPT_DEPRECATED_RUNTIMES=nodejs22.x, e.g. `ACCEPT_DEPRECATED_RUNTIMES=nodejs22.x npx cdktf destroy <stack>`',
    ]);
  });
});

describe('runtimes accepted past their deprecation date (ACCEPT_DEPRECATED_RUNTIMES)', () => {
  const judge = (rule: PolicyRule, resources: Resources, day: string, accepted: string[]) => {
    const stack = new TerraformModule({ resource: resources });
    const [resource] = stack.ofType(rule.resourceTypes[0]);
    const context = {
      ...TEST_CONTEXT,
      today: new Date(day),
      acceptDeprecatedRuntimes: accepted,
      assetSources: ASSET_SOURCES,
    };
    return {
      problem: rule.check(resource, stack, context),
      warning: rule.warn?.(resource, stack, context),
    };
  };
  const fn = (runtime: string) => ({ aws_lambda_function: { f: { runtime } } });

  it('lets a function on an accepted runtime synth, warning with what Lambda still allows', () => {
    expect(
      judge(lambdaRuntimeSupported, fn('nodejs22.x'), '2027-05-02T00:00:00Z', ['nodejs22.x']),
    ).toEqual({
      problem: undefined,
      warning:
        'runtime nodejs22.x was deprecated on 2027-04-30, accepted by ACCEPT_DEPRECATED_RUNTIMES: existing functions keep running; Lambda blocks creating functions on it from 2027-06-01 and updating them from 2027-07-01 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)',
    });
  });

  it('says which blocks have already come, by the day of the synth', () => {
    const { warning } = judge(lambdaRuntimeSupported, fn('nodejs22.x'), '2027-06-15T00:00:00Z', [
      'nodejs22.x',
    ]);
    expect(warning).toContain(
      'blocks creating functions on it since 2027-06-01 and updating them from 2027-07-01',
    );
    const later = judge(lambdaRuntimeSupported, fn('nodejs22.x'), '2027-07-01T00:00:00Z', [
      'nodejs22.x',
    ]);
    expect(later.warning).toContain('since 2027-06-01 and updating them since 2027-07-01');
  });

  it('links the dates of a runtime whose blocks the rule does not list', () => {
    const { problem } = judge(lambdaRuntimeSupported, fn('nodejs18.x'), '2026-11-28T00:00:00Z', []);
    expect(problem).toMatch(
      /^runtime nodejs18\.x was deprecated on 2025-09-01: existing functions keep running; Lambda blocks creating, then updating, functions on it some months after that date \(https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/lambda-runtimes\.html\)\. .*ACCEPT_DEPRECATED_RUNTIMES=nodejs18\.x/,
    );
  });

  it('accepts only the runtimes named: another past its date still fails', () => {
    const { problem } = judge(lambdaRuntimeSupported, fn('nodejs20.x'), '2027-05-02T00:00:00Z', [
      'nodejs22.x',
    ]);
    expect(problem).toMatch(
      /^runtime nodejs20\.x was deprecated on 2026-04-30: .*since 2026-08-31 .*since 2026-09-30/,
    );
  });

  it('says nothing of an accepted runtime before its date comes', () => {
    expect(
      judge(lambdaRuntimeSupported, fn('nodejs22.x'), '2026-11-28T00:00:00Z', ['nodejs22.x']),
    ).toEqual({
      problem: undefined,
      warning: undefined,
    });
  });

  it('lets a canary on an accepted runtime synth, warning with what Synthetics still allows', () => {
    const resources = canary({ runtime_version: 'syn-nodejs-puppeteer-7.0' });
    const accepted = judge(syntheticsRuntimeSupported, resources, '2026-11-28T00:00:00Z', [
      'syn-nodejs-puppeteer-7.0',
    ]);
    expect(accepted.problem).toBeUndefined();
    expect(accepted.warning).toBe(
      'runtime syn-nodejs-puppeteer-7.0 was deprecated on 2026-01-22, accepted by ACCEPT_DEPRECATED_RUNTIMES: existing canaries keep running and can be stopped, started and deleted, but no canary can be created on it, and an existing one can only be updated to a supported runtime (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html)',
    );
    const refused = judge(syntheticsRuntimeSupported, resources, '2026-11-28T00:00:00Z', []);
    expect(refused.problem).toMatch(/ACCEPT_DEPRECATED_RUNTIMES=syn-nodejs-puppeteer-7\.0/);
  });

  it('does not let an unknown runtime through', () => {
    expect(
      judge(lambdaRuntimeSupported, fn('nodejs26.x'), '2026-11-28T00:00:00Z', ['nodejs26.x'])
        .problem,
    ).toBe('runtime nodejs26.x is not in the dated list of this rule');
  });
});
