/**
 * `npm run cost`: both stages' monthly cost of monitoring, counted from their synthesized stacks,
 * each stage's worst-case time to detect a full outage, and the app's cost for a traffic given in
 * flags (prod's users; dev's only traffic is its canaries'). `--json` prints the same for machines.
 */
import { stageConfigs } from '../stacks/config';
import { LOG_RETENTION_DAYS, type LogRetentionDays } from '@monitored/cloudwatch-model';
import { estimate, estimateJson, formatEstimate } from '../tools/cost/estimate';
import { ASSUMPTIONS } from '../tools/cost/assumptions';
import { MONITORING_BUDGET_USD } from '../tools/cost/targets';
import type { Traffic } from '../tools/cost/traffic';
import { parseCommandLine, readCommandLine, UsageError, wholeNumberOption } from './usage';

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
  readonly retentionDays?: LogRetentionDays;
  readonly dashboardViews: number;
  readonly json: boolean;
}

/** A count a month: a whole number of 0 or more, in decimal digits. */
function count(flag: string, raw: string | undefined, fallback: number): number {
  return raw === undefined ? fallback : wholeNumberOption(`--${flag}`, raw);
}

function retention(raw: string | undefined): LogRetentionDays | undefined {
  if (raw === undefined) return undefined;
  const days = LOG_RETENTION_DAYS.find((allowed) => /^\d+$/.test(raw) && Number(raw) === allowed);
  if (days === undefined)
    throw new UsageError(
      `--retention-days "${raw}" is not a retention CloudWatch Logs offers; use one of ${LOG_RETENTION_DAYS.join(', ')} (logs kept forever have no monthly price)`,
    );
  return days;
}

/** Reads the command line; a UsageError names what it cannot take. */
export function parseCostArgs(args: string[]): CostArgs | 'help' {
  const { values } = parseCommandLine({
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
  });
  if (values.help === true) return 'help';
  const retentionDays = retention(values['retention-days']);
  return {
    traffic: {
      creates: count('creates', values.creates, DEFAULT_TRAFFIC.creates),
      keylessCreates: count(
        'keyless-creates',
        values['keyless-creates'],
        DEFAULT_TRAFFIC.keylessCreates,
      ),
      reads: count('reads', values.reads, DEFAULT_TRAFFIC.reads),
      counts: count('counts', values.counts, DEFAULT_TRAFFIC.counts),
      refused: DEFAULT_TRAFFIC.refused,
      pageViews: count('page-views', values['page-views'], DEFAULT_TRAFFIC.pageViews),
    },
    ...(retentionDays !== undefined && { retentionDays }),
    dashboardViews: count(
      'dashboard-views',
      values['dashboard-views'],
      ASSUMPTIONS.dashboardViewsPerMonth,
    ),
    json: values.json === true,
  };
}

function main(): number {
  const read = readCommandLine(() => parseCostArgs(process.argv.slice(2)), USAGE);
  if ('exitCode' in read) return read.exitCode;
  const parsed = read.args;
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
