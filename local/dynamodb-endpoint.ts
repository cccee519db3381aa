/**
 * DynamoDB Local's endpoint as `npm start` prints it (DYNAMODB_PORT), for the tools people point at
 * it (the AWS CLI's --endpoint-url, NoSQL Workbench, an SDK): a guarded server that answers only the
 * names it printed and passes every other request to the JVM as it came, streamed both ways.
 * DynamoDB Local itself answers any Host and accepts any credentials, so a page whose own name an
 * attacker points at 127.0.0.1 (DNS rebinding) could read and write every table on its port; it
 * listens on a port of its own instead (local/dynamodb-supervisor.ts).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { guardedServer, ListeningServer, type ErrorAnswer } from '@monitored/cloudwatch-local';

/**
 * The `__type` of the errors this server answers itself. 500 and 503 are DynamoDB's own
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html,
 * "HTTP status code 5xx"). For the others DynamoDB documents no answer (they stop a request before
 * any operation): the assumption made is DynamoDB's error shape with the HTTP status's name. A name
 * DynamoDB does not serve gets 421 Misdirected Request (RFC 9110, section 15.5.20), as the other
 * local servers that stand for no AWS answer of their own do.
 */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  408: 'RequestTimeout',
  421: 'MisdirectedRequest',
  431: 'RequestHeaderFieldsTooLarge',
  500: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  503: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
};

/**
 * An error in DynamoDB's shape: its content type, a request id, and `{"__type", "message"}`, as in
 * the example response of the page above.
 */
export function dynamoDbErrorAnswer(status: number, problem?: string): ErrorAnswer {
  return {
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
    },
    body: JSON.stringify({
      __type: ERROR_TYPES[status] ?? 'BadRequest',
      message: problem ?? http.STATUS_CODES[status] ?? 'Error',
    }),
  };
}

/**
 * Headers that describe one connection, not the message (RFC 9110, section 7.6.1), and Expect,
 * which this server has already answered: each hop sets its own.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** Raw headers (name, value, name, value…) without the hop-by-hop ones, order and case kept. */
function endToEnd(rawHeaders: readonly string[]): string[] {
  const named = new Set(HOP_BY_HOP);
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1].split(',')) named.add(token.trim().toLowerCase());
  }
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!named.has(rawHeaders[i].toLowerCase())) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return kept;
}

export interface DynamoDbEndpointOptions {
  /** The port it is printed with; 0 picks a free one. */
  readonly port: number;
  /** DynamoDB Local's own endpoint, where every request goes on to. */
  readonly target: string;
  /** Told of each failure of a request's handling. @default one line on stderr */
  readonly onError?: (error: unknown) => void;
}

/**
 * Starts the printed endpoint. While DynamoDB Local is down (restarting, suspended) a request's
 * connection is dropped, as one to a closed port fails: the client sees a network error, not an
 * answer DynamoDB never gave.
 */
export function startDynamoDbEndpoint(options: DynamoDbEndpointOptions): Promise<ListeningServer> {
  const target = new URL(options.target);
  // Connections to DynamoDB Local are kept and reused, as a client's to the endpoint are.
  const agent = new http.Agent({ keepAlive: true });
  const server = guardedServer({
    errorAnswer: dynamoDbErrorAnswer,
    wrongHostStatus: 421,
    onError: options.onError,
    handle: (request, response, { path, query }) =>
      new Promise<void>((resolve) => {
        const upstream = http.request({
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: query === '' ? path : `${path}?${query}`,
          headers: endToEnd(request.rawHeaders),
          agent,
        });
        const drop = () => {
          upstream.destroy();
          response.destroy();
          resolve();
        };
        upstream.on('error', drop);
        upstream.on('response', (answer) => {
          answer.on('error', drop);
          response.writeHead(
            answer.statusCode ?? 502,
            answer.statusMessage,
            endToEnd(answer.rawHeaders),
          );
          answer.pipe(response);
        });
        // A client gone before the answer ends takes its request to DynamoDB Local with it.
        response.on('close', () => {
          if (!response.writableFinished) upstream.destroy();
          resolve();
        });
        request.pipe(upstream);
      }),
  });
  server.on('close', () => agent.destroy());
  return ListeningServer.listen(server, options.port);
}
