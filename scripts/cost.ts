/**
 * `npm run cost`: both stages' monthly cost of monitoring, counted from their synthesized stacks,
 * each stage's worst-case time to detect a full outage, and the app's cost for a traffic given in
 * flags (prod's users; dev's only traffic is its canaries'). `--json` prints the same for machines.
 */
import { parseArgs } from 'node:util';
import { stageConfigs } from '../stacks/config';
import { estimate, estimateJson, formatEstimate } from './cost/estimate';
import { ASSUMPTIONS } from './cost/assumptions';
import { MONITORING_BUDGET_USD } from './cost/targets';
import type { Traffic } from './cost/traffic';

export const USAGE =
  'Usage: npm run cost -- [--creates N] [--keyless-creates N] [--reads N] [--counts N] [--page-views N] [--retention-days N] [--dashboard-views N] [--json]';

/** The traffic `npm run cost` assumes without flags: a small app's month. */
export const DEFAULT_TRAFFIC: Traffic = {
  creates: 100_000,
  keylessCreates: 0,
  reads: 300_000,
  counts: 500_000,
  refused: 0,
  pageViews: 500_000,
};

/** The address each stage's alarms are assumed to email (one subscription per stage). */
const ASSUMED_ALERT_EMAIL = 'oncall@example.com';

interface CostArgs {
  readonly traffic: Traffic;
  readonly retentionDays?: number;
  readonly dashboardViews: number;
  readonly json: boolean;
}

class UsageError extends Error {}

/** Reads the command line; a UsageError names what it cannot take. */
export function parseCostArgs(args: string[]): CostArgs | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        creates: { type: 'string' },
        'keyless-creates': { type: 'string' },
        reads: { type: 'string' },
        counts: { type: 'string' },
        'page-views': { type: 'string' },
        'retention-days': { type: 'string' },
        'dashboard-views': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return 'help';
  const number = (name: string, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`--${name} "${String(raw)}" is not a non-negative number`);
    }
    return value;
  };
  return {
    traffic: {
      creates: number('creates', DEFAULT_TRAFFIC.creates),
      keylessCreates: number('keyless-creates', DEFAULT_TRAFFIC.keylessCreates),
      reads: number('reads', DEFAULT_TRAFFIC.reads),
      counts: number('counts', DEFAULT_TRAFFIC.counts),
      refused: DEFAULT_TRAFFIC.refused,
      pageViews: number('page-views', DEFAULT_TRAFFIC.pageViews),
    },
    ...(values['retention-days'] !== undefined && {
      retentionDays: number('retention-days', 0),
    }),
    dashboardViews: number('dashboard-views', ASSUMPTIONS.dashboardViewsPerMonth),
    json: values.json === true,
  };
}

function main(): number {
  let parsed: ReturnType<typeof parseCostArgs>;
  try {
    parsed = parseCostArgs(process.argv.slice(2));
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = estimate(
    stageConfigs({ alertEmails: { dev: [ASSUMED_ALERT_EMAIL], prod: [ASSUMED_ALERT_EMAIL] } }),
    {
      traffic: parsed.traffic,
      dashboardViewsPerMonth: parsed.dashboardViews,
      trafficLogRetentionDays: parsed.retentionDays,
      today: new Date(),
    },
  );
  process.stdout.write(
    parsed.json
      ? `${JSON.stringify(estimateJson(result), null, 2)}\n`
      : `${formatEstimate(result, MONITORING_BUDGET_USD)}\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main();
