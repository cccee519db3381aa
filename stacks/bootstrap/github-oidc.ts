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
 * The repository part of a `sub` claim: `owner/repo`, or, for repositories whose tokens carry
 * immutable subject claims (created on github.com from 2026-07-15, or opted in),
 * `owner@<owner id>/repo@<repository id>`
 * (https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens/).
 * Written for both JavaScript and Terraform's RE2, which read it alike.
 */
export const GITHUB_REPOSITORY_PATTERN = '^[A-Za-z0-9-]+(@[0-9]+)?/[A-Za-z0-9._-]+(@[0-9]+)?$';

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
