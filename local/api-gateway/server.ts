import * as http from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  API_GATEWAY_REQUEST_ID_HEADER,
  API_INTEGRATION_TIMEOUT_MS,
  GATEWAY_ERRORS,
  type GatewayError,
} from '../../contract/api';
import type { AccessLogEntry } from '../../contract/logs';
import {
  guardedServer,
  ListeningServer,
  STOPPING_HEADERS,
  type RequestTarget,
} from '@monitored/cloudwatch-local';
import { corsHeaders, isPreflight, preflightHeaders, withoutCorsHeaders } from './cors';
import { buildEvent, clfTime, newRequestId } from './event';
import { gatewayResponse, responseFromResult, type ClientResponse } from './response';
import { matchRoute } from './routes';
import { TokenBucket, type Throttling } from './throttle';

/** API Gateway's own payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface ApiGatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** Origins CORS admits, as the stack's cors_configuration does. */
  readonly allowedOrigins: readonly string[];
  readonly invoke: (event: APIGatewayProxyEventV2) => Promise<unknown>;
  readonly onAccessLog?: (entry: AccessLogEntry) => void;
  /** The stage's throttling (its default route settings). @default none */
  readonly throttling?: Throttling;
  /** How long to wait for the function before answering 503. @default API_INTEGRATION_TIMEOUT_MS */
  readonly integrationTimeoutMs?: number;
  /** Told of each failure of the front itself while handling a request. @default stderr */
  readonly onError?: (error: unknown) => void;
}

class IntegrationTimeout extends Error {}

/**
 * The local front's answer to a request whose function was stopped under it because the system is
 * stopping: API Gateway's 503 body, with Retry-After. A deployed API never stops, so AWS has no
 * gateway response type for it; the access log names it this way.
 */
const STOPPING: GatewayError = {
  status: 503,
  message: 'Service Unavailable',
  responseType: 'LOCAL_SYSTEM_STOPPING',
};

/** `invocation`'s result, or an IntegrationTimeout once `ms` have passed without one. */
function withinTimeout<T>(invocation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([invocation, timeout]).finally(() => clearTimeout(timer));
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
 * A local stand-in for the stack's HTTP API: the same routes (unknown ones to the function on
 * `$default`), payload 2.0 events, the same CORS rules, the stage's throttling, and API Gateway's
 * own answers for oversized bodies, throttled requests, function errors and timeouts.
 */
export function startApiGateway(options: ApiGatewayOptions): Promise<ListeningServer> {
  const bucket = options.throttling && new TokenBucket(options.throttling);
  const server = guardedServer({
    handle: (request, response, target, stopping) =>
      handle(request, response, target, stopping, options, bucket),
    // API Gateway's own shape for the errors it answers itself (500 is its integration failure).
    errorAnswer: (status) => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: http.STATUS_CODES[status] ?? 'Error' }),
    }),
    // API Gateway refuses a name it does not serve with 403 Forbidden, as it does the viewer's
    // Host that a CloudFront distribution forwards to it
    // (https://repost.aws/knowledge-center/configure-cloudfront-to-forward-headers).
    wrongHostStatus: 403,
    onError: options.onError,
  });
  server.keepAliveTimeout = 5_000;
  return ListeningServer.listen(server, options.port, options.host);
}

async function handle(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: RequestTarget,
  stopping: AbortSignal,
  options: ApiGatewayOptions,
  bucket: TokenBucket | undefined,
): Promise<void> {
  const started = performance.now();
  const receivedAt = new Date();
  const requestId = newRequestId();
  const method = request.method ?? 'GET';
  let routeKey = '-';
  let integrationLatency: number | '-' = '-';
  let integrationError = '-';
  // API Gateway's own answer, if it gave one: $context.error.message and .responseType.
  let gatewayError: GatewayError | undefined;
  const finish = (answer: ClientResponse) => {
    send(response, {
      ...answer,
      headers: { [API_GATEWAY_REQUEST_ID_HEADER]: requestId, ...answer.headers },
    });
    options.onAccessLog?.({
      requestId,
      requestTime: clfTime(receivedAt),
      routeKey,
      status: answer.status,
      responseLatency: Math.round(performance.now() - started),
      integrationLatency,
      integrationError,
      errorMessage: gatewayError?.message ?? '-',
      errorResponseType: gatewayError?.responseType ?? '-',
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
  const answerItself = (error: GatewayError) => {
    gatewayError = error;
    finishWithCors(gatewayResponse(error));
  };

  if (isPreflight(method, request.headers)) {
    request.resume();
    finish({
      status: 204,
      headers: preflightHeaders(request.headers, options.allowedOrigins),
      body: '',
    });
    return;
  }

  // Preflights are not throttled here: AWS does not say whether they count, and a throttled
  // preflight would show the page a CORS failure instead of a 429 it can read.
  if (bucket !== undefined && !bucket.take()) {
    request.resume();
    answerItself(GATEWAY_ERRORS.throttled);
    return;
  }

  const route = matchRoute(method, target.path);
  routeKey = route.routeKey;
  const body = await readBody(request);
  if (body === undefined) {
    answerItself(GATEWAY_ERRORS.requestTooLarge);
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
    result = await withinTimeout(
      options.invoke(event),
      options.integrationTimeoutMs ?? API_INTEGRATION_TIMEOUT_MS,
    );
  } catch (error: unknown) {
    integrationLatency = Math.round(performance.now() - integrationStarted);
    integrationError = error instanceof Error ? error.message : String(error);
    if (stopping.aborted) {
      gatewayError = STOPPING;
      const answer = gatewayResponse(STOPPING);
      finishWithCors({ ...answer, headers: { ...answer.headers, ...STOPPING_HEADERS } });
      return;
    }
    answerItself(
      error instanceof IntegrationTimeout
        ? GATEWAY_ERRORS.integrationTimeout
        : GATEWAY_ERRORS.integrationFailure,
    );
    return;
  }
  integrationLatency = Math.round(performance.now() - integrationStarted);
  finishWithCors(responseFromResult(result));
}
