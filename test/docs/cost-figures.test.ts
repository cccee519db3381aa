/**
 * The cost tables of the docs restate what `npm run cost` counts from the synthesized stacks:
 * the canaries' table (docs/alarms-and-dashboard.md) line by line, and the summary
 * (docs/cost-and-benchmark.md) with each stage's detection time and budget, and the alarm counts
 * they and docs/local-and-monitoring.md give. A schedule, an alarm or a price changed in code fails
 * here until the pages say so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scheduleRunsPerDay } from '@monitored/cloudwatch-model';
import { DEFAULT_TRAFFIC } from '../../scripts/cost';
import { ASSUMPTIONS } from '../../tools/cost/assumptions';
import { estimate } from '../../tools/cost/estimate';
import { MONITORING_BUDGET_USD, PROD_DETECTION_TARGET_MINUTES } from '../../tools/cost/targets';
import { STAGES, stageConfigs, type Stage } from '../../stacks/config';
import { synthStage, TEST_TODAY } from '../support/synth';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const page = (name: string) => fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8');

/** The rows of the first table of `text` whose header row is `header`, `**` dropped. */
function table(text: string, header: string): string[][] {
  const start = text.indexOf(`\n${header}\n`);
  expect({ header, found: start >= 0 }).toEqual({ header, found: true });
  const rows: string[][] = [];
  for (const line of text
    .slice(start + header.length + 2)
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.replace(/\*\*/g, '').trim()),
    );
  }
  return rows;
}

const configs = stageConfigs({
  alertEmails: { dev: ['oncall@example.com'], prod: ['oncall@example.com'] },
});
const result = estimate(configs, {
  traffic: DEFAULT_TRAFFIC,
  dashboardViewsPerMonth: ASSUMPTIONS.dashboardViewsPerMonth,
  today: TEST_TODAY,
});
const usd = (value: number) => `$${value.toFixed(2)}`;
/** The sum of a stage's cost lines whose item matches `pattern`. */
const sum = (stage: Stage, pattern: RegExp) =>
  result.stages[stage].items
    .filter(({ item }) => pattern.test(item))
    .reduce((total, { monthlyUsd }) => total + monthlyUsd, 0);
const CANARY_LINES = /^canar(y|ies)\b/;

describe("docs/alarms-and-dashboard.md's table of what the canaries and the monitoring cost", () => {
  const columns = ['prod', 'dev'] as const satisfies readonly Stage[];
  const rows = table(page('alarms-and-dashboard.md'), `| | ${columns.join(' | ')} |`);
  const row = (label: string) => {
    const found = rows.find(([first]) => first.startsWith(label));
    expect({ label, found: found !== undefined }).toEqual({ label, found: true });
    return (found as string[]).slice(1);
  };

  it('gives each canary its schedule and its runs in a 30-day month', () => {
    for (const journey of ['api', 'website'] as const) {
      const cells = row(`${journey === 'api' ? 'API' : 'website'} canary`);
      columns.forEach((stage, index) => {
        const { expression } = configs[stage].canaries[journey];
        const runs = (scheduleRunsPerDay(expression) ?? NaN) * ASSUMPTIONS.daysPerMonth;
        expect(cells[index]).toMatch(
          new RegExp(
            `^\`${expression.replace(/[()*?]/g, '\\$&')}\`: ${runs.toLocaleString('en-US')}\\b`,
          ),
        );
      });
    }
  });

  it.each([
    ['runs at', /^canary .*: runs$/],
    ['their Lambda', /^canary .*: its Lambda\b/],
    ['S3', /^canaries: artifacts in S3$/],
    ['their logs', /^canaries: their logs$/],
    ["the app's own cost", /^canaries: the app's cost of their requests$/],
    ['canaries', CANARY_LINES],
    ['alarms:', /^(metric alarms|composite alarms|custom metrics)$/],
    ['Logs Insights', /^Logs Insights\b/],
    ['KMS key', /^KMS keys\b/],
  ])('states "%s" as the cost model counts it', (label, pattern) => {
    expect(row(label)).toEqual(columns.map((stage) => usd(sum(stage, pattern))));
  });

  it('totals the monitoring as the cost model does', () => {
    expect(row('monitoring')).toEqual(
      columns.map((stage) => usd(result.stages[stage].monitoringUsd)),
    );
  });
});

describe("docs/cost-and-benchmark.md's summary", () => {
  const text = page('cost-and-benchmark.md');

  it("gives each stage's monitoring, canaries, detection and target as `npm run cost` does", () => {
    const rows = table(
      text,
      '| stage | monitoring a month | of which canaries | full outage paged within, worst case | target |',
    );
    expect(rows).toEqual(
      STAGES.slice()
        .reverse()
        .map((stage) => {
          const { monitoringUsd, detection } = result.stages[stage];
          const minutes = detection.minutes.toFixed(stage === 'prod' ? 1 : 0);
          return [
            stage,
            usd(monitoringUsd),
            usd(sum(stage, CANARY_LINES)),
            `${minutes} min`,
            stage === 'prod'
              ? `≤ $${MONITORING_BUDGET_USD[stage]}, ≤ ${PROD_DETECTION_TARGET_MINUTES} min`
              : `≤ $${MONITORING_BUDGET_USD[stage]}`,
          ];
        }),
    );
  });

  it("gives the app's own cost for the default traffic", () => {
    expect(text).toContain(`month, **${usd(result.traffic.totalUsd)}**, most of it`);
  });
});

describe('the alarm counts the docs give', () => {
  const alarms = (stage: Stage) => synthStage(stage).all('aws_cloudwatch_metric_alarm').length;
  const composites = (stage: Stage) =>
    synthStage(stage).all('aws_cloudwatch_composite_alarm').length;
  const prose = (name: string) => page(name).replace(/\s+/g, ' ');

  it("are each stage's synthesized metric and composite alarms", () => {
    expect(prose('alarms-and-dashboard.md')).toContain(
      `alarm metrics at $0.10 (${alarms('prod')} in prod, ${alarms('dev')} in dev,`,
    );
    expect(prose('local-and-monitoring.md')).toContain(
      `(dev: ${alarms('dev')} metric alarms and ${composites('dev')} composite; prod: ${alarms('prod')} and ${composites('prod')})`,
    );
  });
});
