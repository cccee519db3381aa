// @tier e2e
/**
 * Every kind of response a client can receive, produced for real by the local API front and the
 * bundled function on DynamoDB Local, and checked against contract/openapi.json: the function's
 * answers and API Gateway's own (unknown route, too large, throttled, crash, timeout).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_ROUTE, IDEMPOTENCY_KEY_HEADER } from '../../contract/api';
import { startApiGateway, type ApiGatewayOptions } from '../../local/api-gateway';
import type { ListeningServer } from '@monitored/cloudwatch-local';
import { startDynamoDbProxy, type DynamoDbProxy } from '../support/dynamodb-proxy';
import { startTestFunction, type TestFunction } from '../support/local-function';
import { openApiProblems } from '../support/openapi';
import { rawRequest } from '../support/raw-http';

let proxy: DynamoDbProxy;
let fn: TestFunction;
const fronts: ListeningServer[] = [];

beforeAll(async () => {
  proxy = await startDynamoDbProxy(String(process.env.TEST_DYNAMODB_ENDPOINT));
  fn = await startTestFunction(proxy.endpoint);
});
afterAll(async () => {
  for (const front of fronts) await front.stop();
  await fn.fn.stop();
  await proxy.close();
});
afterEach(() => {
  proxy.onAnswer = () => 'pass';
  proxy.release();
});

async function front(options: Partial<ApiGatewayOptions> = {}): Promise<string> {
  const server = await startApiGateway({
    port: 0,
    allowedOrigins: [],
    invoke: (event) => fn.fn.invoke(event),
    ...options,
  });
  fronts.push(server);
  return server.url;
}

interface Received {
  readonly status: number;
  readonly body: string;
}

async function send(url: string, init: RequestInit = {}): Promise<Received> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.text() };
}

const post = (body: BodyInit, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('the OpenAPI document describes every response the API gives', () => {
  it.each([
    ['GET', '/messages', 200, {}],
    ['POST', '/messages', 201, post('{"message":"documented"}')],
    ['POST', '/messages', 400, post('{"message":"\u200b\u2060"}')],
    ['POST', '/messages', 400, post(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))],
    ['POST', '/messages', 400, post('{"message":"x"}', { [IDEMPOTENCY_KEY_HEADER]: 'short' })],
    ['POST', '/messages', 413, post(JSON.stringify({ message: 'x'.repeat(17 * 1024) }))],
    ['POST', '/messages', 415, post('message=x', { 'content-type': 'text/plain' })],
    ['GET', '/messages/{id}', 400, {}],
    ['GET', '/messages/{id}', 404, {}],
  ] as const)(
    '%s %s → %i from the function',
    async (method, template, status, init: RequestInit) => {
      const path =
        template === '/messages/{id}'
          ? `/messages/${status === 404 ? '00000000-0000-4000-8000-000000000000' : 'not-an-id'}`
          : template;
      const response = await send(`${await front()}${path}`, { method, ...init });
      expect(response.status).toBe(status);
      expect(openApiProblems(method, template, status, response.body)).toEqual([]);
    },
  );

  it('422 for a key reused with another message', async () => {
    const url = await front();
    const key = { [IDEMPOTENCY_KEY_HEADER]: `"${randomUUID()}"` };
    await send(`${url}/messages`, post('{"message":"first"}', key));
    const response = await send(`${url}/messages`, post('{"message":"second"}', key));
    expect(response.status).toBe(422);
    expect(openApiProblems('POST', '/messages', 422, response.body)).toEqual([]);
  });

  it.each([
    ['GET', '/nope'],
    ['DELETE', '/messages'],
    ['GET', '/messages/a/b'],
  ])('404 ROUTE_NOT_FOUND from the function for %s %s', async (method, path) => {
    const response = await send(`${await front()}${path}`, { method });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error.code).toBe('ROUTE_NOT_FOUND');
    expect(openApiProblems(method, DEFAULT_ROUTE, 404, response.body)).toEqual([]);
  });

  it.each([
    ['a path of raw bytes', 'GET /messages/\u00e9 HTTP/1.1', '/messages/{id}', 400],
    ['a target that is no path', 'GET http://[ HTTP/1.1', DEFAULT_ROUTE, 400],
    ['a 20 KB request line', `GET /messages?${'q'.repeat(20 * 1024)} HTTP/1.1`, '/messages', 431],
  ])('%s: API Gateway answers itself, as documented', async (_what, line, template, status) => {
    const response = await rawRequest(await front(), line);
    expect(response.status).toBe(status);
    expect(openApiProblems('GET', template, status, response.body)).toEqual([]);
  });

  it('413 from API Gateway for a body over its 10 MB', async () => {
    const response = await send(
      `${await front()}/messages`,
      post('x'.repeat(10 * 1024 * 1024 + 1)),
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ message: 'Request Entity Too Large' });
    expect(openApiProblems('POST', '/messages', 413, response.body)).toEqual([]);
  });

  it('429 from API Gateway past the burst', async () => {
    const url = await front({ throttling: { burstLimit: 1, rateLimit: 0.001 } });
    await send(`${url}/messages`);
    const response = await send(`${url}/messages`);
    expect(response.status).toBe(429);
    expect(openApiProblems('GET', '/messages', 429, response.body)).toEqual([]);
    const other = await send(`${url}/nope`);
    expect(other.status).toBe(429);
    expect(openApiProblems('GET', DEFAULT_ROUTE, 429, other.body)).toEqual([]);
  });

  it('500 from API Gateway when the function crashes mid-request', async () => {
    const url = await front();
    proxy.onAnswer = (operation) => (operation === 'GetItem' ? 'hold' : 'pass');
    const reading = proxy.held('GetItem');
    const pending = send(`${url}/messages`);
    await reading;
    process.kill(Number(fn.fn.pid), 'SIGKILL');
    const response = await pending;
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: 'Internal Server Error' });
    expect(openApiProblems('GET', '/messages', 500, response.body)).toEqual([]);
  });

  it('503 from API Gateway when the function outlasts the integration timeout', async () => {
    const url = await front({ integrationTimeoutMs: 300 });
    proxy.onAnswer = (operation) => (operation === 'GetItem' ? 'hold' : 'pass');
    const response = await send(`${url}/messages`);
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ message: 'Service Unavailable' });
    expect(openApiProblems('GET', '/messages', 503, response.body)).toEqual([]);
  });
});
