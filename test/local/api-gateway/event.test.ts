/**
 * The payload format 2.0 event, against AWS's documented format and its example:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { ROUTES } from '../../../contract/api';
import { buildEvent, newRequestId, type HttpRequest } from '../../../local/api-gateway/event';
import { matchRoute } from '../../../local/api-gateway/routes';

const RECEIVED_AT = new Date(Date.UTC(2020, 2, 12, 19, 3, 58, 390));
const STAMP = { requestId: 'JKJaXmPLvHcESHA=', receivedAt: RECEIVED_AT };

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return { method: 'GET', path: '/messages', headers: {}, ...overrides };
}

describe('the payload 2.0 event', () => {
  it("matches AWS's documented example: lower-case headers, repeated values joined with commas, cookies in a list", () => {
    const event = buildEvent(
      request({
        method: 'POST',
        path: '/my/path',
        rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
        headers: { Header1: 'value1', header2: ['value1', 'value2'], cookie: 'cookie1; cookie2' },
      }),
      { routeKey: '$default' },
      STAMP,
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      cookies: ['cookie1', 'cookie2'],
      headers: { header1: 'value1', header2: 'value1,value2' },
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      requestContext: { http: { method: 'POST', path: '/my/path' }, stage: '$default' },
    });
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it.each([
    ['GET', '/messages', ROUTES.countMessages, undefined],
    ['POST', '/messages', ROUTES.createMessage, undefined],
    ['GET', '/messages/abc%20def', ROUTES.getMessage, { id: 'abc def' }],
  ])(
    '%s %s: the route key twice, the raw path, decoded path parameters',
    (method, path, routeKey, pathParameters) => {
      const route = matchRoute(method, path);
      expect(route).toBeDefined();
      const event = buildEvent(request({ method, path }), route!, STAMP);
      expect(event.routeKey).toBe(routeKey);
      expect(event.requestContext.routeKey).toBe(routeKey);
      expect(event.rawPath).toBe(path);
      expect(event.requestContext.http).toMatchObject({ method, path });
      expect(event.pathParameters).toEqual(pathParameters);
    },
  );

  it('fills requestContext from the request and the time API Gateway received it', () => {
    const event = buildEvent(
      request({
        headers: { host: 'abc123.execute-api.us-west-2.amazonaws.com', 'user-agent': 'curl/8.5' },
        sourceIp: '203.0.113.7',
        protocol: 'HTTP/1.0',
      }),
      { routeKey: ROUTES.countMessages },
      STAMP,
    );
    expect(event.requestContext).toEqual({
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'abc123.execute-api.us-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'GET',
        path: '/messages',
        protocol: 'HTTP/1.0',
        sourceIp: '203.0.113.7',
        userAgent: 'curl/8.5',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: ROUTES.countMessages,
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: RECEIVED_AT.getTime(),
    });
  });

  it('leaves out cookies, query parameters, path parameters and the body when the request has none', () => {
    const event = buildEvent(request(), { routeKey: ROUTES.countMessages }, STAMP);
    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('body');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('decodes query parameters: percent escapes and + as a space', () => {
    const event = buildEvent(
      request({ rawQueryString: 'q=caf%C3%A9+au+lait&empty=' }),
      { routeKey: ROUTES.countMessages },
      STAMP,
    );
    expect(event.queryStringParameters).toEqual({ q: 'café au lait', empty: '' });
  });

  it('joins several Cookie headers into one list', () => {
    const event = buildEvent(
      request({ headers: { cookie: ['a=1; b=2', 'c=3'] } }),
      { routeKey: ROUTES.countMessages },
      STAMP,
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/xml',
    'application/javascript',
    'application/x-www-form-urlencoded',
    'text/plain',
    'TEXT/HTML',
  ])('passes a %s body as text', (contentType) => {
    const event = buildEvent(
      request({
        method: 'POST',
        headers: { 'content-type': contentType },
        body: Buffer.from('{"message":"✓"}'),
      }),
      { routeKey: ROUTES.createMessage },
      STAMP,
    );
    expect(event.body).toBe('{"message":"✓"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it.each([['application/octet-stream'], ['image/png'], ['multipart/form-data; boundary=x'], ['']])(
    'base64-encodes a body of type "%s"',
    (contentType) => {
      const bytes = Buffer.from([0x00, 0xff, 0x7b, 0x0a]);
      const event = buildEvent(
        request({ method: 'POST', headers: { 'content-type': contentType }, body: bytes }),
        { routeKey: ROUTES.createMessage },
        STAMP,
      );
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body!, 'base64').equals(bytes)).toBe(true);
    },
  );

  it.each([
    ['a byte that is never UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['a truncated sequence', Buffer.from('{"message":"\u00e9"}').subarray(0, 13)],
    ['an encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
  ])(
    'base64-encodes a JSON body that is not valid UTF-8 (%s), so the function sees its bytes',
    (_name, bytes) => {
      const event = buildEvent(
        request({ method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }),
        { routeKey: ROUTES.createMessage },
        STAMP,
      );
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body!, 'base64').equals(bytes)).toBe(true);
    },
  );

  it('base64-encodes a body without a content type', () => {
    const event = buildEvent(
      request({ method: 'POST', body: Buffer.from('{"message":"hi"}') }),
      { routeKey: ROUTES.createMessage },
      STAMP,
    );
    expect(event).toMatchObject({ body: 'eyJtZXNzYWdlIjoiaGkifQ==', isBase64Encoded: true });
  });
});

describe('newRequestId', () => {
  it('gives ids in the shape of API Gateway request ids, a new one each time', () => {
    const ids = Array.from({ length: 100 }, newRequestId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(new Set(ids).size).toBe(100);
  });
});
