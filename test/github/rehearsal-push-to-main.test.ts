// @tier e2e
/**
 * A merge to main, rehearsed: post-merge.yml in a public repository whose prod environment has
 * required reviewers (and PROD_REQUIRED_REVIEWERS=true): the checks, dev, then prod once a
 * reviewer approves, against a freshly bootstrapped fake account; the real `cdktf deploy` drives
 * the fake Terraform, the real canaries run the smoke gate against a real local system. The
 * repository also sets ACCEPT_DEPRECATED_RUNTIMES, as for an urgent fix: a runtime synth knows
 * passes through to it without changing the deploy.
 */
import { MESSAGES_FUNCTION } from '../../contract/function';
import { STS_AUDIENCE } from '../../stacks/bootstrap/github-oidc';
import { STAGES } from '../../stacks/config';
import { ACCEPT_DEPRECATED_RUNTIMES } from '../../stacks/policy/accepted-runtimes';
import type { TerraformState } from './rehearsal/fakes/terraform';
import {
  appliesOf,
  deployAlarmOf,
  heldAt,
  holdsSent,
  lockOf,
  stateOf,
  unreleasedHolds,
} from './rehearsal/stage-views';
import type { WorkflowRun } from './rehearsal/runner';
import {
  DEPLOY_CALLER_PERMISSIONS,
  mergeToMain,
  REPOSITORY,
  repositoryVariables,
  roleArn,
  setUpRehearsals,
  type Rehearsals,
} from './rehearsal/setup';
import { startStageSites, type StageSites } from './rehearsal/stage-sites';

describe('a merge to main, rehearsed where prod has required reviewers', () => {
  let rehearsals: Rehearsals;
  let sites: StageSites;
  let run: WorkflowRun;
  let sha: string;

  beforeAll(async () => {
    rehearsals = setUpRehearsals({
      visibility: 'public',
      plan: 'free',
      environments: {
        dev: { branches: ['main'] },
        prod: { branches: ['main'], reviewers: ['release-manager'] },
      },
    });
    sites = await startStageSites(rehearsals.world);
    sha = rehearsals.repository.sha();
    run = await mergeToMain(rehearsals, {
      vars: {
        ...repositoryVariables(),
        PROD_REQUIRED_REVIEWERS: 'true',
        [ACCEPT_DEPRECATED_RUNTIMES]: MESSAGES_FUNCTION.runtime,
      },
      approvals: { prod: 'approve' },
    });
  }, 900_000);
  afterAll(async () => {
    await sites?.stop();
    rehearsals?.cleanup();
  });

  it('passes: the checks, then dev, then prod after its approval', () => {
    expect(run.failures()).toEqual([]);
    expect(run.jobs.map((job) => [job.path, job.result])).toEqual([
      ['checks/checks', 'success'],
      ['deploy-dev/deploy', 'success'],
      ['deploy-prod/deploy', 'success'],
      ['prod-by-hand', 'skipped'],
    ]);
    expect(run.job('deploy-prod/deploy').environment).toEqual({
      name: 'prod',
      url: sites.system.websiteUrl,
      approvedBy: 'release-manager',
    });
  });

  it.each(STAGES)(
    'leaves %s state in the bucket, unlocked, with the URLs the smoke gate opened',
    (stage) => {
      expect(lockOf(rehearsals.world, stage)).toBeUndefined();
      const written = stateOf(rehearsals.world, stage);
      expect(written?.outputs.website_url.value).toBe(sites.system.websiteUrl);
      expect(written?.outputs.api_url.value).toBe(sites.system.apiUrl);
      expect(written?.resources.length).toBeGreaterThan(50);
    },
  );

  it.each(STAGES)('assumes the %s role as its environment, by OIDC, and nothing else', (stage) => {
    const sessions = Object.values(rehearsals.world.sessions()).filter(
      (session) => session.role === roleArn(stage),
    );
    expect(sessions.map((session) => session.subject)).toEqual([
      `repo:${REPOSITORY}:environment:${stage}`,
    ]);
    expect(rehearsals.world.roles()[roleArn(stage)].audience).toBe(STS_AUDIENCE);
  });

  it.each(STAGES)(
    "on %s's first deploy, holds the stage before its deploy alarm exists, the alarm it creates counts the hold, and the release ends it",
    (stage) => {
      const world = rehearsals.world;
      const [hold, release, ...more] = holdsSent(world, stage);
      expect(more).toEqual([]);
      expect(hold.datapoints.map((datapoint) => datapoint.value)).toEqual([1]);
      // Each held minute cancelled at its own minute, then the end-of-deploy 0 at the release's.
      expect(release.datapoints.slice(0, -1)).toEqual(
        hold.datapoints.map(({ timestamp, value }) => ({ timestamp, value: -value })),
      );
      expect(release.datapoints.at(-1)?.value).toBe(0);
      expect(hold.sentBy).toBe(roleArn(stage));
      const alarm = deployAlarmOf(world, stage);
      expect(alarm?.createdAt).toBeGreaterThan(hold.receivedAt);
      // Its first evaluation, over what had been sent when it was created, and held through the apply.
      expect(heldAt(world, stage, alarm?.createdAt ?? NaN)).toBe(true);
      expect(heldAt(world, stage, appliesOf(world, stage)[0])).toBe(true);
      expect(heldAt(world, stage, release.receivedAt)).toBe(false);
      expect(unreleasedHolds(world, stage)).toEqual([]);
      world.advanceClock(60_000);
      expect(deployAlarmOf(world, stage)?.state).toBe('OK');
    },
  );

  it.each(STAGES)('runs both canary journeys of %s against what it deployed', (stage) => {
    for (const journey of ['API', 'website']) {
      const step = run.step(`deploy-${stage}/deploy`, `Smoke gate, ${journey} journey`);
      expect(step.standIn).toBeUndefined();
      expect(step.output).toMatch(/ passed\n/);
    }
  });

  it('runs every deploy step as written; only the checks stand in where setup.ts says', () => {
    const standIns = run.jobs.flatMap((job) =>
      job.steps
        .filter((step) => step.standIn !== undefined)
        .map((step) => `${job.path} / ${step.name}`),
    );
    expect(standIns).toEqual([
      'checks/checks / Run npm ci',
      'checks/checks / Lint and type-check (tsc, ESLint, Prettier)',
      'checks/checks / Test',
      'deploy-dev/deploy / Run npm ci',
      'deploy-prod/deploy / Run npm ci',
    ]);
  });

  it('queues each stage in its own concurrency group, and the checks per ref', () => {
    expect(run.job('deploy-dev/deploy').concurrency).toEqual({
      group: 'deploy-dev',
      cancelInProgress: false,
    });
    expect(run.job('deploy-prod/deploy').concurrency).toEqual({
      group: 'deploy-prod',
      cancelInProgress: false,
    });
    expect(run.workflowConcurrency).toEqual(['pre-merge-refs/heads/main']);
  });

  it('gives no warning', () => {
    expect(run.annotations.filter((annotation) => annotation.level !== 'notice')).toEqual([]);
  });

  describe('then the run of a commit main has moved past', () => {
    let rerun: WorkflowRun;
    let before: TerraformState | undefined;

    beforeAll(async () => {
      before = stateOf(rehearsals.world, 'dev');
      rehearsals.repository.merge('A newer change');
      // The older commit's deploy, started late (a re-run, a slow check): it must deploy nothing.
      rerun = await rehearsals.run('deploy-stage.yml', {
        event: { name: 'push', ref: 'refs/heads/main', sha },
        vars: repositoryVariables(),
        call: {
          inputs: {
            stage: 'dev',
            'role-arn': roleArn('dev'),
            'alert-emails': 'dev-team@example.com',
            'newest-only': true,
          },
          permissions: DEPLOY_CALLER_PERMISSIONS,
        },
      });
    }, 300_000);

    it('deploys nothing, says why, and passes', () => {
      expect(rerun.failures()).toEqual([]);
      const steps = rerun.job('deploy').steps;
      expect(
        steps.filter((step) => step.conclusion !== 'skipped').map((step) => step.name),
      ).toEqual(['Check the repository variables', "Is the commit still main's newest"]);
      expect(rerun.annotations.map((a) => `${a.level}: ${a.message}`)).toEqual([
        `notice: main has moved on to ${rehearsals.repository.sha()}; its run deploys dev, so this older commit (${sha}) does not`,
      ]);
      expect(stateOf(rehearsals.world, 'dev')).toEqual(before);
    });
  });

  describe('then a prod deploy a reviewer rejects', () => {
    it('runs no step', async () => {
      const rejected = await rehearsals.run('deploy-stage.yml', {
        event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
        vars: repositoryVariables(),
        approvals: { prod: 'reject' },
        call: {
          inputs: { stage: 'prod', 'role-arn': roleArn('prod'), 'require-reviewers': true },
          permissions: DEPLOY_CALLER_PERMISSIONS,
        },
      });
      expect(rejected.job('deploy')).toMatchObject({
        result: 'failure',
        steps: [],
        message: 'A reviewer rejected the deployment to prod.',
      });
    });
  });
});
