/**
 * A stage's throttling as API Gateway applies it: a token bucket whose size is the burst limit and
 * which refills at the rate limit, a request taking one token or being answered 429.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
export interface Throttling {
  /** The bucket's size: requests that may arrive at once. */
  readonly burstLimit: number;
  /** Tokens added per second: the sustained request rate. */
  readonly rateLimit: number;
}

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  /** Starts full, as a stage does that has had no traffic. */
  constructor(
    private readonly limits: Throttling,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limits.burstLimit;
    this.refilledAt = now();
  }

  /** Takes a token for one request; false when there is none (the request is throttled). */
  take(): boolean {
    const now = this.now();
    const refill = ((now - this.refilledAt) / 1000) * this.limits.rateLimit;
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + refill);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
