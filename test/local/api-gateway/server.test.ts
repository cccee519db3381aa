import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CORS, DEFAULT_ROUTE, GATEWAY_ERRORS, ROUTES } from '../../../contract/api';
import type { AccessLogEntry } from '../../../contract/logs';
import { startApiGateway, type ApiGatewayOptions } from '../../../local/api-gateway';
import type { ListeningServer } from '@monitored/cloudwatch-local';

const SITE = 'http://localhost:8080';

/** The front on a free port, with an integration that records each event and answers `result`. */
async function frontWith(
  result: (event: APIGatewayProxyEventV2) => Promise<unknown>,
  options: Partial<ApiGatewayOptions> = {},
) {
  const events: APIGatewayProxyEventV2[] = [];
  const accessLog: AccessLogEntry[] = [];
  const server = await startApiGateway({
    port: 0,
    allowedOrigins: [SITE],
    invoke: (event) => {
      events.push(event);
      return result(event);
    },
    onAccessLog: (entry) => accessLog.push(entry),
    ...options,
  });
  return { server, events, accessLog };
}

const ok = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
  body: '{"count":0}',
});

let front: ListeningServer | undefined;
afterEach(async () => {
  await front?.stop();
  front = undefined;
});

describe('the local API front over HTTP', () => {
  it('hands the function the event of the request: route, query, cookies, headers, binary body', async () => {
    const { server, events } = await frontWith(ok);
    front = server;

    await fetch(`${server.url}/messages?tag=a&tag=b&q=x%20y`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        cookie: 'session=1; theme=dark',
        'X-Correlation-Id': 'web-1',
      },
      body: new Uint8Array([0, 1, 254, 255]),
    });

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      routeKey: ROUTES.createMessage,
      rawPath: '/messages',
      rawQueryString: 'tag=a&tag=b&q=x%20y',
      queryStringParameters: { tag: 'a,b', q: 'x y' },
      cookies: ['session=1', 'theme=dark'],
      isBase64Encoded: true,
      body: Buffer.from([0, 1, 254, 255]).toString('base64'),
      requestContext: { http: { method: 'POST', path: '/messages', sourceIp: '127.0.0.1' } },
    });
    expect(event.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-correlation-id': 'web-1',
    });
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it("answers with the function's response, its CORS headers replaced by the configured ones for an allowed origin", async () => {
    const { server } = await frontWith(ok);
    front = server;

    const allowed = await fetch(`${server.url}/messages`, { headers: { origin: SITE } });
    const foreign = await fetch(`${server.url}/messages`, {
      headers: { origin: 'https://evil.example' },
    });

    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ count: 0 });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-expose-headers')).toBe(CORS.exposeHeaders.join(','));
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight itself, without calling the function', async () => {
    const { server, events } = await frontWith(ok);
    front = server;

    const preflight = await fetch(`${server.url}/messages`, {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'POST' },
    });

    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe(CORS.allowMethods.join(','));
    expect(events).toEqual([]);
  });

  it('sends a path or method without a route of its own to the function on the $default route', async () => {
    const notFound = async () => ({
      statusCode: 404,
      headers: { 'content-type': 'application/json' },
      body: '{"error":{"code":"ROUTE_NOT_FOUND","message":"No route"},"requestId":"r"}',
    });
    const { server, events } = await frontWith(notFound);
    front = server;

    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/messages'],
      ['GET', '/messages/a/b'],
    ]) {
      const response = await fetch(`${server.url}${path}`, { method, headers: { origin: SITE } });
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('ROUTE_NOT_FOUND');
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    }
    expect(
      events.map((event) => [event.routeKey, event.requestContext.http.method, event.rawPath]),
    ).toEqual([
      [DEFAULT_ROUTE, 'GET', '/nope'],
      [DEFAULT_ROUTE, 'DELETE', '/messages'],
      [DEFAULT_ROUTE, 'GET', '/messages/a/b'],
    ]);
  });

  it("gives API Gateway's own 413 for a body over 10 MB, without calling the function", async () => {
    const { server, events, accessLog } = await frontWith(ok);
    front = server;

    const response = await fetch(`${server.url}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(events).toEqual([]);
    expect(accessLog).toEqual([
      expect.objectContaining({
        status: 413,
        errorMessage: GATEWAY_ERRORS.requestTooLarge.message,
        errorResponseType: 'REQUEST_TOO_LARGE',
      }),
    ]);
  });

  it("gives API Gateway's own 500 when the invocation fails, and logs the integration error", async () => {
    const { server, accessLog } = await frontWith(() =>
      Promise.reject(new Error('Runtime.ExitError')),
    );
    front = server;

    const response = await fetch(`${server.url}/messages`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(accessLog).toEqual([
      expect.objectContaining({
        requestId: response.headers.get('apigw-requestid'),
        routeKey: ROUTES.countMessages,
        status: 500,
        integrationError: 'Runtime.ExitError',
        integrationLatency: expect.any(Number),
        errorMessage: 'Internal Server Error',
        errorResponseType: 'INTEGRATION_FAILURE',
      }),
    ]);
  });

  it("gives API Gateway's own 503 when the function does not answer within the integration's timeout", async () => {
    const { server, accessLog } = await frontWith(() => new Promise(() => undefined), {
      integrationTimeoutMs: 50,
    });
    front = server;

    const response = await fetch(`${server.url}/messages`, { headers: { origin: SITE } });

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(accessLog).toEqual([
      expect.objectContaining({
        status: 503,
        errorMessage: 'Service Unavailable',
        errorResponseType: 'INTEGRATION_TIMEOUT',
      }),
    ]);
  });

  it('throttles as the stage does: a burst of requests passes, the rest get 429 without calling the function', async () => {
    // A rate this low adds no token during the test: only the burst passes.
    const { server, events, accessLog } = await frontWith(ok, {
      throttling: { burstLimit: 3, rateLimit: 0.001 },
    });
    front = server;

    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${server.url}/messages`, { headers: { origin: SITE } }),
      ),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const throttled = responses.filter((response) => response.status === 429);
    for (const response of throttled) {
      expect(await response.json()).toEqual({ message: 'Too Many Requests' });
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    }
    expect(events).toHaveLength(3);
    expect(accessLog.filter((entry) => entry.status === 429)).toEqual([
      expect.objectContaining({
        errorMessage: 'Too Many Requests',
        errorResponseType: 'THROTTLED',
      }),
      expect.objectContaining({
        errorMessage: 'Too Many Requests',
        errorResponseType: 'THROTTLED',
      }),
    ]);
  });

  it('answers preflights while it throttles, so that a browser can read the 429 that follows', async () => {
    const { server } = await frontWith(ok, { throttling: { burstLimit: 1, rateLimit: 0.001 } });
    front = server;

    await fetch(`${server.url}/messages`);
    const preflight = await fetch(`${server.url}/messages`, {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'POST' },
    });

    expect(preflight.status).toBe(204);
  });

  it('logs each request with the request id the event carries', async () => {
    const { server, events, accessLog } = await frontWith(ok);
    front = server;

    const response = await fetch(`${server.url}/messages`, { headers: { 'user-agent': 'probe' } });
    await response.arrayBuffer();

    const requestId = response.headers.get('apigw-requestid');
    expect(events[0].requestContext.requestId).toBe(requestId);
    expect(accessLog).toEqual([
      expect.objectContaining({
        requestId,
        requestTime: events[0].requestContext.time,
        routeKey: ROUTES.countMessages,
        status: 200,
        integrationError: '-',
        errorMessage: '-',
        errorResponseType: '-',
        userAgent: 'probe',
        responseLength: '{"count":0}'.length,
      }),
    ]);
  });
});
