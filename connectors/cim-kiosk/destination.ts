/**
 * The CIM kiosks as one destination (docs/cim.md#kiosks). The engine delivers student snapshots
 * to it like to any destination; it keeps them in a store-and-forward lane per kiosk, in the
 * state store, and forwards each lane at the end of the run (endRun). Templates come from the
 * registry, not from the source: each kiosk gets every template whose content hash differs from
 * what it holds.
 *
 * Why its own outbox and not the engine's: the engine's outbox is one queue per target with the
 * hub's versions and answers; kiosks need a lane per machine behind one connection, coalescing by
 * student, items the source never had (templates), DELETEs, and "offline for the run" without a
 * retry budget. Keeping that here leaves the engine generic: it only gives the destination the
 * store (beginRun) and counts what the destination holds back (endRun) as deferred.
 */
import { setMaxListeners } from 'node:events';
import type { CheckResult, DestinationConnector, DestinationRunContext, DestinationRunEnd, WriteContext } from '../../src/core/connector.js';
import { BatchTooLargeError, BugError, ConfigError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/hash.js';
import type { DeliveryAnswer, EncodedRecord } from '../../src/core/records.js';
import type { KioskQueueInput, KioskStore } from '../../src/store/kiosk-store.js';
import { kioskTemplatePayload, type TemplateRegistry } from '../../src/cim/templates.js';
import { KioskClient, KioskFailure } from './client.js';
import type { ResolvedKiosk } from './config.js';
import { decodeChange, encodeChange } from './encoding.js';
import { KioskLane, type LaneResult } from './lane.js';

export interface CimKioskDestinationOptions {
  /** the connection's name: the lanes in the state store are keyed by it */
  connection: string;
  kiosks: ResolvedKiosk[];
  templates: TemplateRegistry;
  pageSize?: number;
  random?: () => number;
}

function isKioskStore(store: unknown): store is KioskStore {
  return typeof (store as Partial<KioskStore> | null)?.kioskEnqueue === 'function';
}

export class CimKioskDestination implements DestinationConnector {
  readonly type = 'cim-kiosk';
  readonly maxBatchSize = 500;
  readonly encode = encodeChange;
  private run: DestinationRunContext | null = null;
  private store: KioskStore | null = null;
  /** what the last endRun found, per kiosk (the demo and tests print it) */
  lastResults: LaneResult[] = [];

  constructor(private readonly o: CimKioskDestinationOptions) {}

  async check(): Promise<CheckResult> {
    const answers = await Promise.all(
      this.o.kiosks.map(async (k) => {
        const client = new KioskClient(k);
        try {
          const h = await client.health();
          return h.kioskId === k.id ? { ok: true, line: `${k.id}: answers (version ${h.version ?? '?'})` } : { ok: false, line: `${k.id}: ${k.url} answers as "${h.kioskId}"`, kind: 'config' as const };
        } catch (err) {
          const f = err instanceof KioskFailure ? err : undefined;
          return { ok: false, line: `${k.id}: ${f?.message ?? String(err)}`, kind: f?.kind === 'unauthorized' ? ('config' as const) : ('transient' as const) };
        } finally {
          client.close();
        }
      }),
    );
    const failed = answers.filter((a) => !a.ok);
    // an offline kiosk is normal (its changes wait); a wrong token or url is not
    const kind = failed.some((a) => a.kind === 'config') ? 'config' : failed.length > 0 ? 'transient' : undefined;
    return { ok: failed.length === 0, message: answers.map((a) => a.line).join('; '), ...(kind ? { kind } : {}) };
  }

  async beginRun(context: DestinationRunContext): Promise<void> {
    if (!isKioskStore(context.store)) throw new BugError('KIOSK_STORE_MISSING', 'the state store has no kiosk lanes (KioskStore)', { connector: this.type });
    this.run = context;
    this.store = context.store;
    await this.seedNewKiosks();
    await this.enqueueChangedTemplates();
  }

  /**
   * A kiosk added to the connection after others were served: the engine's ledger counts every
   * unchanged student as delivered, so the new kiosk is given what another kiosk holds or has
   * queued (the latest of each student) from the state store.
   */
  private async seedNewKiosks(): Promise<void> {
    const store = this.requireStore();
    const known = (await store.kioskHealth(this.o.connection)).map((h) => h.kioskId);
    const from = this.o.kiosks.find((k) => known.includes(k.id))?.id ?? known[0];
    if (from === undefined) return; // the first run: the engine sends every student to every kiosk
    for (const kiosk of this.o.kiosks) {
      if (known.includes(kiosk.id)) continue;
      const n = await store.kioskSeed(this.o.connection, kiosk.id, from);
      // from now on it is known, even if it is offline for this run
      await store.kioskSetHealth(this.o.connection, kiosk.id, { url: kiosk.url });
      this.run?.log('info', 'a kiosk new to this connection is given every student another kiosk has', { kiosk: kiosk.id, from, students: n });
    }
  }

  /** every template whose kiosk payload differs from what a kiosk holds goes into its lane */
  private async enqueueChangedTemplates(): Promise<void> {
    const store = this.requireStore();
    const items: KioskQueueInput[] = [];
    for (const kiosk of this.o.kiosks) {
      const held = await store.kioskHeld(this.o.connection, kiosk.id, 'template');
      for (const t of this.o.templates.templates) {
        if (held[t.code] === t.contentHash) continue;
        items.push({ connection: this.o.connection, kioskId: kiosk.id, kind: 'template', key: t.code, op: 'put', body: JSON.stringify(kioskTemplatePayload(t)), contentHash: t.contentHash });
      }
      const gone = Object.keys(held).filter((code) => this.o.templates.get(code) === undefined);
      if (gone.length > 0) {
        this.run?.log('warn', 'a kiosk holds templates the registry no longer has: set active: false in the registry to withdraw a template', { kiosk: kiosk.id, templates: gone });
      }
    }
    if (items.length > 0) await store.kioskEnqueue(items);
  }

  async write(batch: EncodedRecord[], _context: WriteContext): Promise<DeliveryAnswer[]> {
    if (batch.length > this.maxBatchSize) throw new BatchTooLargeError(`${batch.length} records in one write; at most ${this.maxBatchSize}`, { connector: this.type });
    const store = this.requireStore();
    const items: KioskQueueInput[] = [];
    for (const r of batch) {
      const change = decodeChange(r.encoded);
      const body = change.op === 'put' ? JSON.stringify(change.snapshot) : null;
      const contentHash = body === null ? sha256Hex(`delete:${change.studentId}`) : sha256Hex(body);
      for (const k of this.o.kiosks) items.push({ connection: this.o.connection, kioskId: k.id, kind: 'student', key: change.studentId, op: change.op, body, contentHash });
    }
    await store.kioskEnqueue(items);
    // safely in every kiosk's lane: the engine's part is done; endRun forwards them
    return batch.map((r) => ({ idbanghi: r.idbanghi, status: 'delivered' as const, receiptId: `queued for ${this.o.kiosks.length} kiosk(s)` }));
  }

  async endRun(): Promise<DestinationRunEnd> {
    const run = this.run;
    const store = this.requireStore();
    if (run === null) throw new BugError('KIOSK_RUN_NOT_BEGUN', 'endRun before beginRun', { connector: this.type });
    // every request in flight, of every lane, listens to the run's signal: that many are expected
    setMaxListeners(20 + 2 * this.o.kiosks.reduce((n, k) => n + k.concurrency, 0), run.signal);
    const results = await Promise.all(
      this.o.kiosks.map((kiosk) =>
        new KioskLane({ connection: this.o.connection, kiosk, store, pageSize: this.o.pageSize ?? 500, signal: run.signal, log: run.log, ...(this.o.random ? { random: this.o.random } : {}) }).run(),
      ),
    );
    this.lastResults = results;
    for (const r of results) run.log(r.end === 'synced' ? 'info' : 'warn', 'kiosk lane', { kiosk: r.kioskId, end: r.end, sent: r.sent, dead: r.dead, queued: r.queued });
    const wrong = results.filter((r) => r.end === 'unauthorized' || r.end === 'wrong-kiosk');
    if (wrong.length > 0) {
      const lines = wrong.map((r) => `${r.kioskId}: ${r.failure?.message ?? r.end} (${r.queued} change(s) stay queued for it)`);
      throw new ConfigError(
        wrong[0]?.end === 'unauthorized' ? 'KIOSK_UNAUTHORIZED' : 'KIOSK_ID_MISMATCH',
        `${lines.join('; ')}. Fix the kiosk's token or url in connections.${this.o.connection}.kiosks and run the job again: the other kiosks were served, and the queued changes are sent then`,
        { connector: this.type, path: `connections.${this.o.connection}.kiosks` },
      );
    }
    const notices = results.filter((r) => r.queued > 0 || r.dead > 0).map((r) => noticeOf(r, run.job));
    return { deferred: results.reduce((n, r) => n + r.queued, 0), dead: results.reduce((n, r) => n + r.dead, 0), notices };
  }

  async close(): Promise<void> {
    this.run = null;
    this.store = null;
  }

  private requireStore(): KioskStore {
    if (this.store === null) throw new BugError('KIOSK_RUN_NOT_BEGUN', 'the cim-kiosk destination was written to before beginRun gave it the state store', { connector: this.type });
    return this.store;
  }
}

/** what the operator is told about a kiosk that did not get everything */
function noticeOf(r: LaneResult, job: string): string {
  const dead =
    r.dead > 0
      ? ` ${r.dead} change(s) were refused by the kiosk for good: read why with lienthong kiosks dead-letters --kiosk ${r.kioskId}; once fixed, queue them again: lienthong kiosks requeue --kiosk ${r.kioskId} --all.`
      : '';
  if (r.queued === 0) return `kiosk ${r.kioskId}:${dead}`;
  const why =
    r.end === 'offline'
      ? `is offline${r.offlineSince ? ` since ${r.offlineSince}` : ''} (${r.failure?.code ?? 'KIOSK_OFFLINE'})`
      : r.end === 'failing'
        ? `kept failing (${r.failure?.code ?? '?'}: ${r.failure?.message ?? ''})`
        : `was not finished (${r.end})`;
  return `kiosk ${r.kioskId} (${r.url}) ${why}: ${r.queued} change(s) wait for it in the state store. Nothing is lost: once it is back, the next run (lienthong run ${job}) sends them in order, once; lienthong status shows its queue.${dead}`;
}
