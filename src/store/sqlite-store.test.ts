import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordEnvelope } from '../core/records.js';
import { SqliteStateStore } from './sqlite-store.js';
import { emptyCounts, type StagedRecord } from './store.js';

const T = 'hub/vanbangchungchi';
const stores: SqliteStateStore[] = [];
function open(path = join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'state.db')): SqliteStateStore {
  const s = new SqliteStateStore(path);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) if (s.db.open) await s.close();
});

function staged(id: string, phienban: number, hash = `h-${id}-${phienban}`): StagedRecord {
  const envelope: RecordEnvelope = { idbanghi: id, sukien: phienban === 1 ? 'NEW' : 'UPDATE', phienban, thoigiancapnhat: '2026-06-20T10:00:00', data: { sohieu: id } };
  return { target: T, job: 'diplomas', sourceKey: `k-${id}`, envelope, envelopeJson: JSON.stringify(envelope), contentHash: hash };
}

describe('SqliteStateStore', () => {
  it('migrates a new file to the latest version, and reopens it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'state.db');
    const a = open(path);
    expect(a.db.pragma('user_version', { simple: true })).toBe(1);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await a.stage([staged('a', 1)]);
    await a.close();
    const b = open(path);
    expect((await b.getLedgerEntries(T, ['a'])).get('a')?.status).toBe('pending');
  });

  it('stages the ledger row and the envelope together, settles them by phienban', async () => {
    const s = open();
    await s.stage([staged('a', 1), staged('b', 1)]);
    expect((await s.outboxPage(T, null, 10)).map((i) => i.idbanghi)).toEqual(['a', 'b']);
    await s.markSent(T, [{ idbanghi: 'a', phienban: 1 }]);
    expect((await s.getLedgerEntries(T, ['a'])).get('a')?.attempts).toBe(1);
    await s.applyOutcomes(T, [{ idbanghi: 'a', phienban: 1, status: 'accepted', receiptId: 'r1' }]);
    const a = (await s.getLedgerEntries(T, ['a'])).get('a');
    expect(a?.status).toBe('accepted');
    expect(a?.receiptId).toBe('r1');
    expect((await s.outboxPage(T, null, 10)).map((i) => i.idbanghi)).toEqual(['b']);
    // an answer for an older version does not touch a newer staged one
    await s.stage([staged('b', 2)]);
    await s.applyOutcomes(T, [{ idbanghi: 'b', phienban: 1, status: 'accepted', receiptId: 'old' }]);
    const b = (await s.getLedgerEntries(T, ['b'])).get('b');
    expect(b?.status).toBe('pending');
    expect(b?.phienban).toBe(2);
    expect(JSON.parse((await s.outboxPage(T, null, 10))[0]?.envelopeJson ?? '{}')).toMatchObject({ phienban: 2 });
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
    expect(await s.outboxPage(T, null, 10)).toEqual([]);
    expect(await s.retryDeadLetters(T)).toBe(2);
    const page = await s.outboxPage(T, null, 10);
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

  it('keeps cursors, runs and invalid records', async () => {
    const s = open();
    await s.setCursor('diplomas', 'diplomas', '2026-06-20T10:00:00');
    expect(await s.getCursor('diplomas', 'diplomas')).toBe('2026-06-20T10:00:00');
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
});
