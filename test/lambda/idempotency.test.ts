// @tier e2e
/**
 * Safe retries with Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header), against
 * DynamoDB Local: one message and one count per key, whatever the retries and their timing.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_TTL_SECONDS,
  ROUTES,
  UUID_PATTERN,
} from '../../contract/api';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../../contract/function';
import { startApiGateway } from '../../local/api-gateway';
import { localClient } from '../../local/dynamodb-local';
import { startDynamoDbProxy } from '../support/dynamodb-proxy';
import {
  apiEvent,
  createEvent,
  startTestFunction,
  type TestFunction,
} from '../support/local-function';
import { openApiProblems } from '../support/openapi';

const endpoint = () => String(process.env.TEST_DYNAMODB_ENDPOINT);

let fn: TestFunction;
beforeAll(async () => {
  fn = await startTestFunction();
});
afterAll(() => fn.fn.stop());

/** A fresh key in the header's syntax: an RFC 8941 string, quotes included. */
const newKey = () => `"${randomUUID()}"`;
const keyed = (key: string) => ({
  'content-type': 'application/json',
  [IDEMPOTENCY_KEY_HEADER]: key,
});

async function count(target: TestFunction = fn): Promise<number> {
  const response = await target.invoke(apiEvent({ routeKey: ROUTES.countMessages }));
  return (JSON.parse(response.body) as { count: number }).count;
}

/** The ids of the message items in the table that hold `text`. */
async function storedIdsOf(tableName: string, text: string): Promise<string[]> {
  const client = localClient(endpoint());
  try {
    const { Items = [] } = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'message = :text',
        ExpressionAttributeValues: { ':text': { S: text } },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => String(item[TABLE_KEY.partitionKey]?.S)).filter((id) =>
      UUID_PATTERN.test(id),
    );
  } finally {
    client.destroy();
  }
}

describe('POST /messages with an Idempotency-Key', () => {
  it('stores the message once for the same key twice: the same 201, id, createdAt and Location', async () => {
    const key = newKey();
    const before = await count();

    const first = await fn.invoke(createEvent({ message: 'once only' }, keyed(key)));
    const second = await fn.invoke(createEvent({ message: 'once only' }, keyed(key)));

    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(JSON.parse(second.body)).toEqual(JSON.parse(first.body));
    expect(second.headers.location).toBe(first.headers.location);
    expect(await count()).toBe(before + 1);
    expect(await storedIdsOf(fn.tableName, 'once only')).toEqual([JSON.parse(first.body).id]);
    expect(openApiProblems('POST', '/messages', 201, second.body)).toEqual([]);
  });

  it('stores one message for 50 concurrent requests with one key, and all get 201 with its id', async () => {
    const key = newKey();
    const before = await count();

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fn.invoke(createEvent({ message: 'fifty at once' }, keyed(key))),
      ),
    );

    expect(responses.map((response) => response.statusCode)).toEqual(Array(50).fill(201));
    const ids = new Set(responses.map((response) => JSON.parse(response.body).id as string));
    expect(ids.size).toBe(1);
    expect(await count()).toBe(before + 1);
    expect(await storedIdsOf(fn.tableName, 'fifty at once')).toEqual([...ids]);
  }, 60_000);

  it('refuses the same key with another message: 422 IDEMPOTENCY_KEY_REUSED, nothing stored', async () => {
    const key = newKey();
    await fn.invoke(createEvent({ message: 'the first body' }, keyed(key)));
    const before = await count();

    const reused = await fn.invoke(createEvent({ message: 'another body' }, keyed(key)));

    expect(reused.statusCode).toBe(422);
    expect(JSON.parse(reused.body).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(openApiProblems('POST', '/messages', 422, reused.body)).toEqual([]);
    expect(await count()).toBe(before);
    expect(await storedIdsOf(fn.tableName, 'another body')).toEqual([]);
  });

  it('treats a key whose time has passed as unused, though TTL has not deleted it yet', async () => {
    const key = newKey();
    const first = JSON.parse(
      (await fn.invoke(createEvent({ message: 'expires' }, keyed(key)))).body,
    );
    // What a day later looks like to the store: the key item is still there, its expiry passed.
    const client = localClient(endpoint());
    await client.send(
      new UpdateItemCommand({
        TableName: fn.tableName,
        Key: { [TABLE_KEY.partitionKey]: { S: `idempotency#${key.slice(1, -1)}` } },
        UpdateExpression: 'SET #expires = :past',
        ConditionExpression: 'attribute_exists(#expires)',
        ExpressionAttributeNames: { '#expires': TABLE_TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 1) } },
      }),
    );
    client.destroy();
    const before = await count();

    const again = await fn.invoke(createEvent({ message: 'expires' }, keyed(key)));
    const replay = await fn.invoke(createEvent({ message: 'expires' }, keyed(key)));

    expect(again.statusCode).toBe(201);
    const second = JSON.parse(again.body);
    expect(second.id).not.toBe(first.id);
    expect(JSON.parse(replay.body).id).toBe(second.id);
    expect(await count()).toBe(before + 1);
  });

  it(`keeps a key for ${IDEMPOTENCY_KEY_TTL_SECONDS / 3600} hours: its item expires then, by the table's TTL attribute`, async () => {
    const key = newKey();
    const sent = Math.floor(Date.now() / 1000);
    await fn.invoke(createEvent({ message: 'kept a day' }, keyed(key)));
    const client = localClient(endpoint());
    const { Items = [] } = await client.send(
      new ScanCommand({
        TableName: fn.tableName,
        FilterExpression: '#id = :id',
        ExpressionAttributeNames: { '#id': TABLE_KEY.partitionKey },
        ExpressionAttributeValues: { ':id': { S: `idempotency#${key.slice(1, -1)}` } },
        ConsistentRead: true,
      }),
    );
    client.destroy();
    expect(IDEMPOTENCY_KEY_TTL_SECONDS).toBe(24 * 60 * 60);
    expect(Items).toHaveLength(1);
    const expiresAt = Number(Items[0][TABLE_TTL_ATTRIBUTE]?.N);
    expect(expiresAt).toBeGreaterThanOrEqual(sent + IDEMPOTENCY_KEY_TTL_SECONDS);
    expect(expiresAt).toBeLessThanOrEqual(sent + IDEMPOTENCY_KEY_TTL_SECONDS + 60);
    // A hash of the request, not the request: the key item holds no message text.
    expect(JSON.stringify(Items[0])).not.toContain('kept a day');
  });

  it.each([
    ['unquoted (the draft makes it an RFC 8941 string)', randomUUID()],
    ['too short', '"abc"'],
    ['empty', '""'],
    ['too long', `"${'k'.repeat(129)}"`],
    ['a character outside letters, digits and - _ . :', '"8e03978e 40d5-43e8-bc93-6894a57f9324"'],
    ['two keys (a repeated header, joined by a comma)', `${newKey()},${newKey()}`],
  ])('refuses a key that is %s: 400 IDEMPOTENCY_KEY_INVALID, nothing stored', async (_, key) => {
    const before = await count();
    const response = await fn.invoke(createEvent({ message: 'bad key' }, keyed(key)));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(openApiProblems('POST', '/messages', 400, response.body)).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('still stores every request without a key as a new message', async () => {
    const before = await count();
    await fn.invoke(createEvent({ message: 'no key' }));
    await fn.invoke(createEvent({ message: 'no key' }));
    expect(await count()).toBe(before + 2);
  });
});

describe('the function dies after its transaction committed', () => {
  it('answers the retry with the same key with the first id, and stores one message', async () => {
    const proxy = await startDynamoDbProxy(endpoint());
    const target = await startTestFunction(proxy.endpoint);
    const gateway = await startApiGateway({
      port: 0,
      allowedOrigins: [],
      invoke: (event) => target.fn.invoke(event),
    });
    try {
      const key = newKey();
      const post = () =>
        fetch(`${gateway.url}/messages`, {
          method: 'POST',
          headers: keyed(key),
          body: JSON.stringify({ message: 'committed, then the function died' }),
        });
      // DynamoDB Local has applied the transaction; the function never hears so, and dies.
      proxy.onAnswer = (operation) => (operation === 'TransactWriteItems' ? 'hold' : 'pass');
      const committed = proxy.held('TransactWriteItems');
      const lost = post();
      await committed;
      proxy.onAnswer = () => 'pass';
      process.kill(Number(target.fn.pid), 'SIGKILL');

      const failed = await lost;
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ message: 'Internal Server Error' });
      const stored = await storedIdsOf(target.tableName, 'committed, then the function died');
      expect(stored).toHaveLength(1);

      const retried = await post();
      expect(retried.status).toBe(201);
      expect((await retried.json()).id).toBe(stored[0]);
      expect(await storedIdsOf(target.tableName, 'committed, then the function died')).toEqual(
        stored,
      );
      expect(await count(target)).toBe(1);
    } finally {
      await gateway.stop();
      await target.fn.stop();
      await proxy.close();
    }
  });
});
