/**
 * The payload format 2.0 event API Gateway hands the function, built from a plain description of
 * the request. The local API front and the tests' events both come from here, so they cannot
 * drift apart. Format and examples:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { API_STAGE } from '../../contract/api';
import type { RouteMatch } from './routes';

/** Request headers as Node.js gives them: a repeated header may come as an array. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A request as it reached API Gateway. */
export interface HttpRequest {
  readonly method: string;
  /** The path as sent, percent-encoding kept. */
  readonly path: string;
  /** The query string as sent, without its `?`. @default '' */
  readonly rawQueryString?: string;
  /** Header names in any case. */
  readonly headers: RequestHeaders;
  /** @default no body */
  readonly body?: Buffer;
  /** @default '127.0.0.1' */
  readonly sourceIp?: string;
  /** @default 'HTTP/1.1' */
  readonly protocol?: string;
}

/** What API Gateway adds to each request it receives. */
export interface RequestStamp {
  readonly requestId: string;
  readonly receivedAt: Date;
}

// Content types API Gateway passes as text; anything else arrives base64-encoded.
const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))\b)/i;

/** A request id in the shape API Gateway's have (15 characters and `=`). */
export function newRequestId(): string {
  return (
    randomBytes(12).toString('base64').replace(/\//g, '_').replace(/\+/g, '-').slice(0, 15) + '='
  );
}

/** A time in Common Log Format, as `requestContext.time` and `$context.requestTime` give it. */
export function clfTime(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The event for `request` on `route`: header names lower-cased and repeated values joined with
 * commas, cookies in their own list, repeated query parameters joined with commas, and a body
 * that is not text (or not valid UTF-8) base64-encoded.
 */
export function buildEvent(
  request: HttpRequest,
  route: RouteMatch,
  stamp: RequestStamp,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookieHeader: string | readonly string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const lowerName = name.toLowerCase();
    if (lowerName === 'cookie') cookieHeader = value;
    else headers[lowerName] = typeof value === 'string' ? value : value.join(',');
  }
  const cookies = [cookieHeader ?? []]
    .flat()
    .flatMap((value) => value.split(/;\s*/))
    .filter((cookie) => cookie.length > 0);
  const rawQueryString = request.rawQueryString ?? '';
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString))
    query[name] = name in query ? `${query[name]},${value}` : value;
  const body = request.body ?? Buffer.alloc(0);
  // AWS does not document what API Gateway does with a text type whose bytes are not UTF-8.
  // Decoding them here would replace the bad bytes with U+FFFD and the function would store a
  // message nobody sent; base64 hands it the bytes, and its strict decoder refuses them (400).
  const asText = body.length > 0 && TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body);
  const host = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: request.path,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(route.pathParameters !== undefined && { pathParameters: route.pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0],
      http: {
        method: request.method,
        path: request.path,
        protocol: request.protocol ?? 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: stamp.requestId,
      routeKey: route.routeKey,
      stage: API_STAGE,
      time: clfTime(stamp.receivedAt),
      timeEpoch: stamp.receivedAt.getTime(),
    },
    ...(body.length > 0 && { body: asText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !asText,
  };
}
