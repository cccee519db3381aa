/**
 * API Gateway's throttling as AWS describes it: a token bucket per stage whose size is the burst
 * limit and which refills at the rate limit; a request takes a token or is answered 429.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
import { TokenBucket } from '../../../local/api-gateway/throttle';

describe('TokenBucket', () => {
  it('starts full: a burst of exactly burstLimit requests passes at once', () => {
    const bucket = new TokenBucket({ burstLimit: 20, rateLimit: 10 }, () => 0);
    const taken = Array.from({ length: 25 }, () => bucket.take());
    expect(taken.filter(Boolean)).toHaveLength(20);
    expect(taken.slice(20)).toEqual([false, false, false, false, false]);
  });

  it('refills at rateLimit tokens a second, never above burstLimit', () => {
    let now = 0;
    const bucket = new TokenBucket({ burstLimit: 20, rateLimit: 10 }, () => now);
    while (bucket.take());
    now = 500;
    const afterHalfASecond = Array.from({ length: 10 }, () => bucket.take()).filter(Boolean);
    expect(afterHalfASecond).toHaveLength(5);
    now = 60_000;
    const afterAMinute = Array.from({ length: 30 }, () => bucket.take()).filter(Boolean);
    expect(afterAMinute).toHaveLength(20);
  });

  it('sustains the rate limit: one request every 100 ms at 10 per second always passes', () => {
    let now = 0;
    const bucket = new TokenBucket({ burstLimit: 1, rateLimit: 10 }, () => now);
    const passed = Array.from({ length: 50 }, (_, i) => {
      now = i * 100;
      return bucket.take();
    });
    expect(passed.every(Boolean)).toBe(true);
  });
});
