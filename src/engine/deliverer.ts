import PQueue from 'p-queue';
import type { DestinationConfig } from '../config/schema.js';
import type { DestinationConnector } from '../core/connector.js';
import { BatchTooLargeError, LienthongError, TransientError, asLienthongError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RecordEnvelope } from '../core/records.js';
import type { DeliveryOutcome, OutboxItem, RunCounts, StateStore, TargetId } from '../store/store.js';
import { backoffDelay, sleep } from './retry.js';
import { TokenBucket } from './token-bucket.js';

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
}

/**
 * Delivers staged records to one destination: batches them, sends at most `concurrency` batches
 * at a time through a token bucket, retries what may succeed later, splits what is too large,
 * and writes every outcome to the ledger as soon as it is known.
 */
export class Deliverer {
  private readonly queue: PQueue;
  private readonly bucket: TokenBucket;
  private buffer: OutboxItem[] = [];
  private readonly batchSize: number;

  constructor(private readonly o: DelivererOptions) {
    this.queue = new PQueue({ concurrency: o.config.concurrency });
    this.bucket = new TokenBucket(o.config.rateLimit.perSecond, o.config.rateLimit.burst);
    this.batchSize = Math.min(o.config.batchSize, o.connector.maxBatchSize);
  }

  /** adds records; full batches go out, waiting while too many are already queued (backpressure) */
  async enqueue(items: OutboxItem[]): Promise<void> {
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
    await store.markSent(target, batch.map((i) => ({ idbanghi: i.idbanghi, phienban: i.phienban })));
    for (let attempt = 1; ; attempt++) {
      if (this.o.signal.aborted) return;
      await this.bucket.take(this.o.signal);
      let results;
      try {
        const signal = AbortSignal.any([this.o.signal, AbortSignal.timeout(config.timeoutMs)]);
        const context = { dataset: config.dataset, schemaVersion: this.o.schemaVersion, signal };
        const connector = this.o.connector;
        results = connector.writeSerialized
          ? await connector.writeSerialized(batch.map((i) => ({ idbanghi: i.idbanghi, json: i.envelopeJson })), context)
          : await connector.write(batch.map((i) => JSON.parse(i.envelopeJson) as RecordEnvelope), context);
        counts.sent += batch.length;
      } catch (raw) {
        if (this.o.signal.aborted) return;
        const err = raw instanceof LienthongError ? raw : timeoutAsTransient(raw);
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
          if (attempt >= config.retry.maxAttempts) {
            await this.settle(batch.map((i) => ({ idbanghi: i.idbanghi, phienban: i.phienban, status: 'dead' as const, code: err.code, message: `gave up after ${attempt} attempts: ${err.message}` })));
            return;
          }
          const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : undefined;
          if (retryAfterMs !== undefined) this.bucket.drain();
          const wait = backoffDelay(config.retry, attempt, this.o.random, retryAfterMs);
          counts.retried += batch.length;
          logger.info('transient failure, retrying', { target, code: err.code, attempt, waitMs: wait, records: batch.length });
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

      const outcomes: DeliveryOutcome[] = [];
      const again: OutboxItem[] = [];
      batch.forEach((item, i) => {
        const r = results[i];
        if (!r) return;
        switch (r.status) {
          case 'accepted':
            outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'accepted', receiptId: r.receiptId });
            break;
          case 'stale':
            // the hub already holds this version: the same content means our own earlier send
            // arrived (a replay after a crash or a lost answer); other content is a conflict
            if (r.contentHash === item.contentHash && r.phienban === item.phienban) {
              outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'accepted', receiptId: null });
            } else {
              outcomes.push({ idbanghi: item.idbanghi, phienban: item.phienban, status: 'stale', hubPhienban: r.phienban, hubContentHash: r.contentHash });
            }
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
      if (again.length === 0) return;
      if (attempt >= config.retry.maxAttempts) {
        await this.settle(again.map((i) => ({ idbanghi: i.idbanghi, phienban: i.phienban, status: 'dead' as const, code: 'RECORD_TRANSIENT', message: `gave up after ${attempt} attempts` })));
        return;
      }
      counts.retried += again.length;
      batch = again;
      await sleep(backoffDelay(config.retry, attempt, this.o.random), this.o.signal).catch(() => undefined);
    }
  }

  private async settle(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.o.store.applyOutcomes(this.o.target, outcomes);
    for (const o of outcomes) {
      if (o.status === 'accepted') this.o.counts.accepted++;
      else if (o.status === 'stale') this.o.counts.conflicts++;
      else if (o.status === 'rejected') this.o.counts.rejected++;
      else if (o.status === 'dead') this.o.counts.dead++;
    }
  }
}

function timeoutAsTransient(raw: unknown): LienthongError {
  if (raw instanceof Error && (raw.name === 'TimeoutError' || raw.name === 'AbortError')) {
    return new TransientError('TIMEOUT', 'the destination did not answer in time', {}, { cause: raw });
  }
  return asLienthongError(raw);
}
