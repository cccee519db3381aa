import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bundleLambda } from '../../bundling/lambda';
import { ROUTES } from '../../contract/api';
import {
  FUNCTION_ENV,
  MESSAGES_FUNCTION,
  messagesFunctionEnvironment,
} from '../../contract/function';
import type { HttpResponse } from '../../lambda/http';
import { buildEvent, newRequestId } from '../../local/api-gateway';
import { localClient } from '../../local/dynamodb-local';
import { LocalFunction } from '../../local/local-function';
import type { SystemLogLevel } from '../../local/platform-log';
import { ensureMessagesTable } from '../../local/table';

function sharedDynamoDbEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (endpoint === undefined)
    throw new Error(
      'TEST_DYNAMODB_ENDPOINT is not set: run the tests with jest (global setup starts DynamoDB Local)',
    );
  return endpoint;
}

export interface TestFunction {
  readonly fn: LocalFunction;
  readonly logs: string[];
  readonly tableName: string;
  invoke(event: APIGatewayProxyEventV2): Promise<HandlerResult>;
  logEntries(): Record<string, unknown>[];
  /** Resolves with the first log line matching `predicate`, waiting for it if it has not arrived yet. */
  waitForLog(
    predicate: (entry: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

/** The handler's HttpResponse, whose body it always sets. */
export type HandlerResult = HttpResponse & { readonly body: string };

/** The real bundled handler in its own process, on a fresh table of DynamoDB Local. */
export async function startTestFunction(
  endpoint = sharedDynamoDbEndpoint(),
  tableName = `test-${randomUUID()}`,
  {
    createTable = true,
    systemLogLevel,
  }: { createTable?: boolean; systemLogLevel?: SystemLogLevel } = {},
): Promise<TestFunction> {
  if (createTable) {
    const client = localClient(endpoint);
    await ensureMessagesTable(client, tableName);
    client.destroy();
  }
  const logs: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const fn = new LocalFunction({
    functionName: 'msgs-test-api',
    bundle: bundleLambda(),
    environment: {
      ...messagesFunctionEnvironment({ tableName, logLevel: 'DEBUG', debugSampleRate: 0 }),
      [FUNCTION_ENV.dynamodbEndpoint]: endpoint,
    },
    logLevel: 'DEBUG',
    systemLogLevel,
    region: 'us-west-2',
    settings: MESSAGES_FUNCTION,
    onLogLine: (line) => {
      logs.push(line);
      for (const listener of listeners) listener(line);
    },
  });
  const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;
  // Log lines come over stdout and results over IPC, so a line may arrive just after its result.
  const waitForLog = (predicate: (entry: Record<string, unknown>) => boolean, timeoutMs = 5_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = logs.map(parse).find(predicate);
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`no matching log line within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string) => {
        const entry = parse(line);
        if (!predicate(entry)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(entry);
      };
      listeners.add(listener);
    });
  return {
    fn,
    logs,
    tableName,
    invoke: async (event) => (await fn.invoke(event)) as HandlerResult,
    logEntries: () => logs.map(parse),
    waitForLog,
  };
}

export interface EventInput {
  readonly routeKey?: string;
  readonly method?: string;
  readonly path?: string;
  readonly pathParameters?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** The body as the client sent it, in UTF-8; API Gateway decides whether to base64-encode it. */
  readonly body?: string;
  /** The body as raw bytes, for bodies that are not UTF-8; API Gateway decides their encoding too. */
  readonly bodyBytes?: Buffer;
  /**
   * Set to put `body` into the event exactly as given, with this flag: an encoding API Gateway
   * would not choose (base64 of JSON, a flag on a body that is not base64), to test the handler's
   * own decoding.
   */
  readonly isBase64Encoded?: boolean;
}

/**
 * A payload 2.0 event built by the local API front's own builder. The route is given rather than
 * matched, so that tests can also send the handler events for routes the stack does not have.
 */
export function apiEvent(input: EventInput = {}): APIGatewayProxyEventV2 {
  const routeKey = input.routeKey ?? ROUTES.countMessages;
  const [routeMethod, routePath] = routeKey.split(' ');
  const method = input.method ?? routeMethod ?? 'GET';
  const path =
    input.path ??
    (input.pathParameters?.id !== undefined
      ? `/messages/${input.pathParameters.id}`
      : (routePath ?? '/'));
  const event = buildEvent(
    {
      method,
      path,
      headers: { host: 'local', 'user-agent': 'jest', ...input.headers },
      body:
        input.isBase64Encoded !== undefined
          ? undefined
          : (input.bodyBytes ??
            (input.body !== undefined ? Buffer.from(input.body, 'utf8') : undefined)),
    },
    { routeKey, pathParameters: input.pathParameters },
    { requestId: newRequestId(), receivedAt: new Date() },
  );
  if (input.isBase64Encoded === undefined) return event;
  return {
    ...event,
    ...(input.body !== undefined && { body: input.body }),
    isBase64Encoded: input.isBase64Encoded,
  };
}

export function createEvent(
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): APIGatewayProxyEventV2 {
  return apiEvent({
    routeKey: ROUTES.createMessage,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function getEvent(id: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return apiEvent({ routeKey: ROUTES.getMessage, pathParameters: { id }, headers });
}
