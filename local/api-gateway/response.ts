/**
 * What API Gateway sends the client: its own answers, and the function's result read as payload
 * format 2.0 responses are.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { GatewayError } from '../../contract/api';

export interface ClientResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** API Gateway's own answer: its status and `{"message": …}` body. */
export function gatewayResponse(error: GatewayError): ClientResponse {
  return {
    status: error.status,
    headers: JSON_HEADERS,
    body: JSON.stringify({ message: error.message }),
  };
}

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
