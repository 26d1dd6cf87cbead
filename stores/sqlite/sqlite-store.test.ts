import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LienthongError } from '../../src/core/errors.js';
import type { RecordEnvelope } from '../../connectors/ministry-hub/envelope.js';
import Database from 'better-sqlite3';
import { LATEST_VERSION, sqliteMigrations } from './migrations.js';
import { SqliteStateStore } from './sqlite-store.js';
import { STORE_PAGE, emptyCounts, type RecordWarnings, type StageRow, type StateStore } from '../../src/store/store.js';
import { WorkerStateStore, storeWorkerFile } from './worker-store.js';

const T = 'hub/vanbangchungchi';
const stores: StateStore[] = [];
const newPath = (): string => join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'state.db');
function open(path = newPath()): SqliteStateStore {
  const s = new SqliteStateStore(path);
  stores.push(s);
  return s;
}
function openInline(): StateStore {
  return open();
}
function openOnWorker(path = newPath()): StateStore {
  const file = storeWorkerFile();
  if (file === undefined) throw new Error('the store worker is not built');
  const s = new WorkerStateStore(path, file);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) if (!(s instanceof SqliteStateStore) || s.db.open) await s.close();
});

function staged(id: string, phienban: number, hash = `h-${id}-${phienban}`): StageRow {
  const envelope: RecordEnvelope = { idbanghi: id, sukien: phienban === 1 ? 'NEW' : 'UPDATE', phienban, thoigiancapnhat: '2026-06-20T10:00:00', data: { sohieu: id } };
  return { target: T, job: 'diplomas', sourceKey: `k-${id}`, idbanghi: id, phienban, envelopeJson: JSON.stringify(envelope), contentHash: hash };
}

describe('SqliteStateStore', () => {
  it('migrates a new file to the latest version, and reopens it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'state.db');
    const a = open(path);
    expect(a.db.pragma('user_version', { simple: true })).toBe(sqliteMigrations[sqliteMigrations.length - 1]?.version);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await a.stage([staged('a', 1)]);
    await a.close();
    const b = open(path);
    expect((await b.getLedgerEntries(T, ['a'])).get('a')?.status).toBe('pending');
  });

  it('brings a version 1 store (ledger keyed by record id) to the latest, keeping every row and envelope', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'state.db');
    const v1 = new Database(path);
    v1.exec(sqliteMigrations[0]!.sql);
    v1.pragma('user_version = 1');
    const ins = v1.prepare("INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, status, attempts, receipt_id, created_at, updated_at) VALUES (?, ?, ?, 'diplomas', ?, ?, ?, ?, ?, ?, ?)");
    ins.run(T, 'z', 'k-z', 'hz', 1, 'accepted', 1, 'r-z', '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z');
    ins.run(T, 'a', 'k-a', 'ha', 2, 'sent', 3, null, '2026-06-02T00:00:00Z', '2026-06-02T00:00:00Z');
    ins.run(T, 'm', 'k-m', 'hm', 1, 'pending', 0, null, '2026-06-03T00:00:00Z', '2026-06-03T00:00:00Z');
    const env = (id: string, phienban: number): string => JSON.stringify({ idbanghi: id, sukien: 'NEW', phienban, thoigiancapnhat: '2026-06-01T00:00:00', data: {} });
    v1.prepare('INSERT INTO outbox (target, idbanghi, phienban, envelope) VALUES (?, ?, ?, ?)').run(T, 'a', 2, env('a', 2));
    v1.prepare('INSERT INTO outbox (target, idbanghi, phienban, envelope) VALUES (?, ?, ?, ?)').run(T, 'm', 1, env('m', 1));
    v1.close();

    const s = open(path);
    expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const entries = await s.getLedgerEntries(T, ['z', 'a', 'm']);
    expect(entries.get('z')).toMatchObject({ status: 'accepted', receiptId: 'r-z', attempts: 1, sourceKey: 'k-z' });
    expect(entries.get('a')).toMatchObject({ status: 'sent', phienban: 2, attempts: 3, contentHash: 'ha' });
    // still to deliver, in the order they were first staged
    const page = await s.outboxPage(T, null, 10);
    expect(page.items.map((i) => [i.idbanghi, i.phienban, i.sourceKey])).toEqual([['a', 2, 'k-a'], ['m', 1, 'k-m']]);
    expect(JSON.parse(page.items[0]!.envelopeJson)).toMatchObject({ idbanghi: 'a', phienban: 2 });
    await s.applyOutcomes(T, [{ idbanghi: 'a', phienban: 2, status: 'accepted', receiptId: 'r-a' }]);
    expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['m']);
    expect(await s.statusCounts(T)).toMatchObject({ accepted: 2, pending: 1 });
  });

  it('plans no statement of the hot path as a sort of the whole ledger or outbox', () => {
    const s = open();
    const statements = Reflect.get(s, 'sql') as Record<string, { source: string }>;
    for (const [name, stmt] of Object.entries(statements)) {
      const plan = (s.db.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all(...new Array<null>(countParams(stmt.source)).fill(null)) as { detail: string }[]).map((r) => r.detail);
      expect({ name, plan: plan.filter((d) => /TEMP B-TREE|^SCAN (ledger|outbox)/.test(d)) }).toEqual({ name, plan: [] });
    }
  });

});

describe.each([
  ['on this thread', openInline],
  ['on a worker thread', openOnWorker],
] as const)('the state store %s', (_where, openStore) => {
  const open = (): StateStore => openStore();
  if (openStore === openOnWorker && storeWorkerFile() === undefined) {
    it.skip('needs the built worker (npm run build)', () => undefined);
    return;
  }
  it('pages the outbox in staging order with an opaque cursor', async () => {
    const s = open();
    await s.stage(['e', 'b', 'd', 'a', 'c'].map((id) => staged(id, 1)));
    const first = await s.outboxPage(T, null, 2);
    expect(first.items.map((i) => i.idbanghi)).toEqual(['e', 'b']);
    const second = await s.outboxPage(T, first.next, 2);
    expect(second.items.map((i) => i.idbanghi)).toEqual(['d', 'a']);
    const third = await s.outboxPage(T, second.next, 2);
    expect(third).toMatchObject({ items: [{ idbanghi: 'c' }], next: null });
    // other targets' records are not this target's outbox
    await s.stage([{ ...staged('x', 1), target: 'cim/chungnhan' }]);
    expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['e', 'b', 'd', 'a', 'c']);
    expect((await s.outboxPage('cim/chungnhan', null, 10)).items.map((i) => i.idbanghi)).toEqual(['x']);
  });

  it('stages the ledger row and the envelope together, settles them by phienban', async () => {
    const s = open();
    await s.stage([staged('a', 1), staged('b', 1)]);
    expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['a', 'b']);
    await s.markSent(T, [{ idbanghi: 'a', phienban: 1 }]);
    expect((await s.getLedgerEntries(T, ['a'])).get('a')?.attempts).toBe(1);
    await s.applyOutcomes(T, [{ idbanghi: 'a', phienban: 1, status: 'accepted', receiptId: 'r1' }]);
    const a = (await s.getLedgerEntries(T, ['a'])).get('a');
    expect(a?.status).toBe('accepted');
    expect(a?.receiptId).toBe('r1');
    expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['b']);
    // an answer for an older version does not touch a newer staged one
    await s.stage([staged('b', 2)]);
    await s.applyOutcomes(T, [{ idbanghi: 'b', phienban: 1, status: 'accepted', receiptId: 'old' }]);
    const b = (await s.getLedgerEntries(T, ['b'])).get('b');
    expect(b?.status).toBe('pending');
    expect(b?.phienban).toBe(2);
    expect(JSON.parse((await s.outboxPage(T, null, 10)).items[0]?.envelopeJson ?? '{}')).toMatchObject({ phienban: 2 });
  });

  it('keeps rejected and dead records with their reasons; retries dead letters and conflicts', async () => {
    const s = open();
    await s.stage([staged('a', 1), staged('b', 1), staged('c', 1)]);
    await s.applyOutcomes(T, [
      { idbanghi: 'a', phienban: 1, status: 'rejected', errors: [{ field: 'data.gioitinh', code: 'INVALID_CODE', message: 'x' }] },
      { idbanghi: 'b', phienban: 1, status: 'dead', code: 'HTTP_503', message: 'gave up' },
      { idbanghi: 'c', phienban: 1, status: 'stale', hubPhienban: 5, hubContentHash: 'other' },
    ]);
    const counts = await s.statusCounts(T);
    expect(counts).toMatchObject({ rejected: 1, dead: 1, stale: 1, pending: 0 });
    const a = (await s.getLedgerEntries(T, ['a'])).get('a');
    expect(a?.lastError?.errors?.[0]?.field).toBe('data.gioitinh');
    expect(await s.outboxPage(T, null, 10)).toEqual({ items: [], next: null });
    expect(await s.retryDeadLetters(T)).toBe(2);
    const page = (await s.outboxPage(T, null, 10)).items;
    expect(page.map((i) => [i.idbanghi, i.phienban])).toEqual([['b', 1], ['c', 6]]);
    expect(JSON.parse(page[1]?.envelopeJson ?? '{}')).toMatchObject({ phienban: 6, sukien: 'UPDATE' });
  });

  it('locks a job for one owner; a dead owner on this host frees it', async () => {
    const s = open();
    const host = (await import('node:os')).hostname();
    expect(await s.acquireLock('diplomas', `${host}:${process.pid}:a`, 60_000)).toBe(true);
    expect(await s.acquireLock('diplomas', `otherhost:1:b`, 60_000)).toBe(false);
    await s.releaseLock('diplomas', `${host}:${process.pid}:a`);
    // pid 2^22+1 does not exist here
    expect(await s.acquireLock('diplomas', `${host}:4194305:dead`, 60_000)).toBe(true);
    expect(await s.acquireLock('diplomas', `${host}:${process.pid}:c`, 60_000)).toBe(true);
    expect(await s.acquireLock('other', 'otherhost:1:x', -1)).toBe(true);
    expect(await s.acquireLock('other', `${host}:${process.pid}:d`, 60_000)).toBe(true); // expired
  });

  it('keeps cursors with their type, runs and invalid records', async () => {
    const s = open();
    expect(await s.getCursor('diplomas', 'diplomas')).toBeNull();
    await s.setCursor('diplomas', 'diplomas', { type: 'timestamptz', value: '2026-06-20T10:00:00.123456+07:00' });
    expect(await s.getCursor('diplomas', 'diplomas')).toEqual({ type: 'timestamptz', value: '2026-06-20T10:00:00.123456+07:00' });
    // a bigint beyond 2^53 keeps every digit; another stream of the job is its own cursor
    await s.setCursor('diplomas', 'diplomas', { type: 'integer', value: '9007199254740993' });
    await s.setCursor('diplomas', 'other', { type: 'text', value: '{not json' });
    expect(await s.getCursor('diplomas', 'diplomas')).toEqual({ type: 'integer', value: '9007199254740993' });
    expect(await s.getCursor('diplomas', 'other')).toEqual({ type: 'text', value: '{not json' });
    const run = await s.startRun('diplomas', 'manual');
    expect(await s.markInterruptedRuns('diplomas')).toBe(1);
    await s.finishRun(run.id, 'succeeded', { ...emptyCounts(), read: 3 }, null);
    expect((await s.lastRuns('diplomas', 1))[0]).toMatchObject({ outcome: 'succeeded', counts: { read: 3 } });
    await s.recordInvalid([{ job: 'diplomas', sourceKey: '7', idbanghi: null, errors: [{ field: 'data.sodinhdanh', code: 'REQUIRED', message: 'm' }], runId: run.id, updatedAt: 'now' }]);
    const list = [];
    for await (const i of s.listInvalid('diplomas')) list.push(i);
    expect(list).toHaveLength(1);
    await s.clearInvalid('diplomas', ['7']);
    for await (const _ of s.listInvalid('diplomas')) throw new Error('should be empty');
  });

  it('keeps the latest warnings of each record, lists them in source key order, counts and clears them', async () => {
    const s = open();
    const w = (sourceKey: string, code: string, runId: string, job = 'hocba'): RecordWarnings => ({
      job,
      sourceKey,
      idbanghi: sourceKey === 'b' ? null : `id-${sourceKey}`,
      warnings: [{ field: 'data.bangdiem[0].diemtx', code, message: `${code} (CCCD 001204003219 given)` }],
      runId,
      updatedAt: `2026-06-20T10:00:0${runId.length}Z`,
    });
    await s.recordWarnings([w('c', 'REGULAR_TEST_COUNT_MISMATCH', 'r1'), w('a', 'REGULAR_TEST_COUNT_MISMATCH', 'r1'), w('b', 'OTHER', 'r1'), w('a', 'X', 'r1', 'diplomas')]);
    // a later run's warnings for a record replace the earlier ones
    await s.recordWarnings([w('a', 'SECOND', 'r22')]);
    const list: RecordWarnings[] = [];
    for await (const r of s.listWarnings('hocba')) list.push(r);
    expect(list.map((r) => [r.sourceKey, r.idbanghi, r.runId, r.warnings.map((x) => x.code)])).toEqual([
      ['a', 'id-a', 'r22', ['SECOND']],
      ['b', null, 'r1', ['OTHER']],
      ['c', 'id-c', 'r1', ['REGULAR_TEST_COUNT_MISMATCH']],
    ]);
    expect(list[0]).toMatchObject({ job: 'hocba', updatedAt: '2026-06-20T10:00:03Z' });
    // a personal id quoted by a message is masked before it is kept
    expect(list[0]?.warnings[0]?.message).toBe('SECOND (CCCD ********3219 given)');
    expect(await s.warningCount('hocba')).toBe(3);
    expect(await s.warningCount('diplomas')).toBe(1);
    await s.clearWarnings('hocba', ['a', 'c', 'missing']);
    expect(await s.warningCount('hocba')).toBe(1);
    const left: string[] = [];
    for await (const r of s.listWarnings('hocba')) left.push(r.sourceKey);
    expect(left).toEqual(['b']);
  });

  it('lists more warnings than a page holds', async () => {
    const s = open();
    const rows: RecordWarnings[] = Array.from({ length: STORE_PAGE + 7 }, (_, i) => ({ job: 'hocba', sourceKey: `k${String(i).padStart(5, '0')}`, idbanghi: null, warnings: [{ field: 'f', code: 'W', message: 'm' }], runId: 'r', updatedAt: 't' }));
    await s.recordWarnings(rows);
    let n = 0;
    for await (const _ of s.listWarnings('hocba')) n++;
    expect(n).toBe(STORE_PAGE + 7);
    expect(await s.warningCount('hocba')).toBe(STORE_PAGE + 7);
  });

  it('keeps no whole personal id in the reasons of invalid, rejected and dead records', async () => {
    const s = open();
    await s.recordInvalid([{ job: 'diplomas', sourceKey: '7', idbanghi: null, errors: [{ field: 'data.sodinhdanh', code: 'CCCD_PROVINCE', message: 'sodinhdanh 079204003219 is wrong' }], runId: 'r', updatedAt: 't' }]);
    for await (const i of s.listInvalid('diplomas')) expect(i.errors[0]?.message).toBe('sodinhdanh ********3219 is wrong');
    await s.stage([staged('a', 1), staged('b', 1)]);
    await s.applyOutcomes(T, [
      { idbanghi: 'a', phienban: 1, status: 'rejected', errors: [{ field: 'data.sodinhdanh', code: 'HUB_CCCD', message: 'unknown person 079204003219' }] },
      { idbanghi: 'b', phienban: 1, status: 'dead', code: 'HUB_BAD_REQUEST', message: 'bad record 079204003219' },
    ]);
    const e = await s.getLedgerEntries(T, ['a', 'b']);
    expect(JSON.stringify([...e.values()])).not.toContain('079204003219');
    expect(e.get('a')?.lastError?.errors?.[0]?.message).toBe('unknown person ********3219');
  });
});

function countParams(sql: string): number {
  return (sql.match(/\?/g) ?? []).length;
}

describe.skipIf(storeWorkerFile() === undefined)('WorkerStateStore', () => {
  it('answers calls in the order they were made: a read sent after a write sees it', async () => {
    const s = openOnWorker();
    const write = s.stage([staged('a', 1), staged('b', 1)]);
    const read = s.getLedgerEntries(T, ['a', 'b']);
    await write;
    expect([...(await read).keys()].sort()).toEqual(['a', 'b']);
  });

  it("brings the worker's errors back with their code and kind", async () => {
    const path = newPath();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const s = openOnWorker(path);
    const err = await s.getCursor('diplomas', 'diplomas').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LienthongError);
    expect(err).toMatchObject({ code: 'STORE_TOO_NEW', kind: 'config' });
    expect((err as Error).message).toContain('upgrade lienthong');
  });

  it('refuses calls once closed, and closes once', async () => {
    const s = openOnWorker();
    await s.setCursor('diplomas', 'diplomas', { type: 'text', value: 'x' });
    await Promise.all([s.close(), s.close()]);
    await expect(s.getCursor('diplomas', 'diplomas')).rejects.toMatchObject({ code: 'STORE_WORKER_EXITED' });
  });
});
