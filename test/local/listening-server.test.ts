// @tier e2e
import { buildWebsite } from '../../bundling/website';
import { startApiGateway } from '../../local/api-gateway';
import {
  guardedServer,
  ListeningServer,
  requestTarget,
  type GuardedServerOptions,
} from '@monitored/cloudwatch-local';
import { startDynamoDbEndpoint } from '../../local/dynamodb-endpoint';
import { startDynamoDbProxy } from '../../local/monitoring/dynamodb-proxy';
import { startWebsiteServer } from '../../local/website-server';
import { HOSTILE_REQUEST_LINES, rawRequest, requestWithHost } from '../support/raw-http';
import { startFedMonitor } from '../support/monitor';
import { dynamoDbCall } from '../support/dynamodb-http';

const servers: ListeningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function started(server: Promise<ListeningServer>): Promise<ListeningServer> {
  const listening = await server;
  servers.push(listening);
  return listening;
}

/** The run's DynamoDB Local (test/support/global-setup.ts). */
const dynamodbLocal = () => {
  const value = process.env.TEST_DYNAMODB_ENDPOINT;
  if (value === undefined) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run with jest');
  return value;
};

const jsonErrors: GuardedServerOptions['errorAnswer'] = (status) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: `status ${status}` }),
});

describe('requestTarget', () => {
  it.each([
    ['/messages?x=1', { path: '/messages', query: 'x=1' }],
    ['//', { path: '//', query: '' }],
    ['//x/index.html', { path: '//x/index.html', query: '' }],
    ['/a%2Fb#frag', { path: '/a%2Fb', query: '' }],
    ['http://example.com/messages?y', { path: '/messages', query: 'y' }],
  ])('reads %j as sent', (raw, expected) => {
    expect(requestTarget(raw)).toEqual(expected);
  });

  it.each(['*', 'example.com:443', 'http://[', 'http://a:b/', 'ftp://x/'])(
    'finds no path in %j',
    (raw) => {
      expect(requestTarget(raw)).toBeUndefined();
    },
  );
});

describe('a guarded server', () => {
  it('answers 500 in its own shape when the handler throws or rejects, and keeps serving', async () => {
    const errors: unknown[] = [];
    const server = await started(
      ListeningServer.listen(
        guardedServer({
          errorAnswer: jsonErrors,
          onError: (error) => errors.push(error),
          handle: (_request, response, target) => {
            if (target.path === '/throws') throw new Error('thrown');
            if (target.path === '/rejects') return Promise.reject(new Error('rejected'));
            if (target.path === '/after-headers') {
              response.writeHead(200);
              response.write('partial');
              throw new Error('after headers');
            }
            response.end('ok');
            return undefined;
          },
        }),
        0,
      ),
    );

    const thrown = await fetch(`${server.url}/throws`);
    const rejected = await fetch(`${server.url}/rejects`);
    const afterHeaders = fetch(`${server.url}/after-headers`).then((response) => response.text());

    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ message: 'status 500' });
    expect(rejected.status).toBe(500);
    expect(await rejected.json()).toEqual({ message: 'status 500' });
    // Headers already sent: the only honest signal left is a cut connection.
    await expect(afterHeaders).rejects.toThrow();
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'thrown',
      'rejected',
      'after headers',
    ]);
    expect(await (await fetch(`${server.url}/fine`)).text()).toBe('ok');
  });
});

/** The error shape a server answers a request it refuses with. */
type Shape = 'page' | 'api-gateway' | 'dynamodb';

/** A request each server serves: the website's index, the API's count, DynamoDB's ListTables. */
async function servedStatus(url: string, shape: Shape): Promise<number> {
  if (shape === 'dynamodb') return (await dynamoDbCall(url, 'ListTables', '{}')).status;
  return (await fetch(`${url}${shape === 'api-gateway' ? '/messages' : '/'}`)).status;
}

describe.each<[string, () => Promise<ListeningServer>, Shape]>([
  [
    'the website server',
    () =>
      startWebsiteServer({
        port: 0,
        build: buildWebsite(),
        config: { apiUrl: 'http://127.0.0.1:1' },
      }),
    'page',
  ],
  [
    'the local API front',
    () =>
      startApiGateway({
        port: 0,
        allowedOrigins: [],
        // As the function answers: the count on its route, its JSON 404 on `$default`.
        invoke: async (event) =>
          event.routeKey === '$default'
            ? { statusCode: 404, body: '{"error":{"code":"ROUTE_NOT_FOUND"}}' }
            : { statusCode: 200, body: '{"count":0}' },
      }),
    'api-gateway',
  ],
  [
    "DynamoDB Local's printed endpoint",
    () => startDynamoDbEndpoint({ port: 0, target: dynamodbLocal() }),
    'dynamodb',
  ],
  [
    'the DynamoDB metrics proxy',
    () => startDynamoDbProxy({ target: dynamodbLocal(), record: () => undefined, now: Date.now }),
    'dynamodb',
  ],
])('%s', (_name, start, shape) => {
  it('answers every hostile request line with a 4xx and stays up', async () => {
    const server = await started(start());

    const answers = [];
    for (const line of HOSTILE_REQUEST_LINES)
      answers.push({ line, ...(await rawRequest(server.url, line)) });

    for (const answer of answers) {
      expect({ line: answer.line, status: answer.status }).toEqual({
        line: answer.line,
        status: expect.any(Number),
      });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      // JSON either way: API Gateway's own {"message"} or, on `$default`, the function's.
      if (shape === 'api-gateway') expect(() => JSON.parse(answer.body)).not.toThrow();
      if (shape === 'api-gateway' && answer.status === 400) {
        expect(answer.headers['content-type']).toBe('application/json');
        expect(JSON.parse(answer.body)).toEqual({ message: 'Bad Request' });
      }
      // DynamoDB's shape, whether the guard or DynamoDB Local refused it.
      if (shape === 'dynamodb') {
        expect(answer.headers['content-type']).toBe('application/x-amz-json-1.0');
        expect(JSON.parse(answer.body)).toEqual(
          expect.objectContaining({ __type: expect.any(String) }),
        );
      }
    }
    expect(await servedStatus(server.url, shape)).toBe(200);
  });
});

/** DynamoDB's error shape, with the name the request was for: DynamoDB documents no answer. */
const dynamoDbMisdirected = (body: string) =>
  expect(JSON.parse(body)).toEqual({
    __type: 'MisdirectedRequest',
    message: expect.stringMatching(
      /^this server answers only http:\/\/127\.0\.0\.1:\d+ \(or localhost:\d+\), not evil\.example:\d+$/,
    ),
  });

/** DynamoDB Local's own answer to a GET without credentials: the request reached it. */
const dynamoDbReached = (answer: { status: number; body: string }) =>
  expect([answer.status, (JSON.parse(answer.body) as { __type: string }).__type]).toEqual([
    400,
    'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken',
  ]);

/**
 * DNS rebinding: a page on evil.example whose name is made to resolve to 127.0.0.1 reaches a local
 * server with `Host: evil.example:<port>`, as its own origin, so the browser lets it read the
 * answers and post. Each local server answers only the names it printed (127.0.0.1 and localhost
 * with its port); AWS's do the same with names they do not serve: API Gateway 403 `Forbidden`,
 * CloudFront 403 for a name that is not the distribution's.
 */
describe.each([
  [
    'the monitor',
    async () => (await startFedMonitor('dev')).server,
    '/api/dashboard',
    421,
    (body: string) =>
      expect(JSON.parse(body)).toEqual({
        error: {
          code: 'MISDIRECTED_REQUEST',
          message: expect.stringMatching(
            /^this server answers only http:\/\/127\.0\.0\.1:\d+ \(or localhost:\d+\), not evil\.example:\d+$/,
          ),
        },
      }),
    (answer: { status: number }) => expect(answer.status).toBe(200),
  ],
  [
    'the local API front',
    () =>
      startApiGateway({
        port: 0,
        allowedOrigins: [],
        invoke: async () => ({ statusCode: 200, body: '{"count":0}' }),
      }),
    '/messages',
    403,
    (body: string) => expect(JSON.parse(body)).toEqual({ message: 'Forbidden' }),
    (answer: { status: number }) => expect(answer.status).toBe(200),
  ],
  [
    'the website server',
    () =>
      startWebsiteServer({
        port: 0,
        build: buildWebsite(),
        config: { apiUrl: 'http://127.0.0.1:1' },
      }),
    '/',
    403,
    (body: string) =>
      expect(body).toMatch(/^The request could not be satisfied: this server answers only /),
    (answer: { status: number }) => expect(answer.status).toBe(200),
  ],
  [
    "DynamoDB Local's printed endpoint",
    () => startDynamoDbEndpoint({ port: 0, target: dynamodbLocal() }),
    '/',
    421,
    dynamoDbMisdirected,
    dynamoDbReached,
  ],
  [
    'the DynamoDB metrics proxy',
    () => startDynamoDbProxy({ target: dynamodbLocal(), record: () => undefined, now: Date.now }),
    '/',
    421,
    dynamoDbMisdirected,
    dynamoDbReached,
  ],
])('%s, reached under a name it did not print', (_name, start, path, status, checkBody, served) => {
  it('answers the names it printed, 127.0.0.1 and localhost with its port', async () => {
    const server = await started(start());
    const { port } = new URL(server.url);

    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`])
      served(await requestWithHost(server.url, path, host));
  });

  it.each([
    ['a rebound name', (port: string) => `evil.example:${port}`],
    ['another port', () => '127.0.0.1:1'],
    ['no port', () => '127.0.0.1'],
    ['a name that ends like localhost', (port: string) => `localhost.evil.example:${port}`],
  ])('refuses %s, in its own shape, without serving the request', async (_case, host) => {
    const server = await started(start());
    const { port } = new URL(server.url);

    const answer = await requestWithHost(server.url, path, host(port));

    expect(answer.status).toBe(status);
    if (host(port).startsWith('evil.example')) checkBody(answer.body);
  });

  it('refuses an absolute-form target naming another host, whatever its Host header says', async () => {
    const server = await started(start());
    const { port } = new URL(server.url);

    const answer = await rawRequest(server.url, `GET http://evil.example:${port}${path} HTTP/1.1`);

    expect(answer.status).toBe(status);
  });
});
