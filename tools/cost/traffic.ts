/**
 * What the app itself costs a month for a given traffic: API Gateway, the function, DynamoDB,
 * logs, CloudFront. Free tiers are left out (see FREE_TIERS in prices.ts).
 */
import { plural } from '@monitored/cloudwatch-model';
import type { CanaryName } from '../../contract/canaries';
import { MESSAGES_FUNCTION } from '../../contract/function';
import { ASSUMPTIONS as A } from './assumptions';
import { PRICES } from './prices';

export interface Traffic {
  /**
   * Messages posted with an `Idempotency-Key`, as the website always posts: one transaction of
   * three items (message, counter, key record), 2 write units each.
   */
  readonly creates: number;
  /** Messages posted without a key (an API client that sends none): two items, 4 write units. */
  readonly keylessCreates: number;
  /** Messages read by id: one strongly consistent item read. */
  readonly reads: number;
  /** Count requests (every page view makes one): one read of the counter item. */
  readonly counts: number;
  /** Requests the function answers without touching the table (a malformed body, say). */
  readonly refused: number;
  /** Page views of the website. */
  readonly pageViews: number;
}

export interface CostLine {
  readonly item: string;
  readonly monthlyUsd: number;
  readonly basis: string;
}

export const NO_TRAFFIC: Traffic = {
  creates: 0,
  keylessCreates: 0,
  reads: 0,
  counts: 0,
  refused: 0,
  pageViews: 0,
};

/** Write request units: a transaction bills 2 per item (prepare and commit). */
const WRITE_UNITS = { keyedCreate: 6, keylessCreate: 4 } as const;

/**
 * What one canary run asks of the app (canaries/api.ts, canaries/website.ts; `npm run bench` counts
 * a local run's requests by route beside these). The API journey posts without an
 * Idempotency-Key; the website journey posts through the page, which always sends one. The API
 * journey's not-found step reads an unknown id (a read) and its invalid-json step is refused.
 */
export const CANARY_RUN_TRAFFIC: Readonly<Record<CanaryName, Traffic>> = {
  api: { creates: 0, keylessCreates: 1, reads: 2, counts: 2, refused: 1, pageViews: 0 },
  website: { creates: 1, keylessCreates: 0, reads: 1, counts: 2, refused: 0, pageViews: 1 },
};
/**
 * CORS preflights of a run, which API Gateway answers alone (billed as requests, no function):
 * the API journey's own check, and the page's before its first count and its post (a new browser
 * each run caches none).
 */
export const CANARY_RUN_GATEWAY_ONLY: Readonly<Record<CanaryName, number>> = { api: 1, website: 2 };

export function scaleTraffic(traffic: Traffic, factor: number): Traffic {
  return {
    creates: traffic.creates * factor,
    keylessCreates: traffic.keylessCreates * factor,
    reads: traffic.reads * factor,
    counts: traffic.counts * factor,
    refused: traffic.refused * factor,
    pageViews: traffic.pageViews * factor,
  };
}

export function addTraffic(a: Traffic, b: Traffic): Traffic {
  return {
    creates: a.creates + b.creates,
    keylessCreates: a.keylessCreates + b.keylessCreates,
    reads: a.reads + b.reads,
    counts: a.counts + b.counts,
    refused: a.refused + b.refused,
    pageViews: a.pageViews + b.pageViews,
  };
}

/** Requests that reach the function. */
function functionRequests(traffic: Traffic): number {
  return (
    traffic.creates + traffic.keylessCreates + traffic.reads + traffic.counts + traffic.refused
  );
}

/** Bytes a month the traffic writes to the function's and to the API's access log group. */
export function logBytes(traffic: Traffic, gatewayOnly = 0): { function: number; access: number } {
  const requests = functionRequests(traffic);
  return {
    function: requests * A.functionLogBytesPerRequest,
    access: (requests + gatewayOnly) * A.accessLogBytesPerRequest,
  };
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** Requests a month billed at the first tier's price (prices.ts, apiPerMillion). */
const HTTP_API_FIRST_TIER_REQUESTS = 300_000_000;

/** A month of HTTP API requests at AWS's tiered price. */
function httpApiUsd(requests: number): number {
  const first = Math.min(requests, HTTP_API_FIRST_TIER_REQUESTS);
  const beyond = requests - first;
  return (
    (first / 1e6) * PRICES.apiPerMillion.usd +
    (beyond / 1e6) * PRICES.apiPerMillionBeyond300Million.usd
  );
}

/**
 * The app's monthly cost of `traffic`, its logs kept `logRetentionMonths`. `gatewayOnly` counts
 * requests API Gateway answers without the function (CORS preflights).
 */
export function monthlyCost(
  traffic: Traffic,
  logRetentionMonths: number,
  gatewayOnly = 0,
): CostLine[] {
  const requests = functionRequests(traffic);
  const apiRequests = requests + gatewayOnly;
  const logs = logBytes(traffic, gatewayOnly);
  const logGb = (logs.function + logs.access) / 1e9;
  const storedGb = ((traffic.creates + traffic.keylessCreates) * A.messageItemBytes) / 1e9;
  const writeUnits =
    traffic.creates * WRITE_UNITS.keyedCreate + traffic.keylessCreates * WRITE_UNITS.keylessCreate;
  const lambdaPerGbSecond =
    MESSAGES_FUNCTION.architecture === 'arm64'
      ? PRICES.lambdaArmPerGbSecond
      : PRICES.lambdaX86PerGbSecond;
  return [
    {
      item: 'API Gateway HTTP API',
      monthlyUsd: httpApiUsd(apiRequests),
      basis: plural(Math.round(apiRequests), 'request', undefined, count(apiRequests)),
    },
    {
      item: `Lambda (${MESSAGES_FUNCTION.architecture}, ${MESSAGES_FUNCTION.memoryMb} MB)`,
      monthlyUsd:
        (requests / 1e6) * PRICES.lambdaRequestsPerMillion.usd +
        requests *
          (A.handlerMs / 1000) *
          (MESSAGES_FUNCTION.memoryMb / 1024) *
          lambdaPerGbSecond.usd,
      basis: `${count(requests)} invocations, ${A.handlerMs} ms each`,
    },
    {
      item: 'DynamoDB on-demand requests',
      monthlyUsd:
        (writeUnits / 1e6) * PRICES.dynamoWritePerMillion.usd +
        ((traffic.reads + traffic.counts) / 1e6) * PRICES.dynamoReadPerMillion.usd,
      basis:
        `${WRITE_UNITS.keyedCreate} write units a create with an Idempotency-Key (message, counter and key record in one transaction; the website always sends a key), ` +
        `${WRITE_UNITS.keylessCreate} without; 1 read unit a read or count`,
    },
    {
      item: 'DynamoDB storage + PITR',
      monthlyUsd: storedGb * (PRICES.dynamoStoragePerGbMonth.usd + PRICES.dynamoPitrPerGbMonth.usd),
      basis: `${(storedGb * 1000).toFixed(1)} MB added a month`,
    },
    {
      item: 'CloudWatch Logs (function and access log)',
      monthlyUsd:
        logGb * PRICES.logsIngestPerGb.usd +
        logGb * logRetentionMonths * PRICES.logsStoragePerGbMonth.usd,
      basis: `${(logGb * 1000).toFixed(1)} MB a month, kept ${logRetentionMonths.toFixed(1)} months`,
    },
    {
      item: 'CloudFront + S3',
      monthlyUsd:
        ((traffic.pageViews * A.pageBytes) / 1e9) * PRICES.cloudfrontPerGb.usd +
        ((traffic.pageViews * A.pageRequests) / 1e4) * PRICES.cloudfrontPer10kRequests.usd +
        // CloudFront caches the files; about one view in ten reaches the bucket.
        (traffic.pageViews / 1e3) * PRICES.s3GetPer1k.usd * 0.1,
      basis: `${count(traffic.pageViews)} page views, ${A.pageBytes / 1000} KB each`,
    },
  ];
}

export function totalUsd(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
}

export function formatCostTable(lines: readonly CostLine[], totalLabel = 'total'): string {
  return [
    '| item | USD / month | basis |',
    '| --- | ---: | --- |',
    ...lines.map((line) => `| ${line.item} | ${line.monthlyUsd.toFixed(2)} | ${line.basis} |`),
    `| **${totalLabel}** | **${totalUsd(lines).toFixed(2)}** | |`,
  ].join('\n');
}
