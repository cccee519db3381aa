/**
 * Deploys that go wrong, rehearsed with deploy-stage.yml as post-merge.yml calls it: a smoke
 * gate that fails, a first deploy that fails halfway, and a runner lost in the middle of
 * `terraform apply`. Each says what it leaves (state, lock, deploy alarm); for the lost runner,
 * the recovery the README's deploy guide gives is run as written, then the deploy again.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Stage } from '../../stacks/config';
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
import { deployAlarmCalls, deployAlarmOf, lockOf, stateOf } from './rehearsal/stage-views';

const DEPLOY_TIMEOUT = 600_000;

let rehearsals: Rehearsals;
let sites: StageSites;

/** deploy-stage.yml for `stage`, as post-merge.yml calls it for the newest commit of main. */
function deploy(
  stage: Stage,
  options: { loseRunnerWhen?: () => boolean } = {},
): Promise<WorkflowRun> {
  return rehearsals.run('deploy-stage.yml', {
    event: { name: 'push', ref: 'refs/heads/main', sha: rehearsals.repository.sha() },
    vars: repositoryVariables(),
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
const deployAlarm = (stage: Stage) => deployAlarmOf(rehearsals.world, stage);
const state = (stage: Stage) => stateOf(rehearsals.world, stage);
const lock = (stage: Stage) => lockOf(rehearsals.world, stage);
const alarmCalls = (stage: Stage, since: number) =>
  deployAlarmCalls(rehearsals.world, stage, since);

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
  let calls: number;

  beforeAll(async () => {
    sites.point(rehearsals.world, 'dev', sites.broken);
    calls = rehearsals.world.calls('aws').length;
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
    expect(alarmCalls('dev', calls)).toEqual(['ALARM:0', 'OK:0']);
    expect(deployAlarm('dev')?.state).toBe('OK');
  });

  it('leaves the deployed state unlocked: the next merge deploys over it', () => {
    expect(lock('dev')).toBeUndefined();
    expect(state('dev')?.outputs.api_url.value).toBe(sites.broken.apiUrl);
  });
});

describe("prod's first deploy, failing halfway", () => {
  let run: WorkflowRun;
  let calls: number;
  const error =
    'operation error synthetics: CreateCanary, https response error StatusCode: 403, api error AccessDeniedException: User is not authorized to perform: lambda:PublishLayerVersion';

  beforeAll(async () => {
    rehearsals.world.setScenario({
      applyFaults: [{ stack: 'prod', failAtType: 'aws_synthetics_canary', kind: 'error', error }],
    });
    calls = rehearsals.world.calls('aws').length;
    run = await deploy('prod');
    rehearsals.world.setScenario({ applyFaults: [] });
  }, DEPLOY_TIMEOUT);

  it('fails at Deploy with the AWS error, runs no smoke gate, and releases (there is no alarm yet)', () => {
    expect(ran(run).slice(-2)).toEqual([
      ['Deploy', 'failure'],
      ['Release the deploy alarm', 'success'],
    ]);
    expect(run.step('deploy', 'Deploy').output).toContain(error);
    expect(alarmCalls('prod', calls)).toEqual(['ALARM:254', 'OK:254']);
    expect(run.step('deploy', 'Release the deploy alarm').output).toContain(
      "the stage's first deploy creates it",
    );
  });

  it('leaves the state of what it created, no lock, and no deploy alarm', () => {
    const types = new Set(state('prod')?.resources.map((resource) => resource.type));
    expect(types.has('aws_cloudfront_distribution')).toBe(true);
    expect(types.has('aws_synthetics_canary')).toBe(false);
    expect(types.has('aws_cloudwatch_metric_alarm')).toBe(false);
    expect(lock('prod')).toBeUndefined();
    expect(deployAlarm('prod')).toBeUndefined();
  });

  it(
    'is recovered by running the deploy again once the cause is fixed',
    async () => {
      const again = await deploy('prod');
      expect(again.failures()).toEqual([]);
      expect(
        new Set(state('prod')?.resources.map((resource) => resource.type)).has(
          'aws_synthetics_canary',
        ),
      ).toBe(true);
      expect(deployAlarm('prod')?.state).toBe('OK');
    },
    DEPLOY_TIMEOUT,
  );
});

describe('a runner lost in the middle of terraform apply', () => {
  let run: WorkflowRun;

  beforeAll(async () => {
    rehearsals.world.setScenario({
      applyFaults: [{ stack: 'prod', failAtType: 'aws_synthetics_canary', kind: 'hang' }],
    });
    run = await deploy('prod', {
      loseRunnerWhen: () => fs.existsSync(rehearsals.world.file('hung-prod')),
    });
    rehearsals.world.setScenario({ applyFaults: [] });
  }, DEPLOY_TIMEOUT);

  it('runs no step after it: the deploy alarm stays held, the state stays locked', () => {
    expect(run.job('deploy').message).toMatch(/runner has received a shutdown signal/);
    // The job's steps end there: no later step, not even an always() one, ran.
    expect(run.job('deploy').steps.at(-1)).toMatchObject({ name: 'Deploy', conclusion: 'failure' });
    expect(deployAlarm('prod')).toMatchObject({ state: 'ALARM', changedBy: roleArn('prod') });
    expect(lock('prod')).toMatchObject({
      Operation: 'OperationTypeApply',
      Path: `${STATE_BUCKET}/${stateKey('prod')}`,
    });
  });

  it(
    "makes the next deploy fail on the lock, naming it; that run's release clears the alarm, not the lock",
    async () => {
      const held = lock('prod');
      const next = await deploy('prod');
      expect(next.step('deploy', 'Deploy').output).toContain('Error acquiring the state lock');
      expect(next.step('deploy', 'Deploy').output).toContain(`ID:        ${held?.ID}`);
      expect(deployAlarm('prod')?.state).toBe('OK');
      expect(lock('prod')).toEqual(held);
    },
    DEPLOY_TIMEOUT,
  );

  it(
    "is recovered by the README's commands, run as written with an administrator's credentials",
    async () => {
      // Back in ALARM, as a lost run leaves it when nobody deployed since.
      await deploy('prod', { loseRunnerWhen: () => true });
      expect(deployAlarm('prod')?.state).toBe('ALARM');
      const commands = recoveryCommands();
      const admin = 'AKIAREHEARSALADMIN00';
      rehearsals.world.addSession(admin, {
        role: 'arn:aws:iam::123456789012:user/administrator',
        sessionName: 'administrator',
        subject: '',
      });
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
      expect(deployAlarm('prod')?.state).toBe('OK');

      const again = await deploy('prod');
      expect(again.failures()).toEqual([]);
      expect(lock('prod')).toBeUndefined();
    },
    2 * DEPLOY_TIMEOUT,
  );
});

/**
 * The commands of the README's "A stuck deploy" block, for prod, with the rehearsal's bucket in
 * place of `<state_bucket>`.
 */
function recoveryCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
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
