// @tier e2e
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  AuthorizationErrorException,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  type ListSubscriptionsByTopicCommandOutput,
} from '@aws-sdk/client-sns';
import {
  DescribeCanariesCommand as DescribeCanaries,
  GetCanaryRunsCommand as GetCanaryRuns,
  SyntheticsClient,
  SyntheticsServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-synthetics';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { runStatus } from '../../scripts/status';
import { awsClients } from '../../tools/status/stage-health';
import { stageConfigs } from '../../stacks/config';
import {
  deployAlarmName,
  deployedRecentlyAlarmName,
  siteDownAlarmName,
  alarmName,
} from '../../stacks/monitoring/names';
import { stageNames } from '../../stacks/shared/stage-names';
import { lockKey, stateKey } from '../../stacks/state/state-backend';
import { runScript } from '../support/processes';
import {
  canary,
  canaryRuns,
  compositeAlarm,
  describeAlarms,
  describeCanaries,
  metricAlarm,
  minutesAgo,
  NOW,
  run,
  stateObject,
  subscription,
  subscriptions,
  topicArn,
} from '../tools/status/answers';

const prod = stageConfigs({ alertEmails: { dev: [], prod: [] } }).prod;
const names = stageNames(prod.namePrefix);
const TOPIC = topicArn(prod.region, prod.namePrefix);
const WEBSITE = names.canary('website');
const API = names.canary('api');
const DEPLOY_ALARM = deployAlarmName(prod.namePrefix);
const SITE_DOWN = siteDownAlarmName(prod.namePrefix);
const API_FAILING = alarmName(prod.namePrefix, 'api-journey-failing');
const BUCKET = 'msgs-tfstate-0123456789abcdef';
const OUTPUTS = {
  website_url: 'https://d111111abcdef8.cloudfront.net',
  api_url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
  table_name: 'msgs-prod-messages',
};

// @aws-sdk/client-synthetics is served here only at 3.669.0, built on an older @smithy/types than
// the other clients and aws-sdk-client-mock: its classes are mocked alike at run time, but their
// types do not match the mock's, so its client and commands go through these casts. The answers
// keep the SDK's own types (./status/answers.ts).
const synthetics = mockClient(SyntheticsClient as never) as unknown as AwsStub<
  object,
  { $metadata: ListSubscriptionsByTopicCommandOutput['$metadata'] },
  object
>;
const DescribeCanariesCommand = DescribeCanaries as never;
const GetCanaryRunsCommand = GetCanaryRuns as never;
const cloudwatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);

/** A prod stage where everything is well: both canaries running and passing, every alarm OK. */
function healthyStage(): void {
  synthetics.on(DescribeCanariesCommand).resolves(describeCanaries([canary(WEBSITE), canary(API)]));
  synthetics
    .on(GetCanaryRunsCommand)
    .resolves(canaryRuns([run(API, 'PASSED', 12), run(API, 'PASSED', 6), run(API, 'RUNNING', 0)]));
  cloudwatch.on(DescribeAlarmsCommand).resolves(
    describeAlarms(
      [
        metricAlarm(API_FAILING, TOPIC),
        metricAlarm(DEPLOY_ALARM, TOPIC, 'INSUFFICIENT_DATA', {
          StateReason: 'Unchecked: Initial alarm creation',
        }),
      ],
      [compositeAlarm(SITE_DOWN, TOPIC)],
    ),
  );
  sns
    .on(ListSubscriptionsByTopicCommand)
    .resolves(subscriptions([subscription(TOPIC, 'oncall@example.com', true)]));
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: stateKey('prod') }).resolves(stateObject(OUTPUTS));
  s3.on(HeadObjectCommand, { Bucket: BUCKET, Key: lockKey('prod') }).rejects(
    new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'Not Found' }),
  );
}

/** Runs status for prod with the mocked clients; returns its exit code and what it printed. */
async function status(args: string[] = ['prod']): Promise<{ code: number; output: string }> {
  let output = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
  try {
    const code = await runStatus(args, awsClients({ maxAttempts: 1 }), () => NOW);
    return { code, output };
  } finally {
    write.mockRestore();
  }
}

const saved = { bucket: process.env.TF_STATE_BUCKET, region: process.env.TF_STATE_REGION };
beforeEach(() => {
  for (const mock of [synthetics, cloudwatch, sns, s3]) mock.reset();
  process.env.TF_STATE_BUCKET = BUCKET;
  delete process.env.TF_STATE_REGION;
  healthyStage();
});
afterAll(() => {
  for (const mock of [synthetics, cloudwatch, sns, s3]) mock.restore();
  if (saved.bucket === undefined) delete process.env.TF_STATE_BUCKET;
  else process.env.TF_STATE_BUCKET = saved.bucket;
  if (saved.region !== undefined) process.env.TF_STATE_REGION = saved.region;
});

describe('npm run status -- <stage>', () => {
  it('exits 0 and shows every part of a healthy stage', async () => {
    const { code, output } = await status();
    expect(code).toBe(0);
    expect(output).not.toContain('!!');
    expect(output).toContain(`ok ${API}: RUNNING, rate(6 minutes), syn-nodejs-puppeteer-15.0`);
    expect(output).toContain(
      `ok ${API}: last runs, newest first: RUNNING 2026-11-28 12:00Z, PASSED 2026-11-28 11:54Z, PASSED 2026-11-28 11:48Z`,
    );
    expect(output).toContain(`ok ${DEPLOY_ALARM} INSUFFICIENT_DATA`);
    expect(output).toContain(`ok oncall@example.com (email, ${TOPIC}): confirmed`);
    expect(output).toContain(`Outputs (s3://${BUCKET}/${stateKey('prod')})`);
    for (const value of Object.values(OUTPUTS)) expect(output).toContain(value);
    expect(output).toContain('ok not locked');
    expect(output).toMatch(/Healthy: nothing needs attention\.\n$/);
  });

  it("reads only, asking each service in the stage region for the stage's own names", async () => {
    await status();
    expect(synthetics.commandCalls(DescribeCanariesCommand)[0].args[0].input).toEqual({
      Names: [WEBSITE, API],
    });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toMatchObject({
      AlarmNamePrefix: `${prod.namePrefix}-`,
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    expect(
      sns.commandCalls(ListSubscriptionsByTopicCommand).map((call) => call.args[0].input),
    ).toEqual([{ TopicArn: TOPIC, NextToken: undefined }]);
    const regions = await Promise.all(
      [...synthetics.calls(), ...cloudwatch.calls(), ...sns.calls()].map((call) =>
        (call.thisValue as { config: { region: () => Promise<string> } }).config.region(),
      ),
    );
    expect(new Set(regions)).toEqual(new Set([prod.region]));
    const commands = [synthetics, cloudwatch, sns, s3].flatMap((mock) =>
      mock.calls().map((call) => (call.args[0] as object).constructor.name),
    );
    expect(new Set(commands)).toEqual(
      new Set([
        'DescribeCanariesCommand',
        'GetCanaryRunsCommand',
        'DescribeAlarmsCommand',
        'ListSubscriptionsByTopicCommand',
        'GetObjectCommand',
        'HeadObjectCommand',
      ]),
    );
  });

  it('says an email subscription pending confirmation drops every alarm, and exits 1', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolves(
        subscriptions([
          subscription(TOPIC, 'oncall@example.com', true),
          subscription(TOPIC, 'new@example.com', false),
        ]),
      );
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(`!! new@example.com (email, ${TOPIC}): pending confirmation`);
    expect(output).toContain(
      'SNS sends it nothing, every alarm included, until the link in the "AWS Notification - Subscription Confirmation" email is clicked',
    );
    expect(output).toContain('1 thing needs attention');
  });

  it('reads every page of subscriptions', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: undefined })
      .resolves(subscriptions([subscription(TOPIC, 'a@example.com', true)], 'page-2'));
    sns
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: 'page-2' })
      .resolves(subscriptions([subscription(TOPIC, 'b@example.com', false)]));
    const { output } = await status();
    expect(output).toContain('ok a@example.com');
    expect(output).toContain('!! b@example.com');
  });

  it('says a topic nobody is subscribed to reaches no one', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves(subscriptions([]));
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(
      `!! ${TOPIC}: nobody is subscribed, so its alarms reach no one (set ALERT_EMAILS_PROD and deploy)`,
    );
  });

  it('flags a canary in ERROR with its reason, one STOPPED, and a failed last run', async () => {
    synthetics
      .on(DescribeCanariesCommand)
      .resolves(
        describeCanaries([
          canary(WEBSITE, 'ERROR', 'Execution role is missing permissions'),
          canary(API, 'STOPPED'),
        ]),
      );
    synthetics
      .on(GetCanaryRunsCommand, { Name: API })
      .resolves(
        canaryRuns([
          run(API, 'PASSED', 20),
          run(API, 'FAILED', 8, 'Step count-rose failed: expected 4, got 3'),
        ]),
      );
    synthetics.on(GetCanaryRunsCommand, { Name: WEBSITE }).resolves(canaryRuns([]));
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(`!! ${WEBSITE}: ERROR (Execution role is missing permissions)`);
    expect(output).toContain(`.. ${WEBSITE}: no run yet`);
    expect(output).toContain(`!! ${API}: STOPPED`);
    expect(output).toContain(
      `!! ${API}: last runs, newest first: FAILED 2026-11-28 11:52Z, PASSED 2026-11-28 11:40Z`,
    );
    expect(output).toContain('last failure (8 min ago): Step count-rose failed: expected 4, got 3');
    expect(output).toContain('3 things need attention');
  });

  it('says a canary that does not exist is missing', async () => {
    synthetics.on(DescribeCanariesCommand).resolves(describeCanaries([canary(WEBSITE)]));
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(`!! ${API}: no such canary in ${prod.region}`);
  });

  it('flags the deploy alarm left in ALARM, with how long and the command that releases it', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(
      describeAlarms(
        [
          metricAlarm(DEPLOY_ALARM, TOPIC, 'ALARM', {
            StateReason: 'Deploying 4f2a in https://github.com/o/r/actions/runs/1',
            StateUpdatedTimestamp: minutesAgo(180),
          }),
        ],
        [compositeAlarm(SITE_DOWN, TOPIC, 'OK', { ActionsSuppressedBy: 'Alarm' })],
      ),
    );
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(
      `!! ${DEPLOY_ALARM} ALARM since 2026-11-28 09:00Z (3 h ago): Deploying 4f2a in https://github.com/o/r/actions/runs/1`,
    );
    expect(output).toContain(`while it is in ALARM, ${SITE_DOWN} pages nobody`);
    expect(output).toContain('if no deploy of prod is running: npm run deploy-alarm -- prod clear');
    expect(output).toContain(`.. ${SITE_DOWN}: its actions are held back (Alarm)`);
  });

  it('flags an alarm in ALARM and one whose actions are disabled; notes those waiting for data', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(
      describeAlarms(
        [
          metricAlarm(API_FAILING, TOPIC, 'ALARM', { StateUpdatedTimestamp: minutesAgo(4) }),
          metricAlarm(alarmName(prod.namePrefix, 'function-errors'), TOPIC, 'OK', {
            ActionsEnabled: false,
          }),
          metricAlarm(
            alarmName(prod.namePrefix, 'website-canary-not-running'),
            TOPIC,
            'INSUFFICIENT_DATA',
          ),
          metricAlarm(DEPLOY_ALARM, TOPIC),
        ],
        [compositeAlarm(SITE_DOWN, TOPIC, 'ALARM')],
      ),
    );
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(
      `!! ${API_FAILING} ALARM since 2026-11-28 11:56Z (4 min ago): Threshold Crossed`,
    );
    expect(output).toContain(`!! ${SITE_DOWN} (composite) ALARM`);
    expect(output).toContain(
      `!! ${prod.namePrefix}-function-errors: its actions are disabled, so it notifies nobody (aws cloudwatch enable-alarm-actions --region us-east-1 --alarm-names ${prod.namePrefix}-function-errors)`,
    );
    expect(output).toContain(
      `.. 1 INSUFFICIENT_DATA (no data yet, or not enough): ${prod.namePrefix}-website-canary-not-running`,
    );
    expect(output).toContain('3 things need attention');
  });

  it('notes, without flagging, the deployed-recently alarm in ALARM after a deploy', async () => {
    const deployedRecently = deployedRecentlyAlarmName(prod.namePrefix);
    cloudwatch.on(DescribeAlarmsCommand).resolves(
      describeAlarms(
        [
          metricAlarm(deployedRecently, TOPIC, 'ALARM', {
            StateUpdatedTimestamp: minutesAgo(20),
          }),
          metricAlarm(DEPLOY_ALARM, TOPIC),
        ],
        [compositeAlarm(SITE_DOWN, TOPIC)],
      ),
    );

    const { code, output } = await status();

    expect(code).toBe(0);
    expect(output).toContain(`.. ${deployedRecently} ALARM since 2026-11-28 11:40Z (20 min ago)`);
    expect(output).toContain(
      `a deploy was held or released lately: until this ends, a canary that has not run yet does not page through ${SITE_DOWN}`,
    );
    expect(output).not.toContain(`!! ${deployedRecently}`);
  });

  it('reads every page of alarms', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand, { NextToken: undefined })
      .resolves(describeAlarms([metricAlarm(API_FAILING, TOPIC)], [], 'next'));
    cloudwatch
      .on(DescribeAlarmsCommand, { NextToken: 'next' })
      .resolves(describeAlarms([metricAlarm(DEPLOY_ALARM, TOPIC, 'ALARM')]));
    const { output } = await status();
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(2);
    expect(output).toContain(`!! ${DEPLOY_ALARM} ALARM`);
  });

  it('says a stage with no alarms and no canaries is not deployed there', async () => {
    synthetics.on(DescribeCanariesCommand).resolves(describeCanaries([]));
    cloudwatch.on(DescribeAlarmsCommand).resolves(describeAlarms([]));
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({
        $metadata: { httpStatusCode: 404 },
        message: 'The specified key does not exist.',
      }),
    );
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(
      `!! no alarm named ${prod.namePrefix}-* in us-east-1 (is the stage deployed, in this account?)`,
    );
    expect(output).toContain(`!! ${DEPLOY_ALARM}: not found in us-east-1`);
    expect(output).toContain(
      `!! nothing at s3://${BUCKET}/${stateKey('prod')}: not deployed with this state`,
    );
    expect(sns.calls()).toHaveLength(0);
  });

  it('flags a held state lock with its age and the runbook section', async () => {
    s3.on(HeadObjectCommand).resolves({
      $metadata: { httpStatusCode: 200 },
      LastModified: minutesAgo(95),
      ContentLength: 212,
    });
    const { code, output } = await status();
    expect(code).toBe(1);
    expect(output).toContain(`State lock (s3://${BUCKET}/${lockKey('prod')})`);
    expect(output).toContain('!! locked since 2026-11-28 10:25Z (95 min ago)');
    expect(output).toContain('clear it as docs/runbook.md says ("A stuck state lock")');
  });

  it('reads the outputs from a cdktf outputs file instead, and the local state without a bucket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'status-'));
    try {
      const file = path.join(dir, 'outputs.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ prod: { website_url: 'https://from-the-file.example' } }),
      );
      const fromFile = await status(['prod', '--outputs-file', file]);
      expect(fromFile.output).toContain(`Outputs (${file})`);
      expect(fromFile.output).toContain('website_url  https://from-the-file.example');
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);

      delete process.env.TF_STATE_BUCKET;
      const local = await status(['prod']);
      expect(local.output).toMatch(/Outputs \(.*terraform\.prod\.tfstate\)/);
      expect(local.output).not.toContain('State lock');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('says plainly which call failed and why, never a stack trace', () => {
    it('access denied, per service', async () => {
      synthetics.on(DescribeCanariesCommand).rejects(
        new SyntheticsServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: `User: arn:aws:sts::123456789012:assumed-role/msgs-deploy-prod/GitHubActions is not authorized to perform: synthetics:DescribeCanaries`,
        }),
      );
      sns.on(ListSubscriptionsByTopicCommand).rejects(
        new AuthorizationErrorException({
          $metadata: { httpStatusCode: 403 },
          message: 'User is not authorized to perform: SNS:ListSubscriptionsByTopic',
        }),
      );
      s3.on(GetObjectCommand).rejects(
        new S3ServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'Access Denied',
        }),
      );
      const { code, output } = await status();
      expect(code).toBe(1);
      expect(output).toContain(
        `!! unknown: Synthetics.DescribeCanaries in us-east-1: access denied (AccessDeniedException): User: arn:aws:sts::123456789012:assumed-role/msgs-deploy-prod/GitHubActions is not authorized to perform: synthetics:DescribeCanaries. The credentials in use need this read permission`,
      );
      expect(output).toContain(
        `!! unknown: SNS.ListSubscriptionsByTopic ${TOPIC}: access denied (AuthorizationErrorException)`,
      );
      expect(output).toContain(
        `!! unknown: S3.GetObject s3://${BUCKET}/${stateKey('prod')}: access denied (AccessDenied): Access Denied. The credentials in use need this read permission (without s3:ListBucket on the bucket, S3 also answers 403 for an object that does not exist)`,
      );
      expect(output).not.toMatch(/\n\s+at /);
    });

    it('throttling after the retries: Throttling from CloudWatch, TooManyRequestsException from Synthetics', async () => {
      cloudwatch.on(DescribeAlarmsCommand).rejects(
        new CloudWatchServiceException({
          name: 'Throttling',
          $fault: 'client',
          $metadata: { httpStatusCode: 400, attempts: 5 },
          message: 'Rate exceeded',
        }),
      );
      synthetics.on(GetCanaryRunsCommand).rejects(
        new TooManyRequestsException({
          $metadata: { httpStatusCode: 429, attempts: 5 },
          message: 'Too Many Requests',
        }),
      );
      const { code, output } = await status();
      expect(code).toBe(1);
      expect(output).toContain(
        '!! unknown: CloudWatch.DescribeAlarms in us-east-1 was throttled by AWS (Throttling) after 5 attempts; try again in a minute',
      );
      expect(output).toContain(
        `!! unknown: Synthetics.GetCanaryRuns ${API} in us-east-1 was throttled by AWS (TooManyRequestsException) after 5 attempts`,
      );
      // The deploy alarm and the emails depend on the alarms: said once, counted once.
      expect(output).toContain('.. unknown: the alarms could not be read (above)');
      expect(output).toContain('3 things need attention');
    });
  });

  it('refuses a stage it does not know, or a bad TF_STATE_REGION, with exit 2 and the usage line', async () => {
    const unknown = await runScript('status', ['staging']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('Which stage? "staging" is none of dev, prod');
    expect(unknown.output).toContain('Usage: npm run status -- <dev|prod> [--outputs-file PATH]');
    const region = await runScript('status', ['prod'], { TF_STATE_REGION: 'Oregon' });
    expect(region.code).toBe(2);
    expect(region.output).toContain('TF_STATE_REGION: "Oregon" is not an AWS region');
    const flag = await runScript('status', ['prod', '--verbose']);
    expect(flag.code).toBe(2);
  });
});
