import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { destinationSchema } from '../config/schema.js';
import type { DestinationConnector } from '../core/connector.js';
import { ConfigError, RejectedError, TransientError, type LienthongError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { DeliveryAnswer, EncodedRecord } from '../core/records.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { emptyCounts, targetId, type LedgerEntry, type RunCounts, type StageRow } from '../store/store.js';
import { Deliverer } from './deliverer.js';

const T = targetId('hub', 'test');
const RECORDS = 600;

/** a hub whose state the test sets: up, down (5xx), or refusing; it counts what it is sent */
class FakeHub implements DestinationConnector {
  readonly type = 'fake-hub';
  readonly maxBatchSize = 500;
  downUntil = 0;
  failWith: () => LienthongError = () => new TransientError('HUB_UNAVAILABLE', 'the hub failed (503)');
  /** records answered `transient` one by one while the hub itself answers */
  transientRecords = false;
  calls = 0;
  callsWhileDown = 0;
  readonly accepted = new Set<string>();
  constructor(private readonly extraWarnings: string[] = []) {}
  check = async (): Promise<{ ok: boolean; message: string }> => ({ ok: true, message: 'ok' });
  encode = (): string => {
    throw new Error('the records of this test are staged already');
  };
  warnings(): string[] {
    return this.extraWarnings;
  }
  async write(batch: EncodedRecord[]): Promise<DeliveryAnswer[]> {
    this.calls++;
    if (Date.now() < this.downUntil) {
      this.callsWhileDown++;
      throw this.failWith();
    }
    if (this.transientRecords) return batch.map((r) => ({ idbanghi: r.idbanghi, status: 'transient', message: 'try again later' }));
    for (const r of batch) this.accepted.add(r.idbanghi);
    return batch.map((r) => ({ idbanghi: r.idbanghi, status: 'delivered', receiptId: `rc-${r.idbanghi}` }));
  }
  close = async (): Promise<void> => undefined;
}

let store: SqliteStateStore;
beforeEach(async () => {
  vi.useFakeTimers({ now: new Date('2026-06-20T02:00:00Z') });
  store = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-deliverer-')), 'state.db'));
  await store.stage(stagedRows());
});

function stagedRows(): StageRow[] {
  return Array.from({ length: RECORDS }, (_, i) => ({
    target: T,
    job: 'rows',
    sourceKey: String(i),
    idbanghi: `r${i}`,
    phienban: 1,
    contentHash: `h-r${i}`,
    envelopeJson: JSON.stringify({ idbanghi: `r${i}`, sukien: 'NEW', phienban: 1, thoigiancapnhat: '2026-06-20T09:00:00', data: { i } }),
  }));
}
afterEach(async () => {
  vi.useRealTimers();
  await store.close();
});

/** a fresh store holding the same staged records as beforeEach's */
async function restage(): Promise<SqliteStateStore> {
  const fresh = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-deliverer-')), 'state.db'));
  await fresh.stage(stagedRows());
  return fresh;
}

function config(retry: Record<string, unknown> = {}) {
  return destinationSchema.parse({ connection: 'hub', dataset: 'test', batchSize: 100, concurrency: 4, rateLimit: { perSecond: 10_000, burst: 10_000 }, retry });
}

interface Run {
  deliverer: Deliverer;
  counts: RunCounts;
  fatal: LienthongError[];
  logger: ReturnType<typeof silentLogger>;
  /** sends what the outbox holds (as a run starts) and waits for every outcome; answers the fake time it took */
  drain: () => Promise<number>;
}

function run(hub: FakeHub, cfg = config()): Run {
  const counts = emptyCounts();
  const fatal: LienthongError[] = [];
  const logger = silentLogger();
  const controller = new AbortController();
  const deliverer = new Deliverer({
    target: T,
    config: cfg,
    connector: hub,
    schemaVersion: 'Test/1',
    store,
    counts,
    logger,
    signal: controller.signal,
    onFatal: (e) => {
      fatal.push(e);
      controller.abort(e);
    },
    random: () => 0.5,
  });
  const drain = async (): Promise<number> => {
    const started = Date.now();
    let finished = false;
    const done = deliverer
      .drainOutbox()
      .then(() => deliverer.flush())
      .finally(() => {
        finished = true;
      });
    // fake time moves a second at a time; the test's real time stays short
    for (let i = 0; i < 100_000 && !finished; i++) await vi.advanceTimersByTimeAsync(1000);
    await done;
    return Date.now() - started;
  };
  return { deliverer, counts, fatal, logger, drain };
}

async function ledger(): Promise<LedgerEntry[]> {
  const all: LedgerEntry[] = [];
  for await (const e of store.ledger(T)) all.push(e);
  return all;
}

describe('Deliverer: outages are ridden out or deferred, never dead', () => {
  it('a 45 s outage with the default settings: every record accepted, no dead letter, no hammering', async () => {
    const hub = new FakeHub();
    hub.downUntil = Date.now() + 45_000;
    const r = run(hub);
    const took = await r.drain();
    expect(r.counts).toMatchObject({ accepted: RECORDS, dead: 0, deferred: 0, rejected: 0 });
    expect(hub.accepted.size).toBe(RECORDS);
    expect(await store.statusCounts(T)).toMatchObject({ accepted: RECORDS, dead: 0, pending: 0, sent: 0 });
    expect(took).toBeGreaterThanOrEqual(45_000);
    // the breaker paused sending: a handful of failures and probes, not every batch backing off on its own
    expect(hub.callsWhileDown).toBeLessThanOrEqual(10);
    expect(r.fatal).toEqual([]);
  });

  it("a destination's 429, whatever its code, slows the deliverer without opening the circuit; a 5xx opens it", async () => {
    const callsWhileDown = async (failWith: () => LienthongError): Promise<number> => {
      const hub = new FakeHub();
      hub.failWith = failWith;
      hub.downUntil = Date.now() + 60_000;
      await run(hub).drain();
      expect(hub.accepted.size).toBe(RECORDS);
      // the outbox is sent again for the next kind of failure
      await store.close();
      return hub.callsWhileDown;
    };
    const hub429 = await callsWhileDown(() => new TransientError('HUB_RATE_LIMITED', 'the hub is rate limiting (429)', {}, { rateLimited: true }));
    store = await restage();
    const other429 = await callsWhileDown(() => new TransientError('KIOSK_RATE_LIMITED', 'a kiosk is rate limiting (429)', {}, { rateLimited: true }));
    store = await restage();
    const unavailable = await callsWhileDown(() => new TransientError('HUB_UNAVAILABLE', 'the hub failed (503)'));
    store = await restage();
    // the same treatment for any connector's 429: it is the flag that counts, not the hub's code
    expect(other429).toBe(hub429);
    // an open circuit holds the batches back: fewer calls while down than when it stays closed
    expect(unavailable).toBeLessThan(hub429);
  });

  it('a hub down past the budget: the deliverer stops at the budget, records stay pending (deferred), the next run sends them', async () => {
    const hub = new FakeHub();
    hub.downUntil = Number.POSITIVE_INFINITY;
    const first = run(hub, config({ budgetMs: 120_000 }));
    const took = await first.drain();
    expect(took).toBeGreaterThanOrEqual(120_000);
    expect(took).toBeLessThan(125_000);
    expect(first.counts).toMatchObject({ accepted: 0, dead: 0, deferred: RECORDS });
    const entries = await ledger();
    expect(entries.every((e) => e.status === 'pending')).toBe(true);
    expect(entries[0]?.lastError?.code).toBe('DELIVERY_DEFERRED');
    expect(entries[0]?.lastError?.message).toContain('HUB_UNAVAILABLE');
    expect(first.fatal).toEqual([]);

    // records read after the budget is spent are deferred without a request
    const calls = hub.calls;
    const late: StageRow[] = [{ target: T, job: 'rows', sourceKey: 'late', idbanghi: 'late', phienban: 1, contentHash: 'h-late', envelopeJson: '{"idbanghi":"late"}' }];
    await store.stage(late);
    await first.deliverer.enqueue(late);
    await first.deliverer.flush();
    expect(hub.calls).toBe(calls);
    expect(first.counts.deferred).toBe(RECORDS + 1);
    expect((await ledger()).find((e) => e.idbanghi === 'late')).toMatchObject({ status: 'pending', attempts: 0 });

    // the next run: the hub is back, the outbox drain sends what was deferred
    hub.downUntil = 0;
    const next = run(hub, config({ budgetMs: 120_000 }));
    await next.drain();
    expect(next.counts).toMatchObject({ accepted: RECORDS + 1, dead: 0, deferred: 0 });
    expect(await store.statusCounts(T)).toMatchObject({ accepted: RECORDS + 1, pending: 0, dead: 0 });
  });

  it('with the default budget a hub down for good is given up on after one hour, with records pending', async () => {
    const hub = new FakeHub();
    hub.downUntil = Number.POSITIVE_INFINITY;
    const r = run(hub);
    const took = await r.drain();
    expect(took).toBeGreaterThanOrEqual(3_600_000);
    expect(took).toBeLessThan(3_600_000 + 5_000);
    expect(r.counts).toMatchObject({ dead: 0, deferred: RECORDS });
    // an hour of outage costs tens of probes, not thousands of requests
    expect(hub.calls).toBeLessThan(60);
  });

  it('old configurations with maxAttempts still parse, and maxAttempts no longer turns an outage into dead letters', async () => {
    const hub = new FakeHub();
    hub.downUntil = Date.now() + 45_000;
    const r = run(hub, config({ maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000 }));
    await r.drain();
    expect(r.counts).toMatchObject({ accepted: RECORDS, dead: 0, deferred: 0 });
  });

  it('records the hub keeps answering "transient" for are deferred after the budget, not dead', async () => {
    const hub = new FakeHub();
    hub.transientRecords = true;
    const r = run(hub, config({ budgetMs: 30_000 }));
    const took = await r.drain();
    expect(took).toBeLessThan(35_000);
    expect(r.counts).toMatchObject({ dead: 0, deferred: RECORDS, accepted: 0 });
    expect((await ledger()).every((e) => e.status === 'pending')).toBe(true);
  });

  it('permanent failures are still dead letters at once: a batch the hub rejects', async () => {
    const hub = new FakeHub();
    hub.downUntil = Number.POSITIVE_INFINITY;
    hub.failWith = () => new RejectedError('UNSUPPORTED_SCHEMA_VERSION', 'the hub refused the request (422)');
    const r = run(hub);
    const took = await r.drain();
    expect(took).toBeLessThan(5000);
    expect(r.counts).toMatchObject({ dead: RECORDS, deferred: 0 });
    expect(hub.calls).toBe(RECORDS / 100);
  });

  it('a TLS or configuration error stops the run at once: no retry, nothing dead', async () => {
    const hub = new FakeHub();
    hub.downUntil = Number.POSITIVE_INFINITY;
    hub.failWith = () => new ConfigError('HUB_TLS', "the hub's TLS connection cannot be trusted (CERT_HAS_EXPIRED)");
    const r = run(hub);
    await r.drain();
    expect(r.fatal.map((e) => e.code)).toEqual(['HUB_TLS']);
    expect(hub.calls).toBeLessThanOrEqual(4);
    expect(r.counts).toMatchObject({ dead: 0, retried: 0 });
  });

  it('logs and hands on what the destination warns of on every run', () => {
    const hub = new FakeHub(['connections.hub: sending to http://hub.example over plain http']);
    const logger = silentLogger();
    const warn = vi.spyOn(logger, 'warn');
    const d = new Deliverer({ target: T, config: config(), connector: hub, schemaVersion: 'Test/1', store, counts: emptyCounts(), logger, signal: new AbortController().signal, onFatal: () => undefined });
    expect(d.warnings()).toEqual(['connections.hub: sending to http://hub.example over plain http']);
    expect(warn).toHaveBeenCalledWith('destination warning', { target: T, warning: 'connections.hub: sending to http://hub.example over plain http' });
  });
});
