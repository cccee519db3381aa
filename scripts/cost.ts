import { parseArgs } from 'node:util';
import { MESSAGES_FUNCTION } from '../contract/function';

/**
 * What a stage costs per month, from the traffic a deployer expects. Prices are us-east-1 list
 * prices as published in 2026 (us-west-2 is the same for these services); free tiers are left out,
 * so the figures are an upper bound for a new account.
 */

export const PRICES = {
  /** HTTP API, per million requests (first 300 million). */
  apiPerMillion: 1.0,
  /** Lambda requests, per million. */
  lambdaRequestsPerMillion: 0.2,
  /** Lambda duration, per GB-second, by architecture. */
  lambdaPerGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 },
  /** DynamoDB on-demand, per million write / read request units. */
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  /** DynamoDB storage and continuous backups (PITR), per GB-month. */
  dynamoStoragePerGb: 0.25,
  dynamoPitrPerGb: 0.2,
  /** CloudWatch Logs ingestion per GB, storage per GB-month. */
  logsIngestPerGb: 0.5,
  logsStoragePerGb: 0.03,
  /** CloudFront (North America/Europe) per GB out and per 10,000 HTTPS requests. */
  cloudfrontPerGb: 0.085,
  cloudfrontPer10kRequests: 0.01,
  /** S3 GET per 1,000 requests (CloudFront caches most). */
  s3GetPer1k: 0.0004,
} as const;

export interface Traffic {
  /** Messages posted per month. */
  readonly creates: number;
  /** Messages read by id per month. */
  readonly reads: number;
  /** Count requests per month (every page view makes one). */
  readonly counts: number;
  /** Page views per month. */
  readonly pageViews: number;
}

export interface CostLine {
  readonly item: string;
  readonly monthlyUsd: number;
  readonly basis: string;
}

// Measured on the local system: handler time per request (ms) at 256 MB, and log bytes per request.
const HANDLER_MS = 25;
const LOG_BYTES_PER_REQUEST = 1_200;
const ACCESS_LOG_BYTES = 350;
const PAGE_BYTES = 5_000;
const PAGE_REQUESTS = 5;
const MESSAGE_ITEM_BYTES = 200;

export function monthlyCost(traffic: Traffic, logRetentionMonths: number): CostLine[] {
  const apiRequests = traffic.creates + traffic.reads + traffic.counts;
  const logGb = (apiRequests * (LOG_BYTES_PER_REQUEST + ACCESS_LOG_BYTES)) / 1e9;
  const storedGb = (traffic.creates * MESSAGE_ITEM_BYTES) / 1e9;
  return [
    {
      item: 'API Gateway HTTP API',
      monthlyUsd: (apiRequests / 1e6) * PRICES.apiPerMillion,
      basis: `${apiRequests.toLocaleString('en-US')} requests`,
    },
    {
      item: `Lambda (${MESSAGES_FUNCTION.architecture}, ${MESSAGES_FUNCTION.memoryMb} MB)`,
      monthlyUsd:
        (apiRequests / 1e6) * PRICES.lambdaRequestsPerMillion +
        apiRequests *
          (HANDLER_MS / 1000) *
          (MESSAGES_FUNCTION.memoryMb / 1024) *
          PRICES.lambdaPerGbSecond[MESSAGES_FUNCTION.architecture],
      basis: `${HANDLER_MS} ms per request`,
    },
    {
      // A create is a transaction of two items: 2 write units each (prepare + commit).
      item: 'DynamoDB on-demand requests',
      monthlyUsd:
        ((traffic.creates * 4) / 1e6) * PRICES.dynamoWritePerMillion +
        ((traffic.reads + traffic.counts) / 1e6) * PRICES.dynamoReadPerMillion,
      basis: '4 write units per create, 1 read unit per read or count',
    },
    {
      item: 'DynamoDB storage + PITR',
      monthlyUsd: storedGb * (PRICES.dynamoStoragePerGb + PRICES.dynamoPitrPerGb),
      basis: `${(storedGb * 1000).toFixed(1)} MB added a month`,
    },
    {
      item: 'CloudWatch Logs',
      monthlyUsd:
        logGb * PRICES.logsIngestPerGb + logGb * logRetentionMonths * PRICES.logsStoragePerGb,
      basis: `${(logGb * 1000).toFixed(1)} MB a month, kept ${logRetentionMonths.toFixed(1)} months`,
    },
    {
      item: 'CloudFront + S3',
      monthlyUsd:
        ((traffic.pageViews * PAGE_BYTES) / 1e9) * PRICES.cloudfrontPerGb +
        ((traffic.pageViews * PAGE_REQUESTS) / 1e4) * PRICES.cloudfrontPer10kRequests +
        (traffic.pageViews / 1e3) * PRICES.s3GetPer1k * 0.1,
      basis: `${traffic.pageViews.toLocaleString('en-US')} page views, ${PAGE_BYTES / 1000} KB each`,
    },
  ];
}

export function formatCostTable(lines: readonly CostLine[]): string {
  const total = lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
  return [
    '| item | USD / month | basis |',
    '| --- | ---: | --- |',
    ...lines.map((line) => `| ${line.item} | ${line.monthlyUsd.toFixed(2)} | ${line.basis} |`),
    `| **total** | **${total.toFixed(2)}** | |`,
  ].join('\n');
}

const DEFAULT_TRAFFIC: Traffic = {
  creates: 100_000,
  reads: 300_000,
  counts: 500_000,
  pageViews: 500_000,
};

const USAGE =
  'Usage: npm run cost -- [--creates N] [--reads N] [--counts N] [--page-views N] [--retention-days N]';

/** Reads the command line; exits 2 with the usage line when it is not one this script takes. */
function trafficFromArgs(args: string[]): { traffic: Traffic; retentionMonths: number } {
  const refuse = (problem: string): never => {
    process.stderr.write(`${problem}\n${USAGE}\n`);
    process.exit(2);
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        creates: { type: 'string' },
        reads: { type: 'string' },
        counts: { type: 'string' },
        'page-views': { type: 'string' },
        'retention-days': { type: 'string', default: '30' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error: unknown) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const number = (name: string, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < 0) {
      return refuse(`--${name} "${String(raw)}" is not a non-negative number`);
    }
    return value;
  };
  return {
    traffic: {
      creates: number('creates', DEFAULT_TRAFFIC.creates),
      reads: number('reads', DEFAULT_TRAFFIC.reads),
      counts: number('counts', DEFAULT_TRAFFIC.counts),
      pageViews: number('page-views', DEFAULT_TRAFFIC.pageViews),
    },
    retentionMonths: number('retention-days', 30) / 30,
  };
}

if (require.main === module) {
  // npm run cost -- --creates 100000 --reads 300000 --counts 500000 --page-views 500000 --retention-days 30
  const { traffic, retentionMonths } = trafficFromArgs(process.argv.slice(2));
  process.stdout.write(`${formatCostTable(monthlyCost(traffic, retentionMonths))}\n`);
}
