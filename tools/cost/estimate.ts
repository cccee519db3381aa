/**
 * Both stages' monthly estimate and detection time, from their synthesized stacks, and the app's
 * cost for the traffic given on the command line; as Markdown for people and JSON for machines.
 */
import { plural } from '@monitored/cloudwatch-model';
import { STAGES, type Stage, type StageConfig } from '../../stacks/config';
import { ASSUMPTIONS } from './assumptions';
import { fullOutageDetection, type Detection } from './detection';
import { accountOf, monitoringCost } from './monitoring';
import { FREE_TIERS, PRICES } from './prices';
import { synthesizeStage, type StageInventory } from './stage-inventory';
import {
  formatCostTable,
  monthlyCost,
  NO_TRAFFIC,
  totalUsd,
  type CostLine,
  type Traffic,
} from './traffic';

/** The stage whose users the traffic flags describe; dev's only traffic is its canaries'. */
const TRAFFIC_STAGE: Stage = 'prod';

export interface EstimateOptions {
  /** People's traffic a month on TRAFFIC_STAGE. */
  readonly traffic: Traffic;
  readonly dashboardViewsPerMonth: number;
  /** How long the traffic's logs are kept. @default TRAFFIC_STAGE's log retention */
  readonly trafficLogRetentionDays?: number;
  /** The day the stacks are built for, as a synth would. */
  readonly today: Date;
}

export interface StageEstimate {
  readonly stage: Stage;
  readonly region: string;
  readonly items: readonly CostLine[];
  readonly monitoringUsd: number;
  readonly detection: Detection;
}

export interface Estimate {
  readonly stages: Readonly<Record<Stage, StageEstimate>>;
  readonly traffic: {
    readonly stage: Stage;
    readonly input: Traffic;
    readonly logRetentionDays: number;
    readonly items: readonly CostLine[];
    readonly totalUsd: number;
  };
}

/** Each stage's monitoring estimate, with the account its stages share. */
export function estimateStages(
  inventories: Readonly<Record<Stage, StageInventory>>,
  options: Pick<EstimateOptions, 'traffic' | 'dashboardViewsPerMonth'>,
): Record<Stage, StageEstimate> {
  const account = accountOf(STAGES.map((stage) => inventories[stage]));
  return byStage((stage) => {
    const inventory = inventories[stage];
    const items = monitoringCost(inventory, account, {
      dashboardViewsPerMonth: options.dashboardViewsPerMonth,
      traffic: stage === TRAFFIC_STAGE ? options.traffic : NO_TRAFFIC,
    });
    return {
      stage,
      region: inventory.region,
      items,
      monitoringUsd: totalUsd(items),
      detection: fullOutageDetection(inventory),
    };
  });
}

/** One value per stage (a literal of every stage, so that a new stage is a type error here). */
function byStage<T>(make: (stage: Stage) => T): Record<Stage, T> {
  return { dev: make('dev'), prod: make('prod') };
}

export function estimate(
  configs: Readonly<Record<Stage, StageConfig>>,
  options: EstimateOptions,
): Estimate {
  const inventories = byStage((stage) => synthesizeStage(configs[stage], options.today));
  const logRetentionDays =
    options.trafficLogRetentionDays ?? configs[TRAFFIC_STAGE].logRetentionDays;
  const items = monthlyCost(options.traffic, logRetentionDays / ASSUMPTIONS.daysPerMonth);
  return {
    stages: estimateStages(inventories, options),
    traffic: {
      stage: TRAFFIC_STAGE,
      input: options.traffic,
      logRetentionDays,
      items,
      totalUsd: totalUsd(items),
    },
  };
}

const count = (value: number) => value.toLocaleString('en-US');
const counted = (value: number, noun: string) => plural(value, noun, undefined, count(value));

export function formatEstimate(
  result: Estimate,
  budgets?: Readonly<Record<Stage, number>>,
): string {
  const out: string[] = [
    '# Monthly cost estimate',
    '',
    "Both stages as they deploy: their stacks are synthesized from stacks/config.ts and the monitoring is counted from the resources (canaries, alarms, dashboards, log widgets, KMS keys, email subscriptions). Both stages are assumed to share one AWS account, with one alert address each. List prices, us-east-1 (us-west-2 costs the same for these), free tiers left out except the dashboards' and the alarm emails'.",
    '',
  ];
  for (const stage of STAGES) {
    const { region, items, monitoringUsd, detection } = result.stages[stage];
    out.push(`## ${stage} (${region}): monitoring`, '');
    out.push(formatCostTable(items, 'monitoring'));
    out.push('');
    if (budgets !== undefined)
      out.push(
        `Budget: at most $${budgets[stage]} a month: ${monitoringUsd <= budgets[stage] ? 'met' : 'MISSED'} ($${monitoringUsd.toFixed(2)}).`,
        '',
      );
    out.push(
      `Time to detect a full outage of ${stage}, worst case: **${detection.minutes.toFixed(1)} min** until ${detection.pagingAlarm} sends its email.`,
      '',
      '```',
      ...detection.arithmetic,
      '```',
      '',
    );
  }
  const { input, items, logRetentionDays, stage } = result.traffic;
  out.push(
    `## The app for your traffic (${stage}; \`--creates\`, \`--reads\`, \`--counts\`, \`--page-views\`)`,
    '',
    `${counted(input.creates, 'message')} posted with an Idempotency-Key (as the website posts) and ${count(input.keylessCreates)} without, ${count(input.reads)} read, ${counted(input.counts, 'count')}, ${counted(input.pageViews, 'page view')} a month; logs kept ${plural(logRetentionDays, 'day')}.`,
    '',
    formatCostTable(items),
    '',
    '## Prices',
    '',
    '| price | USD | per | source | as of |',
    '| --- | ---: | --- | --- | --- |',
    ...Object.entries(PRICES).map(
      ([name, price]) =>
        `| ${name} | ${price.usd} | ${price.per} | ${price.source} | ${price.asOf} |`,
    ),
    '',
    `Free tiers applied: ${FREE_TIERS.dashboardsPerAccount} dashboards per account, ${count(FREE_TIERS.snsEmailsPerMonth)} SNS emails a month. Left out (an upper bound where other work uses them): 100 canary runs, 10 alarm metrics, 5 GB of logs, Lambda's 400,000 GB-seconds, and the other services' free tiers.`,
    '',
    '## Assumptions',
    '',
    ...Object.entries(ASSUMPTIONS).map(([name, value]) => `- ${name}: ${JSON.stringify(value)}`),
  );
  return out.join('\n');
}

/**
 * The same figures for machines: per stage its items, monitoring subtotal and detection time.
 * Amounts are in cents, as the Markdown shows them, so that no float noise (0.43199999999999994)
 * reaches the reader; the prices keep the precision they are published with ($0.0000166667 per
 * GB-second).
 */
export function estimateJson(result: Estimate): unknown {
  return {
    stages: byStage((stage) => {
      const { region, items, monitoringUsd, detection } = result.stages[stage];
      return {
        region,
        items: inCents(items),
        monitoringUsd: cents(monitoringUsd),
        detectionMinutes: round(detection.minutes),
        detection: {
          pagingAlarm: detection.pagingAlarm,
          alarmSeconds: detection.alarmSeconds,
          seconds: detection.seconds,
          arithmetic: detection.arithmetic,
        },
      };
    }),
    traffic: {
      ...result.traffic,
      items: inCents(result.traffic.items),
      totalUsd: cents(result.traffic.totalUsd),
    },
    prices: PRICES,
    freeTiers: FREE_TIERS,
    assumptions: ASSUMPTIONS,
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const cents = (usd: number) => Math.round(usd * 100) / 100;
const inCents = (lines: readonly CostLine[]): CostLine[] =>
  lines.map((line) => ({ ...line, monthlyUsd: cents(line.monthlyUsd) }));
