import { TokenBucket } from '../../../src/core/token-bucket.js';
import type { RateLimitOptions } from './options.js';

/** The hub's limit: one token bucket per client. `take` answers 0 when a request may go, else the ms to wait. */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  take(clientId: string): number {
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      bucket = new TokenBucket(this.options.ratePerSecond, this.options.burst, this.now);
      this.buckets.set(clientId, bucket);
    }
    return bucket.tryTake() ? 0 : bucket.waitTime();
  }
}
