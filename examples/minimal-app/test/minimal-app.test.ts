import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { readTerraformJson } from '@monitored/terraform-json';
import { checkStack, formatFinding } from '@monitored/terraform-policy';
import { buildMinimalApp, readZip, type MinimalStack } from '../app';
import { POLICY_DAY, SETTINGS, synthesizeExample, type SynthesizedExample } from './synthesized';

type Resource = Record<string, unknown>;
interface Json {
  resource: Record<string, Record<string, Resource>>;
  output: Record<string, { value: string }>;
}

let example: SynthesizedExample;
let json: Json;
let stack: MinimalStack;

beforeAll(() => {
  example = synthesizeExample();
  stack = example.stack;
  json = JSON.parse(fs.readFileSync(example.stackFile, 'utf8')) as Json;
});

afterAll(() => fs.rmSync(example.workdir, { recursive: true, force: true }));

const only = (type: string): Resource => {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};
const ref = (type: string, attribute: string) =>
  `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;
/** Each asset path of the canaries, as Terraform reads it: relative to the written stack. */
const writtenAssets = () =>
  new Map(
    Object.values(json.resource.aws_synthetics_canary).map((canary) => [
      String(canary.zip_file),
      path.join(example.stackDir, String(canary.zip_file)),
    ]),
  );
const alarmNamed = (name: string) =>
  Object.values(json.resource.aws_cloudwatch_metric_alarm).find(
    (alarm) => alarm.alarm_name === name,
  );

describe('the minimal app, synthesized', () => {
  it('runs one API canary against the function URL, every 5 minutes with a retry', () => {
    expect(only('aws_synthetics_canary')).toMatchObject({
      name: 'minimal-dev-api',
      handler: 'api.handler',
      start_canary: true,
      schedule: { expression: 'rate(5 minutes)', retry_config: { max_retries: 1 } },
      run_config: {
        environment_variables: { API_URL: ref('aws_lambda_function_url', 'function_url') },
      },
    });
  });

  it('runs the function on Node.js 22 with JSON logs, under the permissions boundary', () => {
    expect(only('aws_lambda_function')).toMatchObject({
      function_name: 'minimal-dev-api',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      logging_config: { log_format: 'JSON' },
    });
    const roles = Object.values(json.resource.aws_iam_role);
    expect(roles.map((role) => role.permissions_boundary)).toEqual([
      SETTINGS.permissionsBoundary,
      SETTINGS.permissionsBoundary,
    ]);
  });

  it("alarms when the canary's journey fails after its retry, on its topic", () => {
    const failing = alarmNamed('minimal-dev-api-journey-failing');
    expect(failing).toMatchObject({
      namespace: 'CloudWatchSynthetics',
      metric_name: 'SuccessPercentWithRetries',
      dimensions: { CanaryName: ref('aws_synthetics_canary', 'name') },
      statistic: 'Average',
      comparison_operator: 'LessThanThreshold',
      threshold: 100,
      period: 300,
      alarm_actions: [ref('aws_sns_topic', 'arn')],
    });
    expect(alarmNamed('minimal-dev-function-errors')).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: ref('aws_lambda_function', 'function_name') },
    });
    expect(only('aws_sns_topic_subscription').endpoint).toBe('ops@example.com');
  });

  it('pages through one composite: the journey failing, or the canary not running unless it was deployed recently', () => {
    const topic = ref('aws_sns_topic', 'arn');
    const notRunning = alarmNamed('minimal-dev-api-canary-not-running');
    expect(notRunning).toMatchObject({
      metric_name: 'SuccessPercentWithRetries',
      statistic: 'SampleCount',
      treat_missing_data: 'breaching',
      period: 300,
    });
    // It is in ALARM before a new canary's first run: it says nothing by itself.
    expect(notRunning).not.toHaveProperty('alarm_actions');
    expect(alarmNamed('minimal-dev-api-canary-broken')).toMatchObject({
      metric_name: 'Failed',
      alarm_actions: [topic],
      ok_actions: [topic],
    });
    expect(alarmNamed('minimal-dev-deploy-in-progress')).toMatchObject({
      namespace: 'minimal-dev',
      metric_name: 'DeployInProgress',
      statistic: 'Sum',
      alarm_actions: [topic],
    });
    // The first run within 5 minutes and its run and retry (2 × 30 s), and 5 minutes' margin.
    const deployedRecently = alarmNamed('minimal-dev-deployed-recently');
    expect(deployedRecently).toMatchObject({
      namespace: 'minimal-dev',
      metric_name: 'DeployInProgress',
      statistic: 'SampleCount',
      period: 60,
      evaluation_periods: 11,
      datapoints_to_alarm: 1,
      treat_missing_data: 'notBreaching',
    });
    expect(deployedRecently).not.toHaveProperty('alarm_actions');
    expect(only('aws_cloudwatch_composite_alarm')).toMatchObject({
      alarm_name: 'minimal-dev-site-down',
      alarm_rule:
        'ALARM("minimal-dev-api-journey-failing") OR ((ALARM("minimal-dev-api-canary-not-running")) AND NOT ALARM("minimal-dev-deployed-recently"))',
      // Quiet while a deploy holds its alarm, and for the canary's next run and retry after.
      actions_suppressor: {
        alarm: 'minimal-dev-deploy-in-progress',
        wait_period: 60,
        extension_period: 420,
      },
      alarm_actions: [topic],
      ok_actions: [topic],
    });
  });

  it('passes every policy rule: checkStack over the written stack and its assets finds nothing', () => {
    const findings = checkStack(readTerraformJson(example.stackDir), {
      assetSources: writtenAssets(),
      readZip,
      today: POLICY_DAY,
    });

    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('would not pass without the composite: "not running" and "deployed recently" would be heard by nobody', () => {
    const withoutComposite = readTerraformJson(example.stackDir);
    delete (withoutComposite.resource as Record<string, unknown>).aws_cloudwatch_composite_alarm;

    const findings = checkStack(withoutComposite, {
      assetSources: writtenAssets(),
      readZip,
      today: POLICY_DAY,
    });

    const unheard = (id: string) =>
      expect.stringMatching(new RegExp(`^aws_cloudwatch_metric_alarm\\.paging_${id}_`));
    expect(findings.map(({ level, rule, address }) => ({ level, rule, address }))).toEqual([
      { level: 'error', rule: 'alarm-actions', address: unheard('api-canary-not-running') },
      {
        level: 'error',
        rule: 'canary-not-running-grace',
        address: unheard('api-canary-not-running'),
      },
      { level: 'error', rule: 'alarm-actions', address: unheard('deployed-recently') },
    ]);
  });

  it('runs the policy checks at synth: an alarm that notifies nobody fails it', () => {
    const app = buildMinimalApp(
      SETTINGS,
      { functionZip: example.functionZip, canaryZip: example.canaryZip },
      { outdir: path.join(example.workdir, 'broken.out') },
    );
    const broken = app.node.findChild(SETTINGS.namePrefix) as MinimalStack;
    new CloudwatchMetricAlarm(broken, 'unheard', {
      alarmName: 'minimal-dev-unheard',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: broken.function.function.functionName },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    });

    expect(() => app.synth()).toThrow(/\[alarm-actions\] aws_cloudwatch_metric_alarm\.unheard/);
  });

  it('draws the journey and the function errors with their alarm thresholds on one dashboard', () => {
    const dashboard = only('aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('minimal-dev-health');
    const titles = stack.dashboard.body.widgets.map(
      (widget) => (widget.properties as { title?: string }).title,
    );
    expect(titles).toEqual(['Alarms', 'API journey: success %', 'Function errors']);
    // The alarms that notify, the one that pages first.
    const arnOf = (type: string, name: string) =>
      `\${${type}.${Object.entries(json.resource[type]).find(([, alarm]) => alarm.alarm_name === name)?.[0]}.arn}`;
    const body = JSON.parse(String(dashboard.dashboard_body)) as {
      widgets: { properties: { alarms?: string[] } }[];
    };
    expect(body.widgets[0].properties.alarms).toEqual([
      arnOf('aws_cloudwatch_composite_alarm', 'minimal-dev-site-down'),
      arnOf('aws_cloudwatch_metric_alarm', 'minimal-dev-api-journey-failing'),
      arnOf('aws_cloudwatch_metric_alarm', 'minimal-dev-api-canary-broken'),
      arnOf('aws_cloudwatch_metric_alarm', 'minimal-dev-function-errors'),
    ]);
    const journey = stack.dashboard.body.widgets[1].properties as {
      metrics: unknown[][];
      annotations: { horizontal: { value: number; label: string }[] };
    };
    expect(journey.metrics[0].slice(0, 3)).toEqual([
      'CloudWatchSynthetics',
      'SuccessPercentWithRetries',
      'CanaryName',
    ]);
    expect(journey.annotations.horizontal[0]).toMatchObject({
      value: 100,
      label: 'alarm: minimal-dev-api-journey-failing',
    });
  });
});
