/**
 * One kiosk's lane: sends what the state store holds queued for the kiosk, oldest first, with
 * the kiosk's own rate limit, concurrency and retry policy, and keeps its health.
 *
 * - The lane opens with a health check. A kiosk that refuses the connection (or cannot be reached)
 *   is offline for the run at once: no backoff, its changes stay queued, never dead letters.
 * - A change the kiosk fails to answer for (5xx, timeout, dropped answer) is asked again up to
 *   `retry.attempts` times; then the lane stops and everything from that change on stays queued,
 *   so the kiosk still gets its changes in order on the next run.
 * - A change the kiosk refuses (400, 422) is a dead letter of that kiosk: kept, not sent again.
 * - 401/403: the kiosk's token is wrong: the lane stops (a configuration error of the run).
 */
import PQueue from 'p-queue';
import { backoffDelay } from '../remote-signing/backoff.js';
import { sleep } from '../../src/core/sleep.js';
import { TokenBucket } from '../../src/core/token-bucket.js';
import type { KioskQueueItem, KioskStore } from '../../src/store/kiosk-store.js';
import { KioskClient, KioskFailure } from './client.js';
import type { ResolvedKiosk } from './config.js';

export type LaneEnd = 'synced' | 'offline' | 'failing' | 'unauthorized' | 'wrong-kiosk' | 'stopped';

export interface LaneResult {
  kioskId: string;
  url: string;
  end: LaneEnd;
  /** changes the kiosk got this run */
  sent: number;
  /** changes it refused for good this run */
  dead: number;
  /** changes still queued for it */
  queued: number;
  /** the failure that ended the lane, when it did not sync */
  failure?: { code: string; message: string };
  offlineSince?: string | null;
}

export interface LaneOptions {
  connection: string;
  kiosk: ResolvedKiosk;
  store: KioskStore;
  pageSize: number;
  signal: AbortSignal;
  log: (level: 'info' | 'warn', message: string, meta?: Record<string, unknown>) => void;
  random?: () => number;
}

const isoNow = (): string => new Date().toISOString();
/** delivered changes written to the store together */
const DELIVERED_FLUSH = 100;

export class KioskLane {
  private readonly client: KioskClient;
  private readonly bucket: TokenBucket;
  private stopped: { end: LaneEnd; failure: { code: string; message: string } } | null = null;
  private sent = 0;
  private dead = 0;
  /**
   * changes the kiosk has, not yet written to the store: written together (one transaction per
   * DELIVERED_FLUSH, not one per change, which would cost a disk sync each). A crash before the
   * write sends those few again next run: PUT and DELETE are idempotent at the kiosk.
   */
  private delivered: { seq: number; kind: KioskQueueItem['kind']; key: string; op: KioskQueueItem['op']; contentHash: string }[] = [];

  constructor(private readonly o: LaneOptions) {
    this.client = new KioskClient(o.kiosk);
    this.bucket = new TokenBucket(o.kiosk.rateLimit.perSecond, o.kiosk.rateLimit.burst);
  }

  async run(): Promise<LaneResult> {
    const { connection, kiosk, store } = this.o;
    try {
      await store.kioskSetHealth(connection, kiosk.id, { url: kiosk.url });
      const healthy = await this.checkHealth();
      if (healthy) await this.forward();
    } finally {
      await this.flushDelivered();
      this.client.close();
    }
    const queued = (await store.kioskHealth(connection)).find((h) => h.kioskId === kiosk.id);
    const end: LaneEnd = this.stopped?.end ?? (this.o.signal.aborted ? 'stopped' : 'synced');
    if (end === 'synced') await store.kioskSetHealth(connection, kiosk.id, { lastSyncAt: isoNow(), lastErrorCode: null, lastError: null });
    return {
      kioskId: kiosk.id,
      url: kiosk.url,
      end,
      sent: this.sent,
      dead: this.dead,
      queued: queued?.queueDepth ?? 0,
      ...(this.stopped ? { failure: this.stopped.failure } : {}),
      offlineSince: queued?.offlineSince ?? null,
    };
  }

  /** asks the kiosk who it is; false when the lane cannot go on */
  private async checkHealth(): Promise<boolean> {
    const { connection, kiosk, store } = this.o;
    const answer = await this.withRetry(() => this.client.health(this.o.signal));
    if (answer === undefined) return false;
    if (answer.kioskId !== kiosk.id) {
      const failure = { code: 'KIOSK_ID_MISMATCH', message: `kiosk ${kiosk.id}: ${kiosk.url} answers as kiosk "${answer.kioskId}": check the url of this kiosk` };
      this.stopped = { end: 'wrong-kiosk', failure };
      await store.kioskSetHealth(connection, kiosk.id, { online: true, lastSeenAt: isoNow(), lastErrorCode: failure.code, lastError: failure.message });
      return false;
    }
    await store.kioskSetHealth(connection, kiosk.id, { online: true, lastSeenAt: isoNow(), offlineSince: null, version: answer.version });
    return true;
  }

  /** sends the lane page by page, in seq order; stops at the first change it cannot settle */
  private async forward(): Promise<void> {
    const { connection, kiosk, store, pageSize } = this.o;
    const queue = new PQueue({ concurrency: kiosk.concurrency });
    let after = 0;
    for (;;) {
      if (this.stopped || this.o.signal.aborted) break;
      const page = await store.kioskQueuePage(connection, kiosk.id, after, pageSize);
      if (page.length === 0) break;
      for (const item of page) {
        if (this.stopped || this.o.signal.aborted) break;
        await queue.onSizeLessThan(kiosk.concurrency);
        void queue.add(() => this.deliver(item));
      }
      await queue.onIdle();
      await this.flushDelivered();
      after = (page[page.length - 1] as KioskQueueItem).seq;
    }
    await queue.onIdle();
  }

  private async flushDelivered(): Promise<void> {
    if (this.delivered.length === 0) return;
    const items = this.delivered.splice(0);
    await this.o.store.kioskDelivered(this.o.connection, this.o.kiosk.id, items);
  }

  private async deliver(item: KioskQueueItem): Promise<void> {
    if (this.stopped || this.o.signal.aborted) return;
    const { connection, kiosk, store } = this.o;
    try {
      const done = await this.withRetry(() => this.send(item), item);
      if (done === undefined) return;
      this.sent++;
      this.delivered.push({ seq: item.seq, kind: item.kind, key: item.key, op: item.op, contentHash: item.contentHash });
      if (this.delivered.length >= DELIVERED_FLUSH) await this.flushDelivered();
    } catch (err) {
      if (!(err instanceof KioskFailure) || err.kind !== 'refused') throw err;
      this.dead++;
      await store.kioskAttemptFailed(connection, kiosk.id, item.seq, { code: err.code, message: err.message }, true);
      this.o.log('warn', 'a kiosk refused a change for good', { kiosk: kiosk.id, kind: item.kind, status: err.status, code: err.code });
    }
  }

  private async send(item: KioskQueueItem): Promise<true> {
    await this.bucket.take(this.o.signal);
    if (item.kind === 'template') await this.client.putTemplate(item.key, item.body ?? '{}', this.o.signal);
    else if (item.op === 'delete') await this.client.deleteStudent(item.key, this.o.signal);
    else await this.client.putStudent(item.key, item.body ?? '{}', this.o.signal);
    return true;
  }

  /**
   * Runs `call` with the kiosk's retry policy. Answers undefined when the lane must stop (offline,
   * failing, unauthorized); throws a `refused` failure for the caller to settle.
   */
  private async withRetry<T>(call: () => Promise<T>, item?: KioskQueueItem): Promise<T | undefined> {
    const { connection, kiosk, store } = this.o;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped || this.o.signal.aborted) return undefined;
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof KioskFailure)) throw err;
        if (err.kind === 'refused') throw err;
        const failure = { code: err.code, message: err.message };
        if (err.kind === 'unreachable') {
          const health = (await store.kioskHealth(connection)).find((h) => h.kioskId === kiosk.id);
          await store.kioskSetHealth(connection, kiosk.id, { online: false, offlineSince: health?.offlineSince ?? isoNow(), lastErrorCode: err.code, lastError: err.message });
          return this.stop('offline', failure);
        }
        await store.kioskSetHealth(connection, kiosk.id, { lastErrorCode: err.code, lastError: err.message, ...(err.kind === 'unauthorized' ? { online: true, lastSeenAt: isoNow() } : {}) });
        if (err.kind === 'unauthorized') return this.stop('unauthorized', failure);
        if (item) await store.kioskAttemptFailed(connection, kiosk.id, item.seq, failure, false);
        if (attempt >= kiosk.retry.attempts) return this.stop('failing', failure);
        // capped exponential with jitter; a Retry-After the kiosk gave is a floor
        const wait = Math.max(err.retryAfterMs ?? 0, backoffDelay(attempt - 1, kiosk.retry.baseDelayMs, kiosk.retry.maxDelayMs, this.o.random ?? Math.random));
        this.o.log('info', 'kiosk trouble, asking again', { kiosk: kiosk.id, code: err.code, attempt, waitMs: wait });
        await sleep(wait, this.o.signal).catch(() => undefined);
      }
    }
  }

  private stop(end: LaneEnd, failure: { code: string; message: string }): undefined {
    if (!this.stopped) {
      this.stopped = { end, failure };
      this.o.log('warn', end === 'offline' ? 'kiosk offline: its changes stay queued' : 'kiosk lane stopped: its changes stay queued', { kiosk: this.o.kiosk.id, code: failure.code });
    }
    return undefined;
  }
}
