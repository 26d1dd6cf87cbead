import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LienthongError } from '../../src/core/errors.js';
import type { RecordEnvelope } from '../../connectors/ministry-hub/envelope.js';
import Database from 'better-sqlite3';
import { LATEST_VERSION, sqliteMigrations } from './migrations.js';
import { SqliteStateStore } from './sqlite-store.js';
import type { StageRow, StateStore } from '../../src/store/store.js';
import { WorkerStateStore, storeWorkerFile } from './worker-store.js';

const T = 'hub/vanbangchungchi';
const stores: StateStore[] = [];
const newPath = (): string => join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'state.db');
function open(path = newPath()): SqliteStateStore {
  const s = new SqliteStateStore(path);
  stores.push(s);
  return s;
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

// The behaviour every StateStore owes (locks, cursors, runs, the outbox, the ledger) is checked by the
// store contract suite over both forms of this store: test/contracts/store.contract.test.ts.
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
