/**
 * A rehearsal's surroundings, as a new repository and a freshly bootstrapped AWS account have
 * them: the repository (this working tree, committable files only), a fake world with the state
 * bucket and the two deploy roles the bootstrap stack creates, trusting this repository's jobs
 * in each stage's environment, and the fakes on the runner image's PATH.
 *
 * STAND_INS are the only `run:` steps that do not run as written, each saying why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentSubject, STS_AUDIENCE } from '../../../stacks/bootstrap/github-oidc';
import { STAGES, type Stage } from '../../../stacks/config';
import { installFakes, type Fakes } from './fakes/install';
import { FAKE_ACCOUNT, World, type GithubSettings } from './fakes/world';
import { Repository } from './repository';
import {
  killRunningSteps,
  rehearse,
  WHOLE_SUITE,
  type RehearsalOptions,
  type StandIn,
  type WorkflowRun,
} from './runner';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

export const STATE_BUCKET = 'msgs-tfstate-rehearsal';
export const REPOSITORY = 'octo-org/monitored-messages';
export const roleArn = (stage: Stage) => `arn:aws:iam::${FAKE_ACCOUNT}:role/msgs-deploy-${stage}`;

/** The repository variables docs/first-deploy.md's step 3 tells a person to set, with bootstrap's outputs. */
export function repositoryVariables(): Record<string, string> {
  return {
    TF_STATE_BUCKET: STATE_BUCKET,
    TF_STATE_REGION: 'us-east-1',
    AWS_DEPLOY_ROLE_ARN_DEV: roleArn('dev'),
    AWS_DEPLOY_ROLE_ARN_PROD: roleArn('prod'),
    ALERT_EMAILS_DEV: 'dev-team@example.com',
    ALERT_EMAILS_PROD: 'oncall@example.com',
  };
}

/** The small test file the test-suite stand-in runs with the step's own command line. */
export const SMALL_TEST = 'test/github/rehearsal/file-commands.test.ts';

export const STAND_INS = {
  npmCi: {
    reason:
      'npm ci: npm itself checks package-lock.json against package.json (npm ci --dry-run), then the ' +
      "packages this machine installed are linked in instead of downloaded (no registry but npm's here)",
    matches: (run) => run.trim() === 'npm ci',
    replace: () =>
      [
        'npm ci --dry-run --ignore-scripts --no-audit --no-fund > /dev/null',
        'mkdir node_modules',
        `for entry in ${ROOT}/node_modules/* ${ROOT}/node_modules/.[!.]*; do ln -s "$entry" node_modules/; done`,
      ].join('\n'),
  },
  testSuite: {
    reason:
      "the whole test suite (minutes, and it contains this rehearsal): the step's own command line runs " +
      `on ${SMALL_TEST}, so its flags, its report file and its exit code are real; DynamoDB Local is ` +
      "linked from this machine's .local/ instead of fetched",
    matches: (run) => WHOLE_SUITE.test(run),
    replace: (run) =>
      `ln -s ${ROOT}/.local .local\n${run.replace(/(\bnpm test\b.*)$/m, `$1 ${SMALL_TEST}`)}`,
  },
  lint: {
    reason:
      'npm run lint (over a minute): it ran as written in the pull-request rehearsal, on the same ' +
      'files; here the stand-in only proves its tools are installed',
    matches: (run) => run.trim() === 'npm run lint',
    replace: () => 'npx tsc --version && npx eslint --version && npx prettier --version',
  },
} satisfies Record<string, StandIn>;

/** The GITHUB_TOKEN permissions post-merge.yml and deploy.yml give their deploy-stage.yml jobs. */
export const DEPLOY_CALLER_PERMISSIONS = {
  contents: 'read',
  'id-token': 'write',
  actions: 'read',
} as const;

/** post-merge.yml on a push of main's newest commit, the checks' heavy steps standing in. */
export function mergeToMain(
  rehearsals: Rehearsals,
  options: Pick<RehearsalOptions, 'vars' | 'approvals'> = {},
): Promise<WorkflowRun> {
  return rehearsals.run('post-merge.yml', {
    event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
    vars: repositoryVariables(),
    standIns: [STAND_INS.npmCi, STAND_INS.testSuite, STAND_INS.lint],
    ...options,
  });
}

export interface Rehearsals {
  readonly world: World;
  readonly repository: Repository;
  readonly fakes: Fakes;
  readonly folder: string;
  run(
    file: string,
    options: Omit<RehearsalOptions, 'workflowsDir' | 'world' | 'fakes' | 'workRoot'> & {
      workflowsDir?: string;
    },
  ): Promise<WorkflowRun>;
  cleanup(): void;
}

/** A repository, a bootstrapped account, the fakes; `github` overrides the repository's settings. */
export function setUpRehearsals(github: Partial<Omit<GithubSettings, 'origin'>> = {}): Rehearsals {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-'));
  const repository = Repository.fromWorkingTree(ROOT, path.join(folder, 'repository'));
  const world = World.create(path.join(folder, 'world'), {
    repository: REPOSITORY,
    visibility: 'private',
    plan: 'team',
    environments: { dev: { branches: ['main'] }, prod: { branches: ['main'] } },
    ...github,
    origin: repository.origin,
  });
  world.createBucket(STATE_BUCKET);
  for (const stage of STAGES) {
    world.addRole(roleArn(stage), {
      subject: environmentSubject(REPOSITORY, stage),
      audience: STS_AUDIENCE,
    });
  }
  const fakes = installFakes(path.join(folder, 'fakes'), world);
  let runs = 0;
  return {
    world,
    repository,
    fakes,
    folder,
    run: (file, options) => {
      runs += 1;
      return rehearse(file, {
        workflowsDir: WORKFLOWS,
        world,
        fakes,
        workRoot: path.join(folder, 'runs'),
        runNumber: runs,
        ...options,
      });
    },
    cleanup: () => {
      killRunningSteps();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
