// @tier e2e
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageConfigs } from '../../../../stacks/config';
import { holdExpiresAt, wholeMinute } from '@monitored/cloudwatch-model';
import { deployAlarmName } from '../../../../stacks/monitoring/names';
import { synthStage } from '../../../support/synth';
import { aws, cliTimestamp, OPERATIONS, parseCliTimestamp } from './aws';
import { installFakes, type Fakes } from './install';
import { FakeTerraform } from './terraform';
import { World } from './world';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const dev = stageConfigs({ alertEmails: { dev: [], prod: [] } }).dev;
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAFAKE', AWS_SECRET_ACCESS_KEY: 'secret' };
const ROLE = 'arn:aws:iam::123456789012:role/msgs-deploy-dev';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (time: number) => new Date(time).toISOString();

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
  world.addSession('ASIAFAKE', { role: ROLE, sessionName: 's', subject: 'x' });
  fakes = installFakes(path.join(folder, 'fakes'), world);
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

const run = (...args: string[]) => aws(args, CREDENTIALS, world);
const inDev = (...args: string[]) => run(...args, '--region', dev.region);

/** put-metric-data of `values` at `times` (ms), as one request. */
function put(namespace: string, name: string, points: [number, number][], unit = 'Count') {
  return inDev(
    'cloudwatch',
    'put-metric-data',
    '--namespace',
    namespace,
    '--metric-data',
    JSON.stringify(
      points.map(([time, value]) => ({
        MetricName: name,
        Timestamp: iso(time),
        Value: value,
        Unit: unit,
      })),
    ),
  );
}

/** get-metric-statistics of `name`, Sum, from `start` to `end`, as the deploy-alarm script asks. */
function statistics(name: string, start: number, end: number, ...extra: string[]) {
  return inDev(
    'cloudwatch',
    'get-metric-statistics',
    '--namespace',
    'msgs-dev',
    '--metric-name',
    name,
    '--start-time',
    iso(start),
    '--end-time',
    iso(end),
    '--period',
    '60',
    '--statistics',
    'Sum',
    '--output',
    'json',
    ...extra,
  );
}

describe('the fake AWS CLI', () => {
  it('fails a command it does not know as the CLI does (252), naming what it knows', () => {
    const result = run('cloudwatch', 'delete-alarms', '--alarm-names', 'x');
    expect(result.code).toBe(252);
    expect(result.stderr).toMatch(/Invalid choice 'delete-alarms'/);
    expect(result.stderr).toContain('cloudwatch get-metric-statistics');
    expect(run('cloudwatch', 'set-alarm-state', '--alarm-name', 'x').code).toBe(252);
  });

  it('fails an unknown or missing option with 252, a missing region or credentials with 253', () => {
    const args = [
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      'msgs-dev',
      '--metric-name',
      'DeployInProgress',
      '--start-time',
      '2026-11-28T10:00:00Z',
      '--end-time',
      '2026-11-28T11:00:00Z',
      '--period',
      '60',
      '--statistics',
      'Sum',
    ];
    expect(run(...args, '--stat', 'Sum').stderr).toMatch(/Unknown options: --stat/);
    expect(run(...args.slice(0, -4), '--statistics', 'Sum')).toMatchObject({
      code: 252,
      stderr: expect.stringMatching(/aws: error: the following arguments are required: --period/),
    });
    expect(run(...args)).toMatchObject({
      code: 253,
      stderr: expect.stringMatching(/must specify a region/),
    });
    expect(aws([...args, '--region', dev.region], {}, world)).toMatchObject({
      code: 253,
      stderr: expect.stringMatching(/Unable to locate credentials/),
    });
  });

  it('has a row for each command, each with its API name', () => {
    for (const [command, operation] of Object.entries(OPERATIONS)) {
      expect({ command, api: /^[A-Z][A-Za-z0-9]+$/.test(operation.api) }).toEqual({
        command,
        api: true,
      });
    }
  });

  it('reads, lists and deletes S3 objects', () => {
    world.createBucket('b');
    world.putObject('b', 'msgs/dev.tfstate.tflock', '{"ID":"1"}');
    expect(run('s3', 'cp', 's3://b/msgs/dev.tfstate.tflock', '-')).toMatchObject({
      code: 0,
      stdout: '{"ID":"1"}',
    });
    expect(run('s3api', 'list-objects-v2', '--bucket', 'b').stdout).toContain(
      'msgs/dev.tfstate.tflock',
    );
    expect(run('s3', 'rm', 's3://b/msgs/dev.tfstate.tflock').code).toBe(0);
    expect(
      run('s3api', 'head-object', '--bucket', 'b', '--key', 'msgs/dev.tfstate.tflock').code,
    ).toBe(254);
    expect(run('s3', 'cp', 's3://b/msgs/dev.tfstate.tflock', '-').code).toBe(1);
  });
});

describe('the fake CLI reads time stamps as the CLI does, and prints them as CLI v2 does', () => {
  it.each([
    ['2026-11-28T10:03:00Z', Date.UTC(2026, 10, 28, 10, 3)],
    ['2026-11-28T10:03:00.500Z', Date.UTC(2026, 10, 28, 10, 3, 0, 500)],
    ['2026-11-28T11:03:00+01:00', Date.UTC(2026, 10, 28, 10, 3)],
    ['2026-11-28T10:03:00', Date.UTC(2026, 10, 28, 10, 3)],
    ['2026-11-28', Date.UTC(2026, 10, 28)],
    ['1795860180', Date.UTC(2026, 10, 28, 10, 3)],
  ])('takes %s', (text, time) => {
    expect(parseCliTimestamp(text)).toBe(time);
  });

  it.each(['yesterday', '28/11/2026', '2026-11-28 10:03', ''])('refuses %j', (text) => {
    expect(parseCliTimestamp(text)).toBeUndefined();
  });

  it("prints Python's isoformat() of the runner's zone, UTC", () => {
    expect(cliTimestamp(Date.UTC(2026, 10, 28, 10, 3))).toBe('2026-11-28T10:03:00+00:00');
    expect(cliTimestamp(Date.UTC(2026, 10, 28, 10, 3, 0, 250))).toBe(
      '2026-11-28T10:03:00.250000+00:00',
    );
  });
});

describe('cloudwatch put-metric-data', () => {
  it('records each datum with its time stamp and unit, when it was received and who sent it', () => {
    const minute = wholeMinute(world.now());
    expect(put('msgs-dev', 'DeployInProgress', [[minute, 1]]).code).toBe(0);
    expect(
      inDev(
        'cloudwatch',
        'put-metric-data',
        '--namespace',
        'Msgs/Other',
        '--metric-name',
        'Held',
        '--value',
        '2',
        '--dimensions',
        'Stage=dev',
      ).code,
    ).toBe(0);
    const [hold, other] = world.cloudwatch(dev.region).metricPuts;
    expect(hold).toMatchObject({
      namespace: 'msgs-dev',
      sentBy: ROLE,
      data: [
        { name: 'DeployInProgress', value: 1, unit: 'Count', timestamp: minute, dimensions: {} },
      ],
    });
    expect(hold.receivedAt).toBeGreaterThanOrEqual(minute);
    // Without a Timestamp, "the time the metric data was received"; without a Unit, None.
    expect(other.data).toEqual([
      {
        name: 'Held',
        value: 2,
        unit: 'None',
        timestamp: other.receivedAt,
        dimensions: { Stage: 'dev' },
      },
    ]);
  });

  it('refuses what the CLI refuses (252) and what CloudWatch refuses (254), recording nothing', () => {
    const now = world.now();
    const send = (metricData: string) =>
      inDev(
        'cloudwatch',
        'put-metric-data',
        '--namespace',
        'msgs-dev',
        '--metric-data',
        metricData,
      );
    expect(send('[{"MetricName":"X",')).toMatchObject({
      code: 252,
      stderr: expect.stringMatching(/^\nError parsing parameter '--metric-data': Invalid JSON: /),
    });
    expect(send('[{"Value":1}]')).toMatchObject({
      code: 252,
      stderr:
        '\nParameter validation failed:\nMissing required parameter in MetricData[0]: "MetricName"\n',
    });
    expect(send('[{"MetricName":"X","Value":"one"}]').stderr).toContain(
      "Invalid type for parameter MetricData[0].Value, value: one, type: <class 'str'>",
    );
    expect(send('[{"MetricName":"X","Value":1,"Timestamp":"notatime"}]').stderr).toContain(
      'Invalid type for parameter MetricData[0].Timestamp, value: notatime',
    );
    expect(send('[{"MetricName":"X","Value":1,"Unit":"Bananas"}]')).toMatchObject({
      code: 254,
      stderr: expect.stringContaining('(InvalidParameterValue)'),
    });
    // "as much as two weeks before the current date, and as much as 2 hours after".
    expect(put('msgs-dev', 'X', [[now - 15 * 24 * HOUR, 1]]).code).toBe(254);
    expect(put('msgs-dev', 'X', [[now + 3 * HOUR, 1]]).code).toBe(254);
    expect(put('msgs-dev', 'X', [[now - 13 * 24 * HOUR, 1]]).code).toBe(0);
    expect(put('AWS/Lambda', 'Errors', [[now, 1]]).code).toBe(254);
    expect(world.cloudwatch(dev.region).metricPuts).toHaveLength(1);
  });
});

describe('cloudwatch get-metric-statistics', () => {
  it('answers, in the shape CLI v2 prints, the Sum of each minute with data, stamped at its start', () => {
    const minute = wholeMinute(world.now()) - 10 * MINUTE;
    // A hold, its release in the same minute, and two holds in one minute.
    put('msgs-dev', 'DeployInProgress', [[minute, 1]]);
    put('msgs-dev', 'DeployInProgress', [[minute, -1]]);
    put('msgs-dev', 'DeployInProgress', [
      [minute + 3 * MINUTE, 1],
      [minute + 3 * MINUTE + 20_000, 1],
    ]);
    put('msgs-dev', 'Other', [[minute + 4 * MINUTE, 1]]);
    const result = statistics('DeployInProgress', minute - 60 * MINUTE, minute + 10 * MINUTE);
    expect(result.code).toBe(0);
    // CLI v2's JSON: four spaces, Label then Datapoints, Doubles printed as Python floats.
    expect(result.stdout).toBe(
      `${[
        '{',
        '    "Label": "DeployInProgress",',
        '    "Datapoints": [',
        '        {',
        `            "Timestamp": "${cliTimestamp(minute + 3 * MINUTE)}",`,
        '            "Sum": 2.0,',
        '            "Unit": "Count"',
        '        },',
        '        {',
        `            "Timestamp": "${cliTimestamp(minute)}",`,
        '            "Sum": 0.0,',
        '            "Unit": "Count"',
        '        }',
        '    ]',
        '}',
      ].join('\n')}\n`,
    );
  });

  it('stamps periods from the start time, as the CLI reference example does (:18 with an hour)', () => {
    const hour = Math.floor(world.now() / HOUR) * HOUR;
    const start = hour - 5 * HOUR + 18 * MINUTE;
    put('msgs-dev', 'Load', [
      [start + 5 * MINUTE, 2],
      [start + 50 * MINUTE, 4],
      [start + 2 * HOUR + 59 * MINUTE, 7],
    ]);
    const answer = JSON.parse(
      inDev(
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'msgs-dev',
        '--metric-name',
        'Load',
        '--start-time',
        iso(start + 30_000),
        '--end-time',
        iso(start + 4 * HOUR),
        '--period',
        '3600',
        '--statistics',
        'Maximum',
        'SampleCount',
      ).stdout,
    ) as { Datapoints: { Timestamp: string; SampleCount: number; Maximum: number }[] };
    expect(answer.Datapoints.map((d) => [d.Timestamp, d.SampleCount, d.Maximum]).sort()).toEqual([
      [cliTimestamp(start), 2, 4],
      [cliTimestamp(start + 2 * HOUR), 1, 7],
    ]);
  });

  it('keeps apart what has other dimensions or, when asked for, another unit', () => {
    const minute = wholeMinute(world.now()) - MINUTE;
    put('msgs-dev', 'DeployInProgress', [[minute, 1]]);
    put('msgs-dev', 'DeployInProgress', [[minute, 5]], 'None');
    inDev(
      'cloudwatch',
      'put-metric-data',
      '--namespace',
      'msgs-dev',
      '--metric-data',
      JSON.stringify([
        {
          MetricName: 'DeployInProgress',
          Dimensions: [{ Name: 'Stage', Value: 'dev' }],
          Timestamp: iso(minute),
          Value: 9,
        },
      ]),
    );
    const sums = (...extra: string[]) =>
      (
        JSON.parse(statistics('DeployInProgress', minute, minute + MINUTE, ...extra).stdout) as {
          Datapoints: { Sum: number; Unit: string }[];
        }
      ).Datapoints.map((d) => `${d.Sum} ${d.Unit}`).sort();
    expect(sums()).toEqual(['1 Count', '5 None']);
    expect(sums('--unit', 'Count')).toEqual(['1 Count']);
    expect(sums('--dimensions', 'Name=Stage,Value=dev')).toEqual(['9 None']);
  });

  it('refuses what the CLI refuses (252) and what CloudWatch refuses (254)', () => {
    const now = wholeMinute(world.now());
    const ask = (...change: string[]) => {
      const args = [
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'msgs-dev',
        '--metric-name',
        'DeployInProgress',
        '--start-time',
        iso(now - HOUR),
        '--end-time',
        iso(now),
        '--period',
        '60',
        '--statistics',
        'Sum',
      ];
      for (let at = 0; at < change.length; at += 2) {
        const index = args.indexOf(change[at]);
        if (change[at + 1] === '') args.splice(index, 2);
        else args[index + 1] = change[at + 1];
      }
      return inDev(...args);
    };
    expect(ask('--period', 'abc')).toEqual({
      code: 252,
      stdout: '',
      stderr: "\ninvalid literal for int() with base 10: 'abc'\n",
    });
    expect(ask('--period', '0').stderr).toBe(
      '\nParameter validation failed:\nInvalid value for parameter Period, value: 0, valid min value: 1\n',
    );
    expect(ask('--start-time', 'yesterday')).toMatchObject({
      code: 252,
      stderr: expect.stringContaining(
        "Invalid type for parameter StartTime, value: yesterday, type: <class 'str'>",
      ),
    });
    const service = (result: { code: number; stderr: string }) =>
      result.code === 254
        ? /An error occurred \((\w+)\) when calling the GetMetricStatistics operation/.exec(
            result.stderr,
          )?.[1]
        : `exit ${result.code}`;
    expect(service(ask('--statistics', ''))).toBe('InvalidParameterCombination');
    expect(service(ask('--statistics', 'Total'))).toBe('InvalidParameterValue');
    expect(service(ask('--period', '90'))).toBe('InvalidParameterValue');
    expect(service(ask('--start-time', iso(now)))).toBe('InvalidParameterValue');
    // "The maximum number of data points returned from a single call is 1,440."
    expect(service(ask('--start-time', iso(now - 1440 * MINUTE)))).toBe('exit 0');
    expect(ask('--start-time', iso(now - 1441 * MINUTE)).stderr).toContain(
      'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440.',
    );
  });
});

describe('the deploy alarm in the fake account, held and released by npm run deploy-alarm', () => {
  const name = deployAlarmName(dev.namePrefix);
  let alarmConfig: Record<string, unknown>;

  beforeAll(() => {
    alarmConfig =
      synthStage('dev')
        .all('aws_cloudwatch_metric_alarm')
        .find((alarm) => alarm.alarm_name === name) ?? {};
  });

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

  /** Terraform creating the alarm as the dev stack declares it. */
  async function createAlarm(): Promise<void> {
    const stackDir = path.join(folder, 'stack');
    fs.mkdirSync(stackDir);
    fs.writeFileSync(
      path.join(stackDir, 'cdk.tf.json'),
      JSON.stringify({
        provider: { aws: [{ region: dev.region }] },
        resource: { aws_cloudwatch_metric_alarm: { deploy_in_progress: alarmConfig } },
      }),
    );
    const terraform = new FakeTerraform(world, '1.14.9', stackDir, CREDENTIALS);
    expect((await terraform.run(['init'])).code).toBe(0);
    expect((await terraform.run(['apply', '-auto-approve'])).code).toBe(0);
  }

  /** The alarm's StateValue as `aws cloudwatch describe-alarms` answers at the world's time. */
  function state(): string | undefined {
    const answer = JSON.parse(
      inDev('cloudwatch', 'describe-alarms', '--alarm-names', name).stdout,
    ) as { MetricAlarms: { StateValue: string }[] };
    return answer.MetricAlarms[0]?.StateValue;
  }

  it('counts a hold taken before the alarm existed, and is OK from the evaluation after the release', async () => {
    const set = deployAlarm('dev', 'set', '--reason', 'rehearsal');
    expect({ status: set.status, stderr: set.stderr }).toEqual({ status: 0, stderr: '' });
    expect(world.calls('aws').map((call) => [call.args[1], call.exitCode])).toEqual([
      ['get-metric-statistics', 0],
      ['put-metric-data', 0],
    ]);
    expect(state()).toBeUndefined();

    await createAlarm();
    expect(world.alarm(dev.region, name)?.rule).toMatchObject({
      namespace: 'msgs-dev',
      metricName: 'DeployInProgress',
      treatMissingData: 'notBreaching',
    });
    expect(state()).toBe('INSUFFICIENT_DATA');
    world.advanceClock(MINUTE);
    expect(state()).toBe('ALARM');

    const clear = deployAlarm('dev', 'clear');
    expect(clear.stdout).toMatch(/released \(the hold taken at \d\d:\d\d UTC\)/);
    const [hold, release] = world.cloudwatch(dev.region).metricPuts;
    // The hold cancelled at its own minute, then the end-of-deploy 0 at the release's minute.
    expect(release.data.map((d) => [d.timestamp, d.value])).toEqual([
      ...hold.data.map((d) => [d.timestamp, -d.value]),
      [expect.any(Number), 0],
    ]);
    world.advanceClock(MINUTE);
    expect(state()).toBe('OK');
  }, 60_000);

  it('ends a hold nobody releases by itself, about 2 hours after it was taken', async () => {
    await createAlarm();
    expect(deployAlarm('dev', 'set').status).toBe(0);
    const [hold] = world.cloudwatch(dev.region).metricPuts;
    const taken = hold.data[0].timestamp;
    world.advanceClock(MINUTE);
    expect(state()).toBe('ALARM');
    world.advanceClockTo(holdExpiresAt(taken) - MINUTE);
    expect(state()).toBe('ALARM');
    world.advanceClockTo(holdExpiresAt(taken) + 5 * MINUTE);
    expect(state()).toBe('OK');
    // Nothing released it: the datum is still there, too old for the alarm.
    expect(world.cloudwatch(dev.region).metricPuts).toHaveLength(1);
  }, 60_000);
});
