// @tier e2e
/**
 * What the local parts record, driven by real requests through the real system (DynamoDB Local,
 * the function host, the API front, the website server) running as the dev stage: each records
 * exactly the catalogue's metrics of its service, with the dimensions the stage's alarms and
 * dashboard name, stamped in simulated time.
 */
import { datum, SimulatedClock, type MetricDatum } from '@monitored/cloudwatch-local';
import { MonitoringData } from '../../../local/monitoring/monitoring-loop';
import { startLocalSystem, type LocalSystem } from '../../../local/system';
import type { AccessLogEntry } from '../../../contract/logs';
import { API_GATEWAY, type MetricSpec } from '@monitored/cloudwatch-model';
import { stageDefinitions } from '../../support/monitor';

const definitions = stageDefinitions('dev');
const clock = new SimulatedClock(60);
const notices: string[] = [];
const data = new MonitoringData(definitions, clock, (notice) => notices.push(notice));
const recorded: MetricDatum[] = [];
const accessLog: AccessLogEntry[] = [];
let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({
    stage: 'dev',
    ports: { website: 0, api: 0, dynamodb: 0 },
    // Two invocations at once, then Lambda throttles: the throttle test needs to reach it.
    reservedConcurrency: 2,
    apiThrottling: { burstLimit: 1_000, rateLimit: 1_000 },
    onAccessLog: (entry) => accessLog.push(entry),
    metrics: {
      record: (point) => {
        recorded.push(point);
        data.record(point);
      },
      simulated: (real) => clock.fromReal(real),
      ids: definitions.ids,
    },
  });
  // A first request starts the function (its cold start) outside the measured tests.
  await fetch(`${system.apiUrl}/messages`);
}, 60_000);
afterAll(() => system.stop());
beforeEach(() => {
  recorded.splice(0);
  accessLog.splice(0);
});
afterEach(() => {
  expect(data.refused).toEqual([]);
  expect(notices).toEqual([]);
});

const of = (namespace: string) => recorded.filter((point) => point.namespace === namespace);
const namesOf = (points: readonly MetricDatum[]) =>
  [...new Set(points.map((point) => point.metricName))].sort();
const dimensionsOf = (points: readonly MetricDatum[]) => [
  ...new Set(points.map((point) => JSON.stringify(point.dimensions))),
];
const sum = (points: readonly MetricDatum[], name: string) =>
  points.filter((point) => point.metricName === name).reduce((total, p) => total + p.value, 0);

/** Waits, with a bound, until the access log has `count` entries: the last answer is recorded. */
async function untilLogged(count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (accessLog.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the local recorders, running as the dev stage', () => {
  it('runs under the stage names: the function, the table', () => {
    expect(system.names.function).toBe('msgs-dev-api');
    expect(system.tableName).toBe('msgs-dev-messages');
  });

  it('API front: Count, 4xx and 5xx as 0 or 1, Latency, and IntegrationLatency for what reached the function, by ApiId and Stage', async () => {
    const before = clock.fromReal(Date.now());
    const answers = [
      await fetch(`${system.apiUrl}/messages`),
      await fetch(`${system.apiUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"message": ',
      }),
      await fetch(`${system.apiUrl}/nope`),
      // A preflight API Gateway answers itself: no integration.
      await fetch(`${system.apiUrl}/messages`, {
        method: 'OPTIONS',
        headers: { origin: system.websiteUrl, 'access-control-request-method': 'POST' },
      }),
    ];
    await untilLogged(4);
    const after = clock.fromReal(Date.now());
    const api = of('AWS/ApiGateway');

    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 404, 204]);
    expect(namesOf(api)).toEqual(['4xx', '5xx', 'Count', 'IntegrationLatency', 'Latency']);
    expect(dimensionsOf(api)).toEqual([JSON.stringify({ ApiId: 'local', Stage: '$default' })]);
    expect(sum(api, 'Count')).toBe(4);
    expect(api.filter((p) => p.metricName === '4xx').map((p) => p.value)).toEqual([0, 1, 1, 0]);
    expect(api.filter((p) => p.metricName === '5xx').map((p) => p.value)).toEqual([0, 0, 0, 0]);
    expect(api.filter((p) => p.metricName === 'Latency')).toHaveLength(4);
    expect(api.filter((p) => p.metricName === 'IntegrationLatency')).toHaveLength(3);
    for (const point of api) {
      expect(point.timestamp).toBeGreaterThanOrEqual(before - 60_000);
      expect(point.timestamp).toBeLessThanOrEqual(after);
    }
  });

  it('function host: Invocations, Errors 0 and Throttles 0 per invoke request, Duration, ConcurrentExecutions, by FunctionName', async () => {
    const answers = await Promise.all(
      [1, 2].map(() => fetch(`${system.apiUrl}/messages`).then((answer) => answer.status)),
    );
    await untilLogged(2);
    const lambda = of('AWS/Lambda');

    expect(answers).toEqual([200, 200]);
    expect(namesOf(lambda)).toEqual([
      'ConcurrentExecutions',
      'Duration',
      'Errors',
      'Invocations',
      'Throttles',
    ]);
    expect(dimensionsOf(lambda)).toEqual([JSON.stringify({ FunctionName: 'msgs-dev-api' })]);
    expect(sum(lambda, 'Invocations')).toBe(2);
    expect(lambda.filter((p) => p.metricName === 'Errors').map((p) => p.value)).toEqual([0, 0]);
    expect(lambda.filter((p) => p.metricName === 'Throttles').map((p) => p.value)).toEqual([0, 0]);
    const durations = lambda.filter((p) => p.metricName === 'Duration').map((p) => p.value);
    expect(durations).toHaveLength(2);
    for (const duration of durations) expect(duration).toBeGreaterThan(0);
    const concurrency = lambda.filter((p) => p.metricName === 'ConcurrentExecutions');
    expect(concurrency.map((p) => p.value).sort()).toEqual([1, 2]);
  });

  it('function host: a request beyond its concurrency is throttled, answered 500 by the API front as API Gateway answers a refused invocation, and counted as a Throttle only', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${system.apiUrl}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: `burst ${i}` }),
        }).then(async (answer) => ({ status: answer.status, body: await answer.text() })),
      ),
    );
    await untilLogged(12);
    const lambda = of('AWS/Lambda');
    const api = of('AWS/ApiGateway');
    const created = statuses.filter((answer) => answer.status === 201).length;
    const refused = statuses.filter((answer) => answer.status === 500);

    expect(refused.length).toBeGreaterThan(0);
    expect(created + refused.length).toBe(12);
    expect(new Set(refused.map((answer) => answer.body))).toEqual(
      new Set(['{"message":"Internal Server Error"}']),
    );
    expect(accessLog.filter((entry) => entry.integrationError === 'Rate Exceeded.')).toHaveLength(
      refused.length,
    );
    expect(sum(lambda, 'Throttles')).toBe(refused.length);
    expect(sum(lambda, 'Invocations')).toBe(created);
    expect(sum(lambda, 'Errors')).toBe(0);
    expect(
      Math.max(
        ...lambda.filter((p) => p.metricName === 'ConcurrentExecutions').map((p) => p.value),
      ),
    ).toBe(2);
    expect(sum(api, '5xx')).toBe(refused.length);
  });

  it("DynamoDB, through the proxy in the function's path: latency per operation and consumed capacity, by the stage's table", async () => {
    const created = await fetch(`${system.apiUrl}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'measured' }),
    });
    const { id } = (await created.json()) as { id: string };
    await fetch(`${system.apiUrl}/messages/${id}`);
    await untilLogged(2);
    const dynamodb = of('AWS/DynamoDB');

    expect(namesOf(dynamodb)).toEqual([
      'ConsumedReadCapacityUnits',
      'ConsumedWriteCapacityUnits',
      'SuccessfulRequestLatency',
    ]);
    expect(
      dimensionsOf(dynamodb.filter((p) => p.metricName === 'SuccessfulRequestLatency')).sort(),
    ).toEqual([
      JSON.stringify({ TableName: 'msgs-dev-messages', Operation: 'GetItem' }),
      JSON.stringify({ TableName: 'msgs-dev-messages', Operation: 'TransactWriteItems' }),
    ]);
    // A transaction writes the message and the counter, each prepared and committed.
    expect(sum(dynamodb, 'ConsumedWriteCapacityUnits')).toBe(4);
  });

  it('website server: Requests, BytesDownloaded for GET and HEAD, and the error rates as 0 or 100, by DistributionId and Region Global', async () => {
    const page = await fetch(system.websiteUrl);
    const body = Buffer.from(await page.arrayBuffer());
    await fetch(`${system.websiteUrl}/nope`);
    await fetch(system.websiteUrl, { method: 'HEAD' });
    await fetch(system.websiteUrl, { method: 'POST' });
    const cloudfront = of('AWS/CloudFront');

    expect(namesOf(cloudfront)).toEqual([
      '4xxErrorRate',
      '5xxErrorRate',
      'BytesDownloaded',
      'Requests',
      'TotalErrorRate',
    ]);
    expect(dimensionsOf(cloudfront)).toEqual([
      JSON.stringify({ DistributionId: 'ELOCALSITE00001', Region: 'Global' }),
    ]);
    expect(sum(cloudfront, 'Requests')).toBe(4);
    expect(
      cloudfront.filter((p) => p.metricName === 'BytesDownloaded').map((p) => p.value),
    ).toEqual([Number(page.headers.get('content-length') ?? body.length), expect.any(Number), 0]);
    expect(cloudfront.filter((p) => p.metricName === '4xxErrorRate').map((p) => p.value)).toEqual([
      0, 100, 0, 100,
    ]);
    expect(sum(cloudfront, '5xxErrorRate')).toBe(0);
  });
});

describe('the catalogue guard', () => {
  it('refuses a datum outside the catalogue, keeps it and says so once', () => {
    const guarded = new MonitoringData(definitions, clock, (notice) => said.push(notice));
    const said: string[] = [];
    const apiIdOnly = { ...API_GATEWAY.count, dimensions: ['ApiId'] } as MetricSpec<'ApiId'>;
    const wrongUnit = {
      ...datum(API_GATEWAY.count, { ApiId: 'local', Stage: '$default' }, 1, 0),
      unit: 'Seconds',
    };

    guarded.record(datum(apiIdOnly, { ApiId: 'local' }, 1, clock.now()));
    guarded.record(datum(apiIdOnly, { ApiId: 'local' }, 1, clock.now()));
    guarded.record(wrongUnit);

    expect(guarded.refused.map((refusal) => refusal.reason)).toEqual([
      'metric AWS/ApiGateway Count with dimensions [ApiId] is not in the metric catalogue',
      'metric AWS/ApiGateway Count with dimensions [ApiId] is not in the metric catalogue',
      'metric AWS/ApiGateway Count with dimensions [ApiId, Stage]: unit "Seconds" is not the catalogue\'s "Count"',
    ]);
    expect(said).toHaveLength(2);
    expect(guarded.metrics.size).toBe(0);
  });
});
