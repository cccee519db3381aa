/** What the website, its build, its servers (CloudFront, local) and the browser journeys share. */

/** File the website reads at load to find the API. */
export const WEBSITE_CONFIG_FILE = 'config.json';

/** The build's page for a path that names no file; CloudFront and the local server answer it with 404. */
export const NOT_FOUND_PAGE = '404.html';

export interface WebsiteConfig {
  /** Base URL of the API, without a trailing slash, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com`. */
  readonly apiUrl: string;
}

/**
 * The `data-testid`s the website renders and the canaries and browser tests use.
 * Change one here and both sides follow.
 */
export const TEST_IDS = {
  count: 'message-count',
  refreshCount: 'refresh-count',
  messageInput: 'message-input',
  postButton: 'post-button',
  createdId: 'created-id',
  /** The posted message, shown isolated (`<bdi>`) inside the confirmation line. */
  createdMessage: 'created-message',
  /** `?id=<uuid>`: opens the page with the message looked up. */
  shareLink: 'share-link',
  copyId: 'copy-id',
  lookupInput: 'lookup-input',
  lookupButton: 'lookup-button',
  lookupResult: 'lookup-result',
  /** The outcome of a lookup, next to its form. */
  lookupStatus: 'lookup-status',
  status: 'status',
} as const;

/**
 * The website's Content-Security-Policy: its own files only, and calls to `apiOrigin`. CloudFront
 * sends it through a response headers policy; the local website server sends the same.
 */
export function contentSecurityPolicy(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
