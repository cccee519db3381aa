/** Every error the API answers with, and the one place that maps them to HTTP statuses. */

export type ErrorCode =
  | 'BODY_REQUIRED'
  | 'INVALID_ENCODING'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_JSON'
  | 'INVALID_BODY'
  | 'MESSAGE_REQUIRED'
  | 'MESSAGE_INVALID'
  | 'MESSAGE_EMPTY'
  | 'MESSAGE_TOO_LONG'
  | 'INVALID_ID'
  | 'MESSAGE_NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export const ERROR_STATUS: Record<ErrorCode, number> = {
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
};

/** A mistake of the caller's: answered with a 4xx and logged at WARN. */
export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** DynamoDB throttled us or could not be reached in time: answered 503 with Retry-After. */
export class DependencyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;
