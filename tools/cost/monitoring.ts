/**
 * What a stage's monitoring costs a month, counted from its synthesized resources (see
 * stage-inventory.ts): the canaries' runs and what each run uses (its Lambda, S3, logs, and the
 * app's requests it makes), the alarms, the dashboard, Logs Insights scans of the dashboard's log
 * widgets, the alarm topics' KMS keys and the alarm emails.
 */
import { plural, scheduleRunsPerDay } from '@monitored/cloudwatch-model';
import { CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import { isDeployInProgressMetric } from '../../stacks/monitoring/catalogue';
import { ASSUMPTIONS as A } from './assumptions';
import { FREE_TIERS, PRICES } from './prices';
import type {
  CanaryInventory,
  CustomMetricInventory,
  LogGroupInventory,
  MetricAlarmInventory,
  StageInventory,
} from './stage-inventory';
import {
  addTraffic,
  CANARY_RUN_GATEWAY_ONLY,
  CANARY_RUN_TRAFFIC,
  type CostLine,
  logBytes,
  monthlyCost,
  NO_TRAFFIC,
  scaleTraffic,
  totalUsd,
  type Traffic,
} from './traffic';

/** What the stages of one account share: the free dashboards and the free emails. */
export interface AccountContext {
  /** Dashboards of every stage in the account (both stages are assumed to share one). */
  readonly dashboards: number;
  /** Alarm emails a month of every stage in the account. */
  readonly alarmEmails: number;
}

export interface MonitoringOptions {
  readonly dashboardViewsPerMonth: number;
  /** People's traffic on the stage: its logs are what the dashboard's log widgets scan. */
  readonly traffic: Traffic;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const counted = (value: number, noun: string) =>
  plural(Math.round(value), noun, undefined, count(value));
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;

/** The journey a canary runs, from the end of its name (`msgs-prod-api`). */
function journeyOf(canary: CanaryInventory): CanaryName {
  const journey = CANARY_NAMES.find((name) => canary.name.endsWith(`-${name}`));
  if (journey === undefined)
    throw new Error(`canary ${canary.name}: no journey of ${CANARY_NAMES.join(', ')}`);
  return journey;
}

/** Scheduled runs a month; a failed run adds up to `maxRetries` more, each billed as a run. */
function monthlyRuns(canary: CanaryInventory): number {
  const perDay = scheduleRunsPerDay(canary.expression);
  if (perDay === undefined)
    throw new Error(`canary ${canary.name}: cannot count the runs of ${canary.expression}`);
  return perDay * A.daysPerMonth;
}

/** Alarm emails a month of a stage: each state change to each address. */
function stageAlarmEmails(inventory: StageInventory): number {
  return A.alarmEmailsPerMonth * inventory.emailSubscriptions;
}

/** The account the stages share, from all of their inventories. */
export function accountOf(inventories: readonly StageInventory[]): AccountContext {
  return {
    dashboards: inventories.reduce((sum, inventory) => sum + inventory.dashboards, 0),
    alarmEmails: inventories.reduce((sum, inventory) => sum + stageAlarmEmails(inventory), 0),
  };
}

/** The canaries' own requests to the app a month. */
function canaryTraffic(inventory: StageInventory): {
  traffic: Traffic;
  gatewayOnly: number;
} {
  return inventory.canaries.reduce(
    (sum, canary) => ({
      traffic: addTraffic(
        sum.traffic,
        scaleTraffic(CANARY_RUN_TRAFFIC[journeyOf(canary)], monthlyRuns(canary)),
      ),
      gatewayOnly:
        sum.gatewayOnly + CANARY_RUN_GATEWAY_ONLY[journeyOf(canary)] * monthlyRuns(canary),
    }),
    { traffic: NO_TRAFFIC, gatewayOnly: 0 },
  );
}

function groupOf(inventory: StageInventory, role: LogGroupInventory['role']) {
  return inventory.logGroups.find((group) => group.role === role);
}

/** Bytes a month written to each log group the estimate knows the writer of, by id. */
function logGroupBytes(inventory: StageInventory, traffic: Traffic): Map<string, number> {
  const canaries = canaryTraffic(inventory);
  const app = logBytes(addTraffic(traffic, canaries.traffic), canaries.gatewayOnly);
  const bytes = new Map<string, number>();
  for (const group of inventory.logGroups) {
    if (group.role === 'function') bytes.set(group.id, app.function);
    if (group.role === 'access') bytes.set(group.id, app.access);
    if (group.role === 'canary') {
      const canary = inventory.canaries.find((candidate) => candidate.id === group.canaryId);
      if (canary !== undefined) bytes.set(group.id, monthlyRuns(canary) * A.canaryLogBytesPerRun);
    }
  }
  return bytes;
}

export function monitoringCost(
  inventory: StageInventory,
  account: AccountContext,
  options: MonitoringOptions,
): CostLine[] {
  const lines: CostLine[] = [];
  const hoursPerMonth = A.daysPerMonth * 24;

  for (const canary of inventory.canaries) {
    const runs = monthlyRuns(canary);
    const retries = plural(canary.maxRetries, 'retry', 'retries');
    lines.push({
      item: `canary ${canary.name}: runs`,
      monthlyUsd: runs * PRICES.canaryRun.usd,
      basis: `\`${canary.expression}\`: ${count(scheduleRunsPerDay(canary.expression) ?? 0)} a day, ${count(runs)} a month (a failed run adds up to ${retries}, each billed)`,
    });
    const seconds = A.canaryRunSeconds[journeyOf(canary)];
    lines.push({
      item: `canary ${canary.name}: its Lambda (x86_64, ${canary.memoryMb} MB)`,
      monthlyUsd:
        (runs / 1e6) * PRICES.lambdaRequestsPerMillion.usd +
        runs * seconds * (canary.memoryMb / 1024) * PRICES.lambdaX86PerGbSecond.usd,
      basis: `${seconds} s a run assumed (the run's timeout is ${canary.timeoutSeconds} s)`,
    });
  }

  const runs = inventory.canaries.map((canary) => ({ canary, runs: monthlyRuns(canary) }));
  const allRuns = runs.reduce((sum, entry) => sum + entry.runs, 0);
  const storedGbMonths = runs.reduce(
    (sum, { canary, runs: n }) =>
      sum +
      ((n * A.canaryArtifactBytesPerRun[journeyOf(canary)]) / 1e9) *
        (canary.retentionDays / A.daysPerMonth),
    0,
  );
  lines.push({
    item: 'canaries: artifacts in S3',
    monthlyUsd:
      ((allRuns * A.canaryS3RequestsPerRun) / 1e3) * PRICES.s3PutPer1k.usd +
      storedGbMonths * PRICES.s3StoragePerGbMonth.usd,
    basis: `${A.canaryS3RequestsPerRun} requests a run; ${storedGbMonths.toFixed(3)} GB-months kept (as long as the run history)`,
  });

  const canaryLogGroups = inventory.logGroups.filter((group) => group.role === 'canary');
  const canaryLogBytes = allRuns * A.canaryLogBytesPerRun;
  const canaryLogRetentionMonths =
    (canaryLogGroups[0]?.retentionDays ?? A.daysPerMonth) / A.daysPerMonth;
  lines.push({
    item: 'canaries: their logs',
    monthlyUsd:
      (canaryLogBytes / 1e9) *
      (PRICES.logsIngestPerGb.usd + canaryLogRetentionMonths * PRICES.logsStoragePerGbMonth.usd),
    basis: `${A.canaryLogBytesPerRun / 1000} KB a run, ${mb(canaryLogBytes)} a month, kept ${canaryLogRetentionMonths.toFixed(1)} months`,
  });

  const { traffic: fromCanaries, gatewayOnly } = canaryTraffic(inventory);
  const functionGroup = groupOf(inventory, 'function');
  const appLines = monthlyCost(
    fromCanaries,
    (functionGroup?.retentionDays ?? A.daysPerMonth) / A.daysPerMonth,
    gatewayOnly,
  );
  lines.push({
    item: "canaries: the app's cost of their requests",
    monthlyUsd: totalUsd(appLines),
    basis: `${counted(fromCanaries.creates + fromCanaries.keylessCreates, 'message')} posted, ${count(fromCanaries.reads)} read, ${counted(fromCanaries.counts, 'count')}, ${counted(fromCanaries.pageViews, 'page view')} (the traffic model)`,
  });

  const standard = inventory.metricAlarms.filter((alarm) => alarm.periodSeconds >= 60);
  const highResolution = inventory.metricAlarms.filter((alarm) => alarm.periodSeconds < 60);
  const metrics = (alarms: readonly MetricAlarmInventory[]) =>
    alarms.reduce((sum, alarm) => sum + alarm.metrics, 0);
  lines.push({
    item: 'metric alarms',
    monthlyUsd:
      metrics(standard) * PRICES.standardAlarmMetric.usd +
      metrics(highResolution) * PRICES.highResolutionAlarmMetric.usd,
    basis: `${inventory.metricAlarms.length} alarms, ${metrics(inventory.metricAlarms)} alarm metrics${highResolution.length > 0 ? ` (${metrics(highResolution)} high-resolution)` : ''}`,
  });
  // The deploy alarm's metric is sent only around deploys; any other is taken as sent all month.
  const meteredHours = (metric: CustomMetricInventory) =>
    isDeployInProgressMetric(metric.namespace, metric.name)
      ? Math.min(hoursPerMonth, A.deploysPerMonth * A.deployMeteredHours)
      : hoursPerMonth;
  lines.push({
    item: 'custom metrics',
    monthlyUsd: inventory.customMetrics.reduce(
      (sum, metric) => sum + PRICES.customMetric.usd * (meteredHours(metric) / hoursPerMonth),
      0,
    ),
    basis:
      inventory.customMetrics
        .map(
          (metric) =>
            `${metric.namespace} ${metric.name}: ${meteredHours(metric) === hoursPerMonth ? 'sent all month' : `sent by \`npm run deploy-alarm\` only, ${A.deploysPerMonth} deploys × ${A.deployMeteredHours} hours`} (billed by the hour it is sent in)`,
        )
        .join('; ') || 'none',
  });
  lines.push({
    item: 'composite alarms',
    monthlyUsd: inventory.compositeAlarms.length * PRICES.compositeAlarm.usd,
    basis: `${inventory.compositeAlarms.length}: ${inventory.compositeAlarms.map((alarm) => alarm.name).join(', ') || 'none'}`,
  });

  const paidDashboards = Math.max(0, account.dashboards - FREE_TIERS.dashboardsPerAccount);
  lines.push({
    item: 'dashboards',
    monthlyUsd:
      account.dashboards === 0
        ? 0
        : inventory.dashboards * PRICES.dashboard.usd * (paidDashboards / account.dashboards),
    basis: `${inventory.dashboards} of the account's ${account.dashboards} (both stages in one account); the first ${FREE_TIERS.dashboardsPerAccount} are free, the cost of any beyond shared by all`,
  });

  const bytes = logGroupBytes(inventory, options.traffic);
  const scannedPerView = inventory.logWidgets.reduce(
    (sum, widget) =>
      sum +
      widget.logGroupIds.reduce((groups, id) => groups + (bytes.get(id) ?? 0), 0) *
        (widget.rangeHours / hoursPerMonth),
    0,
  );
  const scannedGb = (scannedPerView * options.dashboardViewsPerMonth) / 1e9;
  lines.push({
    item: 'Logs Insights: the dashboard log widgets',
    monthlyUsd: scannedGb * PRICES.logsInsightsPerGb.usd,
    basis: `${plural(inventory.logWidgets.length, 'widget')}, ${mb(scannedPerView)} scanned a view (their range of the groups' logs), ${counted(options.dashboardViewsPerMonth, 'view')} a month`,
  });

  const emails = stageAlarmEmails(inventory);
  lines.push({
    item: 'KMS keys of the alarm topics',
    monthlyUsd:
      inventory.kmsKeys * PRICES.kmsKeyMonth.usd +
      // SNS asks KMS for a data key to encrypt each message it publishes.
      (emails / 1e4) * PRICES.kmsPer10kRequests.usd,
    basis: `${inventory.kmsKeys} key${inventory.kmsKeys === 1 ? '' : 's'} (one per region with an alarm topic)`,
  });
  const paidEmails = Math.max(0, account.alarmEmails - FREE_TIERS.snsEmailsPerMonth);
  lines.push({
    item: 'SNS alarm emails',
    monthlyUsd:
      account.alarmEmails === 0
        ? 0
        : (paidEmails / 1e5) * PRICES.snsEmailPer100k.usd * (emails / account.alarmEmails),
    basis: `${plural(A.alarmEmailsPerMonth, 'state change')} × ${plural(inventory.emailSubscriptions, 'address', 'addresses')}; ${count(FREE_TIERS.snsEmailsPerMonth)} a month free for the account`,
  });
  return lines;
}
