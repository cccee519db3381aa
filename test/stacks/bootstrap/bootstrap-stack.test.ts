import { App } from 'cdktf';
import { STAGES, type Stage } from '../../../stacks/config';
import {
  BootstrapStack,
  deployRoleName,
  deployRoleOutput,
  GITHUB_REPOSITORY_VARIABLE,
} from '../../../stacks/bootstrap/bootstrap-stack';
import { DeployRole } from '../../../stacks/bootstrap/deploy-role';
import { GITHUB_REPOSITORY_PATTERN } from '../../../stacks/bootstrap/github-oidc';
import { ACTIONS_WITHOUT_RESOURCES } from '@monitored/terraform-policy';
import { stateKey } from '../../../stacks/state/state-backend';
import {
  policyStatements,
  synthJson,
  synthStage,
  type Statement,
  TEST_CONFIGS,
  TEST_TODAY,
  testApp,
} from '../../support/synth';

const REPOSITORY = 'octo-org/octo-repo';

function buildBootstrap(
  { githubRepository }: { githubRepository?: string } = { githubRepository: REPOSITORY },
): BootstrapStack {
  return new BootstrapStack(testApp(), 'bootstrap', {
    region: 'us-east-1',
    stages: STAGES.map((stage) => TEST_CONFIGS[stage]),
    githubRepository,
    today: TEST_TODAY,
  });
}

const synthesized = synthJson(buildBootstrap());
const variable = () => synthesized.variable(GITHUB_REPOSITORY_VARIABLE);
/** A policy with the repository variable replaced by its default, as Terraform will render it. */
const rendered = (policy: unknown) =>
  String(policy).replaceAll(`\${var.${GITHUB_REPOSITORY_VARIABLE}}`, String(variable().default));
const roleOf = (stage: Stage) => synthesized.at('aws_iam_role', `deploy-${stage}/role`);
const policyOf = (stage: Stage) =>
  policyStatements(synthesized.at('aws_iam_role_policy', `deploy-${stage}/policy`).policy);
const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
const namePrefixOf = (stage: Stage) => TEST_CONFIGS[stage].namePrefix;
const allows = (stage: Stage) => policyOf(stage).filter((s) => s.Effect === 'Allow');

describe('the bootstrap stack', () => {
  describe("each stage's deploy role trusts", () => {
    it.each(STAGES)(
      '%s: only GitHub jobs of this repository in the stage environment, for the STS audience',
      (stage) => {
        const trust = policyStatements(rendered(roleOf(stage).assume_role_policy));
        expect(trust).toEqual([
          {
            Sid: 'GitHubActionsInTheStageEnvironment',
            Effect: 'Allow',
            Principal: {
              Federated: synthesized.ref('aws_iam_openid_connect_provider', 'arn'),
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': `repo:${REPOSITORY}:environment:${stage}`,
              },
            },
          },
        ]);
      },
    );

    it('names the repository through one Terraform variable, validated by the same pattern as main.ts', () => {
      expect(variable().default).toBe(REPOSITORY);
      expect(variable().type).toBe('string');
      const [validation] = variable().validation as { condition: string; error_message: string }[];
      expect(validation.condition).toBe(
        `\${can(regex(${JSON.stringify(GITHUB_REPOSITORY_PATTERN)}, var.${GITHUB_REPOSITORY_VARIABLE}))}`,
      );
      expect(validation.error_message).toContain('GITHUB_REPOSITORY');
    });

    it('synthesizes without a repository, leaving the empty default that plan refuses', () => {
      const without = synthJson(buildBootstrap({}));
      expect(without.variable(GITHUB_REPOSITORY_VARIABLE).default).toBe('');
      expect(new RegExp(GITHUB_REPOSITORY_PATTERN).test('')).toBe(false);
    });
  });

  it("trusts GitHub's issuer for the STS audience, with no thumbprint", () => {
    expect(synthesized.only('aws_iam_openid_connect_provider')).toEqual({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
  });

  describe('the state bucket', () => {
    it('is versioned, keeps old versions 90 days and is never force-destroyed', () => {
      const bucket = synthesized.only('aws_s3_bucket');
      expect(bucket.bucket_prefix).toBe('msgs-tfstate-');
      expect(bucket.force_destroy).toBe(false);
      expect(synthesized.only('aws_s3_bucket_versioning')).toMatchObject({
        bucket: synthesized.ref('aws_s3_bucket', 'id'),
        versioning_configuration: { status: 'Enabled' },
      });
      const [rule] = synthesized.only('aws_s3_bucket_lifecycle_configuration').rule as Record<
        string,
        unknown
      >[];
      expect(rule).toMatchObject({
        status: 'Enabled',
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      });
    });

    it('is private, encrypted and TLS-only', () => {
      expect(synthesized.only('aws_s3_bucket_public_access_block')).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(synthesized.only('aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
      const [deny] = policyStatements(synthesized.only('aws_s3_bucket_policy').policy);
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });
  });

  describe("each stage's deploy role may", () => {
    const bucketArn = synthesized.ref('aws_s3_bucket', 'arn');

    it.each(STAGES)(
      '%s: reach its own state object and lock file, and nothing else in the bucket',
      (stage) => {
        const inBucket = allows(stage).filter((s) =>
          asList(s.Resource).some((resource) => resource.startsWith(bucketArn)),
        );
        expect(inBucket.map((s) => [s.Action, s.Resource])).toEqual([
          [['s3:ListBucket'], bucketArn],
          [['s3:GetObject', 's3:PutObject'], `${bucketArn}/${stateKey(stage)}`],
          [
            ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            `${bucketArn}/${stateKey(stage)}.tflock`,
          ],
        ]);
      },
    );

    it.each(STAGES)(
      '%s: holds its deploy alarm with data in its own namespace only, and sets no alarm state',
      (stage) => {
        const statements = allows(stage);
        const senders = statements.filter((s) =>
          asList(s.Action).includes('cloudwatch:PutMetricData'),
        );
        expect(senders.map((s) => [s.Resource, s.Condition])).toEqual([
          ['*', { StringEquals: { 'cloudwatch:namespace': `msgs-${stage}` } }],
        ]);
        expect(
          statements.filter((s) => asList(s.Action).some((a) => a.startsWith('cloudwatch:Set'))),
        ).toEqual([]);
      },
    );

    // Where no name can be named: ids AWS makes, AWS's own layers and library, the bucket of state
    // above, and the stage's permissions boundary (the bootstrap's own, read only).
    const UNSCOPED_BY_NAME = new Set([
      'SyntheticsLibrary',
      'ReadTheStageBoundary',
      'CloudFront',
      'HttpApis',
      'SyntheticsRuntimeLayers',
      'StateBucket',
      'StateObject',
      'StateLock',
    ]);

    it.each(STAGES)(
      '%s: act only on names with its prefix, in its region, except where a service cannot name them',
      (stage) => {
        const { namePrefix, region } = TEST_CONFIGS[stage];
        const other = STAGES.filter((s) => s !== stage).map((s) => TEST_CONFIGS[s].namePrefix);
        for (const statement of allows(stage)) {
          const resources = asList(statement.Resource);
          const text = JSON.stringify(statement);
          for (const prefix of other) expect(text).not.toContain(`${prefix}-`);
          if (resources.includes('*')) {
            // Only actions that take no resource, or a create scoped by the stage's tag.
            for (const action of asList(statement.Action)) {
              expect(ACTIONS_WITHOUT_RESOURCES.has(action)).toBe(true);
            }
            continue;
          }
          for (const resource of resources) {
            const [partition, , , arnRegion] = resource.split(':');
            // S3, IAM and CloudFront ARNs have no region; a Terraform reference is the state bucket.
            if (partition === 'arn' && arnRegion !== '') expect(arnRegion).toBe(region);
            if (UNSCOPED_BY_NAME.has(statement.Sid ?? '')) continue;
            const condition = JSON.stringify(statement.Condition);
            const scoped =
              resource.includes(`${namePrefix}-`) ||
              (statement.Sid === 'StageKeys' &&
                condition ===
                  JSON.stringify({ StringEquals: { 'aws:ResourceTag/stage': stage } })) ||
              // Keys not tagged yet, only to tag them as this stage's (at CreateKey).
              (statement.Sid === 'TagNewStageKeys' &&
                condition ===
                  JSON.stringify({
                    StringEquals: { 'aws:RequestTag/stage': stage },
                    Null: { 'aws:ResourceTag/stage': 'true' },
                  }));
            expect({ sid: statement.Sid, resource, scoped }).toEqual({
              sid: statement.Sid,
              resource,
              scoped: true,
            });
          }
        }
      },
    );

    it.each(STAGES)(
      '%s: never grant every action of a service, nor any IAM action on a deploy role',
      (stage) => {
        const account = synthesized.dataRef('aws_caller_identity', 'account_id');
        for (const statement of allows(stage)) {
          const actions = asList(statement.Action);
          for (const action of actions) {
            expect(action === '*' || action.endsWith(':*')).toBe(false);
          }
          if (!actions.some((action) => action.startsWith('iam:'))) continue;
          for (const resource of asList(statement.Resource).filter((r) => r.includes(':role/'))) {
            // The resource as IAM matches it: `*` is any run of characters.
            const pattern = new RegExp(
              `^${resource
                .replaceAll(account, '123456789012')
                .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*')}$`,
            );
            expect(pattern.test(`arn:aws:iam::123456789012:role/${namePrefixOf(stage)}-api`)).toBe(
              true,
            );
            for (const target of STAGES) {
              const deployRole = `arn:aws:iam::123456789012:role/${deployRoleName(target)}`;
              expect({ resource, matches: pattern.test(deployRole) }).toEqual({
                resource,
                matches: false,
              });
            }
          }
        }
      },
    );

    it.each(STAGES)('%s: fit in the 10,240 characters IAM allows a role inline', (stage) => {
      const policy = String(synthesized.at('aws_iam_role_policy', `deploy-${stage}/policy`).policy);
      const asDeployed = policy
        .replaceAll(synthesized.dataRef('aws_caller_identity', 'account_id'), '123456789012')
        .replaceAll(bucketArn, `arn:aws:s3:::msgs-tfstate-${'0'.repeat(26)}`);
      expect(asDeployed.replace(/\s/g, '').length).toBeLessThan(10_240);
    });

    it.each(STAGES)('%s: pass only to the services its roles are for', (stage) => {
      const passRole = allows(stage).filter((s: Statement) =>
        asList(s.Action).includes('iam:PassRole'),
      );
      expect(passRole).toHaveLength(1);
      expect(passRole[0].Condition).toEqual({
        StringEquals: {
          'iam:PassedToService': ['lambda.amazonaws.com', 'synthetics.amazonaws.com'],
        },
      });
    });
  });

  it.each(STAGES)(
    '%s: creates KMS keys only with its stage tag, and leaves managing them to the key policy',
    (stage) => {
      const kms = allows(stage).filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')));
      const bySid = Object.fromEntries(kms.map((s) => [s.Sid, s]));
      expect(bySid.CreateStageKeys).toMatchObject({
        Action: ['kms:CreateKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/stage': stage } },
      });
      // Tagging at creation needs kms:TagResource on every key of the region; never on a tagged one.
      expect(bySid.TagNewStageKeys).toMatchObject({
        Action: ['kms:TagResource'],
        Resource: expect.stringMatching(/^arn:aws:kms:[a-z0-9-]+:\$\{[^}]+\}:key\/\*$/),
        Condition: {
          StringEquals: { 'aws:RequestTag/stage': stage },
          Null: { 'aws:ResourceTag/stage': 'true' },
        },
      });
      // No grant reads a key's tags: they may take five minutes to count after CreateKey, and the
      // provider uses the key at once (the key policy grants the deploy role instead).
      const readsTags = kms.filter((s) =>
        JSON.stringify(
          (s.Condition as { StringEquals?: unknown } | undefined)?.StringEquals ?? {},
        ).includes('aws:ResourceTag/'),
      );
      expect(readsTags).toEqual([]);
      // The tag the conditions read is the one the stage stack's provider puts on everything.
      expect(synthStage(stage).awsProviders()[0]).toMatchObject({
        default_tags: [{ tags: { stage } }],
      });
    },
  );

  it("outputs what the pipeline's repository variables take", () => {
    expect(synthesized.output('state_bucket')).toBe(synthesized.ref('aws_s3_bucket', 'bucket'));
    expect(synthesized.output('state_region')).toBe('us-east-1');
    for (const stage of STAGES) {
      expect(synthesized.output(deployRoleOutput(stage))).toBe(
        synthesized.refAt('aws_iam_role', `deploy-${stage}/role`, 'arn'),
      );
      expect(roleOf(stage).name).toBe(`msgs-deploy-${stage}`);
    }
  });

  it('passes the policy rules at synth', () => {
    const stack = buildBootstrap();
    expect(() => App.of(stack).synth()).not.toThrow();
  });

  it('refuses a deploy role named inside the prefix it manages', () => {
    const stack = buildBootstrap();
    expect(
      () =>
        new DeployRole(stack, 'self-editing', {
          roleName: 'msgs-dev-deploy',
          scope: {
            stage: 'dev',
            region: 'us-west-2',
            namePrefix: 'msgs-dev',
            accountId: '123456789012',
            stateBucketArn: 'arn:aws:s3:::state',
            permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/msgs-boundary-dev',
          },
          oidcProviderArn:
            'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          repository: REPOSITORY,
        }),
    ).toThrow(/starts with "msgs-dev-", so its own permissions would let it rewrite itself/);
  });
});
