import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { estimateStages } from '../../../tools/cost/estimate';
import { accountOf, monitoringCost } from '../../../tools/cost/monitoring';
import { PRICES } from '../../../tools/cost/prices';
import { synthesizeStage, type StageInventory } from '../../../tools/cost/stage-inventory';
import { MONITORING_BUDGET_USD, PROD_DETECTION_TARGET_MINUTES } from '../../../tools/cost/targets';
import { NO_TRAFFIC, type CostLine } from '../../../tools/cost/traffic';
import type { StageConfig } from '../../../stacks/config';
import type { MessageSystemStack } from '../../../stacks/message-system-stack';
import { TEST_CONFIGS, TEST_TODAY } from '../../support/synth';

const OPTIONS = { dashboardViewsPerMonth: 300, traffic: NO_TRAFFIC };
const { dev, prod } = TEST_CONFIGS;
const inventory = (config: StageConfig, extend?: (stack: MessageSystemStack) => void) =>
  synthesizeStage(config, TEST_TODAY, extend);
const DEV = inventory(dev);
const PROD = inventory(prod);

/** A stage's monitoring lines, in an account with the other default stage. */
function costOf(stage: StageInventory): CostLine[] {
  const other = stage.stage === 'prod' ? DEV : PROD;
  return monitoringCost(stage, accountOf([stage, other]), OPTIONS);
}
const line = (lines: CostLine[], item: string): number => {
  const found = lines.find((candidate) => candidate.item === item);
  if (found === undefined)
    throw new Error(`no line "${item}" in ${lines.map((l) => l.item).join(', ')}`);
  return found.monthlyUsd;
};
const total = (lines: CostLine[]) => lines.reduce((sum, entry) => sum + entry.monthlyUsd, 0);
const withApiSchedule = (
  config: StageConfig,
  expression: StageConfig['canaries']['api']['expression'],
) => ({
  ...config,
  canaries: { ...config.canaries, api: { ...config.canaries.api, expression } },
});

describe('the monitoring estimate follows the deployed stack', () => {
  it.each([
    ['prod', prod, 'rate(3 minutes)', 'canary msgs-prod-api'],
    ['dev', dev, 'cron(0 0/1 * * ? *)', 'canary msgs-dev-api'],
  ] as const)(
    'doubles the runs and their Lambda when %s halves its API canary interval',
    (_stage, config, halved, canary) => {
      const before = costOf(inventory(config));

      const after = costOf(inventory(withApiSchedule(config, halved)));

      expect(line(after, `${canary}: runs`)).toBeCloseTo(2 * line(before, `${canary}: runs`), 9);
      const lambda = `${canary}: its Lambda (x86_64, 960 MB)`;
      expect(line(after, lambda)).toBeCloseTo(2 * line(before, lambda), 9);
    },
  );

  it('prices the runs at the canary run price', () => {
    const lines = costOf(PROD);

    // rate(6 minutes): 240 runs a day for 30 days.
    expect(line(lines, 'canary msgs-prod-api: runs')).toBeCloseTo(7_200 * PRICES.canaryRun.usd, 9);
  });

  it('adds an alarm metric for each metric alarm added to the stack, and two for a two-metric alarm', () => {
    const before = line(costOf(PROD), 'metric alarms');

    const after = line(
      costOf(
        inventory(prod, (stack) => {
          new CloudwatchMetricAlarm(stack, 'extra', {
            alarmName: 'msgs-prod-extra',
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            statistic: 'Sum',
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: 'GreaterThanOrEqualToThreshold',
          });
          new CloudwatchMetricAlarm(stack, 'ratio', {
            alarmName: 'msgs-prod-ratio',
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: 'GreaterThanThreshold',
            metricQuery: [
              { id: 'e', expression: 'a / b', returnData: true },
              {
                id: 'a',
                metric: { namespace: 'AWS/Lambda', metricName: 'Errors', period: 60, stat: 'Sum' },
              },
              {
                id: 'b',
                metric: {
                  namespace: 'AWS/Lambda',
                  metricName: 'Invocations',
                  period: 60,
                  stat: 'Sum',
                },
              },
            ],
          });
        }),
      ),
      'metric alarms',
    );

    expect(after - before).toBeCloseTo(3 * PRICES.standardAlarmMetric.usd, 9);
  });

  it('adds the composite price for a composite alarm', () => {
    const before = costOf(PROD);

    const after = costOf(
      inventory(prod, (stack) => {
        new CloudwatchCompositeAlarm(stack, 'extra-composite', {
          alarmName: 'msgs-prod-extra-composite',
          alarmRule: 'ALARM("msgs-prod-function-errors")',
        });
      }),
    );

    expect(line(after, 'composite alarms') - line(before, 'composite alarms')).toBeCloseTo(
      PRICES.compositeAlarm.usd,
      9,
    );
    expect(total(after) - total(before)).toBeCloseTo(PRICES.compositeAlarm.usd, 9);
  });

  it("bills the deploy alarm's metric as a custom metric, for the hours the deploys send it in", () => {
    // 60 deploys a month, each sending in at most 2 clock hours, of a 720-hour month.
    expect(line(costOf(PROD), 'custom metrics')).toBeCloseTo(
      (PRICES.customMetric.usd * 120) / 720,
      9,
    );
  });

  it('bills any other custom metric an alarm watches for the whole month', () => {
    const before = costOf(PROD);

    const after = costOf(
      inventory(prod, (stack) => {
        new CloudwatchMetricAlarm(stack, 'own-metric', {
          alarmName: 'msgs-prod-own-metric',
          namespace: 'msgs',
          metricName: 'MessagesPosted',
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'LessThanThreshold',
        });
      }),
    );

    expect(line(after, 'custom metrics') - line(before, 'custom metrics')).toBeCloseTo(
      PRICES.customMetric.usd,
      9,
    );
  });

  it("counts a second KMS key for a stage outside us-east-1 with service alarms (CloudFront's topic)", () => {
    const devWithServiceAlarms = inventory({ ...dev, serviceAlarms: true });

    expect(line(costOf(DEV), 'KMS keys of the alarm topics')).toBeCloseTo(
      PRICES.kmsKeyMonth.usd,
      3,
    );
    expect(line(costOf(devWithServiceAlarms), 'KMS keys of the alarm topics')).toBeCloseTo(
      2 * PRICES.kmsKeyMonth.usd,
      3,
    );
  });

  it('charges dashboards only beyond the free three of the account', () => {
    const free = monitoringCost(PROD, { dashboards: 3, alarmEmails: 0 }, OPTIONS);
    const paid = monitoringCost(PROD, { dashboards: 4, alarmEmails: 0 }, OPTIONS);

    expect(line(free, 'dashboards')).toBe(0);
    // One dashboard beyond the free three, its price shared by the four.
    expect(line(paid, 'dashboards')).toBeCloseTo(PRICES.dashboard.usd / 4, 9);
  });

  it('scans more logs for the dashboard when the traffic grows', () => {
    const quiet = monitoringCost(PROD, accountOf([PROD, DEV]), OPTIONS);
    const busy = monitoringCost(PROD, accountOf([PROD, DEV]), {
      ...OPTIONS,
      traffic: { ...NO_TRAFFIC, counts: 10_000_000 },
    });

    expect(line(busy, 'Logs Insights: the dashboard log widgets')).toBeGreaterThan(
      line(quiet, 'Logs Insights: the dashboard log widgets'),
    );
  });
});

describe('the default stages', () => {
  const estimates = estimateStages({ dev: DEV, prod: PROD }, OPTIONS);

  it("measure against the owner's targets: $3 a month for dev, $15 for prod, 10 minutes (issue 14)", () => {
    expect(MONITORING_BUDGET_USD).toEqual({ dev: 3, prod: 15 });
    expect(PROD_DETECTION_TARGET_MINUTES).toBe(10);
  });

  it.each(['dev', 'prod'] as const)('keep %s within its monitoring budget', (stage) => {
    expect(estimates[stage].monitoringUsd).toBeLessThanOrEqual(MONITORING_BUDGET_USD[stage]);
  });

  it('detect a full prod outage within the target', () => {
    expect(estimates.prod.detection.minutes).toBeLessThanOrEqual(PROD_DETECTION_TARGET_MINUTES);
  });

  it('derive detection from the API canary: its interval, both attempts, the evaluation and the wait', () => {
    // rate(6 minutes), 1 retry of a 30 s timeout, a minute to evaluate, 60 s of actions' wait.
    expect(estimates.prod.detection.seconds).toBe(360 + 2 * 30 + 60 + 60);
    expect(estimates.prod.detection.arithmetic.join('\n')).toContain(
      'msgs-prod-api-journey-failing',
    );
  });

  it('page for an outage only through composites over the journeys, not over the canaries running', () => {
    const withQuickNotRunning = inventory(prod, (stack) => {
      new CloudwatchCompositeAlarm(stack, 'quick', {
        alarmName: 'msgs-prod-quick',
        alarmRule: 'ALARM("msgs-prod-api-canary-not-running")',
      });
    });

    const detection = estimateStages({ dev: DEV, prod: withQuickNotRunning }, OPTIONS).prod
      .detection;

    expect(detection.pagingAlarm).toBe('msgs-prod-site-down');
    expect(detection.seconds).toBe(estimates.prod.detection.seconds);
  });

  it('detect later when the canary runs less often', () => {
    const slower = estimateStages(
      { dev: DEV, prod: inventory(withApiSchedule(prod, 'rate(10 minutes)')) },
      OPTIONS,
    );

    expect(slower.prod.detection.seconds - estimates.prod.detection.seconds).toBe(240);
  });
});
