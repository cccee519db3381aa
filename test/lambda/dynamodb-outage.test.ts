// @tier e2e
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROUTES } from '../../contract/api';
import { DynamoDbLocal } from '../../local/dynamodb-local';
import { failureOf } from '../../local/log-format';
import { freePort } from '../../local/ports';
import {
  apiEvent,
  createEvent,
  startTestFunction,
  type TestFunction,
} from '../support/local-function';

// A DynamoDB Local of this test's own, on disk, so that it can be stopped and started again
// with its data while the function keeps running.
let dataDir: string;
let port: number;
let dynamodb: DynamoDbLocal;
let fn: TestFunction;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outage-'));
  port = await freePort();
  dynamodb = await DynamoDbLocal.start({ port, dataDir });
  fn = await startTestFunction(dynamodb.endpoint);
});
afterAll(async () => {
  await fn.fn.stop();
  await dynamodb.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('DynamoDB Local stopped mid-test', () => {
  it('answers 503 with Retry-After within 3 s, logs an ERROR with the correlation id, and recovers after a restart', async () => {
    expect((await fn.invoke(createEvent({ message: 'before the outage' }))).statusCode).toBe(201);

    await dynamodb.stop();
    for (const event of [
      createEvent(
        { message: 'during the outage' },
        { 'content-type': 'application/json', 'x-correlation-id': 'outage-create' },
      ),
      apiEvent({ routeKey: ROUTES.countMessages, headers: { 'x-correlation-id': 'outage-count' } }),
    ]) {
      const started = performance.now();
      const response = await fn.invoke(event);
      const elapsed = performance.now() - started;
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
        requestId: event.requestContext.requestId,
      });
      expect(response.body).not.toMatch(/ECONNREFUSED|stack|at /);
      expect(elapsed).toBeLessThan(3000);
      const error = await fn.waitForLog(
        (entry) =>
          entry.level === 'ERROR' && entry.correlation_id === event.requestContext.requestId,
      );
      expect(error.caller_correlation_id).toBe(event.headers['x-correlation-id']);
      expect(error.errorCode).toBe('SERVICE_UNAVAILABLE');
      // What the drill says when the API stays down: the error and the network failure under it.
      expect(failureOf(JSON.stringify(error))).toMatch(
        /^DependencyUnavailableError: DynamoDB could not [a-z ]+ ← \w+: .* \(ECONNREFUSED\)$/,
      );
    }

    dynamodb = await DynamoDbLocal.start({ port, dataDir });
    const created = await fn.invoke(createEvent({ message: 'after the restart' }));
    expect(created.statusCode).toBe(201);
    const count = await fn.invoke(apiEvent({ routeKey: ROUTES.countMessages }));
    expect(JSON.parse(count.body)).toEqual({ count: 2 });
  }, 60_000);
});
