import type { RateLimitOptions } from './options.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token bucket per client. `take` answers 0 when a request may go, else the ms to wait. */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  take(clientId: string): number {
    const now = this.now();
    const bucket = this.buckets.get(clientId) ?? { tokens: this.options.burst, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsedSeconds * this.options.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(clientId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.options.ratePerSecond) * 1000);
  }
}
