import { randomUUID } from 'node:crypto';
import { CORRELATION_ID_HEADER, UUID_PATTERN } from '../contract/api';
import { CANARY_ENV } from '../contract/canaries';
import { requireUrl, synthetics } from './runtime';

/**
 * The API journey over HTTP: count, create, read back, count again. Every request carries an
 * x-correlation-id of `<canary>-<step>-<uuid>`, logged before the call, so a failed step leads
 * straight to the function's log lines of the same request (field caller_correlation_id).
 */
export const handler = async (): Promise<string> => {
  const { synthetics: library, log } = synthetics();
  const apiUrl = requireUrl(CANARY_ENV.apiUrl);
  const canary = library.getCanaryName();

  const call = async (
    step: string,
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const correlationId = `${canary}-${step}-${randomUUID()}`;
    log.info(`${step}: ${init.method ?? 'GET'} ${path} ${CORRELATION_ID_HEADER}=${correlationId}`);
    const response = await fetch(`${apiUrl}${path}`, {
      ...init,
      headers: { ...init.headers, [CORRELATION_ID_HEADER]: correlationId },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(
        `${step}: HTTP ${response.status}, body is not JSON (${CORRELATION_ID_HEADER}=${correlationId}): ${text.slice(0, 200)}`,
      );
    }
    log.info(`${step}: HTTP ${response.status} ${CORRELATION_ID_HEADER}=${correlationId}`);
    return { status: response.status, body };
  };
  const expectStatus = (
    step: string,
    actual: { status: number; body: unknown },
    expected: number,
  ) => {
    if (actual.status !== expected)
      throw new Error(
        `${step}: expected HTTP ${expected}, got ${actual.status}: ${JSON.stringify(actual.body).slice(0, 300)}`,
      );
  };

  const before = await library.executeStep('count', async () => {
    const response = await call('count', '/messages');
    expectStatus('count', response, 200);
    if (typeof response.body.count !== 'number')
      throw new Error(`count: no number in ${JSON.stringify(response.body)}`);
    return response.body.count;
  });

  const text = `api canary ${new Date().toISOString()}`;
  const id = await library.executeStep('create', async () => {
    const response = await call('create', '/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: text }),
    });
    expectStatus('create', response, 201);
    if (typeof response.body.id !== 'string' || !UUID_PATTERN.test(response.body.id))
      throw new Error(`create: no id in ${JSON.stringify(response.body)}`);
    return response.body.id;
  });

  await library.executeStep('read', async () => {
    const response = await call('read', `/messages/${id}`);
    expectStatus('read', response, 200);
    if (response.body.message !== text)
      throw new Error(`read: expected "${text}", got ${JSON.stringify(response.body.message)}`);
  });

  await library.executeStep('count-rose', async () => {
    const response = await call('count-rose', '/messages');
    expectStatus('count-rose', response, 200);
    if (typeof response.body.count !== 'number' || response.body.count <= before) {
      throw new Error(
        `count-rose: count was ${before} before the create and is ${String(response.body.count)} after`,
      );
    }
  });
  return 'API journey passed';
};
