/**
 * What the local parts record, in CloudWatch's terms: each turns one observation of a local part
 * (an access-log entry of the API front, an invoke request of the function host, an answer of the
 * website server) into the data points the AWS service publishes for it, every one built from
 * the catalogue through datum(). Timestamps are simulated; values measured in time stay real.
 * (The DynamoDB proxy, dynamodb-proxy.ts, and the canary scheduler record their own.)
 */
import type { AccessLogEntry } from '../../contract/logs';
import {
  API_GATEWAY,
  CLOUDFRONT,
  CLOUDFRONT_REGION_DIMENSION,
  LAMBDA,
  type MetricSpec,
} from '@monitored/cloudwatch-model';
import type { Invocation } from '../local-function';
import type { WebsiteResponse } from '../website-server';
import { datum, type RecordMetric } from '@monitored/cloudwatch-local';
import type { StageResourceIds } from './stage-definitions';

export interface RecorderTarget {
  readonly record: RecordMetric;
  /** The simulated time of a real moment (ms since the epoch). */
  readonly simulated: (realEpochMs: number) => number;
}

const numberOr = (value: string | number, fallback: number | undefined) =>
  typeof value === 'number' ? value : fallback;

/**
 * AWS/ApiGateway for an HTTP API, per request (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html):
 * Count; 4xx and 5xx as 0 or 1, so that their Average is the error rate (as the REST API page
 * says of 4XXError and 5XXError); Latency, the whole request; IntegrationLatency only for
 * requests API Gateway relayed to the function. Stamped when the request was received.
 */
export function apiGatewayRecorder(
  target: RecorderTarget,
  ids: Pick<StageResourceIds, 'apiId' | 'apiStage'>,
): (entry: AccessLogEntry) => void {
  const dimensions = { ApiId: ids.apiId, Stage: ids.apiStage };
  return (entry) => {
    const latency = numberOr(entry.responseLatency, 0) ?? 0;
    const at = target.simulated(Date.now() - latency);
    const status = Number(entry.status);
    const put = (spec: MetricSpec<'ApiId' | 'Stage'>, value: number) =>
      target.record(datum(spec, dimensions, value, at));
    put(API_GATEWAY.count, 1);
    put(API_GATEWAY.clientErrors, status >= 400 && status < 500 ? 1 : 0);
    put(API_GATEWAY.serverErrors, status >= 500 && status < 600 ? 1 : 0);
    put(API_GATEWAY.latency, latency);
    const integration = numberOr(entry.integrationLatency, undefined);
    if (integration !== undefined) put(API_GATEWAY.integrationLatency, integration);
  };
}

/**
 * AWS/Lambda per invoke request (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * an invocation records Invocations 1, Errors 0 or 1 and Throttles 0 ("Lambda emits a data point
 * for Errors for each invoke request ... Lambda emits a data point for Throttles for each invoke
 * request", the older page's words), its Duration and the ConcurrentExecutions it found; a
 * throttled request records Throttles 1 and nothing else ("Throttled requests and other
 * invocation errors don't count as either Invocations or Errors").
 */
export function lambdaRecorder(
  target: RecorderTarget,
  functionName: string,
): (invocation: Invocation) => void {
  const dimensions = { FunctionName: functionName };
  return (invocation) => {
    const at = target.simulated(invocation.at);
    const put = (spec: MetricSpec<'FunctionName'>, value: number) =>
      target.record(datum(spec, dimensions, value, at));
    if (invocation.throttled) {
      put(LAMBDA.throttles, 1);
      return;
    }
    put(LAMBDA.invocations, 1);
    put(LAMBDA.errors, invocation.error ? 1 : 0);
    put(LAMBDA.throttles, 0);
    put(LAMBDA.duration, invocation.durationMs);
    put(LAMBDA.concurrentExecutions, invocation.concurrent);
  };
}

/**
 * AWS/CloudFront per viewer request (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html):
 * Requests 1; BytesDownloaded for GET, HEAD and OPTIONS; the error rates as 0 or 100, so that
 * their Average is the percentage CloudFront reports. `Region` is always `Global`; the data
 * belongs to us-east-1, which is where the monitor serves CloudFront's rows from.
 */
export function cloudFrontRecorder(
  target: RecorderTarget,
  distributionId: string,
): (response: WebsiteResponse) => void {
  const dimensions = { DistributionId: distributionId, Region: CLOUDFRONT_REGION_DIMENSION };
  return (response) => {
    const at = target.simulated(response.at);
    const put = (spec: MetricSpec<'DistributionId' | 'Region'>, value: number) =>
      target.record(datum(spec, dimensions, value, at));
    const clientError = response.status >= 400 && response.status < 500;
    const serverError = response.status >= 500 && response.status < 600;
    put(CLOUDFRONT.requests, 1);
    if (['GET', 'HEAD', 'OPTIONS'].includes(response.method))
      put(CLOUDFRONT.bytesDownloaded, response.bodyBytes);
    put(CLOUDFRONT.errorRate4xx, clientError ? 100 : 0);
    put(CLOUDFRONT.errorRate5xx, serverError ? 100 : 0);
    put(CLOUDFRONT.totalErrorRate, clientError || serverError ? 100 : 0);
  };
}
