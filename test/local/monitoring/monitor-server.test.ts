import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  monitorPage,
  datum,
  LOCAL_DISTRIBUTION_ID,
  parseQuery,
  MONITOR_API,
  type AlarmDetailResponse,
  type AlarmsResponse,
  type ChangeEvent,
  type DashboardResponse,
  type ErrorBody,
  type LogsQueryResponse,
  type MetricDataResponse,
  startMonitorServer,
} from '@monitored/cloudwatch-local';
import { CLOUDFRONT, CLOUDFRONT_REGION_DIMENSION, LAMBDA } from '@monitored/cloudwatch-model';
import { deployAlarmName } from '../../../stacks/monitoring/names';
import { START, stageDefinitions, startFedMonitor, type FedMonitor } from '../../support/monitor';
import { HOSTILE_REQUEST_LINES, rawRequest } from '../../support/raw-http';

const MINUTE = 60_000;
const definitions = stageDefinitions('dev');
let monitor: FedMonitor;
let base: string;

beforeAll(async () => {
  monitor = await startFedMonitor('dev');
  base = monitor.server.url;
});
afterAll(() => monitor.server.stop());

async function call(
  path: string,
  init: { method?: string; body?: unknown; raw?: string; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Asserts a 4xx error answer with the code, and returns its message. */
async function expectError(
  path: string,
  init: Parameters<typeof call>[1],
  status: number,
  code: string,
): Promise<string> {
  const answer = await call(path, init);
  expect({ status: answer.status, code: (answer.json as ErrorBody).error?.code }).toEqual({
    status,
    code,
  });
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  return (answer.json as ErrorBody).error.message;
}

const invocations = (overrides: Record<string, unknown> = {}) => ({
  id: 'invocations',
  namespace: LAMBDA.invocations.namespace,
  metricName: LAMBDA.invocations.name,
  dimensions: { FunctionName: definitions.names.function },
  stat: 'Sum',
  period: 300,
  region: definitions.region,
  ...overrides,
});

describe('GET /api/dashboard', () => {
  it('answers the body as synthesized, the simulated now, and the link targets', async () => {
    const answer = await call(MONITOR_API.dashboard);
    expect(answer.status).toBe(200);
    const dashboard = answer.json as DashboardResponse;
    expect(dashboard.body).toEqual(monitor.definitions.dashboard.body);
    expect(dashboard).toMatchObject({
      name: 'msgs-dev-health',
      stage: 'dev',
      region: 'us-west-2',
      now: START,
      links: {
        monitorUrl: '',
        dashboardName: 'msgs-dev-health',
        awsUrls: { apiUrl: 'https://local.execute-api.us-west-2.amazonaws.com' },
        localUrls: { apiUrl: 'http://127.0.0.1:3000' },
      },
    });
  });
});

describe('POST /api/metric-data', () => {
  it("answers each row's statistic per period over the look-back, periods aligned", async () => {
    const answer = await call(MONITOR_API.metricData, {
      body: { lookBackSeconds: 3600, queries: [invocations()] },
    });
    expect(answer.status).toBe(200);
    const data = answer.json as MetricDataResponse;
    expect({ start: data.start, end: data.end }).toEqual({ start: START - 3600_000, end: START });
    const [row] = data.results;
    expect(row.id).toBe('invocations');
    expect(row.values).toEqual(new Array(12).fill(10));
    expect(row.timestamps.every((time) => time % 300_000 === 0)).toBe(true);
    expect(row.messages).toEqual([]);
  });

  it('computes the statistic each row asks for, over an absolute range', async () => {
    const answer = await call(MONITOR_API.metricData, {
      body: {
        start: START - 15 * MINUTE,
        end: START,
        queries: [
          invocations({ id: 'count', stat: 'SampleCount', period: 900 }),
          invocations({ id: 'p50', stat: 'p50', period: 900 }),
        ],
      },
    });
    const data = answer.json as MetricDataResponse;
    expect(data.results.map((row) => [row.id, row.values])).toEqual([
      ['count', [30]],
      ['p50', [1]],
    ]);
  });

  it('answers no data, and why, for a metric outside the catalogue (a misspelt dimension)', async () => {
    const answer = await call(MONITOR_API.metricData, {
      body: {
        lookBackSeconds: 3600,
        queries: [invocations({ dimensions: { Function: monitor.definitions.names.function } })],
      },
    });
    expect(answer.status).toBe(200);
    const [row] = (answer.json as MetricDataResponse).results;
    expect(row.values).toEqual([]);
    expect(row.messages[0]).toContain('AWS/Lambda Invocations (Function=msgs-dev-api)');
    expect(row.messages[0]).toContain('not in the metric catalogue');
  });

  it('answers no data for CloudFront read outside us-east-1, where CloudFront publishes', async () => {
    const distribution = {
      DistributionId: LOCAL_DISTRIBUTION_ID,
      Region: CLOUDFRONT_REGION_DIMENSION,
    };
    monitor.metrics.put(datum(CLOUDFRONT.requests, distribution, 5, START - MINUTE));
    const query = {
      id: 'cf',
      namespace: CLOUDFRONT.requests.namespace,
      metricName: CLOUDFRONT.requests.name,
      dimensions: distribution,
      stat: 'Sum',
      period: 300,
    };
    const answer = await call(MONITOR_API.metricData, {
      body: {
        lookBackSeconds: 600,
        queries: [
          { ...query, region: 'us-east-1' },
          { ...query, id: 'wrong', region: 'us-west-2' },
        ],
      },
    });
    const [right, wrong] = (answer.json as MetricDataResponse).results;
    expect(right.values).toEqual([5]);
    expect(wrong.values).toEqual([]);
    expect(wrong.messages).toEqual([
      expect.stringContaining('is published in us-east-1; this row reads us-west-2'),
    ]);
  });

  it.each([
    ['no time range', { queries: [invocations()] }, /lookBackSeconds, or start and end/],
    [
      'a look-back that is not a number',
      { lookBackSeconds: '1h', queries: [invocations()] },
      /lookBackSeconds must be/,
    ],
    [
      'start after end',
      { start: START, end: START - 1, queries: [invocations()] },
      /must be before end/,
    ],
    ['no queries', { lookBackSeconds: 60, queries: [] }, /queries must be an array of 1 to 2500/],
    [
      'a query without its metric name',
      { lookBackSeconds: 60, queries: [invocations({ metricName: '' })] },
      /queries\[0\]: metricName must be a non-empty string/,
    ],
    [
      'an unknown statistic',
      { lookBackSeconds: 60, queries: [invocations({ stat: 'Median' })] },
      /queries\[0\] \(invocations\): unknown statistic "Median"/,
    ],
    [
      'a period that is not a multiple of 60',
      { lookBackSeconds: 60, queries: [invocations({ period: 90 })] },
      /period must be a multiple of 60 seconds up to 2678400, got 90/,
    ],
    [
      'a period longer than any range',
      { lookBackSeconds: 60, queries: [invocations({ period: 6e20 })] },
      /period must be a multiple of 60 seconds up to 2678400, got 600000000000000000000/,
    ],
    [
      'two queries with one id',
      { lookBackSeconds: 60, queries: [invocations(), invocations()] },
      /queries\[1\]: id "invocations" is used twice/,
    ],
    [
      'a start no Date can hold',
      { start: -1e300, end: START, queries: [invocations()] },
      /start and end must both be times in ms since the epoch, got -1e\+300/,
    ],
    [
      'dimensions that are not strings',
      { lookBackSeconds: 60, queries: [invocations({ dimensions: { FunctionName: 1 } })] },
      /dimensions must be an object of names to string values/,
    ],
    [
      'more datapoints than GetMetricData returns',
      {
        lookBackSeconds: 31 * 86_400,
        queries: Array.from({ length: 10 }, (_, i) => invocations({ id: `q${i}`, period: 60 })),
      },
      /at most 100800/,
    ],
  ])('refuses %s with a 400 naming the problem', async (_case, body, message) => {
    expect(await expectError(MONITOR_API.metricData, { body }, 400, 'INVALID_REQUEST')).toMatch(
      message,
    );
  });

  it('refuses a body that is not JSON, or not declared as JSON', async () => {
    expect(
      await expectError(MONITOR_API.metricData, { raw: '{"queries": [' }, 400, 'INVALID_JSON'),
    ).toMatch(/the body is not JSON/);
    expect(
      await expectError(
        MONITOR_API.metricData,
        { raw: 'queries=1', contentType: 'application/x-www-form-urlencoded' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ),
    ).toMatch(/content-type: application\/json/);
    expect(await expectError(MONITOR_API.metricData, { raw: '[1]' }, 400, 'INVALID_REQUEST')).toBe(
      'the body must be a JSON object',
    );
  });

  it('refuses a body over 1 MiB with a 413', async () => {
    const raw = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });
    await expectError(MONITOR_API.metricData, { raw }, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses GET with a 405 naming the method to use', async () => {
    expect(
      await expectError(MONITOR_API.metricData, { method: 'GET' }, 405, 'METHOD_NOT_ALLOWED'),
    ).toBe('GET is not allowed here; use POST');
  });
});

describe('alarms', () => {
  it('GET /api/alarms lists every alarm of the stage with its state', async () => {
    const answer = await call(MONITOR_API.alarms);
    expect(answer.status).toBe(200);
    const { alarms } = answer.json as AlarmsResponse;
    expect(alarms.map((alarm) => alarm.name).sort()).toEqual(
      [...monitor.definitions.metricAlarms, ...monitor.definitions.compositeAlarms]
        .map((alarm) => alarm.name)
        .sort(),
    );
    expect(
      alarms.every((alarm) =>
        alarm.arn.startsWith('arn:aws:cloudwatch:us-west-2:000000000000:alarm:'),
      ),
    ).toBe(true);
  });

  it('POST /api/alarms/<name>/state sets the state as SetAlarmState does, and the history shows it', async () => {
    const name = deployAlarmName('msgs-dev');
    const answer = await call(MONITOR_API.alarmState(name), {
      body: { state: 'ALARM', reason: 'deploying' },
    });
    expect(answer.status).toBe(200);
    const { alarm } = answer.json as AlarmDetailResponse;
    expect(alarm).toMatchObject({ name, state: 'ALARM', reason: 'deploying', updatedAt: START });
    expect(alarm.history[0]).toMatchObject({ newState: 'ALARM', reason: 'deploying' });

    const detail = (await call(MONITOR_API.alarm(name))).json as AlarmDetailResponse;
    expect(detail.alarm.state).toBe('ALARM');
    expect(detail.alarm.definition).toMatchObject({ name, metricName: 'DeployInProgress' });
    expect(monitor.alarms.status(name).state).toBe('ALARM');
  });

  it.each([
    [
      'an unknown state',
      { state: 'BROKEN', reason: 'x' },
      /state must be one of OK, ALARM, INSUFFICIENT_DATA, got "BROKEN"/,
    ],
    ['no reason', { state: 'OK' }, /reason must be a string of 1 to 1023 characters/],
    [
      'reason data that is not JSON',
      { state: 'OK', reason: 'x', reasonData: '{' },
      /the reason data must be JSON/,
    ],
  ])('refuses %s with a 400', async (_case, body, message) => {
    expect(
      await expectError(
        MONITOR_API.alarmState(deployAlarmName('msgs-dev')),
        { body },
        400,
        'INVALID_REQUEST',
      ),
    ).toMatch(message);
  });

  it('does not let a page under a rebound name set a state: 421, and the alarm is unchanged', async () => {
    const name = 'msgs-dev-api-canary-broken';
    const before = monitor.alarms.status(name).state;
    const { port } = new URL(monitor.server.url);
    const body = JSON.stringify({ state: 'ALARM', reason: 'rebound' });

    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(
        {
          hostname: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: MONITOR_API.alarmState(name),
          headers: { host: `evil.example:${port}`, 'content-type': 'application/json' },
          agent: false,
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.on('error', reject);
      request.end(body);
    });

    expect(status).toBe(421);
    expect(monitor.alarms.status(name).state).toBe(before);
  });

  it('answers 404 naming an alarm that does not exist', async () => {
    expect(await expectError(MONITOR_API.alarm('msgs-dev-nope'), {}, 404, 'UNKNOWN_ALARM')).toBe(
      'no alarm named "msgs-dev-nope"',
    );
    await expectError(
      MONITOR_API.alarmState('msgs-dev-nope'),
      { body: { state: 'OK', reason: 'x' } },
      404,
      'UNKNOWN_ALARM',
    );
  });
});

describe('POST /api/logs-query', () => {
  const widgetQuery = (title: string) => {
    const widget = monitor.definitions.dashboard.body.widgets.find(
      (candidate) => candidate.properties.title === title,
    );
    return String(widget?.properties.query);
  };

  it("runs a dashboard widget's query (its SOURCE groups) over the range", async () => {
    const answer = await call(MONITOR_API.logsQuery, {
      body: { lookBackSeconds: 3600, query: widgetQuery('Slowest requests') },
    });
    expect(answer.status).toBe(200);
    const result = answer.json as LogsQueryResponse;
    expect(result.rows.map((row) => [row.route, row.latencyMs])).toEqual([
      ['POST /messages', '42'],
      ['GET /messages', '7'],
    ]);
    expect(result.columns).toContain('correlation_id');
  });

  it('runs a query over the logGroups given, within the range only', async () => {
    const answer = await call(MONITOR_API.logsQuery, {
      body: {
        lookBackSeconds: 15 * 60,
        query: 'fields correlation_id | sort @timestamp desc',
        logGroups: [monitor.definitions.names.functionLogGroup],
      },
    });
    expect((answer.json as LogsQueryResponse).rows).toEqual([{ correlation_id: 'req-failed-1' }]);
  });

  it("refuses a query outside the supported subset with a 400 carrying the interpreter's message", async () => {
    const query = `SOURCE '${monitor.definitions.names.functionLogGroup}' | dedup level`;
    let expected = '';
    try {
      parseQuery(query);
    } catch (error: unknown) {
      expected = (error as Error).message;
    }
    expect(expected).toMatch(/^Logs Insights query, line 1 column \d+: /);
    expect(
      await expectError(
        MONITOR_API.logsQuery,
        { body: { lookBackSeconds: 60, query } },
        400,
        'QUERY_ERROR',
      ),
    ).toBe(expected);
  });

  it('answers 404 for a log group that does not exist, as StartQuery does', async () => {
    expect(
      await expectError(
        MONITOR_API.logsQuery,
        {
          body: {
            lookBackSeconds: 60,
            query: "SOURCE '/aws/lambda/msgs-dev-typo' | fields @message",
          },
        },
        404,
        'UNKNOWN_LOG_GROUP',
      ),
    ).toBe('log group "/aws/lambda/msgs-dev-typo" does not exist');
  });

  it.each([
    [
      'no log group at all',
      { lookBackSeconds: 60, query: 'fields @message' },
      /names no log group/,
    ],
    [
      'an invalid log group name',
      { lookBackSeconds: 60, query: 'fields @message', logGroups: ['bad name!'] },
      /invalid log group name "bad name!"/,
    ],
    ['an empty query', { lookBackSeconds: 60, query: '  ' }, /query must be a Logs Insights query/],
    [
      'log groups that are not a list',
      { lookBackSeconds: 60, query: 'fields @message', logGroups: '/aws/x' },
      /logGroups must be an array/,
    ],
  ])('refuses %s with a 400', async (_case, body, message) => {
    expect(await expectError(MONITOR_API.logsQuery, { body }, 400, 'INVALID_REQUEST')).toMatch(
      message,
    );
  });
});

describe('GET /api/events', () => {
  /** Opens the stream and resolves with the first `change` event's data. */
  function nextChange(): { ready: Promise<void>; change: Promise<ChangeEvent>; close(): void } {
    let request: http.ClientRequest | undefined;
    let ready!: () => void;
    const readyPromise = new Promise<void>((resolve) => (ready = resolve));
    const change = new Promise<ChangeEvent>((resolve, reject) => {
      request = http.get(`${base}${MONITOR_API.events}`, (response) => {
        expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('retry:')) ready();
          const match = /event: change\ndata: (.*)\n\n/.exec(text);
          if (match !== null) resolve(JSON.parse(match[1]) as ChangeEvent);
        });
      });
      request.on('error', reject);
    });
    return { ready: readyPromise, change, close: () => request?.destroy() };
  }

  it('sends a change event after a metric arrives', async () => {
    const stream = nextChange();
    await stream.ready;
    monitor.metrics.put(
      datum(LAMBDA.invocations, { FunctionName: monitor.definitions.names.function }, 1, START),
    );
    expect(await stream.change).toEqual({ now: START, what: ['metrics'] });
    stream.close();
  });

  it("sends a change event after an alarm's state changes", async () => {
    const stream = nextChange();
    await stream.ready;
    await call(MONITOR_API.alarmState(deployAlarmName('msgs-dev')), {
      body: { state: 'OK', reason: 'deployed' },
    });
    expect((await stream.change).what).toContain('alarms');
    stream.close();
  });
});

describe('pages and files', () => {
  it.each(['/', '/logs', `/alarms/${deployAlarmName('msgs-dev')}`])(
    'serves %s as the page, with a strict Content-Security-Policy',
    async (path) => {
      const answer = await call(path);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(answer.text).toMatch(/<script src="\/assets\/main-[A-Z0-9]{8}\.js" defer><\/script>/);
    },
  );

  it('serves the page with a 404 for an alarm that does not exist', async () => {
    const answer = await call('/alarms/msgs-dev-nope');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves the script gzip-compressed when asked, cached for good under its hashed name', async () => {
    const script = /src="(\/assets\/main-[A-Z0-9]{8}\.js)"/.exec((await call('/')).text)?.[1];
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } }, resolve),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const build = monitorPage();
    expect(gunzipSync(Buffer.concat(chunks))).toEqual(
      fs.readFileSync(path.join(build.directory, String(script).slice(1))),
    );
  });

  it.each([
    ['/nope', /no page or endpoint at \/nope/],
    ['/canaries/msgs-dev-api', /no page or endpoint at \/canaries\/msgs-dev-api/],
    ['/assets/missing.js', /no file \/assets\/missing\.js/],
  ])('answers %s with a JSON 404 naming it', async (path, message) => {
    expect(await expectError(path, {}, 404, 'NOT_FOUND')).toMatch(message);
  });

  it('refuses an alarm path that is not valid percent-encoding', async () => {
    expect(await expectError('/api/alarms/%E0%A4%A', {}, 400, 'INVALID_REQUEST')).toMatch(
      /not valid percent-encoding/,
    );
  });

  it('answers a malformed request line with a 400 and keeps serving', async () => {
    const { port } = new URL(base);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call(MONITOR_API.dashboard)).status).toBe(200);
  });

  it('hands what it does not serve to the fallback (the loop serves /canaries/<name>)', async () => {
    const withFallback = await startMonitorServer(monitor.sources, {
      port: 0,
      fallback: (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('the canary page');
      },
    });
    try {
      const response = await fetch(`${withFallback.url}/canaries/msgs-dev-api`);
      expect(await response.text()).toBe('the canary page');
      expect((await fetch(`${withFallback.url}${MONITOR_API.dashboard}`)).status).toBe(200);
    } finally {
      await withFallback.stop();
    }
  });
});

describe("the errors the guard answers before any route (guardedServer's)", () => {
  const codeOf = (body: string) => (JSON.parse(body) as ErrorBody).error.code;

  it('gives each status its own code: 400 BAD_REQUEST, 431 REQUEST_HEADER_FIELDS_TOO_LARGE', async () => {
    const noPath = await rawRequest(base, 'OPTIONS * HTTP/1.1');
    const hugeHeader = await rawRequest(base, `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}`);

    expect([noPath.status, codeOf(noPath.body)]).toEqual([400, 'BAD_REQUEST']);
    expect([hugeHeader.status, codeOf(hugeHeader.body)]).toEqual([
      431,
      'REQUEST_HEADER_FIELDS_TOO_LARGE',
    ]);
  });

  it('answers 503 SERVICE_UNAVAILABLE, with Retry-After, once it is stopping', async () => {
    const stopping = await startFedMonitor('dev');
    try {
      stopping.server.beginStopping();

      const answer = await fetch(`${stopping.server.url}${MONITOR_API.dashboard}`);

      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await answer.json()).toEqual({
        error: { code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
      });
    } finally {
      await stopping.server.stop();
    }
  });
});

describe('hostile request lines', () => {
  it('answers each with a 4xx in JSON, and keeps serving', async () => {
    const answers = [];
    for (const line of HOSTILE_REQUEST_LINES)
      answers.push({ line, ...(await rawRequest(base, line)) });

    for (const answer of answers) {
      expect({ line: answer.line, status: answer.status }).toEqual({
        line: answer.line,
        status: expect.any(Number),
      });
      expect([answer.line, answer.status! >= 400 && answer.status! < 500]).toEqual([
        answer.line,
        true,
      ]);
      expect(() => JSON.parse(answer.body)).not.toThrow();
    }
    expect((await call(MONITOR_API.dashboard)).status).toBe(200);
  });
});
