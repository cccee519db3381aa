/**
 * A proxy between the function and DynamoDB Local that records what DynamoDB publishes to
 * CloudWatch per request (namespace AWS/DynamoDB, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html):
 * SuccessfulRequestLatency per table and operation, consumed read and write capacity per table
 * (DynamoDB Local reports it when asked: the proxy asks, and removes the answer when the client
 * did not), ThrottledRequests and SystemErrors per operation, TransactionConflict per table.
 * When DynamoDB Local cannot be reached the proxy drops the client's connection, as a network
 * failure would, and records nothing: DynamoDB publishes no metrics for requests it never saw.
 */
import * as http from 'node:http';
import { DYNAMODB } from '@monitored/cloudwatch-model';
import { dynamoDbErrorAnswer } from '../dynamodb-endpoint';
import {
  guardedServer,
  ListeningServer,
  type RequestTarget,
  datum,
  type RecordMetric,
} from '@monitored/cloudwatch-local';

export interface DynamoDbProxyOptions {
  /** DynamoDB Local's endpoint, e.g. http://127.0.0.1:8000. */
  readonly target: string;
  readonly port?: number;
  readonly record: RecordMetric;
  /** The (simulated) time a request is stamped with. */
  readonly now: () => number;
}

const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const THROTTLING = /(ProvisionedThroughputExceeded|Throttling|RequestLimitExceeded)Exception$/;

/** The tables a request names: `TableName`, or those of its transaction or batch items. */
function tablesOf(body: Record<string, unknown>): string[] {
  const names = new Set<string>();
  if (typeof body.TableName === 'string') names.add(body.TableName);
  for (const item of (body.TransactItems as Record<string, unknown>[] | undefined) ?? []) {
    for (const action of Object.values(item)) {
      const table = (action as Record<string, unknown> | undefined)?.TableName;
      if (typeof table === 'string') names.add(table);
    }
  }
  for (const key of ['RequestItems']) {
    for (const table of Object.keys((body[key] as Record<string, unknown> | undefined) ?? {}))
      names.add(table);
  }
  return [...names];
}

function readAll(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function parse(buffer: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(buffer.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function startDynamoDbProxy(options: DynamoDbProxyOptions): Promise<ListeningServer> {
  const target = new URL(options.target);
  // Only the name the function is given (a DNS-rebinding page reaches no table through it),
  // refused as the printed endpoint refuses it.
  const server = guardedServer({
    errorAnswer: dynamoDbErrorAnswer,
    wrongHostStatus: 421,
    handle: (request, response, requestTarget) =>
      // A request that breaks off (its client gone) breaks off its answer.
      forward(request, response, requestTarget).catch(() => {
        response.destroy();
      }),
  });

  async function forward(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    { path, query }: RequestTarget,
  ): Promise<void> {
    const requestBody = await readAll(request);
    const operation =
      String(request.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const body = parse(requestBody);
    const askedForCapacity =
      body.ReturnConsumedCapacity !== undefined && body.ReturnConsumedCapacity !== 'NONE';
    const sent =
      askedForCapacity || operation === ''
        ? requestBody
        : Buffer.from(JSON.stringify({ ...body, ReturnConsumedCapacity: 'TOTAL' }));
    const started = performance.now();
    const timestamp = options.now();
    const upstream = http.request({
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: query === '' ? path : `${path}?${query}`,
      // DynamoDB Local does not check request signatures, so a changed body passes.
      headers: { ...request.headers, 'content-length': String(sent.length) },
    });
    upstream.on('error', () => response.destroy());
    upstream.on('response', (answer) => {
      void readAll(answer).then(
        (answerBody) => {
          const latency = performance.now() - started;
          const result = parse(answerBody);
          let returned = answerBody;
          if (!askedForCapacity && 'ConsumedCapacity' in result) {
            const { ConsumedCapacity: _dropped, ...rest } = result;
            returned = Buffer.from(JSON.stringify(rest));
          }
          record(operation, body, answer.statusCode ?? 0, result, latency, timestamp);
          const headers = { ...answer.headers, 'content-length': String(returned.length) };
          delete headers['transfer-encoding'];
          response.writeHead(answer.statusCode ?? 502, headers);
          response.end(returned);
        },
        () => response.destroy(),
      );
    });
    upstream.end(sent);
  }

  function record(
    operation: string,
    body: Record<string, unknown>,
    status: number,
    result: Record<string, unknown>,
    latencyMs: number,
    timestamp: number,
  ): void {
    if (operation === '') return;
    const tables = tablesOf(body);
    const put = options.record;
    if (status === 200) {
      for (const table of tables) {
        put(
          datum(
            DYNAMODB.successfulRequestLatency,
            { TableName: table, Operation: operation },
            latencyMs,
            timestamp,
          ),
        );
      }
      const consumed = Array.isArray(result.ConsumedCapacity)
        ? result.ConsumedCapacity
        : [result.ConsumedCapacity];
      for (const entry of consumed as (Record<string, unknown> | undefined)[]) {
        if (entry === undefined || typeof entry.TableName !== 'string') continue;
        const units = Number(entry.CapacityUnits ?? 0);
        const metric = READ_OPERATIONS.has(operation)
          ? DYNAMODB.consumedReadCapacityUnits
          : DYNAMODB.consumedWriteCapacityUnits;
        put(datum(metric, { TableName: entry.TableName }, units, timestamp));
      }
      return;
    }
    const type = String(result.__type ?? '');
    if (status >= 500) {
      for (const table of tables)
        put(datum(DYNAMODB.systemErrors, { TableName: table, Operation: operation }, 1, timestamp));
    } else if (THROTTLING.test(type)) {
      for (const table of tables) {
        put(
          datum(
            DYNAMODB.throttledRequests,
            { TableName: table, Operation: operation },
            1,
            timestamp,
          ),
        );
        put(
          datum(
            READ_OPERATIONS.has(operation)
              ? DYNAMODB.readThrottleEvents
              : DYNAMODB.writeThrottleEvents,
            { TableName: table },
            1,
            timestamp,
          ),
        );
      }
    } else if (type.endsWith('TransactionCanceledException')) {
      const conflicts = (
        (result.CancellationReasons as Record<string, unknown>[] | undefined) ?? []
      ).filter((reason) => reason.Code === 'TransactionConflict');
      // "Rejected item-level requests due to transactional conflicts": one per conflicting item.
      if (conflicts.length > 0) {
        for (const table of tables)
          put(
            datum(DYNAMODB.transactionConflict, { TableName: table }, conflicts.length, timestamp),
          );
      }
    }
  }

  return ListeningServer.listen(server, options.port ?? 0);
}
