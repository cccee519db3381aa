/**
 * What the infrastructure (stacks/), the runtime code (lambda/, website/, canaries/) and the local
 * system (local/) must agree on. Runtime code imports this module and nothing from stacks/.
 */

/** The API's routes, as HTTP API route keys (`METHOD /path`). */
export const ROUTES = {
  countMessages: 'GET /messages',
  createMessage: 'POST /messages',
  getMessage: 'GET /messages/{id}',
} as const;

export type RouteKey = (typeof ROUTES)[keyof typeof ROUTES];

/** Environment variables the stack sets on the function and the handler reads. */
export const FUNCTION_ENV = {
  tableName: 'TABLE_NAME',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  debugSampleRate: 'POWERTOOLS_LOGGER_SAMPLE_RATE',
  /** Only set locally: where DynamoDB Local listens. Unset on AWS, where the SDK finds the endpoint. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
} as const;

/** The longest message, counted in Unicode code points after trimming. */
export const MESSAGE_MAX_LENGTH = 1000;

/** The largest request body accepted, in bytes after base64 decoding. Enough for 1,000 four-byte characters. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Header a caller (the canaries, a person's browser) sets to follow its request through the logs. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Headers a browser may send cross-origin to the API, besides the CORS-safelisted ones. */
export const CORS_ALLOWED_HEADERS = ['content-type', CORRELATION_ID_HEADER] as const;
/** Response headers a browser script may read cross-origin. */
export const CORS_EXPOSED_HEADERS = ['location', CORRELATION_ID_HEADER, 'retry-after'] as const;
export const CORS_MAX_AGE_SECONDS = 3600;

/**
 * The table's key schema. The stack creates the table from it and the local system creates
 * DynamoDB Local's table from it, so there is one definition of the key.
 */
export const TABLE_KEY = { partitionKey: 'id', type: 'S' } as const;

/** The item that holds the message count. Never a UUID, so no message can collide with it. */
export const COUNTER_ITEM_ID = 'counter#messages';

/** File the website reads at load to find the API. */
export const WEBSITE_CONFIG_FILE = 'config.json';

export interface WebsiteConfig {
  /** Base URL of the API, without a trailing slash, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com`. */
  readonly apiUrl: string;
}

/**
 * The `data-testid`s the website renders and the canaries and browser tests use.
 * Change one here and both sides follow.
 */
export const TEST_IDS = {
  count: 'message-count',
  refreshCount: 'refresh-count',
  messageInput: 'message-input',
  postButton: 'post-button',
  createdId: 'created-id',
  copyId: 'copy-id',
  lookupInput: 'lookup-input',
  lookupButton: 'lookup-button',
  lookupResult: 'lookup-result',
  status: 'status',
} as const;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The website's Content-Security-Policy: its own files only, and calls to `apiOrigin`. CloudFront
 * sends it through a response headers policy; the local website server sends the same.
 */
export function contentSecurityPolicy(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The canaries: file under canaries/ (and module name in the zip) and short name (≤ 21 characters with the prefix). */
export const CANARIES = {
  website: { file: 'website-journey', name: 'site' },
  api: { file: 'api-journey', name: 'api' },
} as const;

/** Environment variables the stack sets on each canary's run and the journeys read. */
export const CANARY_ENV = {
  websiteUrl: 'WEBSITE_URL',
  apiUrl: 'API_URL',
} as const;
