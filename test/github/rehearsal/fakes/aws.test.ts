import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageConfigs } from '../../../../stacks/config';
import { deployAlarmName } from '../../../../stacks/monitoring/names';
import { aws, OPERATIONS } from './aws';
import { installFakes, type Fakes } from './install';
import { World } from './world';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const dev = stageConfigs({ alertEmails: { dev: [], prod: [] } }).dev;
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAFAKE', AWS_SECRET_ACCESS_KEY: 'secret' };

let folder: string;
let world: World;
let fakes: Fakes;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
  world = World.create(path.join(folder, 'world'), {
    repository: 'octo-org/repo',
    visibility: 'public',
    plan: 'free',
    environments: {},
    origin: path.join(folder, 'origin.git'),
  });
  world.addSession('ASIAFAKE', {
    role: 'arn:aws:iam::123456789012:role/msgs-deploy-dev',
    sessionName: 's',
    subject: 'x',
  });
  fakes = installFakes(path.join(folder, 'fakes'), world);
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

function addAlarm(name: string): void {
  world.saveCloudwatch(dev.region, {
    alarms: {
      [name]: {
        name,
        kind: 'metric',
        state: 'INSUFFICIENT_DATA',
        reason: 'new',
        changedBy: 'terraform',
      },
    },
    metricData: [],
  });
}

describe('the fake AWS CLI', () => {
  it('fails a command it does not know as the CLI does (252), naming what it knows', () => {
    const result = aws(['cloudwatch', 'delete-alarms', '--alarm-names', 'x'], CREDENTIALS, world);
    expect(result.code).toBe(252);
    expect(result.stderr).toMatch(/Invalid choice 'delete-alarms'/);
    expect(result.stderr).toContain('cloudwatch set-alarm-state');
  });

  it('fails an unknown or missing option with 252, a missing region or credentials with 253', () => {
    expect(
      aws(['cloudwatch', 'set-alarm-state', '--alarm-nam', 'x'], CREDENTIALS, world).code,
    ).toBe(252);
    expect(
      aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'x'], CREDENTIALS, world).stderr,
    ).toMatch(/required: --state-value, --state-reason/);
    const args = [
      'cloudwatch',
      'set-alarm-state',
      '--alarm-name',
      'x',
      '--state-value',
      'OK',
      '--state-reason',
      'r',
    ];
    expect(aws(args, CREDENTIALS, world)).toMatchObject({
      code: 253,
      stderr: expect.stringMatching(/must specify a region/),
    });
    expect(aws([...args, '--region', dev.region], {}, world)).toMatchObject({
      code: 253,
      stderr: expect.stringMatching(/Unable to locate credentials/),
    });
  });

  it('answers SetAlarmState for a missing alarm with ResourceNotFound (254), and sets one that exists', () => {
    const name = deployAlarmName(dev.namePrefix);
    const set = [
      'cloudwatch',
      'set-alarm-state',
      '--region',
      dev.region,
      '--alarm-name',
      name,
      '--state-value',
      'ALARM',
      '--state-reason',
      'deploying',
    ];
    expect(aws(set, CREDENTIALS, world)).toMatchObject({
      code: 254,
      stderr: expect.stringContaining('(ResourceNotFound)'),
    });
    addAlarm(name);
    expect(aws(set, CREDENTIALS, world).code).toBe(0);
    expect(world.alarm(dev.region, name)).toMatchObject({ state: 'ALARM', reason: 'deploying' });
    expect(
      aws([...set.slice(0, 7), 'BROKEN', '--state-reason', 'r'], CREDENTIALS, world).code,
    ).toBe(254);
  });

  it('records custom metric data, refusing the AWS/ namespaces', () => {
    const put = [
      'cloudwatch',
      'put-metric-data',
      '--region',
      dev.region,
      '--metric-name',
      'DeployHeld',
      '--value',
      '1',
    ];
    expect(
      aws([...put, '--namespace', 'Msgs/Deploy', '--dimensions', 'Stage=dev'], CREDENTIALS, world)
        .code,
    ).toBe(0);
    expect(world.cloudwatch(dev.region).metricData).toEqual([
      { namespace: 'Msgs/Deploy', name: 'DeployHeld', value: 1, dimensions: { Stage: 'dev' } },
    ]);
    expect(aws([...put, '--namespace', 'AWS/Lambda'], CREDENTIALS, world).code).toBe(254);
  });

  it('reads, lists and deletes S3 objects', () => {
    world.createBucket('b');
    world.putObject('b', 'msgs/dev.tfstate.tflock', '{"ID":"1"}');
    expect(
      aws(['s3', 'cp', 's3://b/msgs/dev.tfstate.tflock', '-'], CREDENTIALS, world),
    ).toMatchObject({ code: 0, stdout: '{"ID":"1"}' });
    expect(aws(['s3api', 'list-objects-v2', '--bucket', 'b'], CREDENTIALS, world).stdout).toContain(
      'msgs/dev.tfstate.tflock',
    );
    expect(aws(['s3', 'rm', 's3://b/msgs/dev.tfstate.tflock'], CREDENTIALS, world).code).toBe(0);
    expect(
      aws(
        ['s3api', 'head-object', '--bucket', 'b', '--key', 'msgs/dev.tfstate.tflock'],
        CREDENTIALS,
        world,
      ).code,
    ).toBe(254);
    expect(aws(['s3', 'cp', 's3://b/msgs/dev.tfstate.tflock', '-'], CREDENTIALS, world).code).toBe(
      1,
    );
  });

  it('has a row for each command, each with its API name', () => {
    for (const [command, operation] of Object.entries(OPERATIONS)) {
      expect({ command, api: /^[A-Z][A-Za-z0-9]+$/.test(operation.api) }).toEqual({
        command,
        api: true,
      });
    }
  });
});

describe('npm run deploy-alarm, against the fake on PATH', () => {
  const deployAlarm = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'deploy-alarm', '--', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        PATH: `${fakes.imageBin}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME,
        ...CREDENTIALS,
      },
    });

  it("treats a stage's missing deploy alarm as nothing to hold, and sets one that exists", () => {
    const missing = deployAlarm('dev', 'set');
    expect({ status: missing.status, stderr: missing.stderr }).toMatchObject({
      status: 0,
      stderr: expect.stringMatching(/first deploy creates it/),
    });
    addAlarm(deployAlarmName(dev.namePrefix));
    expect(deployAlarm('dev', 'set', '--reason', 'rehearsal').status).toBe(0);
    expect(world.alarm(dev.region, deployAlarmName(dev.namePrefix))?.state).toBe('ALARM');
    expect(world.calls('aws').map((call) => call.exitCode)).toEqual([254, 0]);
  }, 60_000);
});
