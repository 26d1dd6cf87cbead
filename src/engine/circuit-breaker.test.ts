import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, type CircuitState, type Permit } from './circuit-breaker.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function breaker(changes: CircuitState[] = []): CircuitBreaker {
  return new CircuitBreaker({ failures: 3, coolDownMs: 1000, maxCoolDownMs: 3000, onStateChange: (s) => changes.push(s) });
}
const never = new AbortController().signal;

/** a permit request whose outcome can be looked at without awaiting it */
function ask(b: CircuitBreaker, maxWaitMs?: number, signal = never): { got: () => Permit | null | undefined; error: () => unknown; done: Promise<void> } {
  let got: Permit | null | undefined;
  let error: unknown;
  const done = b.permit(signal, maxWaitMs).then(
    (p) => {
      got = p;
    },
    (e: unknown) => {
      error = e;
    },
  );
  return { got: () => got, error: () => error, done };
}

describe('CircuitBreaker', () => {
  it('lets requests through while closed, and opens after N failures in a row', async () => {
    const changes: CircuitState[] = [];
    const b = breaker(changes);
    const p = await b.permit(never);
    expect(p).toEqual({ probe: false });
    b.failure(p!);
    b.failure(p!);
    b.success(p!); // a success in between: the count starts again
    b.failure(p!);
    b.failure(p!);
    expect(b.state).toBe('closed');
    b.failure(p!);
    expect(b.state).toBe('open');
    expect(changes).toEqual(['open']);
  });

  it('while open, every caller waits; after the cool-down one probe goes, the others wait for it', async () => {
    const changes: CircuitState[] = [];
    const b = breaker(changes);
    const p = (await b.permit(never))!;
    for (let i = 0; i < 3; i++) b.failure(p);
    const a = ask(b);
    const c = ask(b);
    await vi.advanceTimersByTimeAsync(999);
    expect(a.got()).toBeUndefined();
    expect(c.got()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(b.state).toBe('half-open');
    // exactly one of them is the probe
    const probes = [a.got(), c.got()].filter((x) => x !== undefined);
    expect(probes).toEqual([{ probe: true }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect([a.got(), c.got()].filter((x) => x !== undefined)).toHaveLength(1);
    // the probe succeeds: the circuit closes and the other goes too
    b.success(probes[0]!);
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all([a.done, c.done]);
    expect([a.got(), c.got()]).toContainEqual({ probe: false });
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens it again for twice as long, up to the most', async () => {
    const b = breaker();
    const p = (await b.permit(never))!;
    for (let i = 0; i < 3; i++) b.failure(p);
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const start = Date.now();
      const probe = ask(b);
      while (probe.got() === undefined) await vi.advanceTimersByTimeAsync(100);
      waits.push(Date.now() - start);
      expect(probe.got()).toEqual({ probe: true });
      b.failure(probe.got()!);
      expect(b.state).toBe('open');
    }
    expect(waits).toEqual([1000, 2000, 3000, 3000]);
    // a success resets the cool-down
    const probe = ask(b);
    await vi.advanceTimersByTimeAsync(3000);
    b.success(probe.got()!);
    for (let i = 0; i < 3; i++) b.failure({ probe: false });
    const next = ask(b);
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.got()).toEqual({ probe: true });
  });

  it('a failure of a request sent before it opened does not extend the cool-down', async () => {
    const b = breaker();
    const p = (await b.permit(never))!;
    for (let i = 0; i < 3; i++) b.failure(p);
    await vi.advanceTimersByTimeAsync(900);
    b.failure(p);
    const probe = ask(b);
    await vi.advanceTimersByTimeAsync(100);
    expect(probe.got()).toEqual({ probe: true });
  });

  it('a neutral probe (a 429, a cancel) passes the turn to the next caller', async () => {
    const b = breaker();
    const p = (await b.permit(never))!;
    for (let i = 0; i < 3; i++) b.failure(p);
    await vi.advanceTimersByTimeAsync(1000);
    const first = (await b.permit(never))!;
    expect(first.probe).toBe(true);
    const second = ask(b);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.got()).toBeUndefined();
    b.neutral(first);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.got()).toEqual({ probe: true });
  });

  it('answers null once the caller\'s most wait is over, and rejects on abort', async () => {
    const b = breaker();
    const p = (await b.permit(never))!;
    for (let i = 0; i < 3; i++) b.failure(p);
    const short = ask(b, 400);
    await vi.advanceTimersByTimeAsync(399);
    expect(short.got()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(short.got()).toBeNull();
    const controller = new AbortController();
    const aborted = ask(b, undefined, controller.signal);
    controller.abort(new Error('run stopped'));
    await aborted.done;
    expect(aborted.error()).toEqual(new Error('run stopped'));
  });
});
