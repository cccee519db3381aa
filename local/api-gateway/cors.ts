/**
 * CORS as the stack's `cors_configuration` makes API Gateway do it: API Gateway answers preflights
 * itself and replaces whatever CORS headers the function sets.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
import { CORS } from '../../contract/api';
import type { RequestHeaders } from './event';

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value.join(',');
}

/** A preflight: OPTIONS with an Origin and the method the browser means to send. */
export function isPreflight(method: string, headers: RequestHeaders): boolean {
  return (
    method === 'OPTIONS' &&
    headers.origin !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/**
 * The answer to a preflight (status 204): the allowed methods and headers when the origin, the
 * method and every requested header are allowed, and no CORS headers at all otherwise.
 */
export function preflightHeaders(
  headers: RequestHeaders,
  allowedOrigins: readonly string[],
): Record<string, string> {
  const origin = single(headers.origin);
  const requestedMethod = String(single(headers['access-control-request-method'])).toUpperCase();
  const requestedHeaders = (single(headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const admitted =
    origin !== undefined &&
    allowedOrigins.includes(origin) &&
    (CORS.allowMethods as readonly string[]).includes(requestedMethod) &&
    requestedHeaders.every((h) => (CORS.allowHeaders as readonly string[]).includes(h));
  if (!admitted) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS.allowMethods.join(','),
    'access-control-allow-headers': CORS.allowHeaders.join(','),
    'access-control-max-age': String(CORS.maxAgeSeconds),
    vary: 'origin',
  };
}

/** CORS headers for a response to a request from `origin`: only an allowed origin gets any. */
export function corsHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  if (origin === undefined || !allowedOrigins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS.exposeHeaders.join(','),
    vary: 'origin',
  };
}

/** `headers` without the CORS headers the function set, which API Gateway replaces. */
export function withoutCorsHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')),
  );
}
