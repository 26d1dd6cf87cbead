import { sleep } from './sleep.js';

/**
 * A token bucket: `ratePerSecond` tokens are added continuously up to `burst`; each call takes
 * one token, waiting until one is there. Hand-written rather than p-queue's `interval` option:
 * that one counts calls in fixed windows, which lets twice the rate through at a window edge,
 * and the hub's limit is a bucket (20 a second, bursts of 40).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  private refill(): void {
    const t = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }

  /** ms until a token would be available, 0 if one is there now */
  waitTime(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  /** takes a token now if one is there */
  tryTake(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** waits for a token; callers are served in order */
  take(signal?: AbortSignal): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        if (this.tryTake()) return;
        await sleep(this.waitTime(), signal);
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** empties the bucket (after a 429: the other side says we are going too fast) */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }
}
