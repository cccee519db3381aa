import { CORRELATION_ID_HEADER } from '../../contract/api';
import { WEBSITE_CONFIG_FILE, type WebsiteConfig } from '../../contract/website';

/** A failure the page can explain to a person. `kind` decides the wording. */
export class ApiError extends Error {
  constructor(
    readonly kind: 'network' | 'not-found' | 'rejected' | 'unavailable' | 'server' | 'config',
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

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
      throw new ApiError(
        'unavailable',
        'The message service is busy. Try again in a few seconds.',
        requestId,
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
    return (await this.request<{ count: number }>('/messages')).count;
  }

  create(message: string): Promise<Message> {
    return this.request<Message>('/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    });
  }

  get(id: string): Promise<Message> {
    return this.request<Message>(`/messages/${encodeURIComponent(id)}`);
  }
}
