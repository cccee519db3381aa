/**
 * Stand-ins for the actions the workflows use, each doing what the action documents for its
 * inputs, here: checkout is a clone of the rehearsal's origin; setup-node and setup-terraform
 * use what this machine has (and say when it is not the version asked for); configure-aws-
 * credentials assumes the role in the fake world by the job's OIDC claims and exports the
 * variables the action documents; upload-artifact needs the files to exist, with its
 * `if-no-files-found` rules. An input the action does not have is warned about, as GitHub does
 * ("Unexpected input(s)"); an action with no stand-in fails the step.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fakes } from './fakes/install';
import { FAKE_ACCOUNT, type World } from './fakes/world';
import type { Permission } from './workflow';

export class ActionFailure extends Error {}

export interface ActionContext {
  readonly inputs: Readonly<Record<string, string>>;
  readonly workspace: string;
  readonly temp: string;
  readonly toolCache: string;
  readonly env: Readonly<Record<string, string>>;
  readonly permissions: Readonly<Record<string, Permission>>;
  /** The OIDC token's `sub` GitHub would issue this job (environment, pull request or ref form). */
  readonly oidcSubject: string;
  readonly github: {
    readonly repository: string;
    readonly sha: string;
    readonly ref: string;
    readonly runId: string;
  };
  readonly world: World;
  readonly fakes: Fakes;
  readonly origin: string;
  /** Where this run's artifacts go, one folder each; names are unique in a run. */
  readonly artifacts: string;
  setEnv(name: string, value: string): void;
  addPath(folder: string): void;
  setOutput(name: string, value: string): void;
  log(line: string): void;
  warn(message: string): void;
  /** Something the rehearsal could not do as GitHub would, said in the run's notes. */
  note(message: string): void;
}

export interface ActionStandIn {
  /** The action's documented inputs (its action.yml at the pinned version) and their defaults. */
  readonly inputs: Readonly<Record<string, string | null>>;
  readonly required?: readonly string[];
  run(context: ActionContext): void | Promise<void>;
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

// actions/checkout v6: fetches one commit (fetch-depth 1) of github.sha at github.ref, or of `ref`.
const checkout: ActionStandIn = {
  inputs: {
    repository: null,
    ref: '',
    token: null,
    'ssh-key': '',
    'ssh-known-hosts': '',
    'ssh-strict': 'true',
    'ssh-user': 'git',
    'persist-credentials': 'true',
    path: '',
    clean: 'true',
    filter: '',
    'sparse-checkout': '',
    'sparse-checkout-cone-mode': 'true',
    'fetch-depth': '1',
    'fetch-tags': 'false',
    'show-progress': 'true',
    lfs: 'false',
    submodules: 'false',
    'set-safe-directory': 'true',
    'github-server-url': '',
  },
  run(context) {
    const { inputs, github } = context;
    if (
      inputs.repository !== '' &&
      inputs.repository.toLowerCase() !== github.repository.toLowerCase()
    ) {
      throw new ActionFailure(
        `the rehearsal has one repository (${github.repository}), not ${inputs.repository}`,
      );
    }
    const target = path.resolve(context.workspace, inputs.path);
    if (!target.startsWith(context.workspace)) {
      throw new ActionFailure(`Repository path '${target}' is not under '${context.workspace}'`);
    }
    fs.mkdirSync(target, { recursive: true });
    const depth = Number(inputs['fetch-depth']);
    const ref = inputs.ref === '' ? github.ref : inputs.ref;
    const sha = /^[0-9a-f]{40}$/.test(ref) ? ref : inputs.ref === '' ? github.sha : undefined;
    git(['init', '--quiet'], target);
    git(['remote', 'add', 'origin', context.origin], target);
    const depthArgs = depth > 0 ? [`--depth=${depth}`] : [];
    const branch =
      /^refs\/heads\/(.+)$/.exec(ref)?.[1] ??
      (sha === undefined && !ref.startsWith('refs/') ? ref : undefined);
    const remoteRef =
      branch !== undefined ? `refs/remotes/origin/${branch}` : `refs/remotes/checkout/head`;
    const source = sha ?? (ref.startsWith('refs/') ? ref : `refs/heads/${ref}`);
    if (depth === 0)
      git(
        ['fetch', '--quiet', '--no-tags', 'origin', '+refs/heads/*:refs/remotes/origin/*'],
        target,
      );
    try {
      git(
        ['fetch', '--quiet', '--no-tags', ...depthArgs, 'origin', `+${source}:${remoteRef}`],
        target,
      );
    } catch (error: unknown) {
      throw new ActionFailure(
        `The process '/usr/bin/git' failed: cannot fetch ${source}: ${(error as Error).message}`,
      );
    }
    if (branch !== undefined)
      git(['checkout', '--quiet', '--force', '-B', branch, remoteRef], target);
    else git(['checkout', '--quiet', '--force', '--detach', remoteRef], target);
    context.setOutput('ref', ref);
    context.setOutput('commit', git(['rev-parse', 'HEAD'], target));
    context.log(`Checked out ${git(['rev-parse', 'HEAD'], target)} (${ref}) into ${target}`);
  },
};

// actions/setup-node v7.
const setupNode: ActionStandIn = {
  inputs: {
    'node-version': '',
    'node-version-file': '',
    architecture: '',
    'check-latest': 'false',
    'registry-url': '',
    scope: '',
    token: null,
    cache: '',
    'package-manager-cache': 'true',
    'cache-dependency-path': '',
    mirror: '',
    'mirror-token': '',
  },
  run(context) {
    const asked = context.inputs['node-version'];
    const present = process.version.replace(/^v/, '');
    if (asked !== '' && !`${present}.`.startsWith(`${asked.replace(/\.x$/, '')}.`)) {
      context.note(
        `setup-node asks for Node ${asked}; the steps ran with this machine's ${present}`,
      );
    }
    if (context.inputs.cache === 'npm') {
      const lockFiles =
        context.inputs['cache-dependency-path'] !== ''
          ? [context.inputs['cache-dependency-path']]
          : ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock'];
      if (!lockFiles.some((file) => fs.existsSync(path.join(context.workspace, file)))) {
        throw new ActionFailure(
          `Dependencies lock file is not found in ${context.workspace}. Supported file patterns: package-lock.json,npm-shrinkwrap.json,yarn.lock`,
        );
      }
    } else if (context.inputs.cache !== '') {
      throw new ActionFailure(
        `the rehearsal models setup-node's npm cache only, not '${context.inputs.cache}'`,
      );
    }
    context.setOutput('node-version', process.version);
    context.setOutput('cache-hit', 'false');
  },
};

// hashicorp/setup-terraform v4: installs the version asked for and puts it on the PATH.
const setupTerraform: ActionStandIn = {
  inputs: {
    cli_config_credentials_hostname: 'app.terraform.io',
    cli_config_credentials_token: '',
    terraform_version: 'latest',
    terraform_wrapper: 'true',
  },
  run(context) {
    const version = context.inputs.terraform_version;
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
      throw new ActionFailure(
        `the rehearsal installs an exact Terraform version, not '${version}'`,
      );
    }
    if (context.inputs.terraform_wrapper !== 'false') {
      context.note(
        'setup-terraform installs its wrapper (terraform_wrapper is not false); the rehearsal does not model it',
      );
    }
    const real = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
    const here =
      real.status === 0
        ? (JSON.parse(real.stdout) as { terraform_version: string }).terraform_version
        : 'none';
    context.note(
      `setup-terraform asks for Terraform ${version}: the fake Terraform answers as ${version} (this machine's real one is ${here}, with no providers)`,
    );
    context.addPath(context.fakes.installTerraform(context.toolCache, version));
  },
};

// aws-actions/configure-aws-credentials v6, by OIDC (role-to-assume, no keys).
const configureAwsCredentials: ActionStandIn = {
  inputs: {
    audience: 'sts.amazonaws.com',
    'aws-access-key-id': '',
    'aws-secret-access-key': '',
    'aws-session-token': '',
    'aws-region': '',
    'mask-aws-account-id': 'false',
    'role-to-assume': '',
    'web-identity-token-file': '',
    'role-chaining': 'false',
    'role-duration-seconds': '3600',
    'role-external-id': '',
    'role-session-name': 'GitHubActions',
    'role-skip-session-tagging': 'false',
    'inline-session-policy': '',
    'managed-session-policies': '',
    'output-credentials': 'false',
    'output-env-credentials': 'true',
    'unset-current-credentials': 'false',
    'disable-retry': 'false',
    'retry-max-attempts': '12',
    'special-characters-workaround': 'false',
    'use-existing-credentials': 'false',
    'allowed-account-ids': '',
    'force-skip-oidc': 'false',
    'action-timeout-s': '',
    'http-proxy': '',
    'no-proxy': '',
  },
  required: ['aws-region'],
  run(context) {
    const { inputs, world } = context;
    const role = inputs['role-to-assume'];
    if (inputs['aws-access-key-id'] !== '')
      throw new ActionFailure('the rehearsal models OIDC only, not access keys');
    if (role === '') {
      throw new ActionFailure(
        'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
      );
    }
    if (context.env.ACTIONS_ID_TOKEN_REQUEST_URL === undefined) {
      throw new ActionFailure(
        "Could not get ID token: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable (the job's permissions need id-token: write)",
      );
    }
    if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role)) {
      throw new ActionFailure(`Could not assume role with OIDC: '${role}' is not a role ARN`);
    }
    const sessionName = inputs['role-session-name'];
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new ActionFailure(
        `Could not assume role with OIDC: role session name '${sessionName}' does not satisfy [\\w+=,.@-]{2,64}`,
      );
    }
    const trust = world.roles()[role];
    if (
      trust === undefined ||
      trust.subject !== context.oidcSubject ||
      trust.audience !== inputs.audience
    ) {
      throw new ActionFailure(
        `Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity (token sub ${context.oidcSubject}, aud ${inputs.audience})`,
      );
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    world.addSession(accessKeyId, { role, sessionName, subject: context.oidcSubject });
    context.setEnv('AWS_ACCESS_KEY_ID', accessKeyId);
    context.setEnv('AWS_SECRET_ACCESS_KEY', randomBytes(20).toString('base64'));
    context.setEnv('AWS_SESSION_TOKEN', randomBytes(40).toString('base64'));
    context.setEnv('AWS_REGION', inputs['aws-region']);
    context.setEnv('AWS_DEFAULT_REGION', inputs['aws-region']);
    context.setOutput('aws-account-id', FAKE_ACCOUNT);
    context.log(`Assumed role ${role} as ${sessionName} (sub ${context.oidcSubject})`);
  },
};

/** Minimal glob for upload-artifact paths: `*`, `**`, `?`; a folder means everything in it. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at];
    if (char === '*' && pattern[at + 1] === '*') {
      out += '.*';
      at += pattern[at + 2] === '/' ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  if (fs.statSync(root).isFile()) return [root];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((entry) => path.join(root, entry))
    .filter((file) => fs.statSync(file).isFile());
}

// actions/upload-artifact v7.
const uploadArtifact: ActionStandIn = {
  inputs: {
    name: 'artifact',
    path: null,
    'if-no-files-found': 'warn',
    'retention-days': '',
    'compression-level': '6',
    overwrite: 'false',
    'include-hidden-files': 'false',
    archive: 'true',
  },
  required: ['path'],
  run(context) {
    const { inputs } = context;
    const mode = inputs['if-no-files-found'];
    if (!['warn', 'error', 'ignore'].includes(mode))
      throw new ActionFailure(`Unrecognized if-no-files-found input: ${mode}`);
    const retention = inputs['retention-days'];
    if (retention !== '' && !(Number(retention) >= 1 && Number(retention) <= 90)) {
      throw new ActionFailure(`retention-days must be 1 to 90, not ${retention}`);
    }
    const patterns = inputs.path
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const include = patterns.filter((p) => !p.startsWith('!'));
    const exclude = patterns
      .filter((p) => p.startsWith('!'))
      .map((p) => globToRegExp(path.resolve(context.workspace, p.slice(1))));
    const found = new Set<string>();
    for (const pattern of include) {
      const absolute = path.resolve(context.workspace, pattern);
      if (/[*?]/.test(pattern)) {
        const base = absolute.slice(0, absolute.search(/[*?]/)).replace(/[^/]*$/, '');
        const matcher = globToRegExp(absolute);
        for (const file of filesUnder(base)) if (matcher.test(file)) found.add(file);
      } else {
        for (const file of filesUnder(absolute)) found.add(file);
      }
    }
    const hidden = (file: string) =>
      path
        .relative(context.workspace, file)
        .split(path.sep)
        .some((part) => part.startsWith('.'));
    const files = [...found].filter(
      (file) =>
        !exclude.some((matcher) => matcher.test(file)) &&
        (inputs['include-hidden-files'] === 'true' || !hidden(file)),
    );
    if (files.length === 0) {
      const message = `No files were found with the provided path: ${inputs.path.trim()}. No artifacts will be uploaded.`;
      if (mode === 'error') throw new ActionFailure(message);
      if (mode === 'warn') context.warn(message);
      return;
    }
    const target = path.join(context.artifacts, inputs.name);
    if (fs.existsSync(target) && inputs.overwrite !== 'true') {
      throw new ActionFailure(
        `Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run`,
      );
    }
    // The root is the files' least common ancestor, as upload-artifact keeps the structure below it.
    const root = files
      .map((file) => path.dirname(file))
      .reduce((common, dir) => {
        while (!`${dir}/`.startsWith(`${common}/`)) common = path.dirname(common);
        return common;
      });
    for (const file of files) {
      const to = path.join(target, path.relative(root, file));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(file, to);
    }
    context.setOutput('artifact-id', String(files.length));
    context.log(`Uploaded ${files.length} file(s) as artifact ${inputs.name}`);
  },
};

/** By action (`owner/repo`), whatever version is pinned; the pins are checked in workflows.test.ts. */
export const ACTIONS: Readonly<Record<string, ActionStandIn>> = {
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'hashicorp/setup-terraform': setupTerraform,
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'actions/upload-artifact': uploadArtifact,
};
