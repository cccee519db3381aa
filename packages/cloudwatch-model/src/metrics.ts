/**
 * The metric catalogue: every CloudWatch metric the project alarms on, graphs, prices or emulates,
 * with its namespace, name, dimension names, unit and the statistic AWS documents for it. The
 * dashboard, the alarms, the cost model and the local recorders all read this; nothing else spells
 * a namespace or a metric name. No cdktf imports: local/ and scripts/ load it too.
 */

/** CloudWatch's statistics; `pNN` percentiles (`p50`, `p99`, `p99.9`). */
export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' | `p${number}`;

/** The units these metrics are published in (CloudWatch's StandardUnit names). */
export type Unit = 'Count' | 'Milliseconds' | 'Percent' | 'Bytes' | 'None';

export interface MetricSpec<Dimension extends string = string> {
  readonly namespace: string;
  readonly name: string;
  /** Dimension names, all required: a datum or query with other names is a different metric. */
  readonly dimensions: readonly Dimension[];
  readonly unit: Unit;
  /** The statistic AWS documents as meaningful for this metric. */
  readonly statistic: Statistic;
  /** The AWS page that defines it. */
  readonly doc: string;
}

const SYNTHETICS_DOC =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_metrics.html';
const HTTP_API_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html';
const LAMBDA_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';
const DYNAMODB_DOC =
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html';
const CLOUDFRONT_DOC =
  'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html';

function spec<const D extends string>(value: MetricSpec<D>): MetricSpec<D> {
  return value;
}

/** `CloudWatchSynthetics`: published by every canary run; steps add `StepName`. */
export const SYNTHETICS = {
  /** 100 or 0 per run; with retries every attempt is a run of its own. */
  successPercent: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'SuccessPercent',
    dimensions: ['CanaryName'],
    unit: 'Percent',
    statistic: 'Average',
    doc: SYNTHETICS_DOC,
  }),
  /** 100 or 0 per scheduled run, after all its attempts: what to alarm on when retries are on. */
  successPercentWithRetries: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'SuccessPercentWithRetries',
    dimensions: ['CanaryName'],
    unit: 'Percent',
    statistic: 'Average',
    doc: SYNTHETICS_DOC,
  }),
  duration: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'Duration',
    dimensions: ['CanaryName'],
    unit: 'Milliseconds',
    statistic: 'Average',
    doc: SYNTHETICS_DOC,
  }),
  /** Runs that failed to execute: the canary itself is broken (script, role, runtime), not the site. */
  failed: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'Failed',
    dimensions: ['CanaryName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: SYNTHETICS_DOC,
  }),
  /** Only published when there are retries. */
  retryCount: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'RetryCount',
    dimensions: ['CanaryName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: SYNTHETICS_DOC,
  }),
  stepSuccessPercent: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'SuccessPercent',
    dimensions: ['CanaryName', 'StepName'],
    unit: 'Percent',
    statistic: 'Average',
    doc: SYNTHETICS_DOC,
  }),
  stepDuration: spec({
    namespace: 'CloudWatchSynthetics',
    name: 'Duration',
    dimensions: ['CanaryName', 'StepName'],
    unit: 'Milliseconds',
    statistic: 'Average',
    doc: SYNTHETICS_DOC,
  }),
} as const;

/**
 * `AWS/ApiGateway` for HTTP APIs (`ApiId` + `Stage`; REST APIs use ApiName and 4XXError instead).
 * 4xx and 5xx are 0 or 1 per request, so their Average is the error rate (as AWS documents for
 * REST APIs' 4XXError and 5XXError).
 */
export const API_GATEWAY = {
  count: spec({
    namespace: 'AWS/ApiGateway',
    name: 'Count',
    dimensions: ['ApiId', 'Stage'],
    unit: 'Count',
    statistic: 'Sum',
    doc: HTTP_API_DOC,
  }),
  clientErrors: spec({
    namespace: 'AWS/ApiGateway',
    name: '4xx',
    dimensions: ['ApiId', 'Stage'],
    unit: 'Count',
    statistic: 'Sum',
    doc: HTTP_API_DOC,
  }),
  serverErrors: spec({
    namespace: 'AWS/ApiGateway',
    name: '5xx',
    dimensions: ['ApiId', 'Stage'],
    unit: 'Count',
    statistic: 'Sum',
    doc: HTTP_API_DOC,
  }),
  latency: spec({
    namespace: 'AWS/ApiGateway',
    name: 'Latency',
    dimensions: ['ApiId', 'Stage'],
    unit: 'Milliseconds',
    statistic: 'p99',
    doc: HTTP_API_DOC,
  }),
  integrationLatency: spec({
    namespace: 'AWS/ApiGateway',
    name: 'IntegrationLatency',
    dimensions: ['ApiId', 'Stage'],
    unit: 'Milliseconds',
    statistic: 'p99',
    doc: HTTP_API_DOC,
  }),
} as const;

/** `AWS/Lambda` by `FunctionName`: invocation metrics are 0/1 per invoke request, view them as Sum. */
export const LAMBDA = {
  invocations: spec({
    namespace: 'AWS/Lambda',
    name: 'Invocations',
    dimensions: ['FunctionName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: LAMBDA_DOC,
  }),
  /** Uncaught exceptions and runtime errors (timeouts); the handler answers its own errors, so any is a bug. */
  errors: spec({
    namespace: 'AWS/Lambda',
    name: 'Errors',
    dimensions: ['FunctionName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: LAMBDA_DOC,
  }),
  throttles: spec({
    namespace: 'AWS/Lambda',
    name: 'Throttles',
    dimensions: ['FunctionName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: LAMBDA_DOC,
  }),
  duration: spec({
    namespace: 'AWS/Lambda',
    name: 'Duration',
    dimensions: ['FunctionName'],
    unit: 'Milliseconds',
    statistic: 'Maximum',
    doc: LAMBDA_DOC,
  }),
  concurrentExecutions: spec({
    namespace: 'AWS/Lambda',
    name: 'ConcurrentExecutions',
    dimensions: ['FunctionName'],
    unit: 'Count',
    statistic: 'Maximum',
    doc: LAMBDA_DOC,
  }),
} as const;

/** `AWS/DynamoDB`: per table, and per table and operation for latency, throttles and errors. */
export const DYNAMODB = {
  successfulRequestLatency: spec({
    namespace: 'AWS/DynamoDB',
    name: 'SuccessfulRequestLatency',
    dimensions: ['TableName', 'Operation'],
    unit: 'Milliseconds',
    statistic: 'Average',
    doc: DYNAMODB_DOC,
  }),
  consumedReadCapacityUnits: spec({
    namespace: 'AWS/DynamoDB',
    name: 'ConsumedReadCapacityUnits',
    dimensions: ['TableName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
  consumedWriteCapacityUnits: spec({
    namespace: 'AWS/DynamoDB',
    name: 'ConsumedWriteCapacityUnits',
    dimensions: ['TableName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
  throttledRequests: spec({
    namespace: 'AWS/DynamoDB',
    name: 'ThrottledRequests',
    dimensions: ['TableName', 'Operation'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
  readThrottleEvents: spec({
    namespace: 'AWS/DynamoDB',
    name: 'ReadThrottleEvents',
    dimensions: ['TableName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
  writeThrottleEvents: spec({
    namespace: 'AWS/DynamoDB',
    name: 'WriteThrottleEvents',
    dimensions: ['TableName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
  systemErrors: spec({
    namespace: 'AWS/DynamoDB',
    name: 'SystemErrors',
    dimensions: ['TableName', 'Operation'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
  transactionConflict: spec({
    namespace: 'AWS/DynamoDB',
    name: 'TransactionConflict',
    dimensions: ['TableName'],
    unit: 'Count',
    statistic: 'Sum',
    doc: DYNAMODB_DOC,
  }),
} as const;

/** The DynamoDB operations the handler calls (the `Operation` dimension's values). */
export const DYNAMODB_OPERATIONS = ['GetItem', 'TransactWriteItems'] as const;

/** `AWS/CloudFront`: only in us-east-1, with `Region` always `Global`. */
export const CLOUDFRONT = {
  requests: spec({
    namespace: 'AWS/CloudFront',
    name: 'Requests',
    dimensions: ['DistributionId', 'Region'],
    unit: 'None',
    statistic: 'Sum',
    doc: CLOUDFRONT_DOC,
  }),
  bytesDownloaded: spec({
    namespace: 'AWS/CloudFront',
    name: 'BytesDownloaded',
    dimensions: ['DistributionId', 'Region'],
    unit: 'None',
    statistic: 'Sum',
    doc: CLOUDFRONT_DOC,
  }),
  totalErrorRate: spec({
    namespace: 'AWS/CloudFront',
    name: 'TotalErrorRate',
    dimensions: ['DistributionId', 'Region'],
    unit: 'Percent',
    statistic: 'Average',
    doc: CLOUDFRONT_DOC,
  }),
  errorRate4xx: spec({
    namespace: 'AWS/CloudFront',
    name: '4xxErrorRate',
    dimensions: ['DistributionId', 'Region'],
    unit: 'Percent',
    statistic: 'Average',
    doc: CLOUDFRONT_DOC,
  }),
  errorRate5xx: spec({
    namespace: 'AWS/CloudFront',
    name: '5xxErrorRate',
    dimensions: ['DistributionId', 'Region'],
    unit: 'Percent',
    statistic: 'Average',
    doc: CLOUDFRONT_DOC,
  }),
} as const;

/** Where CloudFront publishes its metrics, whatever the stage's region. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';
/** The `Region` dimension's only value for CloudFront. */
export const CLOUDFRONT_REGION_DIMENSION = 'Global';

/**
 * The deploy hold's metric (deploy-hold.ts says how a deploy sends it), in a namespace of the
 * stage's own rather than under a `Stage` dimension: PutMetricData can be limited by namespace
 * (the `cloudwatch:namespace` condition key) and by nothing narrower, so that each stage's deploy
 * role can hold its own deploy alarm and not another stage's. A custom metric, billed for the
 * hours it is sent in ("All custom metrics charges are prorated by the hour and metered only when
 * you send metrics to CloudWatch", CloudWatch pricing).
 */
export function deployInProgressMetric(stageNamespace: string): MetricSpec<never> {
  return spec({
    namespace: stageNamespace,
    name: DEPLOY_IN_PROGRESS,
    dimensions: [],
    unit: 'Count',
    statistic: 'Sum',
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html',
  });
}

const DEPLOY_IN_PROGRESS = 'DeployInProgress';

/** Every metric of AWS's catalogues above. */
export const AWS_METRICS: readonly MetricSpec[] = [
  ...Object.values(SYNTHETICS),
  ...Object.values(API_GATEWAY),
  ...Object.values(LAMBDA),
  ...Object.values(DYNAMODB),
  ...Object.values(CLOUDFRONT),
];

/** One metric of the catalogue with its dimension values (which may be Terraform references). */
export interface MetricRef<Dimension extends string = string> {
  readonly spec: MetricSpec<Dimension>;
  readonly dimensions: Readonly<Record<Dimension, string>>;
}

export function metric<D extends string>(
  metricSpec: MetricSpec<D>,
  dimensions: Readonly<Record<D, string>>,
): MetricRef<D> {
  return { spec: metricSpec, dimensions };
}

/**
 * The metrics an app records, graphs and alarms on: AWS's it uses and its own. The metric store,
 * the alarm windows and the monitor look metrics up in the catalogue they are given, so a metric
 * outside it is refused rather than silently kept.
 */
export interface MetricCatalogue {
  readonly metrics: readonly MetricSpec[];
  /** The entry for a namespace, metric name and set of dimension names, or undefined. */
  find(namespace: string, name: string, dimensionNames: readonly string[]): MetricSpec | undefined;
}

export function metricCatalogue(metrics: readonly MetricSpec[]): MetricCatalogue {
  const key = (namespace: string, name: string, dimensionNames: readonly string[]) =>
    [namespace, name, ...[...dimensionNames].sort()].join('\0');
  const byKey = new Map(
    metrics.map((spec) => [key(spec.namespace, spec.name, spec.dimensions), spec]),
  );
  return {
    metrics,
    find: (namespace, name, dimensionNames) => byKey.get(key(namespace, name, dimensionNames)),
  };
}

/** Whether a metric is a deploy-hold metric (deployInProgressMetric), in whatever namespace. */
export function isDeployInProgressMetric(name: string): boolean {
  return name === DEPLOY_IN_PROGRESS;
}
