/** How many failed logins lock what, for how long. */
export interface LoginLimitOptions {
  perUsername: number;
  perAddress: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOGIN_LIMIT: LoginLimitOptions = { perUsername: 5, perAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** keys kept at most (an attacker trying random names must not grow memory without bound) */
const MAX_KEYS = 50_000;

interface Bucket {
  failures: number[];
  lockedUntil: number;
}

/**
 * Counts failed logins per account name and per remote address in a sliding window; at the
 * limit the name (or the address) is locked for `lockMs`, whatever password comes next, and the
 * answer says how long to wait. A success clears the name's failures (not the address's: one
 * good account must not reset a guessing run from the same address against others).
 */
export class LoginLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: LoginLimitOptions,
    private readonly now: () => number,
  ) {}

  /** seconds until this name and address may try again, or 0 */
  retryAfterSeconds(username: string, address: string): number {
    const at = this.now();
    const until = Math.max(this.lockedUntil(`u:${username}`, at), this.lockedUntil(`a:${address}`, at));
    return until > at ? Math.ceil((until - at) / 1000) : 0;
  }

  recordFailure(username: string, address: string): void {
    const at = this.now();
    this.count(`u:${username}`, this.options.perUsername, at);
    this.count(`a:${address}`, this.options.perAddress, at);
  }

  recordSuccess(username: string): void {
    this.buckets.delete(`u:${username}`);
  }

  private lockedUntil(key: string, at: number): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    if (b.lockedUntil <= at && b.failures.every((t) => at - t > this.options.windowMs)) this.buckets.delete(key);
    return b.lockedUntil;
  }

  private count(key: string, limit: number, at: number): void {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_KEYS) this.evict(at);
      b = { failures: [], lockedUntil: 0 };
      this.buckets.set(key, b);
    }
    b.failures = b.failures.filter((t) => at - t <= this.options.windowMs);
    b.failures.push(at);
    if (b.failures.length >= limit) {
      b.lockedUntil = at + this.options.lockMs;
      b.failures = [];
    }
  }

  /** drops what no longer matters, then (still full) the oldest keys */
  private evict(at: number): void {
    for (const [k, b] of this.buckets) if (b.lockedUntil <= at && b.failures.every((t) => at - t > this.options.windowMs)) this.buckets.delete(k);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < MAX_KEYS) break;
      this.buckets.delete(k);
    }
  }
}
