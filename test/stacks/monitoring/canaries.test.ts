import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, Aspects, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { bundleCanaries } from '../../../bundling/canaries';
import { STAGES, type Stage } from '../../../stacks/config';
import { Canaries } from '../../../stacks/monitoring/canaries';
import { PolicyChecks } from '../../../stacks/policy/policy-checks';
import {
  buildStage,
  policyStatements,
  synthJson,
  synthStage,
  TEST_TODAY,
  testApp,
} from '../../support/synth';

// The canaries of both stages, asserted by value from the synthesized JSON: what is deployed.
const EXPECTED: Record<
  Stage,
  {
    region: string;
    retentionDays: number;
    api: { expression: string; timeout: number };
    website: { expression: string; timeout: number };
  }
> = {
  dev: {
    region: 'us-west-2',
    retentionDays: 7,
    api: { expression: 'cron(0 0/2 * * ? *)', timeout: 30 },
    website: { expression: 'cron(30 0/12 * * ? *)', timeout: 120 },
  },
  prod: {
    region: 'us-east-1',
    retentionDays: 30,
    api: { expression: 'rate(6 minutes)', timeout: 30 },
    website: { expression: 'rate(1 hour)', timeout: 120 },
  },
};
const JOURNEYS = ['api', 'website'] as const;

describe.each(STAGES)('the %s canaries', (stage) => {
  const expected = EXPECTED[stage];
  const s = () => synthStage(stage);
  const canary = (journey: string) => s().at('aws_synthetics_canary', `canaries/${journey}/canary`);
  const bucketRef = (attribute: string) =>
    s().refAt('aws_s3_bucket', 'canaries/artifacts/bucket', attribute);

  it.each(JOURNEYS)('run the %s journey as configured', (journey) => {
    expect(canary(journey)).toEqual({
      name: `msgs-${stage}-${journey}`,
      runtime_version: 'syn-nodejs-puppeteer-15.0',
      handler: `${journey}.handler`,
      zip_file: expect.stringMatching(
        new RegExp(
          `^assets/canaries_${journey}_code_asset_[0-9A-F]{8}/[0-9a-f]{32}/${journey}\\.zip$`,
        ),
      ),
      execution_role_arn: s().refAt('aws_iam_role', 'canaries/role', 'arn'),
      artifact_s3_location: `s3://${bucketRef('bucket')}/msgs-${stage}-${journey}/`,
      artifact_config: { s3_encryption: { encryption_mode: 'SSE_S3' } },
      start_canary: true,
      delete_lambda: true,
      schedule: { expression: expected[journey].expression, retry_config: { max_retries: 1 } },
      run_config: {
        timeout_in_seconds: expected[journey].timeout,
        memory_in_mb: 960,
        active_tracing: false,
        environment_variables: {
          WEBSITE_URL: `https://${s().ref('aws_cloudfront_distribution', 'domain_name')}`,
          API_URL: s().ref('aws_apigatewayv2_api', 'api_endpoint'),
        },
      },
      success_retention_period: expected.retentionDays,
      failure_retention_period: expected.retentionDays,
      // The first run, at creation, needs the role's permissions.
      depends_on: [
        s()
          .refAt('aws_iam_role_policy', 'canaries/policy', 'id')
          .replace(/^\$\{(.+)\.id\}$/, '$1'),
      ],
    });
  });

  it.each(JOURNEYS)(
    `owns the %s canary's log group, named from its engine_arn, kept ${expected.retentionDays} days`,
    (journey) => {
      const engineArn = s()
        .refAt('aws_synthetics_canary', `canaries/${journey}/canary`, 'engine_arn')
        .slice(2, -1);
      expect(s().at('aws_cloudwatch_log_group', `canaries/${journey}/logs/group`)).toEqual({
        name: `/aws/lambda/\${element(split(":", ${engineArn}), 6)}`,
        retention_in_days: expected.retentionDays,
      });
    },
  );

  it('lets the canaries assume their role as Lambda', () => {
    expect(policyStatements(s().at('aws_iam_role', 'canaries/role').assume_role_policy)).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it("grants exactly what AWS documents for a canary, on this stage's bucket prefixes and log groups", () => {
    const account = s().dataRef('aws_caller_identity', 'account_id');
    const logGroups = (journey: string) =>
      `arn:aws:logs:${expected.region}:${account}:log-group:/aws/lambda/cwsyn-msgs-${stage}-${journey}-*`;
    expect(policyStatements(s().at('aws_iam_role_policy', 'canaries/policy').policy)).toEqual([
      {
        Sid: 'WriteArtifacts',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: [
          `${bucketRef('arn')}/msgs-${stage}-website/*`,
          `${bucketRef('arn')}/msgs-${stage}-api/*`,
        ],
      },
      {
        Sid: 'LocateArtifactBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation'],
        Resource: bucketRef('arn'),
      },
      { Sid: 'ListBuckets', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: '*' },
      {
        Sid: 'WriteRunLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [logGroups('website'), logGroups('api')],
      },
      {
        Sid: 'PublishCanaryMetrics',
        Effect: 'Allow',
        Action: ['cloudwatch:PutMetricData'],
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' } },
      },
    ]);
    expect(s().at('aws_iam_role_policy', 'canaries/policy').role).toBe(
      s().refAt('aws_iam_role', 'canaries/role', 'id'),
    );
  });

  it('keeps artifacts in a private, encrypted, TLS-only bucket without a period in its name', () => {
    const bucketId = bucketRef('id');
    expect(s().at('aws_s3_bucket', 'canaries/artifacts/bucket')).toEqual({
      bucket_prefix: `msgs-${stage}-canary-artifacts-`,
      force_destroy: true,
    });
    expect(
      s().at('aws_s3_bucket_public_access_block', 'canaries/artifacts/public-access-block'),
    ).toEqual({
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(s().at('aws_s3_bucket_ownership_controls', 'canaries/artifacts/ownership')).toEqual({
      bucket: bucketId,
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    expect(
      s().at('aws_s3_bucket_server_side_encryption_configuration', 'canaries/artifacts/encryption'),
    ).toEqual({
      bucket: bucketId,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(
      policyStatements(s().at('aws_s3_bucket_policy', 'canaries/artifacts/policy').policy),
    ).toEqual([
      expect.objectContaining({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
  });

  it(`expires artifacts after ${expected.retentionDays} days, as long as the run history lasts`, () => {
    expect(s().at('aws_s3_bucket_lifecycle_configuration', 'canaries/artifacts/lifecycle')).toEqual(
      {
        bucket: bucketRef('id'),
        rule: [
          {
            id: 'expire-objects',
            status: 'Enabled',
            filter: [{}],
            expiration: [{ days: expected.retentionDays }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
          },
        ],
      },
    );
  });

  it('gives the alarms and the dashboard each canary: name, schedule and log group', () => {
    const stack = buildStage(stage);
    for (const journey of JOURNEYS) {
      const { name, schedule, logGroupName } = stack.canaries.byName[journey];
      expect(name).toBe(`msgs-${stage}-${journey}`);
      expect(schedule.expression).toBe(expected[journey].expression);
      new TerraformOutput(stack, `${journey}-log-group`, { value: logGroupName });
    }
    const synthesized = synthJson(stack);
    for (const journey of JOURNEYS) {
      expect(synthesized.output(`${journey}-log-group`)).toBe(
        s().refAt('aws_cloudwatch_log_group', `canaries/${journey}/logs/group`, 'name'),
      );
    }
  });
});

describe('Canaries', () => {
  it('passes every policy rule, the S3 and IAM ones on its bucket and role included', () => {
    const stack = new TerraformStack(testApp(), 'test');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    Aspects.of(stack).add(new PolicyChecks({ today: TEST_TODAY }));
    new Canaries(stack, 'canaries', {
      namePrefix: 'msgs-test',
      region: 'us-west-2',
      accountId: '123456789012',
      websiteUrl: 'https://d111.cloudfront.net',
      apiUrl: 'https://abc.execute-api.us-west-2.amazonaws.com',
      schedules: {
        api: { expression: 'rate(6 minutes)', maxRetries: 1, timeoutSeconds: 60, memoryMb: 960 },
        website: { expression: 'rate(1 hour)', maxRetries: 1, timeoutSeconds: 120, memoryMb: 960 },
      },
      bundles: bundleCanaries(),
      retentionDays: 7,
      permissionsBoundary: 'arn:aws:iam::123456789012:policy/msgs-boundary-test',
    });
    Testing.synth(stack);
    const reports = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type.startsWith('@cdktf/'));
    expect(reports).toEqual([]);
  });

  it('refuses a runtime it was not given a date for, at synth', () => {
    const stack = new TerraformStack(testApp(), 'test');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    Aspects.of(stack).add(new PolicyChecks({ today: TEST_TODAY }));
    new Canaries(stack, 'canaries', {
      namePrefix: 'msgs-test',
      region: 'us-west-2',
      accountId: '123456789012',
      websiteUrl: 'https://d111.cloudfront.net',
      apiUrl: 'https://abc.execute-api.us-west-2.amazonaws.com',
      schedules: {
        api: { expression: 'rate(6 minutes)', maxRetries: 1, timeoutSeconds: 60, memoryMb: 960 },
        website: { expression: 'rate(1 hour)', maxRetries: 1, timeoutSeconds: 120, memoryMb: 960 },
      },
      bundles: bundleCanaries(),
      retentionDays: 7,
      permissionsBoundary: 'arn:aws:iam::123456789012:policy/msgs-boundary-test',
      runtime: 'syn-nodejs-puppeteer-99.0',
    });
    expect(() => App.of(stack).synth()).toThrow(
      /\[synthetics-runtime-supported\] aws_synthetics_canary\.canaries_api_canary_[0-9A-F]+: runtime syn-nodejs-puppeteer-99\.0 is not in the dated list/,
    );
  });
});
