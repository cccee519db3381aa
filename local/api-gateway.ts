import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ListeningServer } from './listening-server';
import { CORS, ROUTES } from '../contract/api';
import type { AccessLogEntry } from '../contract/logs';

/** API Gateway's own payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

// Content types API Gateway passes as text; anything else arrives base64-encoded.
const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))\b)/i;

export interface ApiGatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** Origins CORS admits, as the stack's cors_configuration does. */
  readonly allowedOrigins: readonly string[];
  readonly invoke: (event: APIGatewayProxyEventV2) => Promise<unknown>;
  readonly onAccessLog?: (entry: AccessLogEntry) => void;
}

interface RouteMatcher {
  readonly routeKey: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

const MATCHERS: readonly RouteMatcher[] = Object.values(ROUTES).map((routeKey) => {
  const [method, template] = routeKey.split(' ');
  const parameterNames: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { routeKey, method, pattern: new RegExp(`^${source}$`), parameterNames };
});

function requestId(): string {
  return (
    randomBytes(12).toString('base64').replace(/\//g, '_').replace(/\+/g, '-').slice(0, 15) + '='
  );
}

function clfTime(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
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

/** Builds the payload 2.0 event API Gateway would hand the function for this request. */
function toEvent(
  request: http.IncomingMessage,
  body: Buffer,
  matcher: RouteMatcher,
  match: RegExpExecArray,
  id: string,
  now: Date,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const pathParameters = Object.fromEntries(
    matcher.parameterNames.map((name, index) => [name, safeDecode(match[index + 1])]),
  );
  const contentType = headers['content-type'] ?? '';
  const asText = body.length > 0 && TEXT_TYPES.test(contentType);
  const cookies = request.headers.cookie?.split(/;\s*/).filter((cookie) => cookie.length > 0);
  return {
    version: '2.0',
    routeKey: matcher.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies !== undefined && cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(matcher.parameterNames.length > 0 && { pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0],
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: id,
      routeKey: matcher.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && { body: asText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !asText,
  };
}

function corsHeaders(
  origin: string | undefined,
  allowed: readonly string[],
): Record<string, string> {
  if (origin === undefined || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS.exposeHeaders.join(','),
    vary: 'origin',
  };
}

function send(
  response: http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/**
 * A local stand-in for the stack's HTTP API: the same routes, payload 2.0 events, the same CORS
 * rules, API Gateway's own answers for unknown routes, oversized bodies and function errors.
 */
export function startApiGateway(options: ApiGatewayOptions): Promise<ListeningServer> {
  const server = http.createServer((request, response) => {
    void handle(request, response, options).catch(() => {
      if (!response.headersSent)
        send(
          response,
          500,
          { 'content-type': 'application/json' },
          '{"message":"Internal Server Error"}',
        );
    });
  });
  server.keepAliveTimeout = 5_000;
  return ListeningServer.listen(server, options.port, options.host);
}

async function handle(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: ApiGatewayOptions,
): Promise<void> {
  const started = performance.now();
  const now = new Date();
  const id = requestId();
  const method = request.method ?? 'GET';
  const origin = request.headers.origin;
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  let routeKey = '-';
  let integrationLatency: number | '-' = '-';
  let integrationError = '-';
  const finish = (status: number, headers: Record<string, string>, body: Buffer | string) => {
    send(response, status, { 'apigw-requestid': id, ...headers }, body);
    options.onAccessLog?.({
      requestId: id,
      requestTime: clfTime(now),
      routeKey,
      status,
      responseLatency: Math.round(performance.now() - started),
      integrationLatency,
      integrationError,
      sourceIp: request.socket.remoteAddress ?? '-',
      userAgent: request.headers['user-agent'] ?? '-',
      responseLength: Buffer.byteLength(body),
    });
  };
  const JSON_HEADERS = { 'content-type': 'application/json' };

  // API Gateway answers preflights itself when CORS is configured.
  if (
    method === 'OPTIONS' &&
    origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  ) {
    request.resume();
    const requestedHeaders = (request.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const admitted =
      options.allowedOrigins.includes(origin) &&
      (CORS.allowMethods as readonly string[]).includes(
        String(request.headers['access-control-request-method']).toUpperCase(),
      ) &&
      requestedHeaders.every((h) => (CORS.allowHeaders as readonly string[]).includes(h));
    const headers: Record<string, string> = admitted
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': CORS.allowMethods.join(','),
          'access-control-allow-headers': CORS.allowHeaders.join(','),
          'access-control-max-age': String(CORS.maxAgeSeconds),
          vary: 'origin',
        }
      : {};
    finish(204, headers, '');
    return;
  }

  const matcher = MATCHERS.find(
    (candidate) => candidate.method === method && candidate.pattern.test(path),
  );
  if (matcher === undefined) {
    request.resume();
    finish(
      404,
      { ...JSON_HEADERS, ...corsHeaders(origin, options.allowedOrigins) },
      '{"message":"Not Found"}',
    );
    return;
  }
  routeKey = matcher.routeKey;
  const body = await readBody(request);
  if (body === undefined) {
    finish(
      413,
      { ...JSON_HEADERS, ...corsHeaders(origin, options.allowedOrigins) },
      '{"message":"Request Entity Too Large"}',
    );
    return;
  }
  const event = toEvent(
    request,
    body,
    matcher,
    matcher.pattern.exec(path) as RegExpExecArray,
    id,
    now,
  );
  const integrationStarted = performance.now();
  let result: unknown;
  try {
    result = await options.invoke(event);
  } catch (error: unknown) {
    integrationLatency = Math.round(performance.now() - integrationStarted);
    integrationError = error instanceof Error ? error.message : String(error);
    finish(
      500,
      { ...JSON_HEADERS, ...corsHeaders(origin, options.allowedOrigins) },
      '{"message":"Internal Server Error"}',
    );
    return;
  }
  integrationLatency = Math.round(performance.now() - integrationStarted);
  const structured = result as APIGatewayProxyStructuredResultV2 | undefined;
  if (
    typeof structured !== 'object' ||
    structured === null ||
    typeof structured.statusCode !== 'number'
  ) {
    // Payload 2.0: a result without statusCode is a 200 with the result as its JSON body.
    finish(
      200,
      { ...JSON_HEADERS, ...corsHeaders(origin, options.allowedOrigins) },
      JSON.stringify(result ?? null),
    );
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    // The stack's cors_configuration replaces whatever CORS headers the function sets.
    if (!name.toLowerCase().startsWith('access-control-'))
      headers[name.toLowerCase()] = String(value);
  }
  const payload =
    structured.body === undefined
      ? ''
      : structured.isBase64Encoded
        ? Buffer.from(structured.body, 'base64')
        : structured.body;
  finish(
    structured.statusCode,
    { ...headers, ...corsHeaders(origin, options.allowedOrigins) },
    payload,
  );
}
