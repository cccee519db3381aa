/**
 * The deploy roles' trust, judged by the IAM engine against the claims GitHub puts in a job's OIDC
 * token (https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims): only
 * a job of this repository running in the stage's environment, asking for the STS audience, may
 * assume a stage's deploy role. A repository with immutable subject claims sends its owner's and
 * its own ids in `sub`, and trusts only that form.
 */
import { STAGES, type Stage } from '../../../stacks/config';
import { parseGithubRepository } from '../../../stacks/bootstrap/github-oidc';
import { deployRoleName } from '../../../stacks/shared/iam';
import { ConfigError } from '../../../stacks/config';
import { ACCOUNT, bootstrapAccount, type DeployedAccount } from '../../support/iam/deployed';
import { judge } from '../../support/iam/engine';

const NAMES = 'octo-org/octo-repo';
const IMMUTABLE = 'octo-org@123456/octo-repo@456789';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const STS = 'sts.amazonaws.com';

interface Claims {
  readonly job: string;
  readonly sub: string;
  readonly aud: string;
  /** The stage whose role the job may assume, if any, for each form the role trusts. */
  readonly assumes: { readonly names: Stage | undefined; readonly immutable: Stage | undefined };
}

const CLAIMS: readonly Claims[] = [
  {
    job: 'a dev environment job',
    sub: `repo:${NAMES}:environment:dev`,
    aud: STS,
    assumes: { names: 'dev', immutable: undefined },
  },
  {
    job: 'a prod environment job',
    sub: `repo:${NAMES}:environment:prod`,
    aud: STS,
    assumes: { names: 'prod', immutable: undefined },
  },
  {
    job: 'a prod environment job, immutable ids',
    sub: `repo:${IMMUTABLE}:environment:prod`,
    aud: STS,
    assumes: { names: undefined, immutable: 'prod' },
  },
  {
    job: 'a dev environment job, immutable ids',
    sub: `repo:${IMMUTABLE}:environment:dev`,
    aud: STS,
    assumes: { names: undefined, immutable: 'dev' },
  },
  {
    job: 'a push to main without an environment',
    sub: `repo:${NAMES}:ref:refs/heads/main`,
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: 'a push to main without an environment, immutable ids',
    sub: `repo:${IMMUTABLE}:ref:refs/heads/main`,
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: 'a tag push',
    sub: `repo:${NAMES}:ref:refs/tags/v1.0.0`,
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: 'a pull request',
    sub: `repo:${NAMES}:pull_request`,
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: 'a pull request, immutable ids',
    sub: `repo:${IMMUTABLE}:pull_request`,
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: "another repository's prod job",
    sub: 'repo:octo-org/other-repo:environment:prod',
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: "a fork's prod job (its own owner)",
    sub: 'repo:forker/octo-repo:environment:prod',
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: "a recycled name's prod job (same names, new ids)",
    sub: 'repo:octo-org@999999/octo-repo@888888:environment:prod',
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: 'a prod job asking for the default audience',
    sub: `repo:${NAMES}:environment:prod`,
    aud: 'https://github.com/octo-org',
    assumes: { names: undefined, immutable: undefined },
  },
  {
    job: 'an environment named like the stage in another case',
    sub: `repo:${NAMES}:environment:Prod`,
    aud: STS,
    assumes: { names: undefined, immutable: undefined },
  },
];

const ACCOUNTS: Record<'names' | 'immutable', DeployedAccount> = {
  names: bootstrapAccount(NAMES),
  immutable: bootstrapAccount(IMMUTABLE),
};

describe.each(['names', 'immutable'] as const)('deploy roles trusting the %s form', (form) => {
  const cases = CLAIMS.flatMap((claims) =>
    STAGES.map((stage) => [claims.job, stage, claims.assumes[form] === stage, claims] as const),
  );

  it.each(cases)('%s → %s deploy role: allowed %s', async (_job, stage, allowed, claims) => {
    const role = ACCOUNTS[form].roles.get(deployRoleName(stage))!;
    const judgement = await judge(
      {
        principal: PROVIDER,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: role.arn,
        resourceAccount: ACCOUNT,
        context: {
          'token.actions.githubusercontent.com:sub': claims.sub,
          'token.actions.githubusercontent.com:aud': claims.aud,
          'aws:FederatedProvider': PROVIDER,
        },
      },
      { identity: [], resource: role.trust },
    );
    expect(judgement.error).toBeUndefined();
    expect(judgement.decision).toBe(allowed ? 'Allowed' : 'ImplicitlyDenied');
  });
});

describe('the repository a deploy role trusts', () => {
  it.each([NAMES, IMMUTABLE, 'a/b', 'octo-org/.github', 'my-org/repo_name.js', 'o1@1/r@2'])(
    'accepts %s, which GitHub can send',
    (value) => {
      expect(parseGithubRepository(value, 'GITHUB_REPOSITORY')).toBe(value);
    },
  );

  it.each([
    ['octo-org/*', 'a wildcard: StringEquals matches it literally'],
    ['octo-org@123456/octo-repo', 'one id without the other'],
    ['octo-org/octo-repo@456789', 'one id without the other'],
    ['octo-org@0123/octo-repo@456', 'an id with a leading zero'],
    ['-octo/octo-repo', 'an owner with a leading hyphen'],
    ['octo-/octo-repo', 'an owner with a trailing hyphen'],
    ['octo--org/octo-repo', 'an owner with a double hyphen'],
    ['octo_org/octo-repo', 'an owner with an underscore'],
    ['octo-org/..', 'a repository of dots only'],
    ['https://github.com/octo-org/octo-repo', 'a URL'],
    ['octo-org/octo-repo/main', 'a branch'],
    ['octo-org', 'no repository'],
  ])('refuses %s (%s), naming the variable', (value) => {
    expect(() => parseGithubRepository(value, 'GITHUB_REPOSITORY')).toThrow(ConfigError);
    expect(() => parseGithubRepository(value, 'GITHUB_REPOSITORY')).toThrow(/^GITHUB_REPOSITORY: /);
  });
});
