import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobSchema } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import type { CursorValue } from '../core/cursor.js';
import { ConfigError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Mapping } from '../core/mapping.js';
import type { SourceRecord } from '../core/records.js';
import { acceptingDestination } from './testing/accepting-destination.js';
import type { RecordTransformer } from '../core/transform.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import type { StateStore } from '../store/store.js';
import { runJob, type RunnerDeps } from './runner.js';

/** A table the tests edit between runs: key → row; `v` is the integer cursor column. */
type Row = { id: number; v: number; rid: string; ok?: boolean; warn?: boolean };

function tableSource(rows: Map<number, Row>, withKeys = true): SourceConnector & { keyReads: string[][] } {
  const cursorOf = (r: Row): CursorValue => ({ type: 'integer', value: String(r.v) });
  const toRecord = (r: Row): SourceRecord => ({ stream: 'rows', key: String(r.id), data: { ...r }, cursorValue: cursorOf(r) });
  const s: SourceConnector & { keyReads: string[][] } = {
    type: 'table',
    keyReads: [],
    check: async () => ({ ok: true, message: 'ok' }),
    streams: async () => [{ name: 'rows', keyFields: ['id'], cursorField: 'v', supportsIncremental: true }],
    async *read(o): AsyncIterable<SourceRecord> {
      const after = o.cursor ? BigInt(o.cursor.value) : null;
      for (const r of [...rows.values()].sort((a, b) => a.v - b.v)) if (after === null || BigInt(r.v) > after) yield toRecord(r);
    },
    probe: async () => ({ stream: 'rows', columns: ['id', 'v', 'rid', 'ok', 'warn'].map((name) => ({ name, dbType: 'integer' })) }),
    close: async () => undefined,
  };
  if (withKeys) {
    s.readKeys = async function* (_stream, keys) {
      s.keyReads.push([...keys]);
      for (const k of keys) {
        const r = rows.get(Number(k));
        if (r) yield toRecord(r);
      }
    };
  }
  return s;
}

const mapping: Mapping = {
  name: 'fake/1',
  dataset: 'test',
  schemaVersion: 'Test/1',
  columns: { required: ['rid'], optional: ['ok', 'warn'] },
  map: (r) =>
    r.data.ok === false
      ? { ok: false, errors: [{ field: 'data.x', code: 'X_INVALID', message: 'x is wrong' }] }
      : {
          ok: true,
          idbanghi: String(r.data.rid),
          sukien: 'NEW',
          thoigiancapnhat: '2026-06-20T10:00:00',
          data: { id: Number(r.data.id), v: Number(r.data.v) },
          ...(r.data.warn ? { warnings: [{ field: 'data.y', code: 'Y_ODD', message: 'y looks odd' }] } : {}),
        },
};

const destination = acceptingDestination;

function job(extra: Record<string, unknown> = {}) {
  return jobSchema.parse({
    name: 'rows',
    source: { connection: 'db', stream: 'rows', mode: 'incremental', query: 'SELECT 1', keyFields: ['id'], cursorField: 'v' },
    mapping: { name: 'fake/1' },
    destinations: [{ connection: 'hub', dataset: 'test', batchSize: 100, concurrency: 2, rateLimit: { perSecond: 100_000, burst: 10_000 } }],
    ...extra,
  });
}

const stores: StateStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
function openStore(): StateStore {
  const s = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-guards-')), 'state.db'));
  stores.push(s);
  return s;
}
function deps(store: StateStore, source: SourceConnector, dest: DestinationConnector, extra: Partial<RunnerDeps> = {}): RunnerDeps {
  return { store, source, mapping, destinations: [{ config: job().destinations[0]!, connector: dest }], unitCode: 'U', logger: silentLogger(), ...extra };
}
async function invalidKeys(store: StateStore): Promise<string[]> {
  const out: string[] = [];
  for await (const i of store.listInvalid('rows')) out.push(i.sourceKey);
  return out.sort();
}
function table(n: number, row: (i: number) => Partial<Row> = () => ({})): Map<number, Row> {
  const m = new Map<number, Row>();
  for (let i = 1; i <= n; i++) m.set(i, { id: i, v: i, rid: `r${i}`, ...row(i) });
  return m;
}

describe('runJob: guards against silent loss', () => {
  it('stops a run whose invalid share passes the threshold, keeps the cursor, names the top codes', async () => {
    const store = openStore();
    const dest = destination();
    const rows = table(100, (i) => (i % 2 === 0 ? { ok: false } : {}));
    const summary = await runJob(job(), deps(store, tableSource(rows), dest));
    expect(summary.outcome).toBe('failed');
    expect(summary.error).toMatchObject({ code: 'RUN_HELD_INVALID_SHARE', kind: 'data' });
    expect(summary.error?.message).toContain('X_INVALID');
    expect(dest.received).toHaveLength(0);
    expect(await store.getCursor('rows', 'rows')).toBeNull();
    // fixed at the source without touching the change time: a plain run sends everything
    for (const r of rows.values()) r.ok = true;
    const again = await runJob(job(), deps(store, tableSource(rows), dest));
    expect(again.outcome).toBe('succeeded');
    expect(dest.received).toHaveLength(100);
    expect(await store.getCursor('rows', 'rows')).toEqual({ type: 'integer', value: '100' });
  });

  it('lets a few invalid records through the guard, holds them, and re-reads them by key once fixed', async () => {
    const store = openStore();
    const dest = destination();
    const rows = table(100, (i) => (i === 7 || i === 8 ? { ok: false } : {}));
    const first = await runJob(job(), deps(store, tableSource(rows), dest));
    expect(first.outcome).toBe('partial');
    expect(first.counts).toMatchObject({ read: 100, mapped: 98, invalid: 2 });
    expect(await invalidKeys(store)).toEqual(['7', '8']);
    expect(await store.getCursor('rows', 'rows')).toEqual({ type: 'integer', value: '100' });
    // row 7 fixed without a new change time; row 8 deleted at the source
    rows.get(7)!.ok = true;
    rows.delete(8);
    const src = tableSource(rows);
    const second = await runJob(job(), deps(store, src, dest));
    expect(src.keyReads).toEqual([['7', '8']]);
    expect(second.outcome).toBe('succeeded');
    expect(second.counts).toMatchObject({ read: 1, mapped: 1, invalid: 0, staged: 1, accepted: 1 });
    expect(await invalidKeys(store)).toEqual([]);
    expect(dest.received.map((e) => e.idbanghi)).toContain('r7');
  });

  it('on a full read, a held-back record the stream did not bring is gone: cleared without asking by key', async () => {
    const store = openStore();
    const rows = table(30, (i) => (i === 4 ? { ok: false } : {}));
    await runJob(job(), deps(store, tableSource(rows), destination()));
    expect(await invalidKeys(store)).toEqual(['4']);
    rows.delete(4);
    const src = tableSource(rows);
    await runJob(job(), deps(store, src, destination()), { fullRefresh: true });
    expect(src.keyReads).toEqual([]);
    expect(await invalidKeys(store)).toEqual([]);
  });

  it('without a guard limit passed, a job that sets its own threshold is honoured', async () => {
    const store = openStore();
    const rows = table(40, (i) => (i <= 4 ? { ok: false } : {}));
    const strict = job({ guard: { maxInvalidPercent: 5, minRecords: 10 } });
    const summary = await runJob(strict, deps(store, tableSource(rows), destination()));
    expect(summary.error?.code).toBe('RUN_HELD_INVALID_SHARE');
  });

  it('holds back both records of a duplicate national id, in one chunk and across runs', async () => {
    const store = openStore();
    const dest = destination();
    const rows = table(10, (i) => (i === 9 ? { rid: 'r3' } : {}));
    const summary = await runJob(job(), deps(store, tableSource(rows), dest));
    expect(await invalidKeys(store)).toEqual(['3', '9']);
    expect(dest.received.map((e) => e.idbanghi)).not.toContain('r3');
    expect(summary.counts).toMatchObject({ read: 10, mapped: 8, invalid: 2 });
    // a later duplicate of a record the hub already holds: the new row and the sent one are both held
    rows.set(11, { id: 11, v: 11, rid: 'r5' });
    await runJob(job(), deps(store, tableSource(rows), dest));
    expect(await invalidKeys(store)).toEqual(['11', '3', '5', '9']);
    expect(dest.received.filter((e) => e.idbanghi === 'r5')).toHaveLength(1);
    // the school corrects row 9: it is re-read by key, and row 3 with it
    rows.get(9)!.rid = 'r9';
    await runJob(job(), deps(store, tableSource(rows), dest));
    expect(await invalidKeys(store)).toEqual(['11', '5']);
    expect(dest.received.map((e) => e.idbanghi)).toEqual(expect.arrayContaining(['r3', 'r9']));
  });

  it('stops before sending anything when the query lacks a column the mapping reads', async () => {
    const store = openStore();
    const dest = destination();
    const src = tableSource(table(5));
    src.probe = async () => ({ stream: 'rows', columns: ['id', 'v', 'ri'].map((name) => ({ name, dbType: 'integer' })) });
    const summary = await runJob(job(), deps(store, src, dest));
    expect(summary.outcome).toBe('failed');
    expect(summary.error?.kind).toBe('config');
    expect(summary.error?.message).toContain('rid');
    expect(dest.received).toHaveLength(0);
  });

  it('stops on a signing configuration error and keeps the records to sign once it is fixed', async () => {
    const store = openStore();
    const dest = destination();
    const rows = table(10);
    let keyThere = false;
    const transformer: RecordTransformer = {
      name: 'signer',
      transform: async () => {
        if (!keyThere) throw new ConfigError('SIGNING_KEY_MISSING', 'no key for the principal');
        return { ok: true, tailieu: { dinhdang: 'xml', noidung: 'PGE+', sha256: 'x' } };
      },
      close: async () => undefined,
    };
    const summary = await runJob(job(), deps(store, tableSource(rows), dest, { transformer }));
    expect(summary.outcome).toBe('failed');
    expect(summary.error).toMatchObject({ code: 'SIGNING_KEY_MISSING', kind: 'config' });
    expect(await store.getCursor('rows', 'rows')).toBeNull();
    expect(dest.received).toHaveLength(0);
    keyThere = true;
    const again = await runJob(job(), deps(store, tableSource(rows), dest, { transformer }));
    expect(again.outcome).toBe('succeeded');
    expect(dest.received).toHaveLength(10);
  });

  it('holds back records waiting for signatures apart from invalid ones, re-reads them, and sends them once signed', async () => {
    const store = openStore();
    const dest = destination();
    // 60 of 100 wait: far above the invalid-share limit, which must not stop the run for them
    const rows = table(100);
    const signed = new Set<string>();
    const transformer: RecordTransformer = {
      name: 'remote-signer',
      transform: async (input) =>
        signed.has(input.sourceKey) || Number(input.sourceKey) > 60
          ? { ok: true, tailieu: { dinhdang: 'xml', noidung: 'PGE+', sha256: 'x' } }
          : { ok: 'waiting', awaiting: [{ role: 'subject:TOAN', maskedId: '********1234' }, { role: 'homeroom', maskedId: '********5678' }] },
      close: async () => undefined,
    };
    const first = await runJob(job(), deps(store, tableSource(rows), dest, { transformer }));
    expect(first.outcome).toBe('partial');
    expect(first.counts).toMatchObject({ read: 100, mapped: 40, invalid: 0, awaitingSignature: 60, staged: 40 });
    expect(first.awaited).toEqual(['subject:TOAN (********1234) ×60', 'homeroom (********5678) ×60']);
    expect(dest.received).toHaveLength(40);
    const held = [];
    for await (const i of store.listInvalid('rows')) held.push(i);
    expect(held).toHaveLength(60);
    expect(held[0]!.errors).toEqual([{ field: 'tailieu', code: 'AWAITING_SIGNATURE', message: 'waiting for the signature of subject:TOAN (********1234), homeroom (********5678)' }]);
    // the signers approve: the next run re-reads the waiting records by key (the cursor moved past them)
    for (let i = 1; i <= 60; i++) signed.add(String(i));
    const src = tableSource(rows);
    const second = await runJob(job(), deps(store, src, dest, { transformer }));
    expect(src.keyReads[0]).toHaveLength(60);
    expect(second.outcome).toBe('succeeded');
    expect(second.counts).toMatchObject({ read: 60, awaitingSignature: 0, staged: 60 });
    expect(await invalidKeys(store)).toEqual([]);
    expect(dest.received).toHaveLength(100);
  });

  it('keeps mapping warnings per record and clears them when the record no longer has any', async () => {
    const store = openStore();
    const rows = table(5, (i) => (i === 2 ? { warn: true } : {}));
    const first = await runJob(job(), deps(store, tableSource(rows), destination()));
    expect(first.counts.warnings).toBe(1);
    const warned = [];
    for await (const w of store.listWarnings('rows')) warned.push(w);
    expect(warned).toMatchObject([{ sourceKey: '2', warnings: [{ code: 'Y_ODD' }] }]);
    rows.set(2, { ...rows.get(2)!, warn: false, v: 6 });
    await runJob(job(), deps(store, tableSource(rows), destination()));
    const after = [];
    for await (const w of store.listWarnings('rows')) after.push(w);
    expect(after).toEqual([]);
  });
});
