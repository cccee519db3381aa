import {
  CORRELATION_ID_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  MESSAGES_PATH,
  messagePath,
} from '../../contract/api';
import { WEBSITE_CONFIG_FILE, type WebsiteConfig } from '../../contract/website';

/** A failure the page can explain to a person. `kind` decides the wording. */
export class ApiError extends Error {
  constructor(
    readonly kind: 'network' | 'not-found' | 'rejected' | 'unavailable' | 'server' | 'config',
    message: string,
    readonly requestId?: string,
    /** What the API's Retry-After asked for, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request may have been applied, or may succeed if sent again. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'unavailable' || this.kind === 'server';
  }
}

/** A new Idempotency-Key: a UUID, quoted as the header's syntax (an RFC 8941 string) wants. */
export function newIdempotencyKey(): string {
  return `"${crypto.randomUUID()}"`;
}

// One retry, after the API's Retry-After (at most 5 s) or 1 s: enough for a lost answer or a
// throttled moment, short enough that the person is still waiting for it.
const RETRY_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 5000;

export interface Message {
  readonly id: string;
  readonly message: string;
  readonly createdAt: string;
}

const TIMEOUT_MS = 10_000;

async function loadConfig(): Promise<WebsiteConfig> {
  try {
    const response = await fetch(`/${WEBSITE_CONFIG_FILE}`, {
      cache: 'no-cache',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const config = (await response.json()) as Partial<WebsiteConfig>;
    const url = new URL(String(config.apiUrl));
    if (!response.ok || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      throw new Error('bad config');
    return { apiUrl: url.href.replace(/\/+$/, '') };
  } catch {
    throw new ApiError(
      'config',
      'The page could not load its settings. Reload the page to try again.',
    );
  }
}

/** The message API, at the address the deployment wrote into config.json. */
export class MessagesClient {
  private config: Promise<WebsiteConfig> | undefined;

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    this.config ??= loadConfig().catch((error: unknown) => {
      this.config = undefined;
      throw error;
    });
    const { apiUrl } = await this.config;
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, {
        ...init,
        headers: { ...init.headers, [CORRELATION_ID_HEADER]: `web-${crypto.randomUUID()}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new ApiError(
        'network',
        'Could not reach the message service. Check your connection and try again.',
      );
    }
    let body: { error?: { message?: string }; requestId?: string } & Record<string, unknown>;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      body = {};
    }
    if (response.ok) return body as T;
    const requestId = typeof body.requestId === 'string' ? body.requestId : undefined;
    if (response.status === 404)
      throw new ApiError('not-found', 'No message has this id.', requestId);
    if (response.status === 429 || response.status === 503) {
      const retryAfter = Number(response.headers.get('retry-after'));
      // Say which it is: the API limiting requests (429), the function's own 503 naming what is
      // down (the message store), or API Gateway's 503 when the function did not answer in time.
      const cause =
        response.status === 429
          ? 'The message service is limiting requests right now.'
          : typeof body.error?.message === 'string'
            ? `${body.error.message.replace(/[.;].*$/, '')}.`
            : 'The message service did not answer in time.';
      throw new ApiError(
        'unavailable',
        `${cause} Try again in a few seconds.`,
        requestId,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    if (response.status < 500 && typeof body.error?.message === 'string') {
      throw new ApiError('rejected', body.error.message, requestId);
    }
    throw new ApiError(
      'server',
      `The message service had a problem (error ${response.status}). Try again in a moment.`,
      requestId,
    );
  }

  async count(): Promise<number> {
    return (await this.request<{ count: number }>(MESSAGES_PATH)).count;
  }

  /**
   * Posts a message under `idempotencyKey`, and retries once with the same key when the answer
   * is lost or the service fails: the API stores a message once per key, so a retry can never
   * post it twice. The caller keeps the key for its own retries of the same post.
   */
  async create(message: string, idempotencyKey: string): Promise<Message> {
    const send = () =>
      this.request<Message>(MESSAGES_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
        body: JSON.stringify({ message }),
      });
    try {
      return await send();
    } catch (error: unknown) {
      if (!(error instanceof ApiError) || !error.retryable) throw error;
      const delay = Math.min(error.retryAfterMs ?? RETRY_DELAY_MS, MAX_RETRY_DELAY_MS);
      await new Promise((resolve) => setTimeout(resolve, delay));
      return send();
    }
  }

  get(id: string): Promise<Message> {
    return this.request<Message>(messagePath(id));
  }
}
