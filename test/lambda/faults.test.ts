// @tier e2e
import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createHandler } from '../../lambda/handler';
import { MessageStore } from '../../lambda/message-store';
import { apiEvent, createEvent, startTestFunction } from '../support/local-function';
import { openApiProblems } from '../support/openapi';

describe('a server fault produced for real: the table does not exist', () => {
  it('answers 500 INTERNAL_ERROR as JSON with the request id, no stack trace, and logs the cause', async () => {
    const fn = await startTestFunction(undefined, 'no-such-table', { createTable: false });
    try {
      const event = createEvent({ message: 'into the void' });
      const response = await fn.invoke(event);
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'INTERNAL_ERROR', message: expect.any(String) },
        requestId: event.requestContext.requestId,
      });
      expect(response.body).not.toMatch(/ResourceNotFound|no-such-table|\bat /);
      expect(openApiProblems('POST', '/messages', 500, response.body)).toEqual([]);
      const error = await fn.waitForLog(
        (entry) =>
          entry.level === 'ERROR' && entry.correlation_id === event.requestContext.requestId,
      );
      expect(JSON.stringify(error.error)).toContain('ResourceNotFoundException');
    } finally {
      await fn.fn.stop();
    }
  });
});

// Throttling and exhausted transaction conflicts cannot be produced on DynamoDB Local, so these
// tests hand the real handler and store a client whose send() fails the way DynamoDB's does.
function failingClient(error: Error): DynamoDBClient {
  return { send: () => Promise.reject(error) } as unknown as DynamoDBClient;
}
const context = { awsRequestId: 'local', functionName: 'test' } as Context;

describe('faults DynamoDB Local cannot produce', () => {
  // The handler runs in this process here; keep its log lines out of the test report.
  const quiet: jest.SpyInstance[] = [];
  beforeAll(() => {
    quiet.push(jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
    quiet.push(jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
  });
  afterAll(() => quiet.forEach((spy) => spy.mockRestore()));

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    const throttled = new ProvisionedThroughputExceededException({
      message: 'Rate exceeded',
      $metadata: {},
    });
    const handler = createHandler(new MessageStore(failingClient(throttled), 'table'));
    const response = await handler(apiEvent(), context);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(JSON.parse(response.body as string).error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('retries transaction conflicts on the counter, then answers 503 rather than hanging', async () => {
    let attempts = 0;
    const conflict = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    const tokens: string[] = [];
    const client = {
      send: (command: { input: { ClientRequestToken: string } }) => {
        attempts++;
        tokens.push(command.input.ClientRequestToken);
        return Promise.reject(conflict);
      },
    } as unknown as DynamoDBClient;
    const handler = createHandler(new MessageStore(client, 'table'));
    const response = await handler(createEvent({ message: 'contended' }), context);
    expect(response.statusCode).toBe(503);
    expect(attempts).toBeGreaterThan(1);
    // A cancelled transaction wrote nothing: each new attempt is a new request with its own token.
    expect(new Set(tokens).size).toBe(attempts);
  });

  it('answers 500 for a fault it does not know, without its message', async () => {
    const handler = createHandler(
      new MessageStore(failingClient(new Error('secret internal detail')), 'table'),
    );
    const response = await handler(apiEvent(), context);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internal detail');
  });
});
