// @tier e2e
import * as fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROUTES } from '../../contract/api';
import { apiEvent, startTestFunction, type TestFunction } from '../support/local-function';
import { openApiProblems } from '../support/openapi';

let fn: TestFunction;

beforeAll(async () => {
  fn = await startTestFunction();
});
afterAll(() => fn.fn.stop());

const toJson = (value: unknown) => JSON.stringify(value);

// Bodies from valid to hostile: real messages, wrong shapes, random JSON, random text and bytes.
const body = fc.oneof(
  fc.string({ maxLength: 1200, unit: 'grapheme' }).map((message) => toJson({ message })),
  fc.string({ maxLength: 50, unit: 'binary' }).map((message) => toJson({ message })),
  fc.jsonValue({ maxDepth: 3 }).map(toJson),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })).map(toJson),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.constant(undefined),
);
const id = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 60, unit: 'binary' }),
  fc.constant('00000000-0000-4000-8000-000000000000'),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/xml',
      'application/problem+json',
      '',
    ),
    'x-correlation-id': fc.oneof(fc.uuid(), fc.string({ maxLength: 200 })),
  },
  { requiredKeys: [] },
);

const request: fc.Arbitrary<{ template: string; event: APIGatewayProxyEventV2 }> = fc.oneof(
  fc.record({ body, headers, base64: fc.boolean() }).map(({ body: text, headers: h, base64 }) => ({
    template: '/messages',
    event: apiEvent({
      routeKey: ROUTES.createMessage,
      headers: h,
      body: base64 && text !== undefined ? Buffer.from(text).toString('base64') : text,
      isBase64Encoded: base64 && text !== undefined,
    }),
  })),
  fc.record({ id, headers }).map(({ id: value, headers: h }) => ({
    template: '/messages/{id}',
    event: apiEvent({ routeKey: ROUTES.getMessage, pathParameters: { id: value }, headers: h }),
  })),
  headers.map((h) => ({
    template: '/messages',
    event: apiEvent({ routeKey: ROUTES.countMessages, headers: h }),
  })),
);

describe('random requests', () => {
  it('never get a 5xx, and every response is JSON that matches the OpenAPI document', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ template, event }) => {
        const response = await fn.invoke(event);
        expect(response.statusCode).toBeLessThan(500);
        expect(
          openApiProblems(
            event.requestContext.http.method,
            template,
            response.statusCode,
            response.body,
          ),
        ).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
