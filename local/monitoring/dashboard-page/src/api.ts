import type { ErrorBody } from '../../monitor-api';

/** An answer of the monitor other than 2xx, with the message it gave. */
export class MonitorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MonitorError';
  }
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MonitorError(response.status, 'NOT_JSON', `the monitor answered ${response.status}`);
  }
  if (!response.ok) {
    const error = (body as Partial<ErrorBody>).error;
    throw new MonitorError(
      response.status,
      error?.code ?? 'UNKNOWN',
      error?.message ?? `the monitor answered ${response.status}`,
    );
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: { accept: 'application/json' } }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

export function describeError(error: unknown): string {
  if (error instanceof MonitorError) return error.message;
  if (error instanceof TypeError) return 'the monitor cannot be reached (is it still running?)';
  return error instanceof Error ? error.message : String(error);
}
