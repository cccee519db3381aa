/** The errors the handler throws; contract/api.ts lists their codes and HTTP statuses. */
import type { ErrorCode } from '../contract/api';

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
