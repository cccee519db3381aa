import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { PolicyChecks } from '../../../stacks/policy/policy-checks';
import { PrivateBucket } from '@monitored/cdktf-monitoring';
import { policyStatements, synthScope, TEST_TODAY, testApp } from '../../support/synth';

describe('PrivateBucket', () => {
  describe('as built', () => {
    const synthesized = synthScope((scope) => {
      new PrivateBucket(scope, 'artifacts', { bucketPrefix: 'msgs-test-artifacts-' });
    });

    it('takes the prefix it is given and keeps its objects on destroy', () => {
      expect(synthesized.only('aws_s3_bucket')).toEqual({
        bucket_prefix: 'msgs-test-artifacts-',
        force_destroy: false,
      });
    });

    it('blocks all public access and disables ACLs', () => {
      expect(synthesized.only('aws_s3_bucket_public_access_block')).toEqual({
        bucket: synthesized.ref('aws_s3_bucket', 'id'),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(synthesized.only('aws_s3_bucket_ownership_controls')).toEqual({
        bucket: synthesized.ref('aws_s3_bucket', 'id'),
        rule: { object_ownership: 'BucketOwnerEnforced' },
      });
      expect(synthesized.only('aws_s3_bucket')).not.toHaveProperty('acl');
    });

    it('encrypts objects by default', () => {
      expect(synthesized.only('aws_s3_bucket_server_side_encryption_configuration')).toEqual({
        bucket: synthesized.ref('aws_s3_bucket', 'id'),
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
      });
    });

    it('refuses every request without TLS', () => {
      expect(policyStatements(synthesized.only('aws_s3_bucket_policy').policy)).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [
            synthesized.ref('aws_s3_bucket', 'arn'),
            `${synthesized.ref('aws_s3_bucket', 'arn')}/*`,
          ],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });

    it('sets its policy after the public access block, which S3 judges the policy against', () => {
      const policy = synthesized.only('aws_s3_bucket_policy');
      expect(policy.bucket).toBe(synthesized.ref('aws_s3_bucket', 'id'));
      expect(policy.depends_on).toEqual([
        synthesized
          .ref('aws_s3_bucket_public_access_block', 'id')
          .replace(/^\$\{(.+)\.id\}$/, '$1'),
      ]);
    });
  });

  it("adds the owner's grants, made after the constructor, to its one policy before the TLS deny", () => {
    const synthesized = synthScope((scope) => {
      const bucket = new PrivateBucket(scope, 'site', { bucketPrefix: 'msgs-test-site-' });
      bucket.addToPolicy({
        Sid: 'ServiceReads',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: bucket.arnForObjects('public/*'),
      });
    });
    const statements = policyStatements(synthesized.only('aws_s3_bucket_policy').policy);
    expect(statements.map((statement) => statement.Sid)).toEqual([
      'ServiceReads',
      'DenyInsecureTransport',
    ]);
    expect(statements[0].Resource).toBe(`${synthesized.ref('aws_s3_bucket', 'arn')}/public/*`);
  });

  it('keeps its objects until someone deletes them, unless told to expire them', () => {
    const keeping = synthScope((scope) => {
      new PrivateBucket(scope, 'b', { bucketPrefix: 'msgs-test-b-' });
    });
    expect(keeping.all('aws_s3_bucket_lifecycle_configuration')).toEqual([]);
  });

  it('expires every object after the days it is given, and unfinished uploads after one', () => {
    const expiring = synthScope((scope) => {
      new PrivateBucket(scope, 'b', { bucketPrefix: 'msgs-test-b-', expireObjectsAfterDays: 30 });
    });
    expect(expiring.only('aws_s3_bucket_lifecycle_configuration')).toEqual({
      bucket: expiring.ref('aws_s3_bucket', 'id'),
      rule: [
        {
          id: 'expire-objects',
          status: 'Enabled',
          filter: [{}],
          expiration: [{ days: 30 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        },
      ],
    });
  });

  it.each([0, 1.5, -3])('refuses to expire objects after %p days', (days) => {
    expect(() =>
      synthScope((scope) => {
        new PrivateBucket(scope, 'b', {
          bucketPrefix: 'msgs-test-b-',
          expireObjectsAfterDays: days,
        });
      }),
    ).toThrow('expireObjectsAfterDays must be a whole number of days, at least 1');
  });

  it('lets destroy empty it when asked', () => {
    const synthesized = synthScope((scope) => {
      new PrivateBucket(scope, 'b', { bucketPrefix: 'msgs-test-b-', forceDestroy: true });
    });
    expect(synthesized.only('aws_s3_bucket').force_destroy).toBe(true);
  });

  it('passes every policy rule as built', () => {
    const stack = new TerraformStack(testApp(), 'test');
    Aspects.of(stack).add(new PolicyChecks({ today: TEST_TODAY }));
    new PrivateBucket(stack, 'b', { bucketPrefix: 'msgs-test-b-' });
    Testing.synth(stack);
    const reports = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type.startsWith('@cdktf/'));
    expect(reports).toEqual([]);
  });

  it('creates every resource through the provider it is given', () => {
    const synthesized = synthScope((scope) => {
      new AwsProvider(scope, 'aws', { region: 'us-west-2' });
      const east = new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us-east-1' });
      new PrivateBucket(scope, 'b', {
        bucketPrefix: 'msgs-test-b-',
        expireObjectsAfterDays: 7,
        provider: east,
      });
    });
    for (const type of [
      'aws_s3_bucket',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_lifecycle_configuration',
    ]) {
      expect(synthesized.only(type).provider).toBe('aws.us-east-1');
    }
  });
});
