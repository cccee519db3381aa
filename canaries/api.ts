import { randomUUID } from 'node:crypto';
import {
  API_GATEWAY_REQUEST_ID_HEADER,
  CORRELATION_ID_HEADER,
  type ErrorCode,
  MESSAGES_PATH,
  messagePath,
  UUID_PATTERN,
} from '../contract/api';
import {
  CANARY_ENV,
  canaryCorrelationId,
  steps,
  writeRequestIds,
  type RequestIds,
} from '../contract/canaries';
import { WEBSITE_CONFIG_FILE } from '../contract/website';
import { requireUrl, synthetics } from './runtime';

/** Per request: a slow answer fails its step, naming it, well before the run's timeout. */
const REQUEST_TIMEOUT_MS = 10_000;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The x-correlation-id the request carried, and API Gateway's request id of the answer. */
  readonly ids: RequestIds;
}

/** A failed check: the step, what was wrong, and the request to look for in the logs. */
class CheckFailed extends Error {
  constructor(step: string, answer: Answer, problem: string) {
    super(`${step}: ${problem} (${writeRequestIds(answer.ids)})`);
  }
}

function jsonOf(step: string, answer: Answer): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(answer.text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      return body as Record<string, unknown>;
    }
  } catch {
    // Reported below with the text that came back.
  }
  throw new CheckFailed(
    step,
    answer,
    `HTTP ${answer.status}, body is not a JSON object: ${answer.text.slice(0, 200)}`,
  );
}

function expectStatus(step: string, answer: Answer, expected: number): void {
  if (answer.status !== expected)
    throw new CheckFailed(
      step,
      answer,
      `expected HTTP ${expected}, got ${answer.status}: ${answer.text.slice(0, 300)}`,
    );
}

/** An error answer of the API: the status and `{"error": {"code": …}}`. */
function expectError(step: string, answer: Answer, status: number, code: ErrorCode): void {
  expectStatus(step, answer, status);
  const body = jsonOf(step, answer);
  const error = body.error;
  const actual =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (actual !== code)
    throw new CheckFailed(
      step,
      answer,
      `expected error code ${code}, got ${JSON.stringify(actual)} in ${answer.text.slice(0, 300)}`,
    );
}

/**
 * The API journey over HTTP, as a client and a browser use the API: count, create, read back, count
 * again; a malformed body refused with INVALID_JSON, an unknown id answered MESSAGE_NOT_FOUND, a
 * preflight from the stage's website admitted for that origin only; and the website's
 * `config.json` naming this very API, so a deploy that points the site elsewhere (or a CloudFront
 * that is down) shows up at the API canary's pace rather than the website canary's.
 *
 * Every request carries an x-correlation-id of `canary-<canary>-<step>-<uuid>`, logged before the
 * call, and a failed check names its step, that id and API Gateway's request id of the answer: they
 * lead straight to the function's log lines of the same request (caller_correlation_id) and to API
 * Gateway's access-log line (requestId).
 */
const STEP = steps('api');

export const handler = async (): Promise<string> => {
  const { synthetics: library, log } = synthetics();
  const apiUrl = requireUrl(CANARY_ENV.apiUrl);
  const websiteUrl = requireUrl(CANARY_ENV.websiteUrl);
  const websiteOrigin = new URL(websiteUrl).origin;
  const canary = library.getCanaryName();

  const call = async (step: string, url: string, init: RequestInit = {}): Promise<Answer> => {
    const correlationId = canaryCorrelationId(canary, step);
    const method = init.method ?? 'GET';
    log.info(`${step}: ${method} ${url} ${CORRELATION_ID_HEADER}=${correlationId}`);
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { ...init.headers, [CORRELATION_ID_HEADER]: correlationId },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error: unknown) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is its cause.
      const reason = error instanceof Error ? (error.cause ?? error) : error;
      throw new Error(
        `${step}: ${method} ${url} got no answer: ${reason instanceof Error ? reason.message : String(reason)} (${writeRequestIds({ correlationId })})`,
        { cause: error },
      );
    }
    const text = await response.text();
    // API Gateway's id of the request finds its own access-log line too (the website's
    // config.json, served by CloudFront, has none).
    const apiGatewayRequestId = response.headers.get(API_GATEWAY_REQUEST_ID_HEADER) ?? undefined;
    const ids = {
      correlationId,
      ...(apiGatewayRequestId !== undefined && { apiGatewayRequestId }),
    };
    log.info(`${step}: HTTP ${response.status} ${writeRequestIds(ids)}`);
    return { status: response.status, headers: response.headers, text, ids };
  };
  const api = (step: string, path: string, init?: RequestInit) =>
    call(step, `${apiUrl}${path}`, init);

  const countNow = async (step: string): Promise<{ count: number; answer: Answer }> => {
    const answer = await api(step, MESSAGES_PATH);
    expectStatus(step, answer, 200);
    const { count } = jsonOf(step, answer);
    if (typeof count !== 'number')
      throw new CheckFailed(step, answer, `no number "count" in ${answer.text.slice(0, 200)}`);
    return { count, answer };
  };

  const before = await library.executeStep(
    STEP.count,
    async () => (await countNow(STEP.count)).count,
  );

  const text = `api canary ${new Date().toISOString()}`;
  const id = await library.executeStep(STEP.create, async () => {
    const answer = await api(STEP.create, MESSAGES_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: text }),
    });
    expectStatus(STEP.create, answer, 201);
    const created = jsonOf(STEP.create, answer).id;
    if (typeof created !== 'string' || !UUID_PATTERN.test(created))
      throw new CheckFailed(STEP.create, answer, `no id in ${answer.text.slice(0, 200)}`);
    return created;
  });

  await library.executeStep(STEP.read, async () => {
    const answer = await api(STEP.read, messagePath(id));
    expectStatus(STEP.read, answer, 200);
    const { message } = jsonOf(STEP.read, answer);
    if (message !== text)
      throw new CheckFailed(
        STEP.read,
        answer,
        `expected "${text}", got ${JSON.stringify(message)}`,
      );
  });

  await library.executeStep(STEP['count-rose'], async () => {
    const { count, answer } = await countNow(STEP['count-rose']);
    if (count <= before)
      throw new CheckFailed(
        STEP['count-rose'],
        answer,
        `count was ${before} before the create and is ${count} after`,
      );
  });

  await library.executeStep(STEP['invalid-json'], async () => {
    const answer = await api(STEP['invalid-json'], MESSAGES_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message": ',
    });
    expectError(STEP['invalid-json'], answer, 400, 'INVALID_JSON');
  });

  await library.executeStep(STEP['not-found'], async () => {
    const answer = await api(STEP['not-found'], messagePath(randomUUID()));
    expectError(STEP['not-found'], answer, 404, 'MESSAGE_NOT_FOUND');
  });

  await library.executeStep(STEP['cors-preflight'], async () => {
    // What a browser on the stage's website asks before it posts a message.
    const requestedHeaders = ['content-type', CORRELATION_ID_HEADER];
    const answer = await api(STEP['cors-preflight'], MESSAGES_PATH, {
      method: 'OPTIONS',
      headers: {
        origin: websiteOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': requestedHeaders.join(','),
      },
    });
    if (answer.status < 200 || answer.status > 299)
      throw new CheckFailed(
        STEP['cors-preflight'],
        answer,
        `expected HTTP 2xx, got ${answer.status}`,
      );
    const allowedOrigin = answer.headers.get('access-control-allow-origin');
    if (allowedOrigin !== websiteOrigin)
      throw new CheckFailed(
        STEP['cors-preflight'],
        answer,
        `access-control-allow-origin is ${JSON.stringify(allowedOrigin)}, expected the website's origin ${websiteOrigin}`,
      );
    const methods = (answer.headers.get('access-control-allow-methods') ?? '')
      .split(',')
      .map((method) => method.trim().toUpperCase());
    if (!methods.includes('POST') && !methods.includes('*'))
      throw new CheckFailed(
        STEP['cors-preflight'],
        answer,
        `POST is not among the allowed methods "${methods.join(',')}"`,
      );
    const headers = (answer.headers.get('access-control-allow-headers') ?? '')
      .split(',')
      .map((header) => header.trim().toLowerCase());
    const refused = requestedHeaders.filter(
      (header) => !headers.includes(header) && !headers.includes('*'),
    );
    if (refused.length > 0)
      throw new CheckFailed(
        STEP['cors-preflight'],
        answer,
        `the headers ${refused.join(', ')} are not among the allowed headers "${headers.join(',')}"`,
      );
  });

  await library.executeStep(STEP['website-config'], async () => {
    const answer = await call(STEP['website-config'], `${websiteUrl}/${WEBSITE_CONFIG_FILE}`);
    expectStatus(STEP['website-config'], answer, 200);
    const configured = jsonOf(STEP['website-config'], answer).apiUrl;
    if (configured !== apiUrl)
      throw new CheckFailed(
        STEP['website-config'],
        answer,
        `the website calls the API at ${JSON.stringify(configured)}, not ${apiUrl}`,
      );
  });
  return 'API journey passed';
};
