import PQueue from 'p-queue';
import type { DestinationConfig } from '../config/schema.js';
import type { DestinationConnector } from '../core/connector.js';
import { BatchTooLargeError, BugError, LienthongError, TransientError, asLienthongError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { notify, type EngineObserver } from '../core/observer.js';
import type { StagedRecord } from '../core/records.js';
import type { DeliveryOutcome, OutboxItem, RunCounts, StateStore, TargetId } from '../store/store.js';
import { CircuitBreaker, type Permit } from './circuit-breaker.js';
import { RetryBudget, backoffDelay, sleep } from './retry.js';
import { TokenBucket } from '../core/token-bucket.js';
import type { UpstreamGate, WaitReason } from './dependency.js';

export interface DelivererOptions {
  target: TargetId;
  config: DestinationConfig;
  connector: DestinationConnector;
  schemaVersion: string;
  store: StateStore;
  counts: RunCounts;
  logger: Logger;
  /** aborted when the run must stop (a fatal error, or the operator) */
  signal: AbortSignal;
  /** called with an error that must stop the whole run (bad credentials, forbidden, a bug) */
  onFatal: (error: LienthongError) => void;
  random?: () => number;
  /** the clock of the retry budget and the circuit breaker (tests use fake timers) */
  clock?: () => number;
  /** told of each batch's answer, retries and rate-limit waits (metrics) */
  observer?: EngineObserver;
}

/** a destination that has something to say on every run (e.g. plain http allowed) */
interface WithWarnings {
  warnings(): string[];
}
function hasWarnings(connector: DestinationConnector): connector is DestinationConnector & WithWarnings {
  return typeof (connector as Partial<WithWarnings>).warnings === 'function';
}

/**
 * Delivers staged records to one destination: batches them, sends at most `concurrency` batches
 * at a time through a token bucket, retries what may succeed later, splits what is too large,
 * and writes every outcome to the ledger as soon as it is known.
 *
 * Transient failures are retried within the destination's time budget (`retry.budgetMs`, see
 * RetryBudget), behind a circuit breaker that pauses every batch while the destination is down.
 * When the budget is spent, what is still waiting goes back to `pending` in the ledger, counted
 * in `counts.deferred`; the next run's outbox drain sends it. Only permanent failures (a batch
 * rejected, a single record too large) become dead letters.
 */
export class Deliverer {
  private readonly queue: PQueue;
  private readonly bucket: TokenBucket;
  private buffer: OutboxItem[] = [];
  private readonly batchSize: number;
  private readonly clock: () => number;
  private readonly budget: RetryBudget;
  /** the same for records the destination answers `transient` for, one by one */
  private readonly recordBudget: RetryBudget;
  private readonly breaker: CircuitBreaker;
  private readonly destinationWarnings: string[];
  /** the last transient failure: what deferred records are told */
  private lastFailure: { code: string; message: string } | null = null;
  private deferredLogged = false;
  /** for a destination that waits for another (`after:`): what holds records until the upstream accepts them */
  private gate: UpstreamGate | undefined;
  /** destinations waiting for this one, told of each record it accepts */
  private readonly acceptedListeners: ((idbanghis: string[]) => void)[] = [];

  constructor(private readonly o: DelivererOptions) {
    this.queue = new PQueue({ concurrency: o.config.concurrency });
    this.bucket = new TokenBucket(o.config.rateLimit.perSecond, o.config.rateLimit.burst);
    this.batchSize = Math.min(o.config.batchSize, o.connector.maxBatchSize);
    this.clock = o.clock ?? Date.now;
    this.budget = new RetryBudget(o.config.retry.budgetMs, this.clock);
    this.recordBudget = new RetryBudget(o.config.retry.budgetMs, this.clock);
    const { breaker } = o.config.retry;
    this.breaker = new CircuitBreaker({
      failures: breaker.failures,
      coolDownMs: breaker.coolDownMs,
      maxCoolDownMs: breaker.maxCoolDownMs,
      clock: this.clock,
      onStateChange: (state, detail) => {
        if (state === 'open') o.logger.warn('destination failing: sending paused', { target: o.target, coolDownMs: detail.coolDownMs, budgetLeftMs: this.budget.remainingMs() });
        else if (state === 'half-open') o.logger.info('destination paused: sending one probe batch', { target: o.target });
        else o.logger.info('destination answers again: sending resumed', { target: o.target });
      },
    });
    this.destinationWarnings = hasWarnings(o.connector) ? o.connector.warnings() : [];
    for (const warning of this.destinationWarnings) o.logger.warn('destination warning', { target: o.target, warning });
    if (o.config.retry.maxAttempts !== undefined) {
      // accepted so older job files stay valid, but it would be misleading to let it pass unsaid
      o.logger.info('retry.maxAttempts is no longer used: transient failures are retried within retry.budgetMs', { target: o.target, maxAttempts: o.config.retry.maxAttempts, budgetMs: o.config.retry.budgetMs });
    }
  }

  /** the destination's wire form of a staged record: what the outbox keeps and what is sent */
  encode(record: StagedRecord): string {
    const encode = this.o.connector.encode;
    if (!encode) throw new BugError('DESTINATION_NO_ENCODE', `destination ${this.o.connector.type} cannot encode records (its plugin has no encode)`, { connector: this.o.connector.type });
    return encode.call(this.o.connector, record);
  }

  /** what the destination warns of on every run (for the run summary); logged at construction */
  warnings(): string[] {
    return [...this.destinationWarnings];
  }

  /** makes this destination wait for another: records go only once `gate` lets them */
  waitFor(gate: UpstreamGate): void {
    this.gate = gate;
  }

  /** `listener` hears the idbanghi of every record this destination accepts (a dependent's gate) */
  onAccepted(listener: (idbanghis: string[]) => void): void {
    this.acceptedListeners.push(listener);
  }

  /** adds records (those the gate holds wait there); full batches go out, waiting while too many are already queued (backpressure) */
  async enqueue(items: OutboxItem[]): Promise<void> {
    await this.enqueueAdmitted(this.gate ? await this.gate.admit(items) : items);
  }

  /** adds records the gate let through (or all, without a gate) */
  async enqueueAdmitted(items: OutboxItem[]): Promise<void> {
    this.buffer.push(...items);
    while (this.buffer.length >= this.batchSize) {
      await this.submit(this.buffer.splice(0, this.batchSize));
    }
  }

  /** sends what is buffered and waits until every batch has an outcome */
  async flush(): Promise<void> {
    if (this.buffer.length > 0) await this.submit(this.buffer.splice(0));
    await this.queue.onIdle();
  }

  /** re-sends what earlier runs staged but did not settle (a crash, a stop, a retry of dead letters) */
  async drainOutbox(): Promise<number> {
    let after: string | null = null;
    let n = 0;
    for (;;) {
      if (this.o.signal.aborted) return n;
      const page = await this.o.store.outboxPage(this.o.target, after, this.batchSize);
      n += page.items.length;
      await this.enqueue(page.items);
      if (page.next === null) return n;
      after = page.next;
    }
  }

  private async submit(batch: OutboxItem[]): Promise<void> {
    if (this.o.signal.aborted) return;
    await this.queue.onSizeLessThan(this.o.config.concurrency);
    // p-queue keeps up to ~100 tasks it already ran (its array compacts lazily); a task that still
    // held its batch would keep tens of thousands of envelopes alive. The task lets go of the batch
    // as it starts, so only batches waiting or being delivered stay in memory.
    let waiting: OutboxItem[] | undefined = batch;
    void this.queue.add(async () => {
      const toDeliver = waiting;
      waiting = undefined;
      if (toDeliver === undefined) return;
      try {
        await this.deliver(toDeliver);
      } catch (err) {
        if (this.o.signal.aborted) return;
        this.o.onFatal(asLienthongError(err, { connector: this.o.connector.type, dataset: this.o.config.dataset }));
      }
    });
  }

  private async deliver(initial: OutboxItem[]): Promise<void> {
    const { config, store, target, counts, logger } = this.o;
    let batch = initial;
    // once the budget is spent nothing more is sent this run: not even counted as an attempt
    if (this.budget.spent) return this.defer(batch);
    await store.markSent(target, batch.map((i) => ({ idbanghi: i.idbanghi, phienban: i.phienban })));
    for (let attempt = 1; ; attempt++) {
      if (this.o.signal.aborted) return;
      if (this.budget.spent) return this.defer(batch);
      let permit: Permit | null;
      try {
        permit = await this.breaker.permit(this.o.signal, this.budget.remainingMs());
      } catch {
        return; // the run is stopping; the records stay in the outbox for the next run
      }
      if (permit === null) return this.defer(batch);
      let results;
      let writeStarted = 0;
      try {
        await this.takeToken();
        writeStarted = this.clock();
        const signal = AbortSignal.any([this.o.signal, AbortSignal.timeout(config.timeoutMs)]);
        const context = { dataset: config.dataset, schemaVersion: this.o.schemaVersion, signal };
        const connector = this.o.connector;
        results = await connector.write(batch.map((i) => ({ idbanghi: i.idbanghi, version: i.phienban, contentHash: i.contentHash, encoded: i.envelopeJson })), context);
        counts.sent += batch.length;
        notify(this.o.observer, 'deliveryBatch', { target, records: batch.length, latencyMs: this.clock() - writeStarted, failed: false });
      } catch (raw) {
        if (this.o.signal.aborted) {
          this.breaker.neutral(permit);
          return;
        }
        const err = raw instanceof LienthongError ? raw : timeoutAsTransient(raw);
        // a refusal of the whole batch (413, 400, 422, a timeout) is an answer too: its latency counts
        if (writeStarted > 0) notify(this.o.observer, 'deliveryBatch', { target, records: batch.length, latencyMs: this.clock() - writeStarted, failed: true });
        if (err.kind !== 'transient') {
          // the destination answered (413, 400, 422) or our side is wrong (config, bug): it is up
          if (err.kind === 'config' || err.kind === 'bug') this.breaker.neutral(permit);
          else this.answered(permit);
        }
        if (err instanceof BatchTooLargeError) {
          if (batch.length === 1) {
            await this.settle([{ idbanghi: batch[0]!.idbanghi, phienban: batch[0]!.phienban, status: 'dead', code: 'RECORD_TOO_LARGE', message: 'the destination refuses this record alone as too large (413)' }]);
            return;
          }
          const half = Math.ceil(batch.length / 2);
          logger.warn('batch too large, splitting', { target, records: batch.length });
          await this.deliver(batch.slice(0, half));
          await this.deliver(batch.slice(half));
          return;
        }
        if (err.kind === 'transient') {
          this.lastFailure = { code: err.code, message: err.message };
          // a 429 says the destination is up and wants us slower (Retry-After, the bucket): it
          // spends the budget but does not open the circuit
          if (err instanceof TransientError && err.rateLimited) this.breaker.neutral(permit);
          else this.breaker.failure(permit);
          this.budget.failed();
          const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : undefined;
          if (retryAfterMs !== undefined) this.bucket.drain();
          const wait = Math.min(backoffDelay(config.retry, attempt, this.o.random, retryAfterMs), this.budget.remainingMs());
          counts.retried += batch.length;
          notify(this.o.observer, 'retry', { target, code: err.code, records: batch.length });
          logger.info('transient failure, retrying', { target, code: err.code, attempt, waitMs: wait, records: batch.length, budgetLeftMs: this.budget.remainingMs(), circuit: this.breaker.state });
          await sleep(wait, this.o.signal).catch(() => undefined);
          continue;
        }
        if (err.kind === 'rejected') {
          // the whole batch refused for good (400, 422): nothing will change by resending it
          await this.settle(batch.map((i) => ({ idbanghi: i.idbanghi, phienban: i.phienban, status: 'dead' as const, code: err.code, message: err.message })));
          return;
        }
        throw err;
      }
      this.answered(permit);

      const outcomes: DeliveryOutcome[] = [];
      const again: OutboxItem[] = [];
      batch.forEach((item, i) => {
        const r = results[i];
        if (!r) return;
        // the destination said what its answer means; the ledger keeps it in its own terms
        switch (r.status) {
          case 'delivered':
            outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'accepted', receiptId: r.receiptId, heldContentHash: r.heldContentHash });
            break;
          case 'already-held':
            // our own earlier send arrived (a replay after a crash or a lost answer)
            outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'accepted', receiptId: null, heldContentHash: r.heldContentHash });
            break;
          case 'conflict':
            outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'stale', hubPhienban: r.heldVersion, hubContentHash: r.heldContentHash });
            break;
          case 'rejected':
            outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'rejected', errors: r.errors });
            break;
          case 'transient':
            again.push(item);
            break;
        }
      });
      await this.settle(outcomes);
      if (again.length === 0) {
        this.recordBudget.succeeded();
        return;
      }
      // records the destination answers `transient` for while it answers: a budget of their own
      // (the destination's trouble clock stopped: it answered), shared by every batch
      this.recordBudget.failed();
      this.lastFailure = { code: 'RECORD_TRANSIENT', message: 'the destination answered "try again later" for these records' };
      if (this.recordBudget.spent) return this.defer(again);
      counts.retried += again.length;
      notify(this.o.observer, 'retry', { target, code: 'RECORD_TRANSIENT', records: again.length });
      batch = again;
      await sleep(Math.min(backoffDelay(config.retry, attempt, this.o.random), this.recordBudget.remainingMs()), this.o.signal).catch(() => undefined);
    }
  }

  /** waits for the rate limit's token; an observer hears how long, when there was a wait */
  private async takeToken(): Promise<void> {
    if (!this.o.observer?.rateLimitWait) return this.bucket.take(this.o.signal);
    const started = this.clock();
    await this.bucket.take(this.o.signal);
    const waitedMs = this.clock() - started;
    if (waitedMs > 0) notify(this.o.observer, 'rateLimitWait', { target: this.o.target, waitedMs });
  }

  /** the destination answered: it is up */
  private answered(permit: Permit): void {
    this.breaker.success(permit);
    this.budget.succeeded();
  }

  /**
   * The retry budget is spent: the records go back to `pending` (never dead) for the next run's
   * outbox drain, and are counted as deferred.
   */
  private async defer(batch: OutboxItem[]): Promise<void> {
    const why = this.lastFailure ?? { code: 'RETRY_BUDGET_SPENT', message: 'the destination kept failing' };
    const message = `left for the next run: the destination kept failing for the retry budget (retry.budgetMs ${this.o.config.retry.budgetMs} ms); last: ${why.code}: ${why.message}`;
    // once per run at warn level: after that every batch read is deferred, one line each is noise
    const level = this.deferredLogged ? 'debug' : 'warn';
    this.deferredLogged = true;
    this.o.logger.log(level, 'retry budget spent: records left pending for the next run', { target: this.o.target, records: batch.length, code: why.code, budgetMs: this.o.config.retry.budgetMs });
    await this.settle(batch.map((i) => ({ idbanghi: i.idbanghi, phienban: i.phienban, status: 'retry' as const, code: 'DELIVERY_DEFERRED', message })));
  }

  /**
   * The run's end for a destination that waits for another (call once the upstream is flushed):
   * releases what the upstream now holds, and leaves the rest pending, each with why it waits
   * (counted as deferred: the run ends partial). Answers the reasons, for the run's notices.
   */
  async closeGate(): Promise<WaitReason[]> {
    if (!this.gate) return [];
    const left = await this.gate.close();
    await this.settle(left.map(({ item, reason }) => ({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'retry' as const, code: reason.code, message: reason.message })));
    return left.map((l) => l.reason);
  }

  private async settle(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.o.store.applyOutcomes(this.o.target, outcomes);
    if (this.acceptedListeners.length > 0) {
      const accepted = outcomes.filter((o) => o.status === 'accepted').map((o) => o.idbanghi);
      if (accepted.length > 0) for (const listen of this.acceptedListeners) listen(accepted);
    }
    for (const o of outcomes) {
      if (o.status === 'accepted') this.o.counts.accepted++;
      else if (o.status === 'stale') this.o.counts.conflicts++;
      else if (o.status === 'rejected') this.o.counts.rejected++;
      else if (o.status === 'dead') this.o.counts.dead++;
      else this.o.counts.deferred++;
    }
  }
}

function timeoutAsTransient(raw: unknown): LienthongError {
  if (raw instanceof Error && (raw.name === 'TimeoutError' || raw.name === 'AbortError')) {
    return new TransientError('TIMEOUT', 'the destination did not answer in time', {}, { cause: raw });
  }
  return asLienthongError(raw);
}
