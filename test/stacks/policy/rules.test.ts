import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../../stacks/policy/rules';
import { SynthStack } from '../../../stacks/policy/synth-stack';
import type { PolicyRule } from '../../../stacks/policy/types';
import { cloudfrontHttps } from '../../../stacks/policy/rules/cloudfront-https';
import { cloudfrontOac } from '../../../stacks/policy/rules/cloudfront-oac';
import { corsNoWildcard } from '../../../stacks/policy/rules/cors-no-wildcard';
import { dynamodbPitr } from '../../../stacks/policy/rules/dynamodb-pitr';
import { httpApiThrottling } from '../../../stacks/policy/rules/http-api-throttling';
import { iamNoWildcards } from '../../../stacks/policy/rules/iam-no-wildcards';
import { lambdaLogLevel } from '../../../stacks/policy/rules/lambda-log-level';
import { lambdaRuntimeSupported } from '../../../stacks/policy/rules/lambda-runtime-supported';
import { logGroupRetention } from '../../../stacks/policy/rules/log-group-retention';
import { s3BucketEncryption } from '../../../stacks/policy/rules/s3-bucket-encryption';
import { s3NoPublicAcl } from '../../../stacks/policy/rules/s3-no-public-acl';
import { s3NoPublicPolicy } from '../../../stacks/policy/rules/s3-no-public-policy';
import { s3PublicAccessBlock } from '../../../stacks/policy/rules/s3-public-access-block';
import { alarmActions } from '../../../stacks/policy/rules/alarm-actions';
import { alarmTopicEncryption } from '../../../stacks/policy/rules/alarm-topic-encryption';
import { problems, type Resources } from '../../support/policy-rules';

const policy = (statements: unknown[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const bucket = { aws_s3_bucket: { site: { bucket_prefix: 'msgs-dev-website-' } } };
const fullBlock = {
  bucket: '${aws_s3_bucket.site.id}',
  block_public_acls: true,
  block_public_policy: true,
  ignore_public_acls: true,
  restrict_public_buckets: true,
};
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

const RULES_DIR = path.join(__dirname, '..', '..', '..', 'stacks', 'policy', 'rules');
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
    const fn = new SynthStack({
      resource: { aws_lambda_function: { f: { runtime: 'nodejs22.x' } } },
    });
    const warning = (day: string) =>
      lambdaRuntimeSupported.warn?.(fn.resources[0], fn, { today: new Date(day) });
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

  it('judges deprecation by the day of the synth: nodejs22.x fails from 2027-04-30', () => {
    const fn = { aws_lambda_function: { f: { runtime: 'nodejs22.x' } } };
    expect(problems(lambdaRuntimeSupported, fn, new Date('2027-04-29T12:00:00Z'))).toEqual([]);
    expect(problems(lambdaRuntimeSupported, fn, new Date('2027-04-30T00:00:00Z'))).toEqual([
      'runtime nodejs22.x was deprecated on 2027-04-30',
    ]);
  });
});
