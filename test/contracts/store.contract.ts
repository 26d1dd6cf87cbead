import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { CursorValue } from '../../src/core/cursor.js';
import { consoleStoreContract } from './console-store.contract.js';
import { signingStoreContract } from './signing-store.contract.js';
import { certificateStoreContract } from './certificate-store.contract.js';
import { STORE_PAGE, emptyCounts, type LedgerEntry, type RecordWarnings, type StageRow, type StateStore } from '../../src/store/store.js';

/**
 * The state store contract, one suite run over every StateStore implementation (as Kysely runs one
 * suite over every dialect): what the engine, reconciliation and the services rely on, whatever
 * keeps the rows. What belongs to one implementation only (SQLite's migrations, file modes, its
 * worker thread) is tested in that implementation's folder.
 */

/** One implementation under test. */
export interface StoreImplementation {
  name: string;
  /** a new, empty store; the suite closes it after each test */
  open(): StateStore | Promise<StateStore>;
  /** why this implementation cannot run here (not built, no server); the suite is then skipped */
  unavailable?: () => string | undefined;
}

const T = 'hub/vanbangchungchi';

/** a staged row whose outbox text is opaque to the store: it keeps and gives back what it was given */
function staged(id: string, phienban: number, hash = `h-${id}-${phienban}`): StageRow {
  return { target: T, job: 'diplomas', sourceKey: `k-${id}`, idbanghi: id, phienban, envelopeJson: JSON.stringify({ id, phienban }), contentHash: hash };
}

async function all<R>(rows: AsyncIterable<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

export function storeContract(impl: StoreImplementation): void {
  describe(`store contract: ${impl.name}`, () => {
    const why = impl.unavailable?.();
    if (why !== undefined) {
      it.skip(`needs ${why}`, () => undefined);
      return;
    }
    const opened: StateStore[] = [];
    const open = async (): Promise<StateStore> => {
      const s = await impl.open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    const entry = async (s: StateStore, id: string): Promise<LedgerEntry | undefined> => (await s.getLedgerEntries(T, [id])).get(id);

    consoleStoreContract(open);
    signingStoreContract(open);
    certificateStoreContract(open);

    describe('locks', () => {
      const host = hostname();
      const mine = (tag: string): string => `${host}:${process.pid}:${tag}`;

      it('locks a job for one owner; a dead owner on this host or an expired lock frees it', async () => {
        const s = await open();
        expect(await s.acquireLock('diplomas', mine('a'), 60_000)).toBe(true);
        expect(await s.acquireLock('diplomas', mine('a'), 60_000)).toBe(true); // the owner again
        expect(await s.acquireLock('diplomas', 'otherhost:1:b', 60_000)).toBe(false);
        await s.releaseLock('diplomas', mine('a'));
        // pid 2^22+1 does not exist here
        expect(await s.acquireLock('diplomas', `${host}:4194305:dead`, 60_000)).toBe(true);
        expect(await s.acquireLock('diplomas', mine('c'), 60_000)).toBe(true);
        expect(await s.acquireLock('other', 'otherhost:1:x', -1)).toBe(true);
        expect(await s.acquireLock('other', mine('d'), 60_000)).toBe(true); // expired
      });

      it('names the holder, renews for the owner only, and releases for the owner only', async () => {
        const s = await open();
        expect(await s.lockHolder('diplomas')).toBeNull();
        const before = Date.now();
        await s.acquireLock('diplomas', 'otherhost:1:a', 60_000);
        const holder = await s.lockHolder('diplomas');
        expect(holder?.owner).toBe('otherhost:1:a');
        expect(Date.parse(holder?.expiresAt ?? '')).toBeGreaterThanOrEqual(before + 60_000);
        expect(await s.renewLock('diplomas', 'otherhost:2:b', 120_000)).toBe(false);
        expect(await s.renewLock('diplomas', 'otherhost:1:a', 120_000)).toBe(true);
        expect(Date.parse((await s.lockHolder('diplomas'))?.expiresAt ?? '')).toBeGreaterThanOrEqual(before + 120_000);
        await s.releaseLock('diplomas', 'otherhost:2:b');
        expect((await s.lockHolder('diplomas'))?.owner).toBe('otherhost:1:a');
        await s.releaseLock('diplomas', 'otherhost:1:a');
        expect(await s.lockHolder('diplomas')).toBeNull();
        // an expired lock has no holder
        await s.acquireLock('other', 'otherhost:1:a', -1);
        expect(await s.lockHolder('other')).toBeNull();
      });
    });

    it('keeps cursors with their type, one per job and stream', async () => {
      const s = await open();
      expect(await s.getCursor('diplomas', 'diplomas')).toBeNull();
      const cursors: CursorValue[] = [
        { type: 'timestamptz', value: '2026-06-20T10:00:00.123456+07:00' },
        { type: 'timestamp', value: '2026-06-20T10:00:00.123456' },
        { type: 'date', value: '2026-06-20' },
        // a bigint beyond 2^53 keeps every digit
        { type: 'integer', value: '9007199254740993' },
        { type: 'text', value: '{not json' },
      ];
      for (const c of cursors) {
        await s.setCursor('diplomas', 'diplomas', c);
        expect(await s.getCursor('diplomas', 'diplomas')).toEqual(c);
      }
      await s.setCursor('diplomas', 'other', { type: 'text', value: 'x' });
      await s.setCursor('hocba', 'diplomas', { type: 'integer', value: '7' });
      expect(await s.getCursor('diplomas', 'diplomas')).toEqual({ type: 'text', value: '{not json' });
      expect(await s.getCursor('diplomas', 'other')).toEqual({ type: 'text', value: 'x' });
      expect(await s.getCursor('hocba', 'diplomas')).toEqual({ type: 'integer', value: '7' });
    });

    it('starts, interrupts and finishes runs, and lists a job’s runs', async () => {
      const s = await open();
      const run = await s.startRun('diplomas', 'manual');
      expect(run).toMatchObject({ job: 'diplomas', trigger: 'manual', outcome: 'running', finishedAt: null, counts: emptyCounts(), error: null });
      await s.startRun('hocba', 'schedule');
      expect(await s.markInterruptedRuns('diplomas')).toBe(1);
      expect((await s.lastRuns('diplomas', 5))[0]).toMatchObject({ id: run.id, outcome: 'interrupted' });
      expect(await s.markInterruptedRuns('diplomas')).toBe(0);
      await s.finishRun(run.id, 'failed', { ...emptyCounts(), read: 3, dead: 1 }, { code: 'HUB_DOWN', message: 'm' });
      const [last] = await s.lastRuns('diplomas', 1);
      expect(last).toMatchObject({ id: run.id, outcome: 'failed', counts: { ...emptyCounts(), read: 3, dead: 1 }, error: { code: 'HUB_DOWN', message: 'm' } });
      expect(last?.finishedAt).not.toBeNull();
      const second = await s.startRun('diplomas', 'manual');
      expect(second.id).not.toBe(run.id);
      expect(await s.lastRuns('diplomas', 1)).toHaveLength(1);
      expect((await s.lastRuns('diplomas', 10)).map((r) => r.id).sort()).toEqual([run.id, second.id].sort());
      expect((await s.lastRuns('hocba', 10)).map((r) => r.job)).toEqual(['hocba']);
    });

    it('stages the ledger row and the outbox text together, settles them by phienban', async () => {
      const s = await open();
      expect((await s.getLedgerEntries(T, [])).size).toBe(0);
      await s.stage([staged('a', 1), staged('b', 1)]);
      expect(await entry(s, 'a')).toMatchObject({ target: T, sourceKey: 'k-a', job: 'diplomas', contentHash: 'h-a-1', phienban: 1, status: 'pending', attempts: 0, lastError: null, receiptId: null });
      expect((await s.getLedgerEntries(T, ['a', 'missing'])).has('missing')).toBe(false);
      expect((await s.outboxPage(T, null, 10)).items).toEqual([
        { target: T, idbanghi: 'a', sourceKey: 'k-a', phienban: 1, contentHash: 'h-a-1', envelopeJson: staged('a', 1).envelopeJson },
        { target: T, idbanghi: 'b', sourceKey: 'k-b', phienban: 1, contentHash: 'h-b-1', envelopeJson: staged('b', 1).envelopeJson },
      ]);
      await s.markSent(T, [{ idbanghi: 'a', phienban: 1 }]);
      expect(await entry(s, 'a')).toMatchObject({ status: 'sent', attempts: 1 });
      // a sent record is still to deliver until it is answered
      expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['a', 'b']);
      await s.applyOutcomes(T, [{ idbanghi: 'a', phienban: 1, status: 'accepted', receiptId: 'r1' }]);
      expect(await entry(s, 'a')).toMatchObject({ status: 'accepted', receiptId: 'r1' });
      expect((await entry(s, 'a'))?.acceptedAt).not.toBeNull();
      expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['b']);
      // a settled record is not marked sent again
      await s.markSent(T, [{ idbanghi: 'a', phienban: 1 }]);
      expect(await entry(s, 'a')).toMatchObject({ status: 'accepted', attempts: 1 });
      // an answer for an older version does not touch a newer staged one
      await s.stage([staged('b', 2)]);
      await s.applyOutcomes(T, [{ idbanghi: 'b', phienban: 1, status: 'accepted', receiptId: 'old' }]);
      expect(await entry(s, 'b')).toMatchObject({ status: 'pending', phienban: 2, contentHash: 'h-b-2', receiptId: null });
      expect((await s.outboxPage(T, null, 10)).items).toMatchObject([{ idbanghi: 'b', phienban: 2, envelopeJson: staged('b', 2).envelopeJson }]);
    });

    it('leaves a record to retry pending, with the reason, in the outbox', async () => {
      const s = await open();
      await s.stage([staged('a', 1)]);
      await s.markSent(T, [{ idbanghi: 'a', phienban: 1 }]);
      await s.applyOutcomes(T, [{ idbanghi: 'a', phienban: 1, status: 'retry', code: 'HTTP_503', message: 'busy' }]);
      expect(await entry(s, 'a')).toMatchObject({ status: 'pending', attempts: 1, lastError: { code: 'HTTP_503', message: 'busy' } });
      expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['a']);
    });

    it('pages the outbox in staging order with an opaque cursor, one target at a time', async () => {
      const s = await open();
      await s.stage(['e', 'b', 'd', 'a', 'c'].map((id) => staged(id, 1)));
      const first = await s.outboxPage(T, null, 2);
      expect(first.items.map((i) => i.idbanghi)).toEqual(['e', 'b']);
      const second = await s.outboxPage(T, first.next, 2);
      expect(second.items.map((i) => i.idbanghi)).toEqual(['d', 'a']);
      const third = await s.outboxPage(T, second.next, 2);
      expect(third).toMatchObject({ items: [{ idbanghi: 'c' }], next: null });
      await s.stage([{ ...staged('x', 1), target: 'cim/chungnhan' }]);
      expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['e', 'b', 'd', 'a', 'c']);
      expect((await s.outboxPage('cim/chungnhan', null, 10)).items.map((i) => i.idbanghi)).toEqual(['x']);
    });

    it('keeps rejected and dead records with their reasons; lists dead letters and conflicts with their outbox text', async () => {
      const s = await open();
      // the outbox text is the destination's: the store keeps and answers it without reading it
      const opaque = (id: string): string => `<${id} v=1 \u00e9 "not json"`;
      await s.stage(['a', 'b', 'c', 'd'].map((id) => ({ ...staged(id, 1), envelopeJson: opaque(id) })));
      await s.applyOutcomes(T, [
        { idbanghi: 'a', phienban: 1, status: 'rejected', errors: [{ field: 'data.gioitinh', code: 'INVALID_CODE', message: 'x' }] },
        { idbanghi: 'b', phienban: 1, status: 'dead', code: 'HTTP_503', message: 'gave up' },
        { idbanghi: 'c', phienban: 1, status: 'stale', hubPhienban: 5, hubContentHash: 'other' },
        { idbanghi: 'd', phienban: 1, status: 'dead', code: 'HTTP_503', message: 'gave up' },
      ]);
      expect(await s.statusCounts(T)).toEqual({ pending: 0, sent: 0, accepted: 0, stale: 1, rejected: 1, dead: 2 });
      expect((await entry(s, 'a'))?.lastError).toMatchObject({ code: 'INVALID_CODE', errors: [{ field: 'data.gioitinh', code: 'INVALID_CODE' }] });
      expect(await entry(s, 'b')).toMatchObject({ lastError: { code: 'HTTP_503', message: 'gave up' } });
      expect(await entry(s, 'c')).toMatchObject({ status: 'stale', hubPhienban: 5, hubContentHash: 'other' });
      expect(await s.outboxPage(T, null, 10)).toEqual({ items: [], next: null });
      // a rejected record is not a dead letter; an unknown id is not either
      expect(await s.deadLetters(T)).toEqual([
        { idbanghi: 'b', status: 'dead', phienban: 1, heldVersion: null, encoded: opaque('b') },
        { idbanghi: 'c', status: 'stale', phienban: 1, heldVersion: 5, encoded: opaque('c') },
        { idbanghi: 'd', status: 'dead', phienban: 1, heldVersion: null, encoded: opaque('d') },
      ]);
      expect((await s.deadLetters(T, ['d', 'a', 'missing'])).map((d) => d.idbanghi)).toEqual(['d']);
      expect(await s.deadLetters('cim/chungnhan')).toEqual([]);
    });

    it('requeues dead letters as they are and conflicts with the text and phienban given, in one call', async () => {
      const s = await open();
      await s.stage(['a', 'b', 'c', 'd'].map((id) => ({ ...staged(id, 1), envelopeJson: `opaque ${id}` })));
      await s.applyOutcomes(T, [
        { idbanghi: 'a', phienban: 1, status: 'rejected', errors: [{ field: 'data.gioitinh', code: 'INVALID_CODE', message: 'x' }] },
        { idbanghi: 'b', phienban: 1, status: 'dead', code: 'HTTP_503', message: 'gave up' },
        { idbanghi: 'c', phienban: 1, status: 'stale', hubPhienban: 5, hubContentHash: 'other' },
        { idbanghi: 'd', phienban: 1, status: 'dead', code: 'HTTP_503', message: 'gave up' },
      ]);
      // one named record first; a rejected record, an unknown id and a dead letter named at
      // another phienban than it has (staged again since it was listed) are left as they are
      expect(await s.requeue(T, [{ idbanghi: 'd', phienban: 1 }, { idbanghi: 'a', phienban: 1 }, { idbanghi: 'missing', phienban: 1 }, { idbanghi: 'b', phienban: 2 }])).toBe(1);
      expect(await entry(s, 'b')).toMatchObject({ status: 'dead' });
      expect(await entry(s, 'd')).toMatchObject({ status: 'pending', phienban: 1, attempts: 0 });
      expect(await s.requeue(T, [{ idbanghi: 'b', phienban: 1 }, { idbanghi: 'c', phienban: 1, reencoded: { phienban: 6, encoded: 'opaque c at 6' } }])).toBe(2);
      // no longer dead letters: a second requeue changes nothing
      expect(await s.requeue(T, [{ idbanghi: 'b', phienban: 1 }, { idbanghi: 'c', phienban: 1, reencoded: { phienban: 9, encoded: 'x' } }])).toBe(0);
      expect(await s.deadLetters(T)).toEqual([]);
      const items = (await s.outboxPage(T, null, 10)).items;
      expect(items.map((i) => [i.idbanghi, i.phienban, i.envelopeJson])).toEqual([['b', 1, 'opaque b'], ['c', 6, 'opaque c at 6'], ['d', 1, 'opaque d']]);
      expect(await entry(s, 'c')).toMatchObject({ status: 'pending', phienban: 6, attempts: 0 });
      expect(await entry(s, 'a')).toMatchObject({ status: 'rejected' });
      expect(await s.requeue(T, [])).toBe(0);
    });

    it('counts every status of a target, zero included', async () => {
      const s = await open();
      expect(await s.statusCounts(T)).toEqual({ pending: 0, sent: 0, accepted: 0, stale: 0, rejected: 0, dead: 0 });
      await s.stage([staged('a', 1), staged('b', 1), { ...staged('x', 1), target: 'cim/chungnhan' }]);
      await s.markSent(T, [{ idbanghi: 'b', phienban: 1 }]);
      expect(await s.statusCounts(T)).toEqual({ pending: 1, sent: 1, accepted: 0, stale: 0, rejected: 0, dead: 0 });
    });

    it('lists a ledger longer than a page in idbanghi order, filtered by status', async () => {
      const s = await open();
      const n = STORE_PAGE + 5;
      const ids = Array.from({ length: n }, (_, i) => `id${String((i * 7919) % n).padStart(5, '0')}`);
      await s.stage(ids.map((id) => staged(id, 1)));
      await s.stage([{ ...staged('zz', 1), target: 'cim/chungnhan' }]);
      const accepted = ids.slice(0, 3);
      await s.applyOutcomes(T, accepted.map((idbanghi) => ({ idbanghi, phienban: 1, status: 'accepted' as const, receiptId: null })));
      const every = (await all(s.ledger(T))).map((e) => e.idbanghi);
      expect(every).toEqual([...ids].sort());
      expect((await all(s.ledger(T, { status: ['accepted'] }))).map((e) => e.idbanghi)).toEqual([...accepted].sort());
      expect(await all(s.ledger(T, { status: ['pending', 'accepted'] }))).toHaveLength(n);
      expect(await all(s.ledger(T, { status: ['dead'] }))).toEqual([]);
    });

    it('keeps invalid records per job and source key, replaces and clears them', async () => {
      const s = await open();
      const invalid = (sourceKey: string, runId: string, job = 'diplomas') => ({ job, sourceKey, idbanghi: null, errors: [{ field: 'data.sodinhdanh', code: 'REQUIRED', message: runId }], runId, updatedAt: 't' });
      await s.recordInvalid([invalid('7', 'r1'), invalid('3', 'r1'), invalid('7', 'r1', 'hocba')]);
      await s.recordInvalid([invalid('7', 'r2')]);
      expect((await all(s.listInvalid('diplomas'))).map((i) => [i.sourceKey, i.runId, i.errors[0]?.message])).toEqual([
        ['3', 'r1', 'r1'],
        ['7', 'r2', 'r2'],
      ]);
      await s.clearInvalid('diplomas', ['7', 'missing']);
      expect((await all(s.listInvalid('diplomas'))).map((i) => i.sourceKey)).toEqual(['3']);
      expect(await all(s.listInvalid('hocba'))).toHaveLength(1);
    });

    it('keeps the latest warnings of each record, lists them in source key order, counts and clears them', async () => {
      const s = await open();
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
      const list = await all(s.listWarnings('hocba'));
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
      expect((await all(s.listWarnings('hocba'))).map((r) => r.sourceKey)).toEqual(['b']);
    });

    it('lists more warnings than a page holds', async () => {
      const s = await open();
      const rows: RecordWarnings[] = Array.from({ length: STORE_PAGE + 7 }, (_, i) => ({ job: 'hocba', sourceKey: `k${String(i).padStart(5, '0')}`, idbanghi: null, warnings: [{ field: 'f', code: 'W', message: 'm' }], runId: 'r', updatedAt: 't' }));
      await s.recordWarnings(rows);
      expect(await all(s.listWarnings('hocba'))).toHaveLength(STORE_PAGE + 7);
      expect(await s.warningCount('hocba')).toBe(STORE_PAGE + 7);
    });

    it('keeps no whole personal id in the reasons of invalid, rejected and dead records', async () => {
      const s = await open();
      await s.recordInvalid([{ job: 'diplomas', sourceKey: '7', idbanghi: null, errors: [{ field: 'data.sodinhdanh', code: 'CCCD_PROVINCE', message: 'sodinhdanh 079204003219 is wrong' }], runId: 'r', updatedAt: 't' }]);
      expect((await all(s.listInvalid('diplomas'))).map((i) => i.errors[0]?.message)).toEqual(['sodinhdanh ********3219 is wrong']);
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
}
