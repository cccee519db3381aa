/**
 * Does the count stay cheap as the table grows? `GET /messages` (the counter item) timed through
 * the local API front on a table of 100 and one of 50,000 messages, the two interleaved request by
 * request so that the machine's noise and the function's warming hit both alike, with the items
 * DynamoDB read for each request counted by a proxy between the function and DynamoDB Local;
 * beside it, a Scan with Select=COUNT of the same tables (what a count without the counter would
 * cost), timed from here, paging through the table.
 *
 * The local system (local/system.ts) offers no way to put a proxy before DynamoDB, so this stand
 * wires the same parts itself: DynamoDB Local in memory, the bundled function, the API front with
 * its throttle lifted (sequential requests would otherwise time API Gateway's 429s).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import {
  BatchWriteItemCommand,
  PutItemCommand,
  ScanCommand,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { bundleLambda } from '../../bundling/lambda';
import { MESSAGES_PATH, ROUTES } from '../../contract/api';
import {
  FUNCTION_ENV,
  MESSAGES_FUNCTION,
  messagesFunctionEnvironment,
  TABLE_KEY,
} from '../../contract/function';
import { COUNTER_ITEM_ID } from '../../lambda/message-store';
import { startApiGateway } from '../../local/api-gateway';
import { dynamoDbErrorAnswer } from '../../local/dynamodb-endpoint';
import { DynamoDbLocal, localClient, LOCAL_REGION } from '../../local/dynamodb-local';
import { guardedServer, ListeningServer } from '@monitored/cloudwatch-local';
import { LocalFunction } from '../../local/local-function';
import { freePort } from '../../local/ports';
import { ensureMessagesTable } from '../../local/table';
import { namePrefix } from '../../stacks/shared/naming';
import { stageNames } from '../../stacks/shared/stage-names';
import { summarize, type Summary } from './samples';

export interface CountMeasure {
  readonly messages: number;
  /** GET /messages through the API front. */
  readonly api: Summary;
  /** Items DynamoDB read per GET /messages (from the proxy). */
  readonly apiItemsRead: number;
  /** A Scan with Select=COUNT over the whole table, every page. */
  readonly scan: Summary;
  readonly scanItemsRead: number;
  readonly scanPages: number;
}

export interface CountGrowthBench {
  readonly small: CountMeasure;
  readonly large: CountMeasure;
  readonly loadSeconds: number;
}

const BATCH = 25;

/**
 * Forwards to DynamoDB Local and counts the items each read returned or scanned. A guarded server,
 * as every local server is: it answers only the name the function is given.
 */
function countingProxy(
  target: string,
  port: number,
): Promise<ListeningServer & { items: { read: number } }> {
  const items = { read: 0 };
  const targetUrl = new URL(target);
  const server = guardedServer({
    errorAnswer: dynamoDbErrorAnswer,
    wrongHostStatus: 421,
    handle: (request, response, { path, query }) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const upstream = http.request(
          {
            host: targetUrl.hostname,
            port: targetUrl.port,
            method: request.method,
            path: query === '' ? path : `${path}?${query}`,
            headers: request.headers,
          },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => body.push(chunk));
            answer.on('end', () => {
              const text = Buffer.concat(body).toString('utf8');
              const operation = String(request.headers['x-amz-target'] ?? '')
                .split('.')
                .pop();
              try {
                const json = JSON.parse(text) as { Item?: unknown; ScannedCount?: number };
                if (operation === 'GetItem' && json.Item !== undefined) items.read += 1;
                if (operation === 'Scan' || operation === 'Query')
                  items.read += json.ScannedCount ?? 0;
              } catch {
                // Not JSON: an error page, which read nothing.
              }
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              response.end(text);
            });
          },
        );
        upstream.on('error', () => response.destroy());
        upstream.end(Buffer.concat(chunks));
      });
    },
  });
  return ListeningServer.listen(server, port).then((listening) =>
    Object.assign(listening, { items }),
  );
}

/** Writes `count` message items straight into the table, 25 a request, 8 requests at a time. */
async function loadMessages(client: DynamoDBClient, table: string, count: number): Promise<void> {
  const batches = Math.ceil(count / BATCH);
  let next = 0;
  const worker = async () => {
    for (let batch = next++; batch < batches; batch = next++) {
      const size = Math.min(BATCH, count - batch * BATCH);
      let requests = Array.from({ length: size }, () => ({
        PutRequest: {
          Item: {
            [TABLE_KEY.partitionKey]: { S: randomUUID() },
            message: { S: `bench message ${batch}` },
            createdAt: { S: new Date().toISOString() },
          },
        },
      }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: requests } }),
        );
        requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function setCounter(client: DynamoDBClient, table: string, count: number): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: { [TABLE_KEY.partitionKey]: { S: COUNTER_ITEM_ID }, count: { N: String(count) } },
    }),
  );
}

/** One table with its own function and API front, DynamoDB reached through a counting proxy. */
interface Stand {
  readonly messages: number;
  readonly table: string;
  readonly apiUrl: string;
  readonly items: { read: number };
}

async function startStand(
  messages: number,
  endpoint: string,
  client: DynamoDBClient,
  stoppers: (() => Promise<void>)[],
): Promise<Stand> {
  // Named as a stage's, one stand per table size: `msgs-bench-100-messages`.
  const names = stageNames(namePrefix(`bench-${messages}`));
  const table = names.table;
  await ensureMessagesTable(client, table);
  await loadMessages(client, table, messages);
  await setCounter(client, table, messages);
  const proxy = await countingProxy(endpoint, await freePort());
  stoppers.push(() => proxy.stop());
  const fn = new LocalFunction({
    functionName: names.function,
    bundle: bundleLambda(),
    environment: {
      ...messagesFunctionEnvironment({ tableName: table, logLevel: 'INFO', debugSampleRate: 0 }),
      [FUNCTION_ENV.dynamodbEndpoint]: proxy.url,
    },
    logLevel: 'INFO',
    region: LOCAL_REGION,
    settings: MESSAGES_FUNCTION,
    onLogLine: () => undefined,
  });
  stoppers.push(() => fn.stop());
  const gateway = await startApiGateway({
    port: await freePort(),
    allowedOrigins: [],
    invoke: (event) => fn.invoke(event),
    // Back-to-back requests arrive faster than dev's 10 a second: this times the function, not 429s.
    throttling: { burstLimit: 10_000, rateLimit: 10_000 },
  });
  stoppers.push(() => gateway.stop());
  return { messages, table, apiUrl: gateway.url, items: proxy.items };
}

async function countThroughApi(stand: Stand): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${stand.apiUrl}${MESSAGES_PATH}`);
  const body = (await response.json()) as { count?: number };
  const elapsed = performance.now() - started;
  if (response.status !== 200 || body.count !== stand.messages)
    throw new Error(
      `${ROUTES.countMessages}: ${response.status} ${JSON.stringify(body)}, expected ${stand.messages}`,
    );
  return elapsed;
}

/** A Scan with Select=COUNT through every page: its time, items read and pages. */
async function countByScan(
  client: DynamoDBClient,
  stand: Stand,
): Promise<{ ms: number; itemsRead: number; pages: number }> {
  const started = performance.now();
  let start: ScanCommandOutput['LastEvaluatedKey'];
  let counted = 0;
  let itemsRead = 0;
  let pages = 0;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: stand.table, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    counted += page.Count ?? 0;
    itemsRead += page.ScannedCount ?? 0;
    pages += 1;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const ms = performance.now() - started;
  // The counter item is in the table too.
  if (counted !== stand.messages + 1)
    throw new Error(`the Scan counted ${counted} items, expected ${stand.messages + 1}`);
  return { ms, itemsRead, pages };
}

export async function benchCountGrowth(
  small = 100,
  large = 50_000,
  { requests = 300, scans = 7 } = {},
): Promise<CountGrowthBench> {
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const dynamodb = await DynamoDbLocal.start({ port: await freePort() });
    stoppers.push(() => dynamodb.stop());
    const client = localClient(dynamodb.endpoint);
    stoppers.push(async () => client.destroy());
    const smallStand = await startStand(small, dynamodb.endpoint, client, stoppers);
    const loadStarted = performance.now();
    const largeStand = await startStand(large, dynamodb.endpoint, client, stoppers);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const stands = [smallStand, largeStand];

    // Both functions start cold: the first requests are their init, not the count.
    for (let i = 0; i < 20; i++) for (const stand of stands) await countThroughApi(stand);
    for (const stand of stands) stand.items.read = 0;
    const api: number[][] = [[], []];
    for (let i = 0; i < requests; i++)
      for (const [index, stand] of stands.entries()) api[index].push(await countThroughApi(stand));
    const scan: { ms: number; itemsRead: number; pages: number }[][] = [[], []];
    for (let i = 0; i < scans; i++)
      for (const [index, stand] of stands.entries())
        scan[index].push(await countByScan(client, stand));
    const [smallMeasure, largeMeasure] = stands.map((stand, index): CountMeasure => ({
      messages: stand.messages,
      api: summarize(api[index]),
      apiItemsRead: stand.items.read / requests,
      scan: summarize(scan[index].map((run) => run.ms)),
      scanItemsRead: scan[index][0].itemsRead,
      scanPages: scan[index][0].pages,
    }));
    return { small: smallMeasure, large: largeMeasure, loadSeconds };
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  }
}
