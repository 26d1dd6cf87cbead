import { createHash } from 'node:crypto';
import { NO_FAULTS, type FaultOptions } from './options.js';
import { SeededRandom } from '../../../src/core/seeded-random.js';

/** What goes wrong with one request. `afterApply`: the batch is applied first, then the fault. */
export type FailureFault = { kind: 'error'; status: number; afterApply: boolean } | { kind: 'timeout'; afterApply: boolean };

export interface FaultCounts {
  errors: number;
  timeouts: number;
  throttled: number;
  revocations: number;
  tooLarge: number;
}

/**
 * Decides the faults of each request from a seeded PRNG. Draws happen in a fixed order per request
 * (revoke, throttle, latency, failure) and only for the faults that are on.
 *
 * A request with an Idempotency-Key draws from a PRNG of its own, seeded by (seed, key, how many
 * times the key was seen): the faults a batch meets do not depend on how concurrent requests
 * interleave, so a run with the same batches meets the same faults. Other requests draw from one
 * shared sequence.
 */
/** the least time between two random revocations */
const REVOCATION_SPACING_MS = 1000;

export class FaultInjector {
  private options: FaultOptions;
  private readonly seed: number;
  private readonly shared: SeededRandom;
  /** requests seen per idempotency key */
  private readonly attempts = new Map<string, number>();
  /** 429 answers left in the current burst, per client */
  private readonly burstLeft = new Map<string, number>();
  readonly counts: FaultCounts = { errors: 0, timeouts: 0, throttled: 0, revocations: 0, tooLarge: 0 };
  /** hub time of the last random revocation */
  private lastRevocationAt = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<FaultOptions> = {}, seed = 1) {
    this.options = { ...NO_FAULTS, ...options };
    this.seed = seed;
    this.shared = new SeededRandom(seed);
  }

  /** the PRNG the faults of one request are drawn from */
  randomFor(idempotencyKey: string | undefined): SeededRandom {
    if (idempotencyKey === undefined) return this.shared;
    const attempt = (this.attempts.get(idempotencyKey) ?? 0) + 1;
    if (this.attempts.size > 200_000) this.attempts.clear();
    this.attempts.set(idempotencyKey, attempt);
    const digest = createHash('sha256').update(`${this.seed}\n${idempotencyKey}\n${attempt}`).digest();
    return new SeededRandom(digest.readUInt32BE(0));
  }

  get current(): FaultOptions {
    return { ...this.options, errorStatuses: [...this.options.errorStatuses] };
  }

  /** changes some faults while running; the others keep their values */
  update(changes: Partial<FaultOptions>): FaultOptions {
    this.options = { ...this.options, ...changes };
    if (changes.throttleRate === 0) this.burstLeft.clear();
    return this.current;
  }

  applies(isRead: boolean): boolean {
    return !isRead || this.options.applyToReads;
  }

  /**
   * Whether this request revokes every token issued so far. At most one random revocation a
   * second: revocations are rare events, and closer together a client that follows the contract
   * (after a 401, one new token and one resend; a second 401 means bad credentials) could have its
   * resend refused by the next one. (The draw is made either way, so that a seed's faults stay.)
   */
  shouldRevokeTokens(random: SeededRandom, now: number): boolean {
    const drawn = random.chance(this.options.revokeRate);
    if (!drawn || now - this.lastRevocationAt < REVOCATION_SPACING_MS) return false;
    this.lastRevocationAt = now;
    this.counts.revocations += 1;
    return true;
  }

  /** the Retry-After seconds of an injected 429, or null to let the request through */
  throttle(clientId: string, random: SeededRandom): number | null {
    const left = this.burstLeft.get(clientId) ?? 0;
    if (left > 0) {
      this.burstLeft.set(clientId, left - 1);
    } else if (random.chance(this.options.throttleRate)) {
      this.burstLeft.set(clientId, Math.max(0, this.options.throttleBurstLength - 1));
    } else {
      return null;
    }
    this.counts.throttled += 1;
    return this.options.throttleRetryAfterSeconds;
  }

  latencyMs(random: SeededRandom): number {
    const { latencyMs, latencyJitterMs } = this.options;
    if (latencyMs <= 0 && latencyJitterMs <= 0) return 0;
    return latencyMs + (latencyJitterMs > 0 ? random.int(0, latencyJitterMs) : 0);
  }

  /** true when a batch of `records` records must be refused with 413 by the forced-limit fault */
  forcesTooLarge(records: number): boolean {
    const limit = this.options.tooLargeAboveRecords;
    const tooLarge = limit !== null && records > limit;
    if (tooLarge) this.counts.tooLarge += 1;
    return tooLarge;
  }

  /** a 5xx or a timeout for this request, or null */
  failure(random: SeededRandom): FailureFault | null {
    const { errorRate, timeoutRate, errorStatuses, failAfterApplyRate } = this.options;
    if (random.chance(errorRate)) {
      const status = errorStatuses[random.int(0, errorStatuses.length - 1)] ?? 500;
      this.counts.errors += 1;
      return { kind: 'error', status, afterApply: random.chance(failAfterApplyRate) };
    }
    if (random.chance(timeoutRate)) {
      this.counts.timeouts += 1;
      return { kind: 'timeout', afterApply: random.chance(failAfterApplyRate) };
    }
    return null;
  }
}
