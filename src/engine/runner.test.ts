import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobSchema } from '../config/schema.js';
import type { SourceConnector } from '../core/connector.js';
import { BugError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Mapping } from '../core/mapping.js';
import type { SourceRecord } from '../core/records.js';
import { acceptingDestination } from './testing/accepting-destination.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { targetId, type StageRow, type StateStore } from '../store/store.js';
import { WorkerStateStore, storeWorkerFile } from '../../stores/sqlite/worker-store.js';
import { runJob } from './runner.js';
import { subjectHash } from '../core/subject-hash.js';

const T = targetId('hub', 'test');

/** rows 1..n; row i maps to record id `r<i>`, except where `sameIdAs` makes two rows claim one id */
function source(n: number, sameIdAs: Record<number, number> = {}): SourceConnector & { readCount: number } {
  const s = {
    type: 'fake',
    readCount: 0,
    check: async () => ({ ok: true, message: 'ok' }),
    streams: async () => [{ name: 'rows', keyFields: ['id'], cursorField: 'v', supportsIncremental: true }],
    async *read(): AsyncIterable<SourceRecord> {
      for (let i = 1; i <= n; i++) {
        s.readCount++;
        yield { stream: 'rows', key: String(i), data: { id: i, rid: `r${sameIdAs[i] ?? i}` }, cursorValue: { type: 'integer', value: String(i) } };
      }
    },
    close: async () => undefined,
  };
  return s;
}

const mapping: Mapping = {
  name: 'fake/1',
  dataset: 'test',
  schemaVersion: 'Test/1',
  map: (r) => ({ ok: true, idbanghi: String(r.data.rid), sukien: 'NEW', thoigiancapnhat: '2026-06-20T10:00:00', data: { id: Number(r.data.id) } }),
};

const destination = acceptingDestination;

function job() {
  return jobSchema.parse({
    name: 'rows',
    source: { connection: 'db', stream: 'rows', mode: 'incremental', query: 'SELECT 1', keyFields: ['id'], cursorField: 'v' },
    mapping: { name: 'fake/1' },
    destinations: [{ connection: 'hub', dataset: 'test', batchSize: 100, concurrency: 2, rateLimit: { perSecond: 100_000, burst: 10_000 } }],
  });
}

const stores: StateStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
const newPath = (): string => join(mkdtempSync(join(tmpdir(), 'lt-runner-')), 'state.db');

describe.each([
  ['on this thread', (): StateStore => new SqliteStateStore(newPath())],
  ['on a worker thread', (): StateStore => new WorkerStateStore(newPath(), storeWorkerFile() ?? 'not built')],
] as const)('runJob with the state store %s', (where, openStore) => {
  if (where === 'on a worker thread' && storeWorkerFile() === undefined) {
    it.skip('needs the built worker (npm run build)', () => undefined);
    return;
  }

  it("keeps a keyed hash of the mapping's personal id field with each ledger row, never the id", async () => {
    const store = openStore();
    stores.push(store);
    const withId: Mapping = { ...mapping, personalIdField: 'cccd', map: (r) => ({ ok: true, idbanghi: String(r.data.rid), sukien: 'NEW', thoigiancapnhat: '2026-06-20T10:00:00', data: { id: Number(r.data.id), cccd: `0792030000${String(r.data.id).padStart(2, '0')}` } }) };
    await runJob(job(), { store, source: source(3), mapping: withId, destinations: [{ config: job().destinations[0]!, connector: destination() }], unitCode: 'U', logger: silentLogger() });
    const hash = subjectHash(await store.subjectKey(), '079203000002');
    expect((await store.findLedger('rows', { subjectHash: hash }, 5)).map((e) => e.idbanghi)).toEqual(['r2']);
    expect(JSON.stringify(await store.findLedger('rows', { subjectHash: hash }, 5))).not.toContain('079203000002');
  });

  it("keeps the mapping's grade field with each ledger row, and counts a target's rows by grade", async () => {
    const store = openStore();
    stores.push(store);
    // grades 5, 9, '09' (text, as a source may give it), and one with no usable grade
    const grades: Record<number, unknown> = { 1: 5, 2: '9', 3: '09', 4: 'khối 6' };
    const withGrade: Mapping = { ...mapping, gradeField: 'makhoi', map: (r) => ({ ok: true, idbanghi: String(r.data.rid), sukien: 'NEW', thoigiancapnhat: '2026-06-20T10:00:00', data: { id: Number(r.data.id), makhoi: grades[Number(r.data.id)] as string } }) };
    await runJob(job(), { store, source: source(4), mapping: withGrade, destinations: [{ config: job().destinations[0]!, connector: destination() }], unitCode: 'U', logger: silentLogger() });
    const target = T;
    expect(await store.statusCountsByGrade(target, [9])).toMatchObject({ accepted: 2 });
    expect(await store.statusCountsByGrade(target, [5, 9])).toMatchObject({ accepted: 3 });
    expect(await store.statusCountsByGrade(target, [6])).toMatchObject({ accepted: 0 });
    expect((await store.statusCounts(target)).accepted).toBe(4);
  });

  it('sees what earlier chunks staged: a record id claimed again 1,200 rows later is a duplicate', async () => {
    const store = openStore();
    stores.push(store);
    const dest = destination();
    // rows are committed 500 at a time while the next 500 are mapped; row 1700 claims row 3's id
    const summary = await runJob(job(), { store, source: source(2000, { 1700: 3 }), mapping, destinations: [{ config: job().destinations[0]!, connector: dest }], unitCode: 'U', logger: silentLogger() });
    // both rows are held back; row 3 had reached the hub before row 1700 was read, and the report says so
    expect(summary.outcome).toBe('partial');
    expect(summary.counts).toMatchObject({ read: 2000, mapped: 1999, invalid: 2, accepted: 1999 });
    const invalid = [];
    for await (const i of store.listInvalid('rows')) invalid.push(i);
    expect(invalid.map((i) => i.sourceKey).sort()).toEqual(['1700', '3']);
    expect(invalid.every((i) => i.errors[0]?.code === 'DUPLICATE_IDBANGHI')).toBe(true);
    expect(dest.received.filter((e) => e.idbanghi === 'r3')).toHaveLength(1);
    expect(await store.getCursor('rows', 'rows')).toEqual({ type: 'integer', value: '2000' });
  });

  it('stops reading at once when a chunk cannot be committed, and keeps the cursor where it was', async () => {
    const store = openStore();
    stores.push(store);
    let stages = 0;
    let readAtFailure = 0;
    const src = source(10_000);
    const stage = async (rows: StageRow[]): Promise<void> => {
      stages++;
      if (stages === 2) {
        readAtFailure = src.readCount;
        throw new BugError('SQLITE_FULL', 'database or disk is full');
      }
      await store.stage(rows);
    };
    const failing = new Proxy(store, {
      get(target, prop) {
        if (prop === 'stage') return stage;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const summary = await runJob(job(), { store: failing, source: src, mapping, destinations: [{ config: job().destinations[0]!, connector: destination() }], unitCode: 'U', logger: silentLogger() });
    expect(summary.outcome).toBe('failed');
    expect(summary.error).toMatchObject({ code: 'SQLITE_FULL' });
    // reading stopped at the next record, not at the end of the chunk being read (the event loop
    // turns every 50 records, so the failure is seen within 50)
    expect(readAtFailure).toBeGreaterThanOrEqual(1000);
    expect(src.readCount - readAtFailure).toBeLessThanOrEqual(50);
    expect(await store.getCursor('rows', 'rows')).toBeNull();
    // the first chunk is in the ledger, delivered or still in the outbox for the next run; nothing after it
    const counts = await store.statusCounts(T);
    expect(counts.accepted + counts.pending + counts.sent).toBe(500);
    expect(counts.accepted + (await store.outboxPage(T, null, 1000)).items.length).toBe(500);
  });
});
