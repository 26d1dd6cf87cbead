import type { RetryPolicy } from '../config/schema.js';

/**
 * Capped exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): the wait before attempt n+1 is uniform in [0, min(cap, base·2^n)]. Full jitter spreads
 * the retries of many clients so they do not hit a recovering hub in waves. When the other side
 * said how long to wait (`Retry-After`), that wait is honoured as a floor.
 */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number, random: () => number = Math.random, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * exp);
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.max(retryAfterMs, jittered);
  return jittered;
}

// Moved to core so the token bucket (core, shared with the hub simulator) can wait without importing the engine.
export { sleep } from '../core/sleep.js';

/**
 * The time a destination may spend failing in one run. Trouble starts with a transient failure
 * and ends with the next success; the budget is spent when the trouble time of the run, added up,
 * reaches `budgetMs`. So a healthy destination is never cut short however long the run, a flapping
 * one gets its budget in pieces, and a dead one is given up on after `budgetMs` (its records stay
 * pending for the next run). Once spent, it stays spent for the run: the records still waiting
 * are deferred at once rather than each paying for the outage again.
 */
export class RetryBudget {
  private spentMs = 0;
  private troubleSince: number | null = null;
  private exhausted = false;

  constructor(
    private readonly budgetMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** a transient failure: the trouble clock runs (if it was not already) */
  failed(): void {
    this.troubleSince ??= this.clock();
  }

  /** an answer from the other side: the trouble is over, its time is kept */
  succeeded(): void {
    if (this.troubleSince === null) return;
    this.spentMs += this.clock() - this.troubleSince;
    this.troubleSince = null;
  }

  /** ms of trouble left before the budget is spent (0 when it is) */
  remainingMs(): number {
    if (this.exhausted) return 0;
    const running = this.troubleSince === null ? 0 : this.clock() - this.troubleSince;
    const left = this.budgetMs - this.spentMs - running;
    // only trouble spends it: a budget of 0 still lets everything go out once
    if (left <= 0 && this.troubleSince !== null) this.exhausted = true;
    return Math.max(0, left);
  }

  /** true once the run's trouble time reached the budget; stays true for the run */
  get spent(): boolean {
    this.remainingMs();
    return this.exhausted;
  }
}
