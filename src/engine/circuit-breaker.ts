/**
 * A circuit breaker for one destination (Nygard, "Release It!"; Fowler, "CircuitBreaker").
 *
 * - closed: requests go out. `failures` transient failures in a row open it.
 * - open: no request goes out; every batch waits (it is not failed, not counted as an attempt)
 *   for the cool-down. A hub that is down is not hammered by every batch's own backoff.
 * - half-open: after the cool-down one batch goes out as a probe; the others keep waiting. The
 *   probe's success closes the circuit and lets everyone go; its failure opens it again for twice
 *   the previous cool-down, up to `maxCoolDownMs`.
 *
 * Hand-written rather than a library (opossum, cockatiel): those fail a call at once while the
 * circuit is open, and a batch here must wait for the circuit instead, within the retry budget.
 * Any answer from the other side (even a 413 or a rejection) counts as a success: it is up.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** transient failures in a row that open the circuit */
  failures: number;
  /** how long the circuit stays open before a probe */
  coolDownMs: number;
  /** the longest cool-down after probes that failed */
  maxCoolDownMs: number;
  clock?: () => number;
  /** told of every change of state (for the log) */
  onStateChange?: (state: CircuitState, detail: { coolDownMs: number; failures: number }) => void;
}

/** What `permit` hands out; give it back with exactly one of success, failure, neutral. */
export interface Permit {
  readonly probe: boolean;
}

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutive = 0;
  private coolDown: number;
  private reopenAt = 0;
  private probeOut = false;
  private readonly waiters = new Set<() => void>();
  private readonly clock: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.coolDown = options.coolDownMs;
    this.clock = options.clock ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  /**
   * Waits until a request may go out: at once while closed; while open, until the cool-down is
   * over and this caller is the probe, or the probe succeeded. Answers null when `maxWaitMs`
   * passed first (the caller's budget is spent); rejects with the signal's reason on abort.
   */
  async permit(signal: AbortSignal, maxWaitMs = Number.POSITIVE_INFINITY): Promise<Permit | null> {
    const deadline = this.clock() + maxWaitMs;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (this.current === 'open' && this.clock() >= this.reopenAt) this.change('half-open');
      if (this.current === 'closed') return { probe: false };
      if (this.current === 'half-open' && !this.probeOut) {
        this.probeOut = true;
        return { probe: true };
      }
      const now = this.clock();
      if (now >= deadline) return null;
      const until = this.current === 'open' ? Math.min(this.reopenAt, deadline) : deadline;
      await this.waitForChange(until - now, signal);
    }
  }

  /** the other side answered */
  success(permit: Permit): void {
    if (permit.probe) this.probeOut = false;
    this.consecutive = 0;
    this.coolDown = this.options.coolDownMs;
    if (this.current !== 'closed') this.change('closed');
  }

  /** a transient failure (no answer, 5xx, timeout) */
  failure(permit: Permit): void {
    if (permit.probe) {
      this.probeOut = false;
      this.coolDown = Math.min(this.options.maxCoolDownMs, Math.max(this.coolDown * 2, 1));
      this.open();
      return;
    }
    // a request sent before the circuit opened, failing late, does not extend the cool-down
    if (this.current !== 'closed') return;
    this.consecutive++;
    if (this.consecutive >= this.options.failures) this.open();
  }

  /**
   * Neither: the other side asked us to slow down (429, handled by Retry-After), or the request
   * was cancelled. A probe's turn passes to the next waiter.
   */
  neutral(permit: Permit): void {
    if (!permit.probe) return;
    this.probeOut = false;
    this.wake();
  }

  private open(): void {
    this.reopenAt = this.clock() + (this.current === 'closed' ? this.options.coolDownMs : this.coolDown);
    if (this.current === 'closed') this.coolDown = this.options.coolDownMs;
    this.consecutive = 0;
    this.change('open');
  }

  private change(state: CircuitState): void {
    this.current = state;
    this.options.onStateChange?.(state, { coolDownMs: this.coolDown, failures: this.options.failures });
    this.wake();
  }

  private wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }

  /** resolves after `ms`, on the next change of state, or rejects on abort */
  private waitForChange(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(done);
        resolve();
      };
      const onAbort = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        reject(signal.reason);
      };
      // setTimeout takes at most 2^31-1 ms (a longer delay fires at once); the loop waits again
      const timer = setTimeout(done, Math.min(Math.max(0, ms), 2 ** 31 - 1));
      this.waiters.add(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
