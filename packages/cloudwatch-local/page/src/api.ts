import type { ErrorBody } from '../../src/monitor-api';

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

/** The monitor could not be reached at all (fetch failed: it stopped, or the network did). */
export class UnreachableError extends Error {
  constructor() {
    super('the monitor cannot be reached (is it still running?)');
    this.name = 'UnreachableError';
  }
}

/** fetch, with a failure to reach the monitor told apart from every other error. */
async function request(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new UnreachableError();
  }
}

export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await request(path, { headers: { accept: 'application/json' } }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return answer<T>(
    await request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

export function describeError(error: unknown): string {
  if (error instanceof MonitorError || error instanceof UnreachableError) return error.message;
  // Anything else is a fault of this page: said as such, not blamed on the monitor.
  return `this page failed: ${error instanceof Error ? error.message : String(error)}`;
}
