// @tier e2e
/**
 * Deploys that go wrong, rehearsed with deploy-stage.yml as post-merge.yml calls it: a smoke
 * gate that fails, a first deploy that fails halfway, a runner lost in the middle of
 * `terraform apply`, and a repository variable synth refuses. Each says what it leaves (state,
 * lock, deploy alarm); for the lost runner, the recovery the deploy guide (docs/first-deploy.md) gives is run
 * as written, then the deploy again; and, last (it moves the fake account's clock 2 hours on),
 * what a lost runner's hold does when nobody releases it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Stage } from '../../stacks/config';
import { holdExpiresAt } from '@monitored/cloudwatch-model';
import { ACCEPT_DEPRECATED_RUNTIMES } from '../../stacks/policy/accepted-runtimes';
import { lockKey, stateKey } from '../../stacks/state/state-backend';
import type { WorkflowRun } from './rehearsal/runner';
import {
  DEPLOY_CALLER_PERMISSIONS,
  ROOT,
  repositoryVariables,
  roleArn,
  setUpRehearsals,
  STAND_INS,
  STATE_BUCKET,
  type Rehearsals,
} from './rehearsal/setup';
import { startStageSites, type StageSites } from './rehearsal/stage-sites';
import {
  appliesOf,
  deployAlarmOf,
  heldAt,
  holdsSent,
  lockOf,
  stateOf,
  unreleasedHolds,
} from './rehearsal/stage-views';

const DEPLOY_TIMEOUT = 600_000;
const MINUTE = 60_000;

let rehearsals: Rehearsals;
let sites: StageSites;

/** deploy-stage.yml for `stage`, as post-merge.yml calls it for the newest commit of main. */
function deploy(
  stage: Stage,
  options: { loseRunnerWhen?: () => boolean; vars?: Record<string, string> } = {},
): Promise<WorkflowRun> {
  return rehearsals.run('deploy-stage.yml', {
    event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
    vars: { ...repositoryVariables(), ...options.vars },
    standIns: [STAND_INS.npmCi],
    call: {
      inputs: {
        stage,
        'role-arn': roleArn(stage),
        'alert-emails': repositoryVariables()[`ALERT_EMAILS_${stage.toUpperCase()}`],
        'newest-only': true,
      },
      permissions: DEPLOY_CALLER_PERMISSIONS,
    },
    ...(options.loseRunnerWhen === undefined
      ? {}
      : { loseRunner: { job: 'deploy', step: 'Deploy', when: options.loseRunnerWhen } }),
  });
}

const ran = (run: WorkflowRun) =>
  run
    .job('deploy')
    .steps.filter((step) => step.conclusion !== 'skipped')
    .map((step) => [step.name, step.conclusion]);
const state = (stage: Stage) => stateOf(rehearsals.world, stage);
const lock = (stage: Stage) => lockOf(rehearsals.world, stage);
/** The deploy alarm's state as DescribeAlarms answers a minute on: past its next evaluation. */
const deployAlarmAMinuteOn = (stage: Stage) => {
  rehearsals.world.advanceClock(MINUTE);
  return deployAlarmOf(rehearsals.world, stage)?.state;
};
/** The values each hold or release sent for `stage` from `since` on: `[[1], [-1]]`. */
const sentValues = (stage: Stage, since: number) =>
  holdsSent(rehearsals.world, stage, since).map((sent) =>
    sent.datapoints.map((datapoint) => datapoint.value),
  );

beforeAll(async () => {
  rehearsals = setUpRehearsals();
  sites = await startStageSites(rehearsals.world);
  const first = await deploy('dev');
  expect(first.failures()).toEqual([]);
}, DEPLOY_TIMEOUT);
afterAll(async () => {
  await sites?.stop();
  rehearsals?.cleanup();
});

describe('a smoke gate that fails', () => {
  let run: WorkflowRun;
  let since: number;

  beforeAll(async () => {
    sites.point(rehearsals.world, 'dev', sites.broken);
    since = rehearsals.world.now();
    run = await deploy('dev');
    sites.point(rehearsals.world, 'dev', sites.system);
  }, DEPLOY_TIMEOUT);

  it('fails the run at the API journey, skips the website journey, and still releases the deploy alarm', () => {
    expect(run.conclusion).toBe('failure');
    expect(ran(run).slice(-4)).toEqual([
      ['Deploy', 'success'],
      ['Read the deployed URLs', 'success'],
      ['Smoke gate, API journey', 'failure'],
      ['Release the deploy alarm', 'success'],
    ]);
    expect(run.step('deploy', 'Smoke gate, API journey').output).toMatch(/503/);
    // Held while it deployed, released at the hold's own minute after the gate failed.
    const [hold, release] = holdsSent(rehearsals.world, 'dev', since);
    // The release: the hold cancelled at its own minute, and the end-of-deploy 0 at the release's.
    expect(sentValues('dev', since)).toEqual([[1], [-1, 0]]);
    expect(release.datapoints[0].timestamp).toBe(hold.datapoints[0].timestamp);
    expect(heldAt(rehearsals.world, 'dev', appliesOf(rehearsals.world, 'dev', since)[0])).toBe(
      true,
    );
    expect(heldAt(rehearsals.world, 'dev', release.receivedAt)).toBe(false);
    expect(deployAlarmAMinuteOn('dev')).toBe('OK');
  });

  it('leaves the deployed state unlocked: the next merge deploys over it', () => {
    expect(lock('dev')).toBeUndefined();
    expect(state('dev')?.outputs.api_url.value).toBe(sites.broken.apiUrl);
  });
});

describe("prod's first deploy, failing halfway", () => {
  let run: WorkflowRun;
  let since: number;
  const error =
    'operation error synthetics: CreateCanary, https response error StatusCode: 403, api error AccessDeniedException: User is not authorized to perform: lambda:PublishLayerVersion';

  beforeAll(async () => {
    rehearsals.world.setScenario({
      applyFaults: [{ stack: 'prod', failAtType: 'aws_synthetics_canary', kind: 'error', error }],
    });
    since = rehearsals.world.now();
    run = await deploy('prod');
    rehearsals.world.setScenario({ applyFaults: [] });
  }, DEPLOY_TIMEOUT);

  it('fails at Deploy with the AWS error, runs no smoke gate, and releases its hold although there is no alarm yet', () => {
    expect(ran(run).slice(-2)).toEqual([
      ['Deploy', 'failure'],
      ['Release the deploy alarm', 'success'],
    ]);
    expect(run.step('deploy', 'Deploy').output).toContain(error);
    // The hold is data, sent before any alarm exists; the release cancels it at its minute, so
    // the alarm a later deploy creates does not count it.
    const [hold, release] = holdsSent(rehearsals.world, 'prod', since);
    expect(sentValues('prod', since)).toEqual([[1], [-1, 0]]);
    expect(release.datapoints[0].timestamp).toBe(hold.datapoints[0].timestamp);
    expect(unreleasedHolds(rehearsals.world, 'prod')).toEqual([]);
    expect(run.step('deploy', 'Release the deploy alarm').output).toMatch(
      /msgs-prod-deploy-in-progress \(us-east-1\) released \(the hold taken at \d\d:\d\d UTC\)/,
    );
  });

  it('leaves the state of what it created, no lock, and no deploy alarm', () => {
    const types = new Set(state('prod')?.resources.map((resource) => resource.type));
    expect(types.has('aws_cloudfront_distribution')).toBe(true);
    expect(types.has('aws_synthetics_canary')).toBe(false);
    expect(types.has('aws_cloudwatch_metric_alarm')).toBe(false);
    expect(lock('prod')).toBeUndefined();
    expect(deployAlarmOf(rehearsals.world, 'prod')).toBeUndefined();
  });

  it(
    "is recovered by running the deploy again once the cause is fixed, that run's hold counted by the alarm it creates",
    async () => {
      const again = rehearsals.world.now();
      const rerun = await deploy('prod');
      expect(rerun.failures()).toEqual([]);
      expect(
        new Set(state('prod')?.resources.map((resource) => resource.type)).has(
          'aws_synthetics_canary',
        ),
      ).toBe(true);
      const [hold, release] = holdsSent(rehearsals.world, 'prod', again);
      const alarm = deployAlarmOf(rehearsals.world, 'prod');
      expect(alarm?.createdAt).toBeGreaterThan(hold.receivedAt);
      // The new alarm's first evaluation, over what had been sent when it was created: ALARM.
      expect(heldAt(rehearsals.world, 'prod', alarm?.createdAt ?? NaN)).toBe(true);
      expect(heldAt(rehearsals.world, 'prod', release.receivedAt)).toBe(false);
      expect(deployAlarmAMinuteOn('prod')).toBe('OK');
    },
    DEPLOY_TIMEOUT,
  );
});

describe('a runner lost in the middle of terraform apply', () => {
  let run: WorkflowRun;
  let since: number;

  beforeAll(async () => {
    rehearsals.world.setScenario({
      applyFaults: [{ stack: 'prod', failAtType: 'aws_synthetics_canary', kind: 'hang' }],
    });
    since = rehearsals.world.now();
    run = await deploy('prod', {
      loseRunnerWhen: () => fs.existsSync(rehearsals.world.file('hung-prod')),
    });
    rehearsals.world.setScenario({ applyFaults: [] });
  }, DEPLOY_TIMEOUT);

  it('runs no step after it: the deploy alarm stays held, the state stays locked', () => {
    expect(run.job('deploy').message).toMatch(/runner has received a shutdown signal/);
    // The job's steps end there: no later step, not even an always() one, ran.
    expect(run.job('deploy').steps.at(-1)).toMatchObject({ name: 'Deploy', conclusion: 'failure' });
    const sent = holdsSent(rehearsals.world, 'prod', since);
    expect(sentValues('prod', since)).toEqual([[1]]);
    expect(sent[0].sentBy).toBe(roleArn('prod'));
    expect(unreleasedHolds(rehearsals.world, 'prod')).toEqual([sent[0].datapoints[0].timestamp]);
    expect(deployAlarmAMinuteOn('prod')).toBe('ALARM');
    expect(lock('prod')).toMatchObject({
      Operation: 'OperationTypeApply',
      Path: `${STATE_BUCKET}/${stateKey('prod')}`,
    });
  });

  it(
    "makes the next deploy fail on the lock, naming it; that run's release ends both holds, not the lock",
    async () => {
      const held = lock('prod');
      const next = await deploy('prod');
      expect(next.step('deploy', 'Deploy').output).toContain('Error acquiring the state lock');
      expect(next.step('deploy', 'Deploy').output).toContain(`ID:        ${held?.ID}`);
      expect(unreleasedHolds(rehearsals.world, 'prod')).toEqual([]);
      expect(deployAlarmAMinuteOn('prod')).toBe('OK');
      expect(lock('prod')).toEqual(held);
    },
    DEPLOY_TIMEOUT,
  );

  it(
    "is recovered by the deploy guide's commands, run as written with an administrator's credentials",
    async () => {
      // Held again, as a lost run leaves it when nobody deployed since.
      await deploy('prod', { loseRunnerWhen: () => true });
      expect(deployAlarmAMinuteOn('prod')).toBe('ALARM');
      const commands = recoveryCommands();
      const admin = 'AKIAREHEARSALADMIN00';
      const administrator = 'arn:aws:iam::123456789012:user/administrator';
      rehearsals.world.addSession(admin, {
        role: administrator,
        sessionName: 'administrator',
        subject: '',
      });
      const recovery = rehearsals.world.now();
      // No stdin: bash reads ~/.bashrc when its stdin is a socket, and this one's changes PATH.
      const shell = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', commands.join('\n')], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: `${rehearsals.fakes.imageBin}:${process.env.PATH ?? ''}`,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: admin,
          AWS_SECRET_ACCESS_KEY: 'administrator-secret',
        },
      });
      expect({ status: shell.status, stderr: shell.stderr }).toEqual({
        status: 0,
        stderr: expect.any(String),
      });
      expect(shell.stdout).toContain('"Operation":"OperationTypeApply"');
      expect(lock('prod')).toBeUndefined();
      expect(holdsSent(rehearsals.world, 'prod', recovery).map((sent) => sent.sentBy)).toEqual([
        administrator,
      ]);
      expect(unreleasedHolds(rehearsals.world, 'prod')).toEqual([]);
      expect(deployAlarmAMinuteOn('prod')).toBe('OK');

      const again = await deploy('prod');
      expect(again.failures()).toEqual([]);
      expect(lock('prod')).toBeUndefined();
    },
    2 * DEPLOY_TIMEOUT,
  );
});

describe('a repository variable synth refuses', () => {
  it(
    'fails the deploy at synth, naming ACCEPT_DEPRECATED_RUNTIMES and its value, and releases the hold',
    async () => {
      const since = rehearsals.world.now();
      const run = await deploy('dev', { vars: { [ACCEPT_DEPRECATED_RUNTIMES]: 'nodejs22.z' } });
      expect(ran(run).slice(-2)).toEqual([
        ['Deploy', 'failure'],
        ['Release the deploy alarm', 'success'],
      ]);
      expect(run.step('deploy', 'Deploy').output).toMatch(
        new RegExp(`${ACCEPT_DEPRECATED_RUNTIMES}.*nodejs22\\.z`),
      );
      expect(appliesOf(rehearsals.world, 'dev', since)).toEqual([]);
      expect(sentValues('dev', since)).toEqual([[1], [-1, 0]]);
    },
    DEPLOY_TIMEOUT,
  );
});

// Last: it moves the fake account's clock hours ahead of the scripts' (see fakes/world.ts).
describe('a lost runner whose hold nobody releases', () => {
  it(
    'holds the stage until the hold ends by itself, about 2 hours after it was taken',
    async () => {
      const since = rehearsals.world.now();
      await deploy('prod', { loseRunnerWhen: () => true });
      const [hold] = holdsSent(rehearsals.world, 'prod', since);
      const taken = hold.datapoints[0].timestamp;
      expect(deployAlarmAMinuteOn('prod')).toBe('ALARM');
      rehearsals.world.advanceClockTo(holdExpiresAt(taken) - MINUTE);
      expect(deployAlarmOf(rehearsals.world, 'prod')?.state).toBe('ALARM');
      rehearsals.world.advanceClockTo(holdExpiresAt(taken) + 5 * MINUTE);
      expect(deployAlarmOf(rehearsals.world, 'prod')?.state).toBe('OK');
      // Nothing released it: its minute is still held, only too old for the alarm.
      expect(unreleasedHolds(rehearsals.world, 'prod')).toEqual([taken]);
    },
    DEPLOY_TIMEOUT,
  );
});

/**
 * The commands of docs/first-deploy.md's "A stuck deploy" block, for prod, with the rehearsal's bucket in
 * place of `<state_bucket>`.
 */
function recoveryCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'docs', 'first-deploy.md'), 'utf8');
  const start = readme.indexOf('**A stuck deploy.**');
  expect(start).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))?.[1] ?? '';
  const commands = block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '');
  expect(commands.join('\n')).toContain(lockKey('prod'));
  expect(commands.some((command) => command.startsWith('npm run deploy-alarm -- prod clear'))).toBe(
    true,
  );
  return commands.map((command) => command.replaceAll('<state_bucket>', STATE_BUCKET));
}
