/** The HTTP API as clients see it: routes, limits, errors, CORS. `openapi.json` documents the same. */

/** The path of the messages: POST creates one there, GET counts them. */
export const MESSAGES_PATH = '/messages';

/** The path of one message (`/messages/<id>`), the id encoded as a path segment. */
export function messagePath(id: string): string {
  return `${MESSAGES_PATH}/${encodeURIComponent(id)}`;
}

/** The API's routes, as HTTP API route keys (`METHOD /path`). */
export const ROUTES = {
  countMessages: `GET ${MESSAGES_PATH}`,
  createMessage: `POST ${MESSAGES_PATH}`,
  getMessage: `GET ${MESSAGES_PATH}/{id}`,
} as const;

export type RouteKey = (typeof ROUTES)[keyof typeof ROUTES];

/**
 * The route API Gateway gives every request that matches none of ROUTES. The stack sends it to the
 * function, so an unknown path or method gets the API's own JSON 404 (ROUTE_NOT_FOUND) instead of
 * API Gateway's `{"message":"Not Found"}`.
 */
export const DEFAULT_ROUTE = '$default';

/**
 * The HTTP API's only stage: `$default` serves the API at its base URL, with no stage name in the
 * path. It is the `Stage` dimension of API Gateway's metrics and `requestContext.stage` in every
 * event. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
 */
export const API_STAGE = '$default';

/**
 * How long API Gateway waits for the function before it answers 503 itself: above the function's
 * 5 s timeout (a timed-out function is a 500), below HTTP APIs' 30 s maximum.
 */
export const API_INTEGRATION_TIMEOUT_MS = 10_000;

/** The longest message, counted in Unicode code points after trimming. */
export const MESSAGE_MAX_LENGTH = 1000;

/** The largest request body accepted, in bytes after base64 decoding. Enough for 1,000 four-byte characters. */
export const MAX_BODY_BYTES = 16 * 1024;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Header a caller (the canaries, a person's browser) sets to follow its request through the logs. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * The response header in which an HTTP API gives its request id (`$context.requestId`: the access
 * log's `requestId` and the function's `correlation_id`), on every answer, its own errors too.
 */
export const API_GATEWAY_REQUEST_ID_HEADER = 'apigw-requestid';

/**
 * `Idempotency-Key`, from the IETF draft "The Idempotency-Key HTTP Header Field"
 * (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/). A POST /messages
 * that carries one is applied at most once: a retry with the same key and the same message gets
 * the first answer again (201, same id and createdAt), one with another message gets 422.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The draft makes the value an RFC 8941 String (`Idempotency-Key: "8e03978e-…"`, quotes included)
 * and asks servers to publish a fixed format and refuse the rest: here 16 to 128 letters, digits and
 * `- _ . :` between the quotes (a UUID fits, a guessable word does not), so no escape can occur.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^"([A-Za-z0-9_.:-]{16,128})"$/;

/** How long a key is remembered; the draft asks servers to publish it. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

// Characters nobody can see: White_Space, Default_Ignorable_Code_Point (zero-width characters,
// bidi controls, soft hyphen, variation selectors, Hangul fillers, tags), controls (Cc), and the
// Braille pattern blank (U+2800), a letter-like character that draws nothing.
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\u2800]/gu;
// Combining marks (accents and the like) draw only on a base character.
const MARKS_ONLY = /^\p{M}*$/u;

/**
 * Whether a message is empty as a reader sees it: once White_Space, Default_Ignorable_Code_Point,
 * control (Cc) characters and U+2800 are removed, nothing is left but combining marks with no
 * character to sit on. The handler and the website's own check both use this one rule.
 */
export function isBlankMessage(text: string): boolean {
  return MARKS_ONLY.test(text.replace(INVISIBLE, ''));
}

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
  IDEMPOTENCY_KEY_INVALID: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
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

/** An answer API Gateway gives itself, before or instead of the function's. */
export interface GatewayError {
  readonly status: number;
  /** The body is `{"message": <message>}`. */
  readonly message: string;
  /** What `$context.error.responseType` says in the access log (a gateway response type). */
  readonly responseType: string;
}

/**
 * The answers API Gateway gives itself, in its own `{"message": …}` shape. Response types from
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html;
 * "Internal Server Error" from
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html,
 * "429 Too Many Requests" from
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html. AWS does
 * not print the other bodies; these are what HTTP APIs are seen to send (the reason phrases).
 */
export const GATEWAY_ERRORS = {
  /** A body over HTTP APIs' 10 MB payload quota. */
  requestTooLarge: {
    status: 413,
    message: 'Request Entity Too Large',
    responseType: 'REQUEST_TOO_LARGE',
  },
  /** The stage's token bucket is empty. */
  throttled: { status: 429, message: 'Too Many Requests', responseType: 'THROTTLED' },
  /** The invocation failed: the function crashed, timed out, or could not start. */
  integrationFailure: {
    status: 500,
    message: 'Internal Server Error',
    responseType: 'INTEGRATION_FAILURE',
  },
  /** No answer within API_INTEGRATION_TIMEOUT_MS. */
  integrationTimeout: {
    status: 503,
    message: 'Service Unavailable',
    responseType: 'INTEGRATION_TIMEOUT',
  },
} as const satisfies Record<string, GatewayError>;

/**
 * The API's CORS settings: the stack's `cors_configuration` and the local API front both read them.
 * The allowed origins are per stage (the stage's website), so they are not here.
 */
export const CORS = {
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  /** Headers a browser may send cross-origin, besides the CORS-safelisted ones. */
  allowHeaders: ['content-type', CORRELATION_ID_HEADER, IDEMPOTENCY_KEY_HEADER],
  /** Response headers a browser script may read cross-origin. */
  exposeHeaders: ['location', CORRELATION_ID_HEADER, 'retry-after'],
  maxAgeSeconds: 3600,
} as const;
