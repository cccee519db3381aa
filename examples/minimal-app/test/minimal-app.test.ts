import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
// The example's build step, stood in for by the repository's deterministic zip writer.
import { writeZip } from '../../../bundling/zip';
import { buildMinimalApp, MinimalStack, type MinimalAppSettings } from '../app';

type Resource = Record<string, unknown>;
interface Json {
  resource: Record<string, Record<string, Resource>>;
  output: Record<string, { value: string }>;
}

const SETTINGS: MinimalAppSettings = {
  namePrefix: 'minimal-dev',
  region: 'eu-central-1',
  permissionsBoundary: 'arn:aws:iam::123456789012:policy/minimal-boundary',
  deployRoleArn: 'arn:aws:iam::123456789012:role/minimal-deploy',
  alertEmails: ['ops@example.com'],
  canarySchedule: {
    expression: 'rate(5 minutes)',
    maxRetries: 1,
    timeoutSeconds: 30,
    memoryMb: 960,
  },
};

let workdir: string;
let json: Json;
let stack: MinimalStack;

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimal-app-'));
  const source = (file: string) => fs.readFileSync(path.join(__dirname, '..', file));
  const functionZip = path.join(workdir, 'function.zip');
  const canaryZip = path.join(workdir, 'canary.zip');
  writeZip(functionZip, [{ name: 'index.js', data: source('function/index.cjs') }]);
  writeZip(canaryZip, [{ name: 'nodejs/node_modules/api.js', data: source('canary/api.cjs') }]);
  const app = buildMinimalApp(SETTINGS, { functionZip, canaryZip }, { outdir: workdir });
  stack = app.node.findChild(SETTINGS.namePrefix) as MinimalStack;
  json = JSON.parse(Testing.synth(stack)) as Json;
});

afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

const only = (type: string): Resource => {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};
const ref = (type: string, attribute: string) =>
  `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;
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

  it('draws the journey and the function errors with their alarm thresholds on one dashboard', () => {
    const dashboard = only('aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('minimal-dev-health');
    const titles = stack.dashboard.body.widgets.map(
      (widget) => (widget.properties as { title?: string }).title,
    );
    expect(titles).toEqual(['Alarms', 'API journey: success %', 'Function errors']);
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
