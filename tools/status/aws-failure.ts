/**
 * A failed AWS call said plainly, in one line that names the call: access denied, throttled (after
 * the SDK's own retries), no credentials, unreachable, or the service's own error. Never a stack
 * trace: whoever reads it needs the call and the reason, to fix a policy or try again.
 */

/** What went wrong, for the line and for tests. */
export type FailureKind = 'access-denied' | 'throttled' | 'credentials' | 'unreachable' | 'other';

export interface CallFailure {
  /** `Service.Operation in region`, e.g. `CloudWatch.DescribeAlarms in us-east-1`. */
  readonly call: string;
  readonly kind: FailureKind;
  readonly message: string;
}

/**
 * The error codes each service answers a refused permission with: IAM's `AccessDenied` (query
 * APIs such as CloudWatch and S3), `AccessDeniedException` (JSON and REST APIs such as
 * Synthetics), SNS's own `AuthorizationError` (its API reference, "Errors"), and KMS's for an
 * encrypted resource.
 */
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'UnauthorizedOperation',
  'KMSAccessDeniedException',
]);

/**
 * The codes the SDK's standard retry strategy treats as throttling
 * (`@smithy/service-error-classification`, THROTTLING_ERROR_CODES) and retries with a longer
 * backoff; when one reaches here, the retries ran out.
 */
const THROTTLED = new Set([
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);

/** Credentials that were found and refused: expired, or not a key AWS knows. */
const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
]);

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'TimeoutError',
]);

interface SdkErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Classifies `error` from `call` and says it in one line. */
export function describeFailure(call: string, error: unknown): CallFailure {
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const name = typeof sdk.name === 'string' ? sdk.name : 'Error';
  const code = typeof sdk.code === 'string' ? sdk.code : undefined;
  const detail = oneLine(typeof sdk.message === 'string' ? sdk.message : String(error));
  const status = sdk.$metadata?.httpStatusCode;
  const attempts = sdk.$metadata?.attempts;
  if (THROTTLED.has(name) || status === 429) {
    const tries = attempts === undefined ? '' : ` after ${attempts} attempts`;
    return {
      call,
      kind: 'throttled',
      message: `${call} was throttled by AWS (${name})${tries}; try again in a minute`,
    };
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return {
      call,
      kind: 'access-denied',
      message: `${call}: access denied (${name}): ${detail}. The credentials in use need this read permission`,
    };
  }
  if (BAD_CREDENTIALS.has(name)) {
    return {
      call,
      kind: 'credentials',
      message: `${call}: the credentials were refused (${name}): ${detail}. Sign in again (aws sso login, or fresh keys)`,
    };
  }
  if (name === 'CredentialsProviderError') {
    return {
      call,
      kind: 'credentials',
      message: `${call}: no AWS credentials found (${detail}). Set AWS_PROFILE, run aws configure or aws sso login, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    };
  }
  if (NETWORK_CODES.has(name) || (code !== undefined && NETWORK_CODES.has(code))) {
    return {
      call,
      kind: 'unreachable',
      message: `${call}: AWS could not be reached (${code ?? name}): ${detail}`,
    };
  }
  return { call, kind: 'other', message: `${call} failed (${name}): ${detail}` };
}

/** Runs `request`, naming `call` in the failure it becomes. */
export async function attempt<T>(
  call: string,
  request: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; failure: CallFailure }> {
  try {
    return { ok: true, value: await request() };
  } catch (error: unknown) {
    return { ok: false, failure: describeFailure(call, error) };
  }
}
