import { TransientError, type LienthongError } from '../../src/core/errors.js';
import { sleep as realSleep } from '../../src/core/sleep.js';

/** The clock, the waits and the randomness of retries and polling, replaceable in tests. */
export interface Timing {
  now: () => number;
  /** waits `ms`, or rejects with the signal's reason when it aborts first */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** a float in [0, 1): the jitter (e.g. `() => new SeededRandom(seed).next()` in tests) */
  random: () => number;
}

export const REAL_TIMING: Timing = { now: Date.now, sleep: realSleep, random: Math.random };

/**
 * The wait before attempt `attempt + 1`: `initialMs · 2^attempt`, at most `maxMs`, times a jitter
 * factor in [0.5, 1) so that clients that failed together do not come back together.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export interface RetryPolicy {
  budgetMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Runs `attempt` until it succeeds, throws a permanent error, or the transient failures have used
 * up the budget: a 429's `Retry-After` is waited exactly, other transient failures (5xx, resets,
 * timeouts) get exponential backoff with jitter. A retry that would end past the budget is not
 * made: the last error is thrown instead. A cancelled signal ends the wait with RSIGN_ABORTED.
 */
export async function withRetries<T>(call: string, attempt: () => Promise<T>, policy: RetryPolicy, timing: Timing, signal?: AbortSignal): Promise<T> {
  const start = timing.now();
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryable(err) || signal?.aborted === true) throw err;
      const delay = err.retryAfterMs ?? backoffDelay(failures, policy.initialDelayMs, policy.maxDelayMs, timing.random);
      if (timing.now() - start + delay > policy.budgetMs) throw err;
      await sleepOrAbort(call, delay, timing, signal);
    }
  }
}

function isRetryable(err: unknown): err is TransientError {
  return err instanceof TransientError && (err as LienthongError).code !== 'RSIGN_ABORTED';
}

/** a wait that turns the signal's abort into the client's own error */
export async function sleepOrAbort(call: string, ms: number, timing: Timing, signal?: AbortSignal): Promise<void> {
  try {
    await timing.sleep(ms, signal);
  } catch (cause) {
    if (signal?.aborted === true) throw new TransientError('RSIGN_ABORTED', `${call}: cancelled`, { connector: 'remote-signing' }, { cause });
    throw cause;
  }
}
