// @tier e2e
/**
 * `npm run deploy-alarm` run as a deployer runs it, with the real AWS CLI, against a stand-in for
 * CloudWatch's endpoint backed by the local metric store; the stage's own deploy alarm, as
 * synthesized, evaluated by the local engine over what the commands sent.
 */
import { METRICS } from '../../stacks/monitoring/catalogue';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlarmEngine, MetricStore } from '@monitored/cloudwatch-local';
import { loadStageDefinitions } from '../../local/monitoring/stage-definitions';
import { readSums } from '../../scripts/deploy-alarm';
import { STAGES, stageConfigs } from '../../stacks/config';
import { wholeMinute } from '@monitored/cloudwatch-model';
import {
  cliEnvironment,
  startCloudWatchEndpoint,
  type CloudWatchEndpoint,
} from '../support/cloudwatch-endpoint';
import { runScript } from '../support/processes';
import { TEST_TODAY } from '../support/synth';

const USAGE = 'Usage: npm run deploy-alarm -- <dev|prod> <set|clear> [--reason "why"] [--dry-run]';
const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });
const MINUTE = 60_000;
const iso = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A PATH with node and no `aws`. */
function pathWithoutAws(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-alarm-'));
  dirs.push(dir);
  fs.symlinkSync(process.execPath, path.join(dir, 'node'));
  return dir;
}

describe('npm run deploy-alarm --dry-run', () => {
  it.each(STAGES)(
    'prints, for %s set, the read and the hold: +1 at the current minute, in the region and metric of the stage',
    async (stage) => {
      const before = wholeMinute(Date.now());
      const { code, output } = await runScript('deploy-alarm', [stage, 'set', '--dry-run']);
      const after = wholeMinute(Date.now());

      expect(code).toBe(0);
      const [read, send, ...rest] = output.trimEnd().split('\n');
      expect(rest).toEqual([]);
      const minute = /"Timestamp":"([^"]+)"/.exec(send)?.[1] ?? '';
      expect([iso(before), iso(after)]).toContain(minute);
      const at = Date.parse(minute);
      expect(read).toBe(
        `aws cloudwatch get-metric-statistics --region ${configs[stage].region} --namespace msgs-${stage} --metric-name DeployInProgress ` +
          `--start-time ${iso(at - 4 * 60 * MINUTE)} --end-time ${iso(at + MINUTE)} --period 60 --statistics Sum --output json`,
      );
      expect(send).toBe(
        `aws cloudwatch put-metric-data --region ${configs[stage].region} --namespace msgs-${stage} --metric-data ` +
          `'[{"MetricName":"DeployInProgress","Timestamp":"${minute}","Value":1,"Unit":"Count"}]'`,
      );
    },
  );

  it('prints, for clear, the read and what it sends for each minute the read returns', async () => {
    const { code, output } = await runScript('deploy-alarm', ['prod', 'clear', '--dry-run']);

    expect(code).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^aws cloudwatch get-metric-statistics --region us-east-1 /);
    expect(lines[1]).toBe(
      '# then, for each minute it returns whose Sum is not 0, that minute with the opposite value, and a 0 at the current minute (the end of the deploy), e.g.:',
    );
    expect(lines[2]).toMatch(
      /^# aws cloudwatch put-metric-data --region us-east-1 --namespace msgs-prod --metric-data '\[\{"MetricName":"DeployInProgress",[^}]*"Value":-1,"Unit":"Count"\},\{"MetricName":"DeployInProgress",[^}]*"Value":0,"Unit":"Count"\}\]'$/,
    );
  });
});

describe('npm run deploy-alarm with the AWS CLI', () => {
  let store: MetricStore;
  let endpoint: CloudWatchEndpoint;
  let env: NodeJS.ProcessEnv;
  const alarmsOfDev = (...names: string[]) =>
    loadStageDefinitions('dev', { today: TEST_TODAY }).metricAlarms.filter((alarm) =>
      names.includes(alarm.name),
    );
  let deployAlarms: ReturnType<typeof alarmsOfDev>;
  beforeAll(() => {
    deployAlarms = alarmsOfDev('msgs-dev-deploy-in-progress', 'msgs-dev-deployed-recently');
  });

  beforeEach(async () => {
    store = new MetricStore({ catalogue: METRICS });
    endpoint = await startCloudWatchEndpoint(store);
    env = cliEnvironment(endpoint);
  });
  afterEach(() => endpoint.close());

  /**
   * dev's deploy alarm (or its "deployed recently" alarm) as the stack defines it, created now, in
   * the state of its next evaluation.
   */
  const stateOfANewAlarm = (name = 'msgs-dev-deploy-in-progress') => {
    const createdAt = Date.now();
    const engine = new AlarmEngine({
      store,
      accountId: '000000000000',
      metricAlarms: deployAlarms,
      compositeAlarms: [],
      createdAt,
    });
    engine.evaluate(wholeMinute(createdAt) + MINUTE);
    return engine.status(name).state;
  };

  it("holds the deploy alarm before the stage's first deploy has created it: created afterwards, it is in ALARM", async () => {
    const { code, output } = await runScript(
      'deploy-alarm',
      ['dev', 'set', '--reason', 'Deploying abc123; $(rm -rf /) "quoted"'],
      env,
    );

    expect(code).toBe(0);
    expect(output).toMatch(
      /^msgs-dev-deploy-in-progress \(us-west-2\) held from \d\d:\d\d UTC: in ALARM within about a minute \(or once this deploy creates it\), until `npm run deploy-alarm -- dev clear` or \d\d:\d\d UTC\. Reason: Deploying abc123; \$\(rm -rf \/\) "quoted"\n$/,
    );
    expect(endpoint.calls.map((call) => call.operation)).toEqual([
      'GetMetricStatistics',
      'PutMetricData',
    ]);
    expect(stateOfANewAlarm()).toBe('ALARM');
  });

  it('releases it: OK at the next evaluation, and a later hold counts alone', async () => {
    await runScript('deploy-alarm', ['dev', 'set'], env);

    const released = await runScript('deploy-alarm', ['dev', 'clear'], env);
    const afterRelease = stateOfANewAlarm();
    await runScript('deploy-alarm', ['dev', 'set'], env);
    const heldAgain = stateOfANewAlarm();

    expect(released.code).toBe(0);
    expect(released.output).toMatch(
      /^msgs-dev-deploy-in-progress \(us-west-2\) released \(the hold taken at \d\d:\d\d UTC\): OK within about a minute; the deploy's end marked for msgs-dev-deployed-recently\.\n$/,
    );
    expect(afterRelease).toBe('OK');
    expect(heldAgain).toBe('ALARM');
  });

  it('leaves the deployed-recently alarm in ALARM after a release: a released deploy is recent', async () => {
    await runScript('deploy-alarm', ['dev', 'set'], env);
    await runScript('deploy-alarm', ['dev', 'clear'], env);

    expect(stateOfANewAlarm()).toBe('OK');
    expect(stateOfANewAlarm('msgs-dev-deployed-recently')).toBe('ALARM');
  });

  it('reads the time stamps of a CLI that prints them as ISO 8601 (v2 does by default) as well', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-config-'));
    dirs.push(dir);
    const config = path.join(dir, 'config');
    fs.writeFileSync(config, '[default]\ncli_timestamp_format = iso8601\n');
    const iso8601 = cliEnvironment(endpoint, config);
    await runScript('deploy-alarm', ['dev', 'set'], iso8601);

    const released = await runScript('deploy-alarm', ['dev', 'clear'], iso8601);

    expect(released.code).toBe(0);
    expect(released.output).toContain('released (the hold taken at ');
    expect(stateOfANewAlarm()).toBe('OK');
  });

  it('says so when nothing is held, and still marks the end of the deploy (a hold that ended by itself, or one not yet readable)', async () => {
    expect(stateOfANewAlarm('msgs-dev-deployed-recently')).toBe('OK');

    const { code, output } = await runScript('deploy-alarm', ['dev', 'clear'], env);

    expect(code).toBe(0);
    expect(output).toBe(
      "msgs-dev-deploy-in-progress (us-west-2): no hold in the last 2 hours, nothing to release; the deploy's end marked for msgs-dev-deployed-recently.\n",
    );
    expect(endpoint.calls.map((call) => call.operation)).toEqual([
      'GetMetricStatistics',
      'PutMetricData',
    ]);
    expect(stateOfANewAlarm()).toBe('OK');
    expect(stateOfANewAlarm('msgs-dev-deployed-recently')).toBe('ALARM');
  });

  it('exits 1 with the AWS error when AWS refuses', async () => {
    endpoint.refuse(
      'PutMetricData',
      'AccessDenied',
      'User is not authorized to perform: cloudwatch:PutMetricData',
    );

    const { code, output } = await runScript('deploy-alarm', ['dev', 'set'], env);

    expect(code).toBe(1);
    expect(output).toContain('deploy-alarm: aws exited with ');
    expect(output).toContain('(AccessDenied) when calling the PutMetricData operation');
    expect(output).toContain('aws cloudwatch put-metric-data --region us-west-2');
  });
});

describe('npm run deploy-alarm without the AWS CLI, or with bad arguments', () => {
  it('exits 1 naming the AWS CLI when it is not on PATH, with the command to run where it is', async () => {
    const { code, output } = await runScript('deploy-alarm', ['dev', 'set'], {
      PATH: pathWithoutAws(),
    });
    expect(code).toBe(1);
    expect(output).toContain('the AWS CLI (aws) is not on PATH');
    expect(output).toContain('aws cloudwatch get-metric-statistics --region us-west-2');
  });

  it.each([
    ['no arguments', [], 'no stage given'],
    ['an unknown stage', ['staging', 'set'], 'unknown stage "staging"'],
    ['no action', ['dev'], 'no action given'],
    ['an unknown action', ['dev', 'toggle'], 'unknown action "toggle"'],
    ['an extra argument', ['dev', 'set', 'now'], 'unexpected argument "now"'],
    ['an unknown option', ['dev', 'set', '--force'], "Unknown option '--force'"],
    ['an empty reason', ['dev', 'set', '--reason', ' '], '--reason must be 1 to 1023 characters'],
    [
      'a reason over 1,023 characters',
      ['dev', 'set', '--reason', 'x'.repeat(1024)],
      '--reason must be 1 to 1023 characters',
    ],
  ])('exits 2 with the usage line for %s, before calling AWS', async (_case, args, problem) => {
    const { code, output } = await runScript('deploy-alarm', args, { PATH: pathWithoutAws() });
    expect(code).toBe(2);
    expect(output).toContain(problem);
    expect(output).toContain(USAGE);
    expect(output).not.toContain('AWS CLI');
  });
});

describe("reading get-metric-statistics' answer", () => {
  it('takes each datapoint as either CLI prints it (ISO 8601 in v2, epoch seconds in v1), in any order', () => {
    expect(
      readSums(
        JSON.stringify({
          Label: 'DeployInProgress',
          Datapoints: [
            { Timestamp: '2026-11-28T10:05:00+00:00', Sum: -1.0, Unit: 'Count' },
            { Timestamp: Date.UTC(2026, 10, 28, 10, 3) / 1000, Sum: 1.0, Unit: 'Count' },
          ],
        }),
      ),
    ).toEqual([
      { timestamp: Date.UTC(2026, 10, 28, 10, 5), sum: -1 },
      { timestamp: Date.UTC(2026, 10, 28, 10, 3), sum: 1 },
    ]);
  });

  it.each([
    ['text that is not JSON', 'An error', /its answer is not JSON: An error/],
    ['no Datapoints list', '{"Label":"x"}', /no Datapoints list/],
    [
      'a datapoint without a Sum',
      '{"Datapoints":[{"Timestamp":"2026-11-28T10:03:00Z","Maximum":1}]}',
      /a datapoint has no Timestamp and Sum: \{"Timestamp"/,
    ],
  ])('refuses %s, saying what it got', (_case, answer, why) => {
    expect(() => readSums(answer)).toThrow(why);
  });
});
