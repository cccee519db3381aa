import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../contract/api';
import { ClientError, DependencyUnavailableError, RETRY_AFTER_SECONDS } from './errors';

/** A payload 2.0 result with the status and headers always set. */
export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export interface ErrorOutcome {
  readonly response: HttpResponse;
  readonly code: ErrorCode;
  readonly reason: string;
}

/** Maps any thrown value to the API's JSON error; never exposes a stack trace or an internal message. */
export function errorResponse(error: unknown, requestId: string): ErrorOutcome {
  let code: ErrorCode = 'INTERNAL_ERROR';
  let message =
    'Something went wrong on our side; try again, and quote the requestId if it persists';
  const headers: Record<string, string> = {};
  if (error instanceof ClientError) {
    code = error.code;
    message = error.message;
  } else if (error instanceof DependencyUnavailableError) {
    code = 'SERVICE_UNAVAILABLE';
    message = `The message store is unavailable; retry in ${RETRY_AFTER_SECONDS} s`;
    headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return {
    response: json(
      ERROR_STATUS[code],
      { error: { code, message }, requestId } satisfies ErrorBody,
      headers,
    ),
    code,
    reason,
  };
}
