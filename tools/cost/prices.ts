/**
 * The list prices every estimate uses (us-east-1; us-west-2 is the same for these services), each
 * with the AWS pricing page that publishes it and when. Those pages render their rate tables in
 * the browser, so no copy of the tables could be read from here: the rates are the published ones
 * as public write-ups of 2025–2026 agree on them (and the free tiers as the pages' static text
 * states them). Check them on the page before relying on a figure.
 */

export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly source: string;
  /** When the source stated it. */
  readonly asOf: string;
}

/** Where a service publishes its prices; the rate as public write-ups of 2025–2026 quote it. */
const published = (page: string) => `${page} (published rate, as quoted 2025–2026)`;
const CLOUDWATCH_PAGE = published('https://aws.amazon.com/cloudwatch/pricing/');
const KMS_PAGE = published('https://aws.amazon.com/kms/pricing/');
const LAMBDA_PAGE = published('https://aws.amazon.com/lambda/pricing/');
const S3_PAGE = published('https://aws.amazon.com/s3/pricing/');
const API_GATEWAY_PAGE = published('https://aws.amazon.com/api-gateway/pricing/');
const DYNAMODB_PAGE = published('https://aws.amazon.com/dynamodb/pricing/on-demand/');
const CLOUDFRONT_PAGE = published('https://aws.amazon.com/cloudfront/pricing/');
const SNS_PAGE = published('https://aws.amazon.com/sns/pricing/');

export const PRICES = {
  canaryRun: {
    usd: 0.0012,
    per: 'canary run (each retry is a run)',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06',
  },
  standardAlarmMetric: {
    usd: 0.1,
    per: 'standard-resolution alarm metric a month',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  highResolutionAlarmMetric: {
    usd: 0.3,
    per: 'high-resolution alarm metric a month (period under 60 s)',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  customMetric: {
    usd: 0.3,
    per: 'custom metric a month, prorated by the hour and metered only in the hours it is sent',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  compositeAlarm: {
    usd: 0.5,
    per: 'composite alarm a month',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  dashboard: {
    usd: 3,
    per: 'dashboard a month beyond the free 3 of an account',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  logsIngestPerGb: {
    usd: 0.5,
    per: 'GB of logs ingested (Standard class)',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  logsStoragePerGbMonth: {
    usd: 0.03,
    per: 'GB-month of logs stored',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  logsInsightsPerGb: {
    usd: 0.005,
    per: 'GB scanned by Logs Insights',
    source: CLOUDWATCH_PAGE,
    asOf: '2026-06-13',
  },
  snsEmailPer100k: {
    usd: 2,
    per: '100,000 email notifications beyond the free 1,000 a month',
    source: SNS_PAGE,
    asOf: '2026',
  },
  kmsKeyMonth: {
    usd: 1,
    per: 'customer-managed KMS key a month',
    source: KMS_PAGE,
    asOf: '2026',
  },
  kmsPer10kRequests: {
    usd: 0.03,
    per: '10,000 KMS requests',
    source: KMS_PAGE,
    asOf: '2026',
  },
  lambdaRequestsPerMillion: {
    usd: 0.2,
    per: 'million Lambda requests',
    source: LAMBDA_PAGE,
    asOf: '2026',
  },
  lambdaArmPerGbSecond: {
    usd: 0.0000133334,
    per: 'GB-second of Lambda on arm64',
    source: LAMBDA_PAGE,
    asOf: '2026',
  },
  lambdaX86PerGbSecond: {
    usd: 0.0000166667,
    per: 'GB-second of Lambda on x86_64 (canary runs bill at this price)',
    source: LAMBDA_PAGE,
    asOf: '2026',
  },
  s3PutPer1k: {
    usd: 0.005,
    per: '1,000 S3 PUT, COPY, POST or LIST requests',
    source: S3_PAGE,
    asOf: '2026',
  },
  s3GetPer1k: {
    usd: 0.0004,
    per: '1,000 S3 GET requests',
    source: S3_PAGE,
    asOf: '2026',
  },
  s3StoragePerGbMonth: {
    usd: 0.023,
    per: 'GB-month of S3 Standard storage',
    source: S3_PAGE,
    asOf: '2026',
  },
  // HTTP APIs are priced in tiers per month (us-east-1): "First 300 million $1.00, 300+ million
  // $0.90" per million, as https://www.learnaws.org/2021/01/10/api-gateway-pricing/ copies the
  // pricing page's table; AWS's own stored page states only the free tier in its static text.
  // Requests are metered in 512 KB increments (AWS whitepaper "Best practices for designing
  // private APIs", cost optimization): this API takes at most 16 KiB, so one request is one.
  apiPerMillion: {
    usd: 1,
    per: 'million HTTP API requests, the first 300 million of a month',
    source: API_GATEWAY_PAGE,
    asOf: '2026',
  },
  apiPerMillionBeyond300Million: {
    usd: 0.9,
    per: 'million HTTP API requests beyond the first 300 million of a month',
    source: API_GATEWAY_PAGE,
    asOf: '2026',
  },
  dynamoWritePerMillion: {
    usd: 0.625,
    per: 'million DynamoDB on-demand write request units',
    source: DYNAMODB_PAGE,
    asOf: '2026',
  },
  dynamoReadPerMillion: {
    usd: 0.125,
    per: 'million DynamoDB on-demand read request units',
    source: DYNAMODB_PAGE,
    asOf: '2026',
  },
  dynamoStoragePerGbMonth: {
    usd: 0.25,
    per: 'GB-month of DynamoDB storage',
    source: DYNAMODB_PAGE,
    asOf: '2026',
  },
  dynamoPitrPerGbMonth: {
    usd: 0.2,
    per: 'GB-month of continuous backups (PITR)',
    source: DYNAMODB_PAGE,
    asOf: '2026',
  },
  cloudfrontPerGb: {
    usd: 0.085,
    per: 'GB out of CloudFront (North America, Europe)',
    source: CLOUDFRONT_PAGE,
    asOf: '2026',
  },
  cloudfrontPer10kRequests: {
    usd: 0.01,
    per: '10,000 CloudFront HTTPS requests',
    source: CLOUDFRONT_PAGE,
    asOf: '2026',
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;

/**
 * The free tiers the estimates apply. Only these two: the monitoring is designed around them and
 * this app alone cannot use them up (two dashboards, a handful of alarm emails). Every other free
 * tier (100 canary runs, 10 alarm metrics, 5 GB of logs, Lambda's 400,000 GB-seconds, ...) is
 * left out, so each figure is an upper bound for an account whose free tiers other work uses.
 */
export const FREE_TIERS = {
  /** "3 Custom Dashboards referencing up to 50 metrics each per month" (CloudWatch pricing). */
  dashboardsPerAccount: 3,
  /** "Amazon SNS email notifications 1,000/month/customer for free" (CloudWatch quotas). */
  snsEmailsPerMonth: 1_000,
} as const;
