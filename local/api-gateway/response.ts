/**
 * What API Gateway sends the client: its own answers, and the function's result read as payload
 * format 2.0 responses are.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface ClientResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The answers API Gateway gives without the function (or instead of its result). */
export const GATEWAY_RESPONSES = {
  /** No route: the stack has no `$default` route. */
  notFound: { status: 404, headers: JSON_HEADERS, body: '{"message":"Not Found"}' },
  /** A body over API Gateway's payload limit. */
  tooLarge: { status: 413, headers: JSON_HEADERS, body: '{"message":"Request Entity Too Large"}' },
  /** The invocation failed (the function crashed, timed out or failed to start). */
  internalError: {
    status: 500,
    headers: JSON_HEADERS,
    body: '{"message":"Internal Server Error"}',
  },
} as const satisfies Record<string, ClientResponse>;

/**
 * The function's result as the client receives it. A result without a numeric `statusCode` is a
 * 200 with the result as its JSON body; a base64 body is decoded; header names are lower-cased.
 */
export function responseFromResult(result: unknown): ClientResponse {
  const structured = result as APIGatewayProxyStructuredResultV2 | undefined;
  if (
    typeof structured !== 'object' ||
    structured === null ||
    typeof structured.statusCode !== 'number'
  ) {
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(result ?? null) };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const body =
    structured.body === undefined
      ? ''
      : structured.isBase64Encoded
        ? Buffer.from(structured.body, 'base64')
        : structured.body;
  return { status: structured.statusCode, headers, body };
}
