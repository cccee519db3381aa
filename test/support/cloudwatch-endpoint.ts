/**
 * A stand-in for CloudWatch's endpoint that the real AWS CLI talks to (`AWS_ENDPOINT_URL`), so
 * that a test runs `aws cloudwatch put-metric-data` and `get-metric-statistics` exactly as a
 * deployer's shell does, with the local metric store behind them. It speaks the AWS JSON 1.0
 * protocol the CLI sends to CloudWatch (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`,
 * time stamps as epoch seconds), checks what the API reference says each operation refuses, and
 * answers errors as a query-compatible JSON service does. Nothing is signed or checked for
 * signature: credentials are a local stand-in.
 */
import { METRICS } from '../../stacks/monitoring/catalogue';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricStore } from '@monitored/cloudwatch-local';
import { type Statistic } from '@monitored/cloudwatch-model';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
/** PutMetricData: "as much as two weeks before the current date, and as much as 2 hours after". */
const MAX_PAST_MS = 14 * 24 * 3_600_000;
const MAX_FUTURE_MS = 2 * 3_600_000;
/** GetMetricStatistics: "The maximum number of data points returned from a single call is 1,440." */
const MAX_DATAPOINTS = 1440;

export interface RecordedCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

export interface CloudWatchEndpoint {
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Answers every later call of `operation` with this error, as AWS would (e.g. AccessDenied). */
  refuse(operation: string, code: string, message: string): void;
  close(): Promise<void>;
}

/**
 * The environment that points the AWS CLI at the stand-in, with stand-in credentials and none of
 * the caller's (an undefined variable is left out of a child's environment). `configFile`: a CLI
 * config to use instead of none (say, `cli_timestamp_format = iso8601`, v2's default).
 */
export function cliEnvironment(
  endpoint: CloudWatchEndpoint,
  configFile = '/dev/null',
): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_ACCESS_KEY_ID: 'AKIALOCALSTANDIN000',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
}

class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startCloudWatchEndpoint(
  store: MetricStore,
  now: () => number = Date.now,
): Promise<CloudWatchEndpoint> {
  const calls: RecordedCall[] = [];
  const refusals = new Map<string, { code: string; message: string }>();

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutMetricData(input) {
      const namespace = requiredString(input, 'Namespace');
      const data = input.MetricData;
      if (!Array.isArray(data) || data.length === 0)
        throw new ClientError('MissingParameter', 'The parameter MetricData is required.');
      for (const [index, item] of (data as Record<string, unknown>[]).entries()) {
        const where = `MetricData.member.${index + 1}`;
        const timestamp = Number(item.Timestamp) * 1000;
        if (!Number.isFinite(timestamp) || timestamp < now() - MAX_PAST_MS)
          throw new ClientError(
            'InvalidParameterValue',
            `The parameter ${where}.Timestamp must specify a time no more than two weeks in the past.`,
          );
        if (timestamp > now() + MAX_FUTURE_MS)
          throw new ClientError(
            'InvalidParameterValue',
            `The parameter ${where}.Timestamp must specify a time no more than two hours in the future.`,
          );
        const value = item.Value;
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw new ClientError(
            'InvalidParameterValue',
            `The value for ${where}.Value is invalid.`,
          );
        store.put({
          namespace,
          metricName: String(item.MetricName),
          dimensions: dimensionsOf(item.Dimensions),
          value,
          unit: String(item.Unit ?? 'None'),
          timestamp,
        });
      }
      return {};
    },
    GetMetricStatistics(input) {
      const namespace = requiredString(input, 'Namespace');
      const name = requiredString(input, 'MetricName');
      const dimensions = dimensionsOf(input.Dimensions);
      const spec = METRICS.find(namespace, name, Object.keys(dimensions));
      const period = Number(input.Period);
      const start = Number(input.StartTime) * 1000;
      const end = Number(input.EndTime) * 1000;
      const statistics = (input.Statistics ?? []) as Statistic[];
      if ((end - start) / (period * 1000) > MAX_DATAPOINTS)
        throw new ClientError(
          'InvalidParameterCombination',
          `You have requested up to ${Math.ceil((end - start) / (period * 1000))} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}.`,
        );
      if (spec === undefined) return { Label: name, Datapoints: [] };
      const byTime = new Map<number, Record<string, number | string>>();
      for (const statistic of statistics)
        for (const { timestamp, value } of store.datapoints(
          spec,
          dimensions,
          statistic,
          period,
          start,
          end,
        ))
          byTime.set(timestamp, {
            ...byTime.get(timestamp),
            Timestamp: timestamp / 1000,
            [statistic]: value,
            Unit: spec.unit,
          });
      return { Label: name, Datapoints: [...byTime.values()] };
    },
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
        const text = JSON.stringify(body);
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': 'local-stand-in',
          ...headers,
        });
        response.end(text);
      };
      try {
        const target = String(request.headers['x-amz-target'] ?? '');
        if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX))
          throw new ClientError(
            'UnknownOperationException',
            `this stand-in speaks the AWS JSON 1.0 protocol (X-Amz-Target ${TARGET_PREFIX}…); got ${request.method ?? ''} ${request.headers['content-type'] ?? ''} ${target}`,
          );
        const operation = target.slice(TARGET_PREFIX.length);
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        calls.push({ operation, input });
        const refusal = refusals.get(operation);
        if (refusal !== undefined) throw new ClientError(refusal.code, refusal.message, 403);
        const handler = operations[operation];
        if (handler === undefined)
          throw new ClientError('UnknownOperationException', `no operation ${operation} here`);
        answer(200, handler(input));
      } catch (error: unknown) {
        const { code, message, status } =
          error instanceof ClientError
            ? error
            : new ClientError('InvalidParameterValue', String((error as Error).message));
        answer(
          status,
          { __type: `com.amazonaws.cloudwatch#${code}`, message },
          // A query-compatible JSON service names its query error code here.
          { 'x-amzn-query-error': `${code};Sender` },
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    refuse: (operation, code, message) => refusals.set(operation, { code, message }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0)
    throw new ClientError('MissingParameter', `The parameter ${field} is required.`);
  return value;
}

function dimensionsOf(value: unknown): Record<string, string> {
  return Object.fromEntries(
    ((Array.isArray(value) ? value : []) as { Name?: unknown; Value?: unknown }[]).map(
      (dimension) => [String(dimension.Name), String(dimension.Value)],
    ),
  );
}
