import { STAGES } from '../../../stacks/config';
import {
  deployPolicyStatements,
  GRANTS,
  GRANTS_BY_RESOURCE_TYPE,
} from '../../../stacks/bootstrap/deploy-permissions';
import { synthStage, TEST_CONFIGS } from '../../support/synth';

const scope = {
  stage: 'dev',
  region: 'us-west-2',
  namePrefix: 'msgs-dev',
  accountId: '123456789012',
  stateBucketArn: 'arn:aws:s3:::msgs-tfstate-example',
  permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/msgs-boundary-dev',
};

describe('the deploy permissions', () => {
  it.each(STAGES)('cover every resource and data source type the %s stack synthesizes', (stage) => {
    const { json } = synthStage(stage);
    const types = [
      ...Object.keys(json.resource),
      ...Object.keys(json.data ?? {}).map((type) => `data.${type}`),
    ];
    const uncovered = types.filter((type) => !(type in GRANTS_BY_RESOURCE_TYPE));
    expect(uncovered).toEqual([]);
  });

  it('have no grant that no resource type asks for', () => {
    const used = new Set(Object.values(GRANTS_BY_RESOURCE_TYPE).flat());
    expect(Object.keys(GRANTS).filter((name) => !used.has(name as keyof typeof GRANTS))).toEqual(
      [],
    );
  });

  it('give each statement its own id, as IAM shows it in access-denied reasons', () => {
    const sids = deployPolicyStatements(scope).map((statement) => statement.Sid);
    expect(sids.every((sid) => sid !== undefined && /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it("scope functions to the stage's own and those Synthetics makes for its canaries", () => {
    const functions = deployPolicyStatements(scope).find((s) => s.Sid === 'Functions');
    expect(functions?.Resource).toEqual([
      `arn:aws:lambda:us-west-2:123456789012:function:${TEST_CONFIGS.dev.namePrefix}-*`,
      'arn:aws:lambda:us-west-2:123456789012:function:cwsyn-msgs-dev-*',
    ]);
  });
});
