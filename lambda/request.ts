import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  isBlankMessage,
  MAX_BODY_BYTES,
  MESSAGE_MAX_LENGTH,
  UUID_PATTERN,
} from '../contract/api';
import { ClientError } from './errors';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header lookup that does not depend on the caller's casing (API Gateway lower-cases them already). */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function requireJsonContentType(event: APIGatewayProxyEventV2): void {
  const contentType = header(event, 'content-type');
  if (contentType === undefined) return;
  const [mediaType, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const isJson =
    mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
  const charset = params
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (!isJson || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ClientError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the body as Content-Type: application/json (UTF-8), not "${contentType.slice(0, 100)}"`,
    );
  }
}

/** The body as text: base64 decoded when API Gateway encoded it, size-checked, valid UTF-8. */
function bodyText(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw new ClientError('BODY_REQUIRED', 'A JSON body {"message": "..."} is required');
  }
  let bytes: Buffer;
  if (event.isBase64Encoded) {
    if (event.body.length > Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4) {
      throw new ClientError('PAYLOAD_TOO_LARGE', `The body may be at most ${MAX_BODY_BYTES} bytes`);
    }
    if (!STRICT_BASE64.test(event.body)) {
      throw new ClientError(
        'INVALID_ENCODING',
        'The body is marked base64-encoded but is not valid base64',
      );
    }
    bytes = Buffer.from(event.body, 'base64');
  } else {
    bytes = Buffer.from(event.body, 'utf8');
  }
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ClientError('PAYLOAD_TOO_LARGE', `The body may be at most ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ClientError('INVALID_ENCODING', 'The body is not valid UTF-8');
  }
}

/**
 * Validates a create request and returns the message to store: trimmed, non-empty, at most
 * MESSAGE_MAX_LENGTH code points, well-formed Unicode (DynamoDB rejects lone surrogates).
 */
export function parseCreateMessage(event: APIGatewayProxyEventV2): string {
  requireJsonContentType(event);
  const text = bodyText(event);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ClientError('INVALID_JSON', 'The body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientError('INVALID_BODY', 'The body must be a JSON object: {"message": "..."}');
  }
  const unknown = Object.keys(body).filter((key) => key !== 'message');
  if (unknown.length > 0) {
    throw new ClientError(
      'INVALID_BODY',
      `Unknown field "${unknown[0].slice(0, 50)}": only "message" is accepted`,
    );
  }
  if (!('message' in body)) {
    throw new ClientError('MESSAGE_REQUIRED', 'The field "message" is required');
  }
  const { message } = body as { message: unknown };
  if (typeof message !== 'string') {
    throw new ClientError('MESSAGE_INVALID', 'The field "message" must be a string');
  }
  if (!message.isWellFormed()) {
    throw new ClientError(
      'MESSAGE_INVALID',
      'The field "message" contains unpaired surrogate characters',
    );
  }
  const trimmed = message.trim();
  if (isBlankMessage(trimmed)) {
    throw new ClientError(
      'MESSAGE_EMPTY',
      'The field "message" must not be empty or only white space and invisible characters',
    );
  }
  const length = [...trimmed].length;
  if (length > MESSAGE_MAX_LENGTH) {
    throw new ClientError(
      'MESSAGE_TOO_LONG',
      `The field "message" may have at most ${MESSAGE_MAX_LENGTH} characters, not ${length}`,
    );
  }
  return trimmed;
}

/** The `{id}` path parameter as a lower-case UUID. */
export function parseMessageId(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id ?? '';
  if (!UUID_PATTERN.test(id)) {
    throw new ClientError(
      'INVALID_ID',
      `"${id.slice(0, 100)}" is not a message id (a UUID such as 3f0c8a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6)`,
    );
  }
  return id.toLowerCase();
}

/**
 * The Idempotency-Key the caller sent, without its quotes; undefined when it sent none. API Gateway
 * joins repeated headers with commas, which the pattern refuses: the draft allows one key.
 */
export function parseIdempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const value = header(event, IDEMPOTENCY_KEY_HEADER);
  if (value === undefined) return undefined;
  const match = IDEMPOTENCY_KEY_PATTERN.exec(value.trim());
  if (match === null) {
    throw new ClientError(
      'IDEMPOTENCY_KEY_INVALID',
      'Idempotency-Key must be one quoted string of 16 to 128 letters, digits and - _ . : ' +
        '(e.g. Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324")',
    );
  }
  return match[1];
}
