// @tier e2e
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MAX_BODY_BYTES, MESSAGE_MAX_LENGTH, ROUTES } from '../../contract/api';
import {
  apiEvent,
  createEvent,
  getEvent,
  startTestFunction,
  type TestFunction,
} from '../support/local-function';
import { openApiProblems } from '../support/openapi';

let fn: TestFunction;

beforeAll(async () => {
  fn = await startTestFunction();
});
afterAll(() => fn.fn.stop());

const JSON_CONTENT_TYPE = { 'content-type': 'application/json' };
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

interface BadInput {
  readonly name: string;
  readonly event: APIGatewayProxyEventV2;
  readonly status: number;
  readonly code: string;
}

const BAD_INPUTS: BadInput[] = [
  // Bodies
  {
    name: 'no body',
    event: apiEvent({ routeKey: ROUTES.createMessage, headers: JSON_CONTENT_TYPE }),
    status: 400,
    code: 'BODY_REQUIRED',
  },
  { name: 'empty body', event: createEvent(''), status: 400, code: 'BODY_REQUIRED' },
  { name: 'not JSON', event: createEvent('hello'), status: 400, code: 'INVALID_JSON' },
  {
    name: 'truncated JSON',
    event: createEvent('{"message": "hi"'),
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'JSON with a trailing comma',
    event: createEvent('{"message": "hi",}'),
    status: 400,
    code: 'INVALID_JSON',
  },
  { name: 'JSON null', event: createEvent('null'), status: 400, code: 'INVALID_BODY' },
  {
    name: 'JSON array',
    event: createEvent('[{"message":"hi"}]'),
    status: 400,
    code: 'INVALID_BODY',
  },
  { name: 'JSON string', event: createEvent('"hi"'), status: 400, code: 'INVALID_BODY' },
  { name: 'JSON number', event: createEvent('42'), status: 400, code: 'INVALID_BODY' },
  { name: 'empty object', event: createEvent({}), status: 400, code: 'MESSAGE_REQUIRED' },
  {
    name: 'unknown field besides message',
    event: createEvent({ message: 'hi', author: 'me' }),
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'field named __proto__',
    event: createEvent('{"__proto__": {"x": 1}, "message": "hi"}'),
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'message is a number',
    event: createEvent({ message: 42 }),
    status: 400,
    code: 'MESSAGE_INVALID',
  },
  {
    name: 'message is null',
    event: createEvent({ message: null }),
    status: 400,
    code: 'MESSAGE_INVALID',
  },
  {
    name: 'message is an array',
    event: createEvent({ message: ['hi'] }),
    status: 400,
    code: 'MESSAGE_INVALID',
  },
  {
    name: 'message is an object',
    event: createEvent({ message: { text: 'hi' } }),
    status: 400,
    code: 'MESSAGE_INVALID',
  },
  {
    name: 'message is a boolean',
    event: createEvent({ message: true }),
    status: 400,
    code: 'MESSAGE_INVALID',
  },
  {
    name: 'empty message',
    event: createEvent({ message: '' }),
    status: 400,
    code: 'MESSAGE_EMPTY',
  },
  {
    name: 'white space only',
    event: createEvent({ message: ' \t\n\u00a0\u2003 ' }),
    status: 400,
    code: 'MESSAGE_EMPTY',
  },
  ...(
    [
      ['zero-width characters only', '\u200b\u200c\u200d\u2060\ufeff'],
      ['bidi controls only', '\u202e\u2066\u200f\u061c'],
      ['soft hyphen, grapheme joiner and variation selector', '\u00ad\u034f\ufe0f'],
      ['a Hangul filler', '\u3164'],
      ['tag characters', '\u{e0041}\u{e007f}'],
      ['control characters only', '\u0000\u0007\u001b'],
      ['white space and invisible characters mixed', ' \u200b\u2028\u3000\u180e '],
      ['the Braille pattern blank', '\u2800\u2800'],
      ['combining marks on nothing', '\u0301\u0301 \u20dd'],
    ] as const
  ).map(([name, message]): BadInput => ({
    name: `invisible: ${name}`,
    event: createEvent({ message }),
    status: 400,
    code: 'MESSAGE_EMPTY',
  })),
  {
    name: 'lone surrogate',
    event: createEvent('{"message": "bad \\ud800 text"}'),
    status: 400,
    code: 'MESSAGE_INVALID',
  },
  // Sizes
  {
    name: `message of ${MESSAGE_MAX_LENGTH + 1} characters`,
    event: createEvent({ message: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) }),
    status: 400,
    code: 'MESSAGE_TOO_LONG',
  },
  {
    name: `${MESSAGE_MAX_LENGTH + 1} emoji (code points, not UTF-16 units)`,
    event: createEvent({ message: '😀'.repeat(MESSAGE_MAX_LENGTH + 1) }),
    status: 400,
    code: 'MESSAGE_TOO_LONG',
  },
  {
    name: 'body over the byte limit',
    event: createEvent({ message: ' '.repeat(MAX_BODY_BYTES) + 'x' }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'one megabyte body',
    event: createEvent('x'.repeat(1024 * 1024)),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'base64 body over the byte limit',
    event: apiEvent({
      routeKey: ROUTES.createMessage,
      headers: JSON_CONTENT_TYPE,
      body: b64('{"message":"' + 'x'.repeat(MAX_BODY_BYTES) + '"}'),
      isBase64Encoded: true,
    }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  // Encodings
  {
    name: 'base64 flag on a body that is not base64',
    event: apiEvent({
      routeKey: ROUTES.createMessage,
      headers: JSON_CONTENT_TYPE,
      body: '{"message":"hi"}',
      isBase64Encoded: true,
    }),
    status: 400,
    code: 'INVALID_ENCODING',
  },
  {
    name: 'base64 of bytes that are not UTF-8',
    event: apiEvent({
      routeKey: ROUTES.createMessage,
      headers: JSON_CONTENT_TYPE,
      body: b64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
      isBase64Encoded: true,
    }),
    status: 400,
    code: 'INVALID_ENCODING',
  },
  {
    name: 'a JSON body that is not UTF-8, as sent (API Gateway hands it on base64-encoded)',
    event: apiEvent({
      routeKey: ROUTES.createMessage,
      headers: JSON_CONTENT_TYPE,
      bodyBytes: Buffer.from([...Buffer.from('{"message":"'), 0xc3, 0x28, ...Buffer.from('"}')]),
    }),
    status: 400,
    code: 'INVALID_ENCODING',
  },
  {
    name: 'UTF-16 body (its bytes are UTF-8 with NULs, so not JSON)',
    event: apiEvent({
      routeKey: ROUTES.createMessage,
      headers: JSON_CONTENT_TYPE,
      body: b64(Buffer.from('{"message":"hi"}', 'utf16le')),
      isBase64Encoded: true,
    }),
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'form content type',
    event: createEvent('message=hi', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'text/plain content type',
    event: createEvent({ message: 'hi' }, { 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'multipart content type',
    event: createEvent('--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'JSON in latin-1',
    event: createEvent(
      { message: 'hi' },
      { 'content-type': 'application/json; charset=iso-8859-1' },
    ),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  // Ids
  { name: 'id that is not a UUID', event: getEvent('not-a-uuid'), status: 400, code: 'INVALID_ID' },
  {
    name: 'id one character short',
    event: getEvent('00000000-0000-4000-8000-00000000000'),
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'id with a non-hex character',
    event: getEvent('g0000000-0000-4000-8000-000000000000'),
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'id of the counter item',
    event: getEvent('counter#messages'),
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'id with a path traversal',
    event: getEvent('../../etc/passwd'),
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'id with an SQL injection',
    event: getEvent("' OR 1=1 --"),
    status: 400,
    code: 'INVALID_ID',
  },
  { name: 'empty id', event: getEvent(''), status: 400, code: 'INVALID_ID' },
  { name: 'very long id', event: getEvent('a'.repeat(5000)), status: 400, code: 'INVALID_ID' },
  // Paths and methods the routes do not have
  {
    name: 'DELETE /messages',
    event: apiEvent({ routeKey: '$default', method: 'DELETE', path: '/messages' }),
    status: 404,
    code: 'ROUTE_NOT_FOUND',
  },
  {
    name: 'PUT /messages/{id}',
    event: apiEvent({
      routeKey: '$default',
      method: 'PUT',
      path: '/messages/00000000-0000-4000-8000-000000000000',
    }),
    status: 404,
    code: 'ROUTE_NOT_FOUND',
  },
  {
    name: 'GET /',
    event: apiEvent({ routeKey: '$default', method: 'GET', path: '/' }),
    status: 404,
    code: 'ROUTE_NOT_FOUND',
  },
  {
    name: 'GET /admin',
    event: apiEvent({ routeKey: 'GET /admin', method: 'GET', path: '/admin' }),
    status: 404,
    code: 'ROUTE_NOT_FOUND',
  },
];

describe('bad input is a 4xx with a JSON error body, never a 5xx', () => {
  it.each(BAD_INPUTS)('$name → $status $code', async ({ event, status, code }) => {
    const before = JSON.parse((await fn.invoke(apiEvent())).body).count as number;
    const response = await fn.invoke(event);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      error: { code, message: expect.any(String) },
      requestId: event.requestContext.requestId,
    });
    expect(body.error.message).not.toMatch(/\bat \S+:\d+/);
    expect(JSON.parse((await fn.invoke(apiEvent())).body).count).toBe(before);
  });

  it('matches the OpenAPI document for every documented route', async () => {
    const documented: readonly string[] = Object.values(ROUTES);
    for (const { event } of BAD_INPUTS.filter((input) =>
      documented.includes(input.event.routeKey),
    )) {
      const response = await fn.invoke(event);
      const template = event.routeKey.split(' ')[1];
      expect(
        openApiProblems(
          event.requestContext.http.method,
          template,
          response.statusCode,
          response.body,
        ),
      ).toEqual([]);
    }
  });
});

describe('inputs at the limits are accepted', () => {
  it.each([
    ['exactly the maximum length', 'x'.repeat(MESSAGE_MAX_LENGTH)],
    ['the maximum length in four-byte characters', '😀'.repeat(MESSAGE_MAX_LENGTH)],
    [
      'surrounding white space beyond the maximum, trimmed',
      `   ${'y'.repeat(MESSAGE_MAX_LENGTH)}   `,
    ],
    ['a NUL and control characters', 'a\u0000b\u0007c'],
    ['right-to-left and combining marks', 'שלום e\u0301'],
    ['an emoji sequence joined by zero-width joiners', '👩\u200d💻'],
    ['one visible character among invisible ones', '\u200bx\u2060'],
    ['a combining mark on a visible character', '\u2800e\u0301'],
    ['a Braille pattern with dots', '\u2801'],
  ])('%s', async (_name, message) => {
    const response = await fn.invoke(createEvent({ message }));
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).message).toBe(message.trim());
  });

  it('accepts a base64-encoded UTF-8 body and a +json content type', async () => {
    const event = apiEvent({
      routeKey: ROUTES.createMessage,
      headers: { 'content-type': 'application/vnd.api+json; charset=UTF-8' },
      body: b64('{"message":"encoded ✓"}'),
      isBase64Encoded: true,
    });
    const response = await fn.invoke(event);
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).message).toBe('encoded ✓');
  });

  it('accepts a body without a content type', async () => {
    expect((await fn.invoke(createEvent({ message: 'no type' }, {}))).statusCode).toBe(201);
  });
});
