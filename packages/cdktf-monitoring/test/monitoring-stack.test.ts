import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  AlarmTopic,
  CanaryGroup,
  canaryAlarms,
  Dashboard,
  deployAlarm,
  pagingComposite,
  physicalName,
  tableAlarms,
  thresholdAlarm,
  thresholdLine,
} from '@monitored/cdktf-monitoring';
import {
  FULL_WIDTH,
  LAMBDA,
  metric,
  SYNTHETICS,
  deployInProgressMetric,
  type Threshold,
} from '@monitored/cloudwatch-model';

// A small stack built only from the package's exports: one canary in a group, its alarms, a
// service alarm, the deploy alarm, the paging composite, an alarm topic and a dashboard.

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Json {
  resource: Resources;
  data?: Resources;
}

const PREFIX = 'shop-test';
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/shop-boundary`;

const base = (metricSpec: Threshold['metric']) => ({
  metric: metricSpec,
  periodSeconds: 300,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  why: 'test',
});
const thresholds = {
  journeyFailing: {
    ...base(SYNTHETICS.successPercent),
    statistic: 'Average',
    comparison: 'LessThanThreshold',
    threshold: 100,
    treatMissingData: 'notBreaching',
    broke: 'The journey failed.',
    checkFirst: 'the failed run',
  },
  notRunning: {
    ...base(SYNTHETICS.successPercent),
    statistic: 'SampleCount',
    comparison: 'LessThanThreshold',
    threshold: 1,
    treatMissingData: 'breaching',
    broke: 'The canary has not run.',
    checkFirst: "the canary's state",
  },
  broken: {
    ...base(SYNTHETICS.failed),
    statistic: 'Sum',
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    treatMissingData: 'notBreaching',
    broke: 'The canary could not run.',
    checkFirst: "the canary's log",
  },
} satisfies Record<string, Threshold>;
const hold: Threshold = {
  ...base(deployInProgressMetric(PREFIX)),
  periodSeconds: 60,
  evaluationPeriods: 120,
  statistic: 'Sum',
  comparison: 'GreaterThanOrEqualToThreshold',
  threshold: 1,
  treatMissingData: 'notBreaching',
  broke: 'A deploy holds the stage.',
  checkFirst: 'whether a deploy runs',
};
const slow: Threshold = {
  ...base(LAMBDA.duration),
  statistic: 'p99',
  comparison: 'GreaterThanThreshold',
  threshold: 2000,
  treatMissingData: 'notBreaching',
  broke: 'Slow.',
  checkFirst: 'the slowest requests',
};

let workdir: string;
let json: Json;
let body: Dashboard['body'];

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-monitoring-'));
  const zipFile = path.join(workdir, 'journey.zip');
  fs.writeFileSync(zipFile, 'not really a zip: the asset only copies it');
  const stack = new TerraformStack(Testing.app({ outdir: workdir }), 'test');
  new AwsProvider(stack, 'aws', { region: REGION });

  const group = new CanaryGroup(stack, 'canaries', {
    namePrefix: PREFIX,
    region: REGION,
    accountId: ACCOUNT,
    runtime: 'syn-nodejs-puppeteer-13.0',
    retentionDays: 14,
    permissionsBoundary: BOUNDARY,
    canaries: {
      checkout: {
        name: physicalName(PREFIX, 'checkout', 'canary'),
        bundle: { zipFile, handler: 'checkout.handler' },
        schedule: {
          expression: 'rate(5 minutes)',
          maxRetries: 1,
          timeoutSeconds: 60,
          memoryMb: 960,
        },
        environment: { SHOP_URL: 'https://shop.example.com' },
      },
    },
  });
  const topic = new AlarmTopic(stack, 'topic', {
    namePrefix: PREFIX,
    region: REGION,
    accountId: ACCOUNT,
    emails: ['ops@example.com'],
    deployRoleArn: `arn:aws:iam::${ACCOUNT}:role/shop-deploy`,
  });
  const destination = { region: REGION, topicArn: topic.topic.arn };
  const name = (what: string) => physicalName(PREFIX, what, 'cloudwatchAlarm');
  const checkout = canaryAlarms(stack, {
    canary: group.byName.checkout,
    thresholds,
    ids: { journeyFailing: 'failing', notRunning: 'not-running', broken: 'broken' },
    names: {
      journeyFailing: name('checkout-failing'),
      notRunning: name('checkout-not-running'),
      broken: name('checkout-broken'),
    },
    links: { journeyFailing: ['Runbook: https://example.com/a'], notRunning: [], broken: [] },
    destination,
  });
  const slowAlarm = thresholdAlarm(stack, 'slow', {
    name: name('function-slow'),
    metric: metric(LAMBDA.duration, { FunctionName: 'shop-test-api' }),
    threshold: slow,
    destination,
    links: [],
  });
  const deploy = deployAlarm(stack, 'deploy', {
    name: name('deploy-in-progress'),
    threshold: hold,
    description: 'A deploy holds the stage.',
    destination,
  });
  const recently = thresholdAlarm(stack, 'recently', {
    name: name('deployed-recently'),
    metric: metric(hold.metric, {}),
    threshold: { ...hold, statistic: 'SampleCount' },
    destination,
    links: [],
    notifies: false,
  });
  pagingComposite(stack, 'paging', {
    name: name('site-down'),
    description: 'The shop is down.',
    alerting: [checkout.journeyFailing, slowAlarm],
    guarded: { alarms: [checkout.notRunning], unless: recently },
    suppressor: {
      alarm: deploy,
      name: name('deploy-in-progress'),
      waitSeconds: 60,
      extensionSeconds: 600,
    },
    destination,
  });
  const dashboard = new Dashboard(stack, 'dashboard', {
    name: physicalName(PREFIX, 'health', 'cloudwatchDashboard'),
    widgets: [
      {
        type: 'metric',
        title: 'checkout',
        region: REGION,
        period: 300,
        rows: [{ metric: checkout.journeyFailing.metric }],
        thresholds: thresholdLine(checkout.journeyFailing),
        width: FULL_WIDTH,
        height: 6,
      },
    ],
  });
  body = dashboard.body;
  json = JSON.parse(Testing.synth(stack)) as Json;
});

afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

const only = (type: string) => {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};
const alarmNamed = (alarmName: string) =>
  Object.values(json.resource.aws_cloudwatch_metric_alarm).find(
    (alarm) => alarm.alarm_name === alarmName,
  ) as Record<string, unknown>;
const refOf = (type: string, attribute: string) =>
  `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;

describe('CanaryGroup', () => {
  it('starts the canary on its schedule, with its retries, runtime and environment', () => {
    const canary = only('aws_synthetics_canary');
    expect(canary).toMatchObject({
      name: 'shop-test-checkout',
      runtime_version: 'syn-nodejs-puppeteer-13.0',
      handler: 'checkout.handler',
      start_canary: true,
      delete_lambda: true,
      schedule: { expression: 'rate(5 minutes)', retry_config: { max_retries: 1 } },
      run_config: {
        timeout_in_seconds: 60,
        memory_in_mb: 960,
        environment_variables: { SHOP_URL: 'https://shop.example.com' },
      },
      success_retention_period: 14,
      failure_retention_period: 14,
    });
    expect(canary.artifact_s3_location).toBe(
      `s3://${refOf('aws_s3_bucket', 'bucket')}/shop-test-checkout/`,
    );
  });

  it("gives the role the permissions boundary and only its canaries' log groups", () => {
    expect(only('aws_iam_role').permissions_boundary).toBe(BOUNDARY);
    const policy = JSON.parse(String(only('aws_iam_role_policy').policy)) as {
      Statement: { Sid: string; Resource: unknown }[];
    };
    expect(policy.Statement.find((s) => s.Sid === 'WriteRunLogs')?.Resource).toEqual([
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/cwsyn-shop-test-checkout-*`,
    ]);
  });

  it("names the canary's log group from its engine ARN, with the retention", () => {
    const group = only('aws_cloudwatch_log_group');
    expect(group.retention_in_days).toBe(14);
    expect(group.name).toBe(
      `/aws/lambda/\${element(split(":", ${refOf('aws_synthetics_canary', 'engine_arn').slice(2, -1)}), 6)}`,
    );
  });

  it('expires the artifacts after the retention, in a bucket that refuses plain HTTP', () => {
    expect(only('aws_s3_bucket').bucket_prefix).toBe('shop-test-canary-artifacts-');
    const lifecycle = only('aws_s3_bucket_lifecycle_configuration') as {
      rule: { expiration: { days: number }[] }[];
    };
    expect(lifecycle.rule[0].expiration[0].days).toBe(14);
    const policy = JSON.parse(String(only('aws_s3_bucket_policy').policy)) as {
      Statement: { Sid: string; Effect: string }[];
    };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }),
    );
  });
});

describe('AlarmTopic', () => {
  it('encrypts the topic with its own rotated key that CloudWatch may use', () => {
    const key = only('aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    const statements = (JSON.parse(String(key.policy)) as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    expect(only('aws_sns_topic')).toMatchObject({
      name: 'shop-test-alarms',
      kms_master_key_id: refOf('aws_kms_key', 'arn'),
    });
  });

  it("lets only this prefix's alarms of the account publish, and subscribes the emails", () => {
    const policy = JSON.parse(String(only('aws_sns_topic_policy').policy)) as {
      Statement: { Condition: unknown }[];
    };
    expect(policy.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:shop-test-*` },
    });
    expect(only('aws_sns_topic_subscription')).toMatchObject({
      protocol: 'email',
      endpoint: 'ops@example.com',
    });
  });
});

describe('alarm sets', () => {
  const topicArn = () => refOf('aws_sns_topic', 'arn');

  it("watches the canary's metrics on its CanaryName dimension", () => {
    expect(alarmNamed('shop-test-checkout-failing')).toMatchObject({
      namespace: 'CloudWatchSynthetics',
      metric_name: 'SuccessPercent',
      dimensions: { CanaryName: refOf('aws_synthetics_canary', 'name') },
      statistic: 'Average',
      comparison_operator: 'LessThanThreshold',
      threshold: 100,
      period: 300,
      treat_missing_data: 'notBreaching',
      alarm_actions: [topicArn()],
      ok_actions: [topicArn()],
    });
    expect(alarmNamed('shop-test-checkout-broken').metric_name).toBe('Failed');
  });

  it('says what broke, what to check first, and the links, in the description', () => {
    expect(alarmNamed('shop-test-checkout-failing').alarm_description).toBe(
      'The journey failed. Check first: the failed run. Runbook: https://example.com/a',
    );
  });

  it('leaves "not running" without actions: it pages through the composite', () => {
    const notRunning = alarmNamed('shop-test-checkout-not-running');
    expect(notRunning.treat_missing_data).toBe('breaching');
    expect(notRunning.alarm_actions).toBeUndefined();
    expect(notRunning.ok_actions).toBeUndefined();
  });

  it('puts a percentile in extended_statistic', () => {
    const slowAlarm = alarmNamed('shop-test-function-slow');
    expect(slowAlarm.extended_statistic).toBe('p99');
    expect(slowAlarm.statistic).toBeUndefined();
  });

  it('builds the deploy alarm on the hold metric, without dimensions', () => {
    const deploy = alarmNamed('shop-test-deploy-in-progress');
    expect(deploy).toMatchObject({
      namespace: PREFIX,
      statistic: 'Sum',
      period: 60,
      evaluation_periods: 120,
      alarm_actions: [topicArn()],
    });
    expect(deploy.dimensions).toBeUndefined();
  });

  it('pages on the alerting alarms, and on the guarded ones unless deployed recently, suppressed by the deploy alarm', () => {
    const composite = only('aws_cloudwatch_composite_alarm');
    expect(composite.alarm_rule).toBe(
      'ALARM("shop-test-checkout-failing") OR ALARM("shop-test-function-slow") OR ' +
        '((ALARM("shop-test-checkout-not-running")) AND NOT ALARM("shop-test-deployed-recently"))',
    );
    expect(composite.actions_suppressor).toEqual({
      alarm: 'shop-test-deploy-in-progress',
      wait_period: 60,
      extension_period: 600,
    });
    expect(composite.alarm_actions).toEqual([topicArn()]);
    expect((composite.depends_on as string[]).length).toBe(5);
  });

  it('refuses at synth a description longer than AWS takes', () => {
    const stack = new TerraformStack(Testing.app({ outdir: workdir }), 'long');
    new AwsProvider(stack, 'aws', { region: REGION });
    expect(() =>
      deployAlarm(stack, 'deploy', {
        name: 'x',
        threshold: hold,
        description: 'x'.repeat(1025),
        destination: { region: REGION, topicArn: 'arn:aws:sns:eu-west-1:123456789012:t' },
      }),
    ).toThrow(/alarm description can be 1025 characters; AWS takes 1024/);
  });
});

describe('Dashboard', () => {
  it('writes the laid-out body, with the alarm threshold drawn on the graph', () => {
    const dashboard = only('aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('shop-test-health');
    expect(body.widgets[0]).toMatchObject({ type: 'metric', x: 0, y: 0, width: FULL_WIDTH });
    const properties = body.widgets[0].properties as {
      annotations: { horizontal: { value: number; label: string }[] };
    };
    expect(properties.annotations.horizontal).toEqual([
      expect.objectContaining({ value: 100, label: 'alarm: shop-test-checkout-failing' }),
    ]);
    expect(JSON.parse(String(dashboard.dashboard_body))).toMatchObject({
      widgets: [expect.objectContaining({ type: 'metric' })],
    });
  });
});

describe('tableAlarms', () => {
  const synthTable = () => {
    const stack = new TerraformStack(Testing.app({ outdir: workdir }), 'table');
    new AwsProvider(stack, 'aws', { region: REGION });
    const other = new AwsProvider(stack, 'aws-us', { alias: 'us', region: 'us-east-1' });
    const home = { region: REGION, topicArn: 'arn:aws:sns:eu-west-1:123456789012:home' };
    const built = tableAlarms(stack, {
      table: { slow, errors: { ...slow, statistic: 'Sum', threshold: 0 } },
      alarms: [
        {
          key: 'errors',
          suffix: 'GetItem',
          metric: metric(LAMBDA.errors, { FunctionName: 'a' }),
          links: [],
        },
        {
          key: 'errors',
          suffix: 'PutItem',
          metric: metric(LAMBDA.errors, { FunctionName: 'b' }),
          links: [],
        },
        {
          key: 'slow',
          metric: metric(LAMBDA.duration, { FunctionName: 'a' }),
          links: [],
          threshold: { ...slow, threshold: 4000 },
          destination: {
            region: 'us-east-1',
            topicArn: 'arn:aws:sns:us-east-1:123456789012:us',
            provider: other,
          },
        },
      ],
      name: (key, suffix) => `shop-${key}${suffix}`,
      destination: home,
    });
    const alarms = Object.values(
      (JSON.parse(Testing.synth(stack)) as Json).resource.aws_cloudwatch_metric_alarm,
    );
    return { built, alarms };
  };

  it("builds one alarm per entry, named by its row and suffix, on the row's threshold", () => {
    const { alarms } = synthTable();
    expect(alarms.map((alarm) => [alarm.alarm_name, alarm.threshold, alarm.statistic])).toEqual([
      ['shop-errorsGetItem', 0, 'Sum'],
      ['shop-errorsPutItem', 0, 'Sum'],
      ['shop-slow', 4000, undefined],
    ]);
  });

  it("sends an entry with its own destination to that region's topic, through its provider", () => {
    const { alarms } = synthTable();
    expect(alarms[0].alarm_actions).toEqual(['arn:aws:sns:eu-west-1:123456789012:home']);
    expect(alarms[2].alarm_actions).toEqual(['arn:aws:sns:us-east-1:123456789012:us']);
    expect(alarms[2].provider).toBe('aws.us');
  });

  it("keeps each row's first alarm by its key", () => {
    const { built } = synthTable();
    expect(built.byKey.errors?.name).toBe('shop-errorsGetItem');
    expect(built.all).toHaveLength(3);
  });
});
