// @tier e2e
import { ROUTES, UUID_PATTERN } from '../../contract/api';
import { LOG_FIELDS } from '../../contract/logs';
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

describe('happy paths of the bundled handler against DynamoDB Local', () => {
  it('counts zero messages on an empty table', async () => {
    // A table of its own: the shared one holds whatever the other tests created.
    const empty = await startTestFunction();
    try {
      const response = await empty.invoke(apiEvent({ routeKey: ROUTES.countMessages }));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ count: 0 });
    } finally {
      await empty.fn.stop();
    }
  });

  it('creates a message: 201, a UUID, the trimmed text, a Location header', async () => {
    const response = await fn.invoke(createEvent({ message: '  hello world  ' }));
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body) as { id: string; message: string; createdAt: string };
    expect(body.id).toMatch(UUID_PATTERN);
    expect(body.message).toBe('hello world');
    expect(Date.parse(body.createdAt)).not.toBeNaN();
    expect(response.headers.location).toBe(`/messages/${body.id}`);
    expect(openApiProblems('POST', '/messages', 201, response.body)).toEqual([]);
  });

  it('reads a created message back by id, also with the id in upper case', async () => {
    const created = JSON.parse(
      (await fn.invoke(createEvent({ message: 'read me ✓ 🎉' }))).body,
    ) as { id: string };
    const response = await fn.invoke(getEvent(created.id));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ id: created.id, message: 'read me ✓ 🎉' });
    expect(openApiProblems('GET', '/messages/{id}', 200, response.body)).toEqual([]);
    const upper = await fn.invoke(getEvent(created.id.toUpperCase()));
    expect(JSON.parse(upper.body)).toMatchObject({ id: created.id });
  });

  it('answers 404 MESSAGE_NOT_FOUND for a well-formed id nobody created', async () => {
    const response = await fn.invoke(getEvent('00000000-0000-4000-8000-000000000000'));
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body).error.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('counts exactly the messages created', async () => {
    const before = (JSON.parse((await fn.invoke(apiEvent())).body) as { count: number }).count;
    for (let i = 0; i < 7; i++) {
      expect((await fn.invoke(createEvent({ message: `message ${i}` }))).statusCode).toBe(201);
    }
    const after = await fn.invoke(apiEvent());
    expect(JSON.parse(after.body)).toEqual({ count: before + 7 });
    expect(openApiProblems('GET', '/messages', 200, after.body)).toEqual([]);
  });

  it('stores HTML as plain text, unchanged', async () => {
    const html = '<img src=x onerror="window.__pwned=1">';
    const created = JSON.parse((await fn.invoke(createEvent({ message: html }))).body) as {
      id: string;
    };
    expect(JSON.parse((await fn.invoke(getEvent(created.id))).body).message).toBe(html);
  });
});

describe('logs', () => {
  it("carries the caller's x-correlation-id and the request id on every line of the request", async () => {
    const correlationId = `canary-api-step1-${Date.now()}`;
    const event = createEvent(
      { message: 'follow me' },
      { 'content-type': 'application/json', 'x-correlation-id': correlationId },
    );
    const response = await fn.invoke(event);
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    const { callerCorrelationId, correlationId: requestIdField, message, level } = LOG_FIELDS;
    await fn.waitForLog(
      (entry) => entry[callerCorrelationId] === correlationId && entry[message] === 'request',
    );
    const lines = fn.logEntries().filter((entry) => entry[callerCorrelationId] === correlationId);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line[requestIdField]).toBe(event.requestContext.requestId);
    expect(lines.find((line) => line[message] === 'request')).toMatchObject({
      [level]: 'INFO',
      [LOG_FIELDS.method]: 'POST',
      [LOG_FIELDS.route]: 'POST /messages',
      [LOG_FIELDS.status]: 201,
      service: 'messages-api',
      function_name: 'msgs-test-api',
    });
    expect(lines.some((line) => line.level === 'DEBUG')).toBe(true);
  });

  it('ignores an x-correlation-id that could break a log query, and echoes the request id instead', async () => {
    const event = apiEvent({ headers: { 'x-correlation-id': 'bad id" | fields @message' } });
    const response = await fn.invoke(event);
    expect(response.headers['x-correlation-id']).toBe(event.requestContext.requestId);
    const line = await fn.waitForLog(
      (entry) =>
        entry.correlation_id === event.requestContext.requestId && entry.message === 'request',
    );
    expect(line).not.toHaveProperty('caller_correlation_id');
  });

  it('logs a WARN with the reason for a 4xx', async () => {
    const event = createEvent({ message: '' });
    await fn.invoke(event);
    const warn = await fn.waitForLog(
      (entry) => entry.correlation_id === event.requestContext.requestId && entry.level === 'WARN',
    );
    expect(warn).toMatchObject({ message: 'request rejected', errorCode: 'MESSAGE_EMPTY' });
  });
});
