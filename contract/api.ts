/** The HTTP API as clients see it: routes, limits, errors, CORS. `openapi.json` documents the same. */

/** The API's routes, as HTTP API route keys (`METHOD /path`). */
export const ROUTES = {
  countMessages: 'GET /messages',
  createMessage: 'POST /messages',
  getMessage: 'GET /messages/{id}',
} as const;

export type RouteKey = (typeof ROUTES)[keyof typeof ROUTES];

/** The longest message, counted in Unicode code points after trimming. */
export const MESSAGE_MAX_LENGTH = 1000;

/** The largest request body accepted, in bytes after base64 decoding. Enough for 1,000 four-byte characters. */
export const MAX_BODY_BYTES = 16 * 1024;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Header a caller (the canaries, a person's browser) sets to follow its request through the logs. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Every error code the API answers with, and its HTTP status. */
export const ERROR_STATUS = {
  BODY_REQUIRED: 400,
  INVALID_ENCODING: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_JSON: 400,
  INVALID_BODY: 400,
  MESSAGE_REQUIRED: 400,
  MESSAGE_INVALID: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_TOO_LONG: 400,
  INVALID_ID: 400,
  MESSAGE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error the function answers with. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
  readonly requestId: string;
}

/**
 * The API's CORS settings: the stack's `cors_configuration` and the local API front both read them.
 * The allowed origins are per stage (the stage's website), so they are not here.
 */
export const CORS = {
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  /** Headers a browser may send cross-origin, besides the CORS-safelisted ones. */
  allowHeaders: ['content-type', CORRELATION_ID_HEADER],
  /** Response headers a browser script may read cross-origin. */
  exposeHeaders: ['location', CORRELATION_ID_HEADER, 'retry-after'],
  maxAgeSeconds: 3600,
} as const;
