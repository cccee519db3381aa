/**
 * CORS as API Gateway applies an HTTP API's cors_configuration:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
import { CORS } from '../../../contract/api';
import {
  corsHeaders,
  isPreflight,
  preflightHeaders,
  withoutCorsHeaders,
} from '../../../local/api-gateway/cors';

const SITE = 'http://localhost:8080';
const ALLOWED = [SITE];

describe('preflight', () => {
  it('is an OPTIONS request with an Origin and an Access-Control-Request-Method', () => {
    const preflight = { origin: SITE, 'access-control-request-method': 'POST' };
    expect(isPreflight('OPTIONS', preflight)).toBe(true);
    expect(isPreflight('GET', preflight)).toBe(false);
    expect(isPreflight('OPTIONS', { origin: SITE })).toBe(false);
    expect(isPreflight('OPTIONS', { 'access-control-request-method': 'POST' })).toBe(false);
  });

  it('admits an allowed origin, method and headers, with the configured methods, headers and max age', () => {
    const headers = preflightHeaders(
      {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'Content-Type, X-Correlation-Id',
      },
      ALLOWED,
    );
    expect(headers).toEqual({
      'access-control-allow-origin': SITE,
      'access-control-allow-methods': CORS.allowMethods.join(','),
      'access-control-allow-headers': CORS.allowHeaders.join(','),
      'access-control-max-age': String(CORS.maxAgeSeconds),
      vary: 'origin',
    });
  });

  it('admits a request method in lower case and a request with no extra headers', () => {
    expect(
      preflightHeaders({ origin: SITE, 'access-control-request-method': 'get' }, ALLOWED),
    ).toHaveProperty('access-control-allow-origin', SITE);
  });

  it.each([
    ['another origin', { origin: 'https://evil.example', 'access-control-request-method': 'POST' }],
    [
      'the site on another port',
      { origin: 'http://localhost:8081', 'access-control-request-method': 'POST' },
    ],
    ['a method not allowed', { origin: SITE, 'access-control-request-method': 'DELETE' }],
    [
      'a header not allowed',
      {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    ],
  ])('refuses %s: no CORS headers at all', (_name, request) => {
    expect(preflightHeaders(request, ALLOWED)).toEqual({});
  });
});

describe('CORS headers on responses', () => {
  it('are given to an allowed origin, with the headers its script may read', () => {
    expect(corsHeaders(SITE, ALLOWED)).toEqual({
      'access-control-allow-origin': SITE,
      'access-control-expose-headers': CORS.exposeHeaders.join(','),
      vary: 'origin',
    });
  });

  it('are not given to another origin, nor to a request without one', () => {
    expect(corsHeaders('https://evil.example', ALLOWED)).toEqual({});
    expect(corsHeaders(undefined, ALLOWED)).toEqual({});
  });

  it("replace the function's own: its CORS headers are dropped, whatever their case", () => {
    expect(
      withoutCorsHeaders({
        'content-type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'access-control-allow-credentials': 'true',
        location: '/messages/1',
      }),
    ).toEqual({ 'content-type': 'application/json', location: '/messages/1' });
  });
});
