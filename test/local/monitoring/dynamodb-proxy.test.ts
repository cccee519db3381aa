// @tier e2e
import { METRICS } from '../../../stacks/monitoring/catalogue';
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ROUTES } from '../../../contract/api';
import { localClient } from '../../../local/dynamodb-local';
import { type ListeningServer, MetricStore, type MetricDatum } from '@monitored/cloudwatch-local';
import { startDynamoDbProxy } from '../../../local/monitoring/dynamodb-proxy';
import { requestWithHost } from '../../support/raw-http';
import { ensureMessagesTable } from '../../../local/table';
import {
  apiEvent,
  createEvent,
  getEvent,
  startTestFunction,
  type TestFunction,
} from '../../support/local-function';

const endpoint = () => {
  const value = process.env.TEST_DYNAMODB_ENDPOINT;
  if (value === undefined) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run with jest');
  return value;
};

describe('the DynamoDB proxy', () => {
  const recorded: MetricDatum[] = [];
  const store = new MetricStore({ catalogue: METRICS });
  let proxy: ListeningServer;
  let fn: TestFunction;
  const table = `proxy-${randomUUID()}`;

  beforeAll(async () => {
    proxy = await startDynamoDbProxy({
      target: endpoint(),
      now: () => Date.now(),
      // Through the store, so that every datum is checked against the catalogue.
      record: (point) => {
        store.put(point);
        recorded.push(point);
      },
    });
    const client = localClient(endpoint());
    await ensureMessagesTable(client, table);
    client.destroy();
    fn = await startTestFunction(proxy.url, table, { createTable: false });
  });
  afterAll(async () => {
    await fn.fn.stop();
    await proxy.stop();
  });
  beforeEach(() => recorded.splice(0));

  const names = () =>
    recorded.map(
      (point) => `${point.metricName} ${JSON.stringify(point.dimensions)} ${point.value}`,
    );

  it('answers only the name it listens under: a page under a rebound name gets 421 and reaches no table', async () => {
    const { port } = new URL(proxy.url);

    const answer = await requestWithHost(proxy.url, '/', `evil.example:${port}`);

    expect(answer.status).toBe(421);
    expect(recorded).toEqual([]);
  });

  it("records a read's latency per operation and its consumed read capacity", async () => {
    const response = await fn.invoke(apiEvent({ routeKey: ROUTES.countMessages }));
    expect(response.statusCode).toBe(200);
    expect(names()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^SuccessfulRequestLatency \\{"TableName":"${table}","Operation":"GetItem"\\} \\d`,
        ),
      ),
      `ConsumedReadCapacityUnits {"TableName":"${table}"} 1`,
    ]);
  });

  it('records a transaction as DynamoDB does: two write units per item (prepare and commit)', async () => {
    const created = await fn.invoke(createEvent({ message: 'through the proxy' }));
    expect(created.statusCode).toBe(201);
    expect(names()).toContain(`ConsumedWriteCapacityUnits {"TableName":"${table}"} 4`);
    expect(
      names().some((line) =>
        line.startsWith(
          `SuccessfulRequestLatency {"TableName":"${table}","Operation":"TransactWriteItems"}`,
        ),
      ),
    ).toBe(true);
    const read = await fn.invoke(getEvent((JSON.parse(created.body) as { id: string }).id));
    expect(read.statusCode).toBe(200);
  });

  it('gives the client only what it asked for: ConsumedCapacity when requested, none otherwise', async () => {
    const client = localClient(proxy.url);
    try {
      const plain = await client.send(
        new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } }),
      );
      expect(plain.ConsumedCapacity).toBeUndefined();
      const asked = await client.send(
        new GetItemCommand({
          TableName: table,
          Key: { id: { S: 'x' } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(asked.ConsumedCapacity).toEqual({ TableName: table, CapacityUnits: 0.5 });
    } finally {
      client.destroy();
    }
  });
});

describe('the DynamoDB proxy in front of a failing DynamoDB', () => {
  // DynamoDB Local never throttles, fails, or cancels a transaction for a conflict (it runs them one
  // at a time): a small server answers as DynamoDB does when it does.
  let upstream: http.Server;
  let answer: { status: number; body: object };
  beforeAll(async () => {
    upstream = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  async function send(operation: string, body: object): Promise<MetricDatum[]> {
    const recorded: MetricDatum[] = [];
    const { port } = upstream.address() as { port: number };
    const proxy = await startDynamoDbProxy({
      target: `http://127.0.0.1:${port}`,
      now: () => 0,
      record: (point) => recorded.push(point),
    });
    try {
      await fetch(proxy.url, {
        method: 'POST',
        headers: {
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'content-type': 'application/x-amz-json-1.0',
        },
        body: JSON.stringify(body),
      });
    } finally {
      await proxy.stop();
    }
    return recorded;
  }

  it('records a 500 as SystemErrors of the operation', async () => {
    answer = {
      status: 500,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' },
    };
    expect(await send('GetItem', { TableName: 'msgs-dev-messages' })).toEqual([
      expect.objectContaining({
        metricName: 'SystemErrors',
        dimensions: { TableName: 'msgs-dev-messages', Operation: 'GetItem' },
        value: 1,
      }),
    ]);
  });

  it('records a throttled write as ThrottledRequests and a write throttle event', async () => {
    answer = {
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException' },
    };
    const recorded = await send('TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'msgs-dev-messages' } }],
    });
    expect(recorded.map((point) => point.metricName)).toEqual([
      'ThrottledRequests',
      'WriteThrottleEvents',
    ]);
  });

  it('records the conflicting items of a cancelled transaction as TransactionConflict', async () => {
    answer = {
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      },
    };
    const recorded = await send('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'msgs-dev-messages' } },
        { Update: { TableName: 'msgs-dev-messages' } },
      ],
    });
    expect(recorded).toEqual([
      expect.objectContaining({
        metricName: 'TransactionConflict',
        dimensions: { TableName: 'msgs-dev-messages' },
        value: 1,
      }),
    ]);
  });

  it('drops the connection and records nothing when DynamoDB cannot be reached', async () => {
    const recorded: MetricDatum[] = [];
    const proxy = await startDynamoDbProxy({
      target: 'http://127.0.0.1:1',
      now: () => 0,
      record: (point) => recorded.push(point),
    });
    try {
      await expect(
        fetch(proxy.url, {
          method: 'POST',
          headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
          body: '{}',
        }),
      ).rejects.toThrow();
      expect(recorded).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});
