// @tier e2e
/**
 * A merge to main in a private repository on GitHub Team, rehearsed: environments and their
 * deployment branches exist there, required reviewers do not ("Deployment environments"
 * availability). So post-merge.yml deploys dev only and says how to deploy prod; deploy.yml
 * deploys prod by hand, naming a commit of main; and a repository that claims prod has
 * reviewers (PROD_REQUIRED_REVIEWERS) without them gets no unapproved prod deploy.
 */
import type { WorkflowRun } from './rehearsal/runner';
import {
  DEPLOY_CALLER_PERMISSIONS,
  mergeToMain,
  REPOSITORY,
  repositoryVariables,
  roleArn,
  setUpRehearsals,
  STAND_INS,
  type Rehearsals,
} from './rehearsal/setup';
import { startStageSites, type StageSites } from './rehearsal/stage-sites';
import {
  appliesOf,
  deployAlarmOf,
  heldAt,
  holdsSent,
  stateOf,
  unreleasedHolds,
} from './rehearsal/stage-views';

describe('a merge to main, rehearsed where the plan has no required reviewers', () => {
  let rehearsals: Rehearsals;
  let sites: StageSites;
  let merged: WorkflowRun;
  let sha: string;

  beforeAll(async () => {
    rehearsals = setUpRehearsals({ visibility: 'private', plan: 'team' });
    sites = await startStageSites(rehearsals.world);
    sha = rehearsals.repository.sha();
    merged = await mergeToMain(rehearsals);
  }, 900_000);
  afterAll(async () => {
    await sites?.stop();
    rehearsals?.cleanup();
  });

  it('deploys dev, not prod, and says how to deploy prod', () => {
    expect(merged.failures()).toEqual([]);
    expect(merged.jobs.map((job) => [job.path, job.result])).toEqual([
      ['checks/checks', 'success'],
      ['deploy-dev/deploy', 'success'],
      ['deploy-prod', 'skipped'],
      ['prod-by-hand', 'success'],
    ]);
    expect(stateOf(rehearsals.world, 'dev')).toBeDefined();
    expect(stateOf(rehearsals.world, 'prod')).toBeUndefined();
    expect(merged.summaries.join('\n')).toContain(
      `gh workflow run deploy.yml --ref main -f stage=prod -f commit=${sha}`,
    );
  });

  describe('then prod, by hand, with the command the summary gave', () => {
    let dispatched: WorkflowRun;

    beforeAll(async () => {
      // A newer merge meanwhile: the command still deploys the commit it names.
      rehearsals.repository.merge('Merged after the run');
      const command = /gh workflow run (\S+) --ref (\S+) -f stage=(\S+) -f commit=(\S+)/.exec(
        merged.summaries.join('\n'),
      );
      const [, file, ref, stage, commit] = command ?? [];
      dispatched = await rehearsals.run(file, {
        event: {
          name: 'workflow_dispatch',
          ref: `refs/heads/${ref}`,
          sha: rehearsals.repository.sha(),
          inputs: { stage, commit },
        },
        vars: repositoryVariables(),
        standIns: [STAND_INS.npmCi],
      });
    }, 600_000);

    it('deploys that commit to prod, in the prod environment, with the prod role', () => {
      expect(dispatched.failures()).toEqual([]);
      expect(dispatched.jobs.map((job) => [job.path, job.result])).toEqual([
        ['commit', 'success'],
        ['deploy/deploy', 'success'],
      ]);
      expect(dispatched.job('deploy/deploy').environment).toMatchObject({ name: 'prod' });
      const sessions = Object.values(rehearsals.world.sessions()).filter(
        (s) => s.role === roleArn('prod'),
      );
      expect(sessions.map((s) => s.subject)).toEqual([`repo:${REPOSITORY}:environment:prod`]);
      expect(
        dispatched.step(
          'deploy/deploy',
          'Run actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
        ).output,
      ).toContain(`Checked out ${sha}`);
      expect(stateOf(rehearsals.world, 'prod')).toBeDefined();
    });

    it('holds prod while it deploys, though its first deploy creates the alarm, and releases it after', () => {
      const world = rehearsals.world;
      const [hold, release, ...more] = holdsSent(world, 'prod');
      expect(more).toEqual([]);
      expect([hold.sentBy, release.sentBy]).toEqual([roleArn('prod'), roleArn('prod')]);
      const alarm = deployAlarmOf(world, 'prod');
      expect(alarm?.createdAt).toBeGreaterThan(hold.receivedAt);
      expect(heldAt(world, 'prod', alarm?.createdAt ?? NaN)).toBe(true);
      expect(heldAt(world, 'prod', appliesOf(world, 'prod')[0])).toBe(true);
      expect(heldAt(world, 'prod', release.receivedAt)).toBe(false);
      expect(unreleasedHolds(world, 'prod')).toEqual([]);
      world.advanceClock(60_000);
      expect(deployAlarmOf(world, 'prod')?.state).toBe('OK');
    });
  });

  describe('deploy.yml refuses', () => {
    let unmerged: string;
    beforeAll(() => {
      unmerged = rehearsals.repository.branch('feature', 'Not merged');
    });
    const dispatch = (ref: string, inputs: Record<string, string>) =>
      rehearsals.run('deploy.yml', {
        event: { name: 'workflow_dispatch', ref, sha: rehearsals.repository.sha(ref), inputs },
        vars: repositoryVariables(),
        standIns: [STAND_INS.npmCi],
      });

    it('a commit main does not contain', async () => {
      const run = await dispatch('refs/heads/main', { stage: 'prod', commit: unmerged });
      expect(run.failures().join('\n')).toContain(
        `${unmerged} is not on main: only what main contains is deployed`,
      );
      expect(run.job('deploy').result).toBe('skipped');
    });

    it('a run from another branch', async () => {
      const run = await dispatch('refs/heads/feature', { stage: 'dev', commit: '' });
      expect(run.failures().join('\n')).toMatch(
        /Run this workflow from main \(it ran from refs\/heads\/feature\)/,
      );
      expect(run.job('deploy').result).toBe('skipped');
    });

    it('a stage that is not one', async () => {
      const run = await dispatch('refs/heads/main', { stage: 'staging', commit: '' });
      expect(run.startupError).toMatch(/'staging' is not one of dev, prod/);
    });
  });

  describe('with PROD_REQUIRED_REVIEWERS set while prod has no reviewers', () => {
    it('refuses the unapproved prod deploy before assuming the prod role', async () => {
      const sessionsBefore = Object.keys(rehearsals.world.sessions()).length;
      const run = await rehearsals.run('deploy-stage.yml', {
        event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
        vars: { ...repositoryVariables(), PROD_REQUIRED_REVIEWERS: 'true' },
        call: {
          inputs: { stage: 'prod', 'role-arn': roleArn('prod'), 'require-reviewers': true },
          permissions: DEPLOY_CALLER_PERMISSIONS,
        },
      });
      expect(run.job('deploy').environment).toEqual({
        name: 'prod',
        url: '',
        approvedBy: undefined,
      });
      expect(run.failures()).toEqual([
        expect.stringMatching(/^deploy \/ Check that the environment has required reviewers:\n/),
      ]);
      expect(run.annotations.map((a) => a.message).join('\n')).toContain(
        'The prod environment has no required reviewers, so nobody approved this deploy.',
      );
      expect(Object.keys(rehearsals.world.sessions())).toHaveLength(sessionsBefore);
    }, 120_000);

    it('needs the actions: read permission to ask GitHub', async () => {
      const run = await rehearsals.run('deploy-stage.yml', {
        event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
        vars: repositoryVariables(),
        call: {
          inputs: { stage: 'prod', 'role-arn': roleArn('prod'), 'require-reviewers': true },
          permissions: { contents: 'read', 'id-token': 'write' },
        },
      });
      expect(run.startupError).toMatch(
        /requesting 'actions: read', but is only allowed 'actions: none'/,
      );
    });
  });
});
