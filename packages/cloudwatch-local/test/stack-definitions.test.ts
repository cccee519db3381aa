import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  StackDefinitionsError,
  canaryFunctionName,
  loadStackDefinitions,
  readStackDefinitions,
  type SynthesizedAwsStack,
} from '@monitored/cloudwatch-local';

// Hand-written Terraform JSON writes a nested block as a list of one; cdktf writes an object.
const STACK: SynthesizedAwsStack = {
  provider: {
    aws: [{ region: 'eu-west-1' }, { alias: 'global', region: 'us-east-1' }],
  },
  resource: {
    aws_synthetics_canary: {
      checkout: {
        name: 'shop-checkout',
        schedule: [{ expression: 'rate(10 minutes)', retry_config: [{ max_retries: 1 }] }],
      },
      home: {
        name: 'shop-home',
        schedule: { expression: 'rate(1 hour)' },
        run_config: { timeout_in_seconds: 60, memory_in_mb: 1024 },
      },
    },
    aws_sns_topic: { alerts: { name: 'alerts', provider: 'aws.global' } },
    aws_sns_topic_subscription: {
      mail: { topic_arn: '${aws_sns_topic.alerts.arn}', protocol: 'email', endpoint: 'a@shop' },
      hook: { topic_arn: '${aws_sns_topic.alerts.arn}', protocol: 'https', endpoint: 'https://x' },
    },
    aws_cloudwatch_log_group: {
      app: { name: '/shop/app', retention_in_days: 14 },
      forever: { name: '/shop/audit' },
    },
    aws_cloudwatch_composite_alarm: {
      page: {
        alarm_name: 'shop-page',
        alarm_rule: 'ALARM("a") OR ALARM("b")',
        provider: 'aws.global',
        actions_suppressor: [{ alarm: 'deploying', wait_period: 120, extension_period: 60 }],
      },
    },
    aws_cloudwatch_dashboard: {
      main: {
        dashboard_name: 'shop',
        dashboard_body: '${jsonencode({"widgets" = []})}',
      },
    },
  },
};

describe('readStackDefinitions', () => {
  const definitions = readStackDefinitions(STACK, { stage: 'shop' });

  it("takes the default provider's region, and each resource its own provider's", () => {
    expect(definitions.region).toBe('eu-west-1');
    expect(definitions.topics.map((topic) => topic.region)).toEqual(['us-east-1']);
    expect(definitions.compositeAlarms[0].region).toBe('us-east-1');
  });

  it('reads a canary’s schedule from a block written as a list or an object, with the defaults', () => {
    expect(definitions.canaries).toEqual([
      {
        name: 'shop-checkout',
        // No run_config: the timeout is the interval, up to 840 s (aws_synthetics_canary).
        schedule: {
          expression: 'rate(10 minutes)',
          maxRetries: 1,
          timeoutSeconds: 600,
          memoryMb: 960,
        },
        logGroupName: `/aws/lambda/${canaryFunctionName('shop-checkout')}`,
      },
      {
        name: 'shop-home',
        schedule: { expression: 'rate(1 hour)', maxRetries: 0, timeoutSeconds: 60, memoryMb: 1024 },
        logGroupName: `/aws/lambda/${canaryFunctionName('shop-home')}`,
      },
    ]);
  });

  it('gives a topic the endpoints of its email subscriptions only', () => {
    expect(definitions.topics).toEqual([
      {
        arn: 'arn:aws:sns:us-east-1:000000000000:alerts',
        region: 'us-east-1',
        emails: ['a@shop'],
      },
    ]);
  });

  it('reads a composite alarm’s suppressor, and log groups with their retention', () => {
    expect(definitions.compositeAlarms[0].actionsSuppressor).toEqual({
      alarm: 'deploying',
      waitPeriodSeconds: 120,
      extensionPeriodSeconds: 60,
    });
    expect(definitions.logGroups).toEqual([
      { name: '/shop/app', retentionDays: 14 },
      { name: '/shop/audit' },
    ]);
  });

  it('reads a dashboard whose body is a Terraform expression', () => {
    expect(definitions.dashboards).toEqual([{ name: 'shop', body: { widgets: [] } }]);
  });

  it('refuses a canary whose schedule is not one Synthetics accepts, naming it', () => {
    const bad: SynthesizedAwsStack = {
      resource: {
        aws_synthetics_canary: { c: { name: 'c', schedule: { expression: 'every day' } } },
      },
    };
    expect(() => readStackDefinitions(bad)).toThrow(StackDefinitionsError);
    expect(() => readStackDefinitions(bad)).toThrow(/^canary c: /);
  });
});

describe('loadStackDefinitions', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-definitions-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('says which file is missing or not JSON', () => {
    const broken = path.join(folder, 'broken.tf.json');
    fs.writeFileSync(broken, '{"resource": ');

    expect(() => loadStackDefinitions(path.join(folder, 'none.tf.json'))).toThrow(
      `cannot read ${path.join(folder, 'none.tf.json')}`,
    );
    expect(() => loadStackDefinitions(broken)).toThrow(`${broken} is not JSON`);
  });
});
