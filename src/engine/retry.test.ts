import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryBudget, backoffDelay, sleep } from './retry.js';
import { TokenBucket } from '../core/token-bucket.js';

const policy = { baseDelayMs: 500, maxDelayMs: 60_000 };

describe('backoffDelay (capped exponential, full jitter)', () => {
  it('grows as base·2^(n-1) at the top of the jitter range', () => {
    const top = () => 0.999999;
    expect(backoffDelay(policy, 1, top)).toBe(499);
    expect(backoffDelay(policy, 2, top)).toBe(999);
    expect(backoffDelay(policy, 3, top)).toBe(1999);
    expect(backoffDelay(policy, 5, top)).toBe(7999);
  });

  it('never exceeds the cap', () => {
    for (let n = 1; n < 40; n++) expect(backoffDelay(policy, n, () => 0.999999)).toBeLessThan(60_000);
  });

  it('spreads waits uniformly from zero (full jitter)', () => {
    expect(backoffDelay(policy, 4, () => 0)).toBe(0);
    expect(backoffDelay(policy, 4, () => 0.5)).toBe(2000);
  });

  it('honours Retry-After as a floor', () => {
    expect(backoffDelay(policy, 1, () => 0.1, 3000)).toBe(3000);
    expect(backoffDelay(policy, 10, () => 0.9, 3000)).toBeGreaterThan(3000);
  });
});

describe('timing with fake timers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sleep resolves only after the delay', async () => {
    let done = false;
    const p = sleep(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it('sleep rejects when aborted', async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal);
    c.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });

  it('token bucket lets a burst through, then paces at the rate', async () => {
    const bucket = new TokenBucket(10, 3, () => Date.now());
    const times: number[] = [];
    const start = Date.now();
    const all = Promise.all(Array.from({ length: 6 }, () => bucket.take().then(() => times.push(Date.now() - start))));
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    // then one token every 100 ms
    expect(times[3]).toBeGreaterThanOrEqual(100);
    expect(times[4]).toBeGreaterThanOrEqual(200);
    expect(times[5]).toBeGreaterThanOrEqual(300);
    expect(times[5]).toBeLessThan(400);
  });

  it('token bucket waits a full token after drain (after a 429)', async () => {
    const bucket = new TokenBucket(2, 5, () => Date.now());
    bucket.drain();
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.waitTime()).toBe(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(bucket.tryTake()).toBe(true);
  });
});

describe('RetryBudget (time spent failing, added up over the run)', () => {
  it('counts only trouble: from a failure to the next success', () => {
    let now = 0;
    const budget = new RetryBudget(10_000, () => now);
    now = 50_000; // a long healthy run spends nothing
    expect(budget.remainingMs()).toBe(10_000);
    budget.failed();
    now += 4000;
    budget.failed(); // more failures in the same trouble do not restart its clock
    now += 2000;
    expect(budget.remainingMs()).toBe(4000);
    budget.succeeded();
    now += 60_000;
    expect(budget.remainingMs()).toBe(4000);
    expect(budget.spent).toBe(false);
    budget.failed();
    now += 3999;
    expect(budget.spent).toBe(false);
    now += 1;
    expect(budget.spent).toBe(true);
    expect(budget.remainingMs()).toBe(0);
  });

  it('stays spent for the run once spent, even after a success', () => {
    let now = 0;
    const budget = new RetryBudget(1000, () => now);
    budget.failed();
    now = 1000;
    expect(budget.spent).toBe(true);
    budget.succeeded();
    expect(budget.spent).toBe(true);
  });

  it('a budget of 0 lets everything go out once, and retries nothing', () => {
    const budget = new RetryBudget(0, () => 0);
    expect(budget.spent).toBe(false);
    budget.failed();
    expect(budget.spent).toBe(true);
  });
});
