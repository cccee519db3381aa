/**
 * A fake GitHub CLI (preinstalled on GitHub's runner images), answering the REST calls the
 * workflows make from the fake world's repository settings, each endpoint one row:
 *
 * - `GET /repos/{owner}/{repo}/environments/{name}`, in the shape of GitHub's "Get an
 *   environment" (https://docs.github.com/en/rest/deployments/environments): `protection_rules`
 *   with a `required_reviewers` rule only where the plan has them (public repositories, or
 *   private ones on Enterprise: the "Deployment environments" availability note), and 404 for an
 *   environment never created;
 * - `GET /repos/{owner}/{repo}/branches/{branch}`: the branch's commit in the fake origin.
 *
 * `--jq` runs through jq (gh's is gojq, which agrees with jq on the filters used here). Like gh,
 * it wants a token in GH_TOKEN or GITHUB_TOKEN.
 */
import { spawnSync } from 'node:child_process';
import type { CliResult } from './aws';
import type { GithubSettings, World } from './world';

/** Whether GitHub enforces required reviewers for this repository (see the module comment). */
export function reviewersAvailable(settings: Pick<GithubSettings, 'visibility' | 'plan'>): boolean {
  return settings.visibility === 'public' || settings.plan === 'enterprise';
}

/** Whether environments (and their deployment-branch rules) exist for this repository at all. */
export function environmentsAvailable(
  settings: Pick<GithubSettings, 'visibility' | 'plan'>,
): boolean {
  return settings.visibility === 'public' || settings.plan !== 'free';
}

const notFound = (): CliResult => ({
  code: 1,
  stdout:
    '{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}',
  stderr: 'gh: Not Found (HTTP 404)\n',
});

function environment(settings: GithubSettings, name: string): unknown {
  const env = settings.environments[name];
  if (env === undefined || !environmentsAvailable(settings)) return undefined;
  const rules: unknown[] = [];
  if ((env.reviewers ?? []).length > 0 && reviewersAvailable(settings)) {
    rules.push({
      id: 1,
      type: 'required_reviewers',
      prevent_self_review: false,
      reviewers: (env.reviewers ?? []).map((login) => ({ type: 'User', reviewer: { login } })),
    });
  }
  if (env.branches !== undefined) rules.push({ id: 2, type: 'branch_policy' });
  return {
    id: 1,
    name,
    protection_rules: rules,
    deployment_branch_policy:
      env.branches === undefined
        ? null
        : { protected_branches: false, custom_branch_policies: true },
  };
}

/** "Resource not accessible by integration": a GITHUB_TOKEN without the permission an endpoint needs. */
const forbidden = (scope: string): CliResult => ({
  code: 1,
  stdout: '{"message":"Resource not accessible by integration","status":"403"}',
  stderr: `gh: Resource not accessible by integration (HTTP 403) (the job's permissions lack ${scope}: read)\n`,
});

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };

export function gh(argv: readonly string[], env: NodeJS.ProcessEnv, world: World): CliResult {
  const token = env.GH_TOKEN ?? env.GITHUB_TOKEN ?? '';
  if (token === '') {
    return {
      code: 4,
      stdout: '',
      stderr:
        'gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:\n  env:\n    GH_TOKEN: ${{ github.token }}\n',
    };
  }
  const [command, endpoint, ...rest] = argv;
  if (command !== 'api' || endpoint === undefined) {
    return {
      code: 1,
      stdout: '',
      stderr: `unknown command "${command}" for the rehearsal's fake gh (it answers gh api)\n`,
    };
  }
  let jq: string | undefined;
  for (let at = 0; at < rest.length; at += 1) {
    if (rest[at] === '--jq' || rest[at] === '-q') jq = rest[(at += 1)];
    else if (rest[at] === '-H' || rest[at] === '--header') at += 1;
    else if (rest[at] === '--method' || rest[at] === '-X') {
      if (rest[(at += 1)] !== 'GET')
        return { code: 1, stdout: '', stderr: 'the fake gh answers GET only\n' };
    } else return { code: 1, stdout: '', stderr: `unknown flag: ${rest[at]}\n` };
  }
  const settings = world.github;
  const route = endpoint.replace(/^\//, '');
  const repo = `repos/${settings.repository}/`;
  let body: unknown;
  const permissions = world.tokens()[token];
  if (permissions === undefined)
    return { code: 1, stdout: '', stderr: 'gh: Bad credentials (HTTP 401)\n' };
  // The fine-grained permission each endpoint names in GitHub's REST reference.
  const allowed = (scope: string) => (LEVEL[permissions[scope] ?? 'none'] ?? 0) >= 1;
  if (route.toLowerCase().startsWith(repo.toLowerCase())) {
    const [kind, name] = route.slice(repo.length).split('/');
    if (kind === 'environments' && !allowed('actions')) return forbidden('actions');
    if (kind === 'branches' && !allowed('contents')) return forbidden('contents');
    if (kind === 'environments' && name !== undefined)
      body = environment(settings, decodeURIComponent(name));
    if (kind === 'branches' && name !== undefined) {
      const sha = spawnSync(
        'git',
        ['--git-dir', settings.origin, 'rev-parse', '--verify', `refs/heads/${name}^{commit}`],
        { encoding: 'utf8' },
      );
      if (sha.status === 0) body = { name, commit: { sha: sha.stdout.trim() } };
    }
  }
  if (body === undefined) return notFound();
  const json = JSON.stringify(body);
  if (jq === undefined) return { code: 0, stdout: `${json}\n`, stderr: '' };
  const filtered = spawnSync('jq', ['-r', jq], { input: json, encoding: 'utf8' });
  return { code: filtered.status ?? 1, stdout: filtered.stdout, stderr: filtered.stderr };
}
