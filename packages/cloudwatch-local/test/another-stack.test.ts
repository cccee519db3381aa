/**
 * The package pointed at a stack that is not this app's: a hand-written Terraform JSON file with
 * one alarm on a metric of its own, its catalogue passed in. Only the package's exports are used.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LocalCloudWatch,
  MetricDataError,
  loadStackDefinitions,
  readOutbox,
} from '@monitored/cloudwatch-local';
import { metricCatalogue, type MetricSpec } from '@monitored/cloudwatch-model';

/** A metric of the shop's own: in no catalogue of AWS's, nor of this repository's app. */
const CHECKOUT_FAILURES: MetricSpec = {
  namespace: 'Shop',
  name: 'CheckoutFailures',
  dimensions: ['Store'],
  unit: 'Count',
  statistic: 'Sum',
  doc: 'https://shop.example/metrics#checkout-failures',
};

const STACK = {
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: {
    aws_sns_topic: { alerts: { name: 'shop-alerts' } },
    aws_sns_topic_subscription: {
      oncall: {
        topic_arn: '${aws_sns_topic.alerts.arn}',
        protocol: 'email',
        endpoint: 'oncall@shop.example',
      },
    },
    aws_cloudwatch_metric_alarm: {
      checkout: {
        alarm_name: 'shop-checkout-failing',
        alarm_description: 'Checkouts fail in the Dublin store.',
        namespace: 'Shop',
        metric_name: 'CheckoutFailures',
        dimensions: { Store: 'dublin' },
        statistic: 'Sum',
        period: 60,
        evaluation_periods: 1,
        threshold: 3,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'notBreaching',
        alarm_actions: ['${aws_sns_topic.alerts.arn}'],
      },
    },
  },
};

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;

describe('a stack that is not this app’s', () => {
  let folder: string;
  let cloudWatch: LocalCloudWatch;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'another-stack-'));
    const stackFile = path.join(folder, 'cdk.tf.json');
    fs.writeFileSync(stackFile, JSON.stringify(STACK));
    fs.mkdirSync(path.join(folder, 'outbox'));
    cloudWatch = new LocalCloudWatch({
      definitions: loadStackDefinitions(stackFile, { stage: 'shop' }),
      catalogue: metricCatalogue([CHECKOUT_FAILURES]),
      outboxDir: path.join(folder, 'outbox'),
      now: () => T0,
    });
  });

  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('goes to ALARM on its own metric and emails the topic’s subscriber into the outbox', () => {
    for (const second of [5, 20, 40]) {
      cloudWatch.putMetricData({
        namespace: 'Shop',
        metricName: 'CheckoutFailures',
        dimensions: { Store: 'dublin' },
        value: 1,
        unit: 'Count',
        timestamp: T0 + second * 1000,
      });
    }

    cloudWatch.evaluate(T0 + MINUTE);

    expect(cloudWatch.alarms.status('shop-checkout-failing').state).toBe('ALARM');
    const emails = readOutbox(path.join(folder, 'outbox'));
    expect(emails).toHaveLength(1);
    expect(emails[0].to).toBe('oncall@shop.example');
    expect(emails[0].subject).toBe('ALARM: "shop-checkout-failing" in EU (Ireland)');
    expect(emails[0].text).toContain('Checkouts fail in the Dublin store.');
    expect(emails[0].text).toContain(
      'arn:aws:cloudwatch:eu-west-1:000000000000:alarm:shop-checkout-failing',
    );
  });

  it('stays OK below the threshold, and sends nothing', () => {
    cloudWatch.putMetricData({
      namespace: 'Shop',
      metricName: 'CheckoutFailures',
      dimensions: { Store: 'dublin' },
      value: 2,
      unit: 'Count',
      timestamp: T0 + 5000,
    });

    cloudWatch.evaluate(T0 + MINUTE);

    expect(cloudWatch.alarms.status('shop-checkout-failing').state).toBe('OK');
    expect(readOutbox(path.join(folder, 'outbox'))).toEqual([]);
  });

  it('refuses a datum outside the catalogue it was given', () => {
    expect(() =>
      cloudWatch.putMetricData({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: 'checkout' },
        value: 1,
        unit: 'Count',
        timestamp: T0,
      }),
    ).toThrow(MetricDataError);
  });
});
