import * as http from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AccessLogEntry } from '../../contract/logs';
import { guardedServer, ListeningServer, type RequestTarget } from '../listening-server';
import { corsHeaders, isPreflight, preflightHeaders, withoutCorsHeaders } from './cors';
import { buildEvent, clfTime, newRequestId } from './event';
import { GATEWAY_RESPONSES, responseFromResult, type ClientResponse } from './response';
import { matchRoute } from './routes';

/** API Gateway's own payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface ApiGatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** Origins CORS admits, as the stack's cors_configuration does. */
  readonly allowedOrigins: readonly string[];
  readonly invoke: (event: APIGatewayProxyEventV2) => Promise<unknown>;
  readonly onAccessLog?: (entry: AccessLogEntry) => void;
  /** Told of each failure of the front itself while handling a request. @default stderr */
  readonly onError?: (error: unknown) => void;
}

/** Reads the body up to API Gateway's limit; undefined when it is larger. */
function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: http.ServerResponse, answer: ClientResponse): void {
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
  });
  response.end(answer.body);
}

/**
 * A local stand-in for the stack's HTTP API: the same routes, payload 2.0 events, the same CORS
 * rules, API Gateway's own answers for unknown routes, oversized bodies and function errors.
 */
export function startApiGateway(options: ApiGatewayOptions): Promise<ListeningServer> {
  const server = guardedServer({
    handle: (request, response, target) => handle(request, response, target, options),
    // API Gateway's own shape for the errors it answers itself.
    errorAnswer: (status) => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: http.STATUS_CODES[status] ?? 'Error' }),
    }),
    onError: options.onError,
  });
  server.keepAliveTimeout = 5_000;
  return ListeningServer.listen(server, options.port, options.host);
}

async function handle(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: RequestTarget,
  options: ApiGatewayOptions,
): Promise<void> {
  const started = performance.now();
  const receivedAt = new Date();
  const requestId = newRequestId();
  const method = request.method ?? 'GET';
  let routeKey = '-';
  let integrationLatency: number | '-' = '-';
  let integrationError = '-';
  const finish = (answer: ClientResponse) => {
    send(response, { ...answer, headers: { 'apigw-requestid': requestId, ...answer.headers } });
    options.onAccessLog?.({
      requestId,
      requestTime: clfTime(receivedAt),
      routeKey,
      status: answer.status,
      responseLatency: Math.round(performance.now() - started),
      integrationLatency,
      integrationError,
      sourceIp: request.socket.remoteAddress ?? '-',
      userAgent: request.headers['user-agent'] ?? '-',
      responseLength: Buffer.byteLength(answer.body),
    });
  };
  const finishWithCors = (answer: ClientResponse) =>
    finish({
      ...answer,
      headers: {
        ...withoutCorsHeaders(answer.headers),
        ...corsHeaders(request.headers.origin, options.allowedOrigins),
      },
    });

  if (isPreflight(method, request.headers)) {
    request.resume();
    finish({
      status: 204,
      headers: preflightHeaders(request.headers, options.allowedOrigins),
      body: '',
    });
    return;
  }

  const route = matchRoute(method, target.path);
  if (route === undefined) {
    request.resume();
    finishWithCors(GATEWAY_RESPONSES.notFound);
    return;
  }
  routeKey = route.routeKey;
  const body = await readBody(request);
  if (body === undefined) {
    finishWithCors(GATEWAY_RESPONSES.tooLarge);
    return;
  }
  const event = buildEvent(
    {
      method,
      path: target.path,
      rawQueryString: target.query,
      headers: request.headers,
      body,
      sourceIp: request.socket.remoteAddress,
      protocol: `HTTP/${request.httpVersion}`,
    },
    route,
    { requestId, receivedAt },
  );
  const integrationStarted = performance.now();
  let result: unknown;
  try {
    result = await options.invoke(event);
  } catch (error: unknown) {
    integrationLatency = Math.round(performance.now() - integrationStarted);
    integrationError = error instanceof Error ? error.message : String(error);
    finishWithCors(GATEWAY_RESPONSES.internalError);
    return;
  }
  integrationLatency = Math.round(performance.now() - integrationStarted);
  finishWithCors(responseFromResult(result));
}
