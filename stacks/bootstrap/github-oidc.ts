import { ConfigError } from '../config';
/**
 * What AWS and GitHub must agree on for a workflow to assume a deploy role: the issuer, the
 * audience and the subject claim. No cdktf imports: main.ts, the stack and the tests read it.
 */

/** GitHub's OIDC issuer; IAM names the provider and its condition keys after this host. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;

/** The audience aws-actions/configure-aws-credentials asks GitHub for (its `audience` default). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * The repository part of a `sub` claim, as GitHub can send it: `owner/repo`, or, for repositories
 * whose tokens carry immutable subject claims (every repository created, renamed or transferred on
 * github.com after 2026-06-18, and those that opted in), `owner@<owner id>/repo@<repository id>`:
 * "The immutable ID is appended to each name with an `@` delimiter", e.g.
 * `repo:octocat@123456/my-repo@456789:ref:refs/heads/main` (GitHub's OIDC reference, "Immutable
 * subject claims"; https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens/
 * announced it, with an example written `octocat-123456/my-repo-456789`, which this pattern reads
 * as plain names). What no token can carry is refused: an owner with a leading, trailing or double
 * hyphen or any character but letters, digits and hyphens (GitHub's rule for account names); a
 * repository named only of dots; one id without the other; an id with a leading zero; wildcards
 * (the trust condition is StringEquals). Written for both JavaScript and Terraform's RE2, which
 * read it alike (no lookahead).
 */
const OWNER = '[A-Za-z0-9]+(-[A-Za-z0-9]+)*';
const REPOSITORY = '[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*';
const ID = '@[1-9][0-9]*';
export const GITHUB_REPOSITORY_PATTERN = `^(${OWNER}/${REPOSITORY}|${OWNER}${ID}/${REPOSITORY}${ID})$`;

/**
 * The `sub` claim of a job that names a GitHub environment: `repo:<repository>:environment:<name>`
 * ("Filtering for a specific environment", https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims).
 * A job with an environment carries no branch in `sub`, so "main only" is the environment's
 * deployment branch rule on GitHub's side.
 */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** Parses the repository a deploy role trusts; undefined when unset; throws naming the variable. */
export function parseGithubRepository(
  raw: string | undefined,
  variable: string,
): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const repository = raw.trim();
  if (!new RegExp(GITHUB_REPOSITORY_PATTERN).test(repository)) {
    throw new ConfigError(
      variable,
      raw,
      'a GitHub repository (expected owner/repo, or owner@<owner id>/repo@<repository id>)',
    );
  }
  return repository;
}
