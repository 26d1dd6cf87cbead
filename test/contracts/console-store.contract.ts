import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash } from '../../src/core/audit-chain.js';
import { subjectHash } from '../../src/core/subject-hash.js';
import type { StageRow, StateStore } from '../../src/store/store.js';

/**
 * The console's part of the state store contract (src/store/console-store.ts), run by
 * storeContract over every implementation: accounts, tokens, the audit chain, pauses, the
 * indexed ledger lookups and the reconciliation history.
 */
export function consoleStoreContract(open: () => Promise<StateStore>): void {
  const T = 'hub/vanbangchungchi';
  const K = 'kiosk/students';
  const row = (id: string, over: Partial<StageRow> = {}): StageRow => ({ target: T, job: 'diplomas', sourceKey: `k-${id}`, idbanghi: id, phienban: 1, envelopeJson: JSON.stringify({ id }), contentHash: `h-${id}`, subjectHash: null, ...over });

  describe('console: accounts and tokens', () => {
    it('creates, reads, lists, updates accounts; a second account of the same name is refused', async () => {
      const s = await open();
      const made = await s.createUser({ username: 'lan', role: 'operator', passwordHash: 'scrypt$x' });
      expect(made).toMatchObject({ username: 'lan', role: 'operator', passwordHash: 'scrypt$x', disabled: false });
      await s.createUser({ username: 'an', role: 'viewer', passwordHash: 'scrypt$y' });
      await expect(s.createUser({ username: 'lan', role: 'admin', passwordHash: 'z' })).rejects.toMatchObject({ code: 'USER_EXISTS' });
      expect((await s.listUsers()).map((u) => u.username)).toEqual(['an', 'lan']);
      expect(await s.updateUser('lan', { disabled: true, role: 'admin' })).toBe(true);
      expect(await s.getUser('lan')).toMatchObject({ role: 'admin', disabled: true, passwordHash: 'scrypt$x' });
      expect(await s.updateUser('lan', { disabled: false, passwordHash: 'scrypt$new' })).toBe(true);
      expect(await s.getUser('lan')).toMatchObject({ role: 'admin', disabled: false, passwordHash: 'scrypt$new' });
      expect(await s.updateUser('nobody', { disabled: true })).toBe(false);
      expect(await s.getUser('nobody')).toBeNull();
    });

    it('finds a live token by its hash and notes its use; a revoked one is not found', async () => {
      const s = await open();
      await s.createUser({ username: 'lan', role: 'operator', passwordHash: 'h' });
      await expect(s.addApiToken({ id: 't0', username: 'ghost', label: 'x', tokenHash: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
      await s.addApiToken({ id: 't1', username: 'lan', label: 'nightly script', tokenHash: 'a'.repeat(64) });
      await s.addApiToken({ id: 't2', username: 'lan', label: 'grafana', tokenHash: 'b'.repeat(64) });
      const used = await s.useApiToken('a'.repeat(64));
      expect(used).toMatchObject({ id: 't1', username: 'lan', label: 'nightly script' });
      expect(used?.lastUsedAt).not.toBeNull();
      expect(await s.useApiToken('c'.repeat(64))).toBeNull();
      expect((await s.listApiTokens('lan')).map((t) => t.id)).toEqual(['t1', 't2']);
      expect(await s.revokeApiTokens('lan', 't1')).toBe(1);
      expect(await s.useApiToken('a'.repeat(64))).toBeNull();
      expect(await s.useApiToken('b'.repeat(64))).not.toBeNull();
      expect(await s.revokeApiTokens('lan')).toBe(1);
      expect(await s.useApiToken('b'.repeat(64))).toBeNull();
      expect(await s.listApiTokens('lan')).toEqual([]);
    });
  });

  describe('console: the audit log', () => {
    it('chains each entry to the one before and keeps the head apart', async () => {
      const s = await open();
      expect(await s.auditHead()).toBeNull();
      const a = await s.appendAudit({ actor: '-', action: 'login.failed', subject: null, address: '10.0.0.7', outcome: 'failed', detail: { username: 'lan' } });
      const b = await s.appendAudit({ actor: 'lan', action: 'login', subject: null, address: '10.0.0.7', outcome: 'ok', detail: {} });
      const c = await s.appendAudit({ actor: 'lan', action: 'deadletters.requeue', subject: 'diplomas', address: '10.0.0.7', outcome: 'ok', detail: { requeued: 3, dropped: undefined } });
      expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
      expect(a.prevHash).toBe(AUDIT_GENESIS);
      expect(b.prevHash).toBe(a.hash);
      expect(c.detail).toEqual({ requeued: 3 });
      const log = [];
      for await (const e of s.auditLog()) log.push(e);
      expect(log.map((e) => e.seq)).toEqual([1, 2, 3]);
      let prev = AUDIT_GENESIS;
      for (const e of log) {
        expect(e.prevHash).toBe(prev);
        expect(auditEntryHash(prev, e)).toBe(e.hash);
        prev = e.hash;
      }
      expect(await s.auditHead()).toEqual({ seq: 3, hash: c.hash });
    });

    it('lists newest first, by actor, by action, before a seq, within a limit', async () => {
      const s = await open();
      for (const [actor, action] of [['lan', 'login'], ['an', 'login'], ['lan', 'job.run'], ['lan', 'logout']] as const) {
        await s.appendAudit({ actor, action, subject: null, address: 'cli', outcome: 'ok', detail: {} });
      }
      expect((await s.auditEntries()).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
      expect((await s.auditEntries({ actor: 'lan' })).map((e) => e.seq)).toEqual([4, 3, 1]);
      expect((await s.auditEntries({ action: 'login' })).map((e) => e.seq)).toEqual([2, 1]);
      expect((await s.auditEntries({ beforeSeq: 4, limit: 2 })).map((e) => e.seq)).toEqual([3, 2]);
    });
  });

  describe('console: schedules, runs, reconciliations', () => {
    it('pauses a schedule once (the first pause is kept) and resumes it', async () => {
      const s = await open();
      await s.pauseJob('diplomas', 'lan');
      await s.pauseJob('diplomas', 'an');
      expect(await s.pausedJobs()).toEqual([{ job: 'diplomas', by: 'lan', at: expect.any(String) }]);
      await s.resumeJob('diplomas');
      expect(await s.pausedJobs()).toEqual([]);
    });

    it('finds a run by its id', async () => {
      const s = await open();
      const run = await s.startRun('diplomas', 'manual');
      expect(await s.getRun(run.id)).toMatchObject({ id: run.id, job: 'diplomas', outcome: 'running' });
      expect(await s.getRun('no-such-run')).toBeNull();
    });

    it('keeps the reconciliations of a job, newest first', async () => {
      const s = await open();
      const counts = { pending: 0, sent: 0, accepted: 5, stale: 0, rejected: 1, dead: 0 };
      await s.recordReconciliation({ job: 'diplomas', generatedAt: '2026-11-01T08:00:00+07:00', statusCounts: counts, totals: { source: 6 }, byCode: { CCCD_INVALID: 1 } });
      await s.recordReconciliation({ job: 'diplomas', generatedAt: '2026-11-02T08:00:00+07:00', statusCounts: { ...counts, accepted: 6, rejected: 0 }, totals: { source: 6 }, byCode: {} });
      await s.recordReconciliation({ job: 'hocba', generatedAt: '2026-11-02T09:00:00+07:00', statusCounts: counts, totals: {}, byCode: {} });
      const history = await s.reconciliations('diplomas', 10);
      expect(history.map((h) => h.generatedAt)).toEqual(['2026-11-02T08:00:00+07:00', '2026-11-01T08:00:00+07:00']);
      expect(history[1]?.byCode).toEqual({ CCCD_INVALID: 1 });
      expect(await s.reconciliations('diplomas', 1)).toHaveLength(1);
    });
  });

  describe('console: ledger lookups', () => {
    it('keeps one random subject key per store', async () => {
      const s = await open();
      const key = await s.subjectKey();
      expect(Buffer.isBuffer(key)).toBe(true);
      expect(key).toHaveLength(32);
      expect((await s.subjectKey()).equals(key)).toBe(true);
      const other = await open();
      expect((await other.subjectKey()).equals(key)).toBe(false);
    });

    it("finds a job's records by source key, idbanghi or subject hash, at every target, and not another job's", async () => {
      const s = await open();
      const key = await s.subjectKey();
      const lan = subjectHash(key, '079203001234');
      await s.stage([row('VB-1', { subjectHash: lan }), row('VB-2'), row('VB-1', { target: K, subjectHash: lan }), row('VB-9', { job: 'other', sourceKey: 'k-VB-1', subjectHash: lan })]);
      expect((await s.findLedger('diplomas', { subjectHash: lan }, 10)).map((e) => `${e.target} ${e.idbanghi}`)).toEqual([`${T} VB-1`, `${K} VB-1`]);
      expect((await s.findLedger('diplomas', { sourceKey: 'k-VB-1' }, 10)).map((e) => e.target)).toEqual([T, K]);
      expect((await s.findLedger('diplomas', { idbanghi: 'VB-2' }, 10)).map((e) => e.sourceKey)).toEqual(['k-VB-2']);
      expect(await s.findLedger('diplomas', { idbanghi: 'VB-9' }, 10)).toEqual([]);
      expect(await s.findLedger('diplomas', { subjectHash: subjectHash(key, '001099000001') }, 10)).toEqual([]);
      expect(await s.findLedger('diplomas', { sourceKey: 'k-VB-1' }, 1)).toHaveLength(1);
    });

    it('pages a target by idbanghi, optionally by statuses, for one job', async () => {
      const s = await open();
      await s.stage(['A', 'B', 'C', 'D', 'E'].map((id) => row(id)).concat(row('F', { job: 'other' })));
      await s.applyOutcomes(T, [
        { idbanghi: 'A', phienban: 1, status: 'dead', code: 'X', message: 'x' },
        { idbanghi: 'C', phienban: 1, status: 'accepted', receiptId: null },
        { idbanghi: 'D', phienban: 1, status: 'dead', code: 'X', message: 'x' },
        { idbanghi: 'E', phienban: 1, status: 'stale', hubPhienban: 2, hubContentHash: 'h' },
      ]);
      const ids = async (o: Parameters<StateStore['ledgerPageOf']>[2]): Promise<string[]> => (await s.ledgerPageOf(T, 'diplomas', o)).map((e) => e.idbanghi);
      expect(await ids({ limit: 10 })).toEqual(['A', 'B', 'C', 'D', 'E']);
      expect(await ids({ limit: 2, after: 'B' })).toEqual(['C', 'D']);
      expect(await ids({ limit: 10, status: ['dead'] })).toEqual(['A', 'D']);
      expect(await ids({ limit: 2, status: ['stale', 'dead'] })).toEqual(['A', 'D']);
      expect(await ids({ limit: 10, status: ['stale', 'dead'], after: 'A' })).toEqual(['D', 'E']);
      expect((await s.ledgerPageOf(T, 'other', { limit: 10 })).map((e) => e.idbanghi)).toEqual(['F']);
    });

    it("gives the outbox text of a record still to deliver, and none once it is settled", async () => {
      const s = await open();
      await s.stage([row('A'), row('B')]);
      await s.applyOutcomes(T, [{ idbanghi: 'B', phienban: 1, status: 'accepted', receiptId: 'r' }]);
      expect(await s.outboxText(T, 'A')).toBe(JSON.stringify({ id: 'A' }));
      expect(await s.outboxText(T, 'B')).toBeNull();
      expect(await s.outboxText(T, 'nope')).toBeNull();
    });

    it('keeps the public summary of the version a destination accepted, for the verification page, at every target', async () => {
      const s = await open();
      const summary = (number: string, revoked: boolean): string => JSON.stringify({ kind: 'diploma', number, decisionNo: null, issuedOn: '2026-07-01', holder: 'N. V. An', revoked });
      await s.stage([row('A', { verification: summary('S1', false) }), row('B', { verification: summary('S2', false) }), row('C'), row('A', { target: K, verification: summary('S1', false) })]);
      // staged but not accepted: nothing to verify yet; rejected: still nothing
      expect(await s.recordVerifications('A')).toEqual([]);
      await s.applyOutcomes(T, [
        { idbanghi: 'A', phienban: 1, status: 'accepted', receiptId: 'r', heldContentHash: 'held-A' },
        { idbanghi: 'B', phienban: 1, status: 'rejected', errors: [{ field: 'x', code: 'X', message: 'no' }] },
        { idbanghi: 'C', phienban: 1, status: 'accepted', receiptId: 'r' },
      ]);
      const a = await s.recordVerifications('A');
      expect(a.map((r) => r.target)).toEqual([T]);
      expect(JSON.parse(a[0]?.accepted ?? '{}')).toMatchObject({ number: 'S1', revoked: false, phienban: 1, contentHash: 'held-A' });
      expect(await s.recordVerifications('B')).toEqual([]);
      // a record staged without a summary has none to show
      expect(await s.recordVerifications('C')).toEqual([]);
      // a new version staged (pending) leaves what was accepted; its acceptance replaces it
      await s.stage([row('A', { phienban: 2, contentHash: 'h-A2', verification: summary('S1', true) })]);
      expect(JSON.parse((await s.recordVerifications('A'))[0]?.accepted ?? '{}')).toMatchObject({ revoked: false, phienban: 1 });
      await s.applyOutcomes(T, [{ idbanghi: 'A', phienban: 2, status: 'accepted', receiptId: 'r2' }]);
      expect(JSON.parse((await s.recordVerifications('A'))[0]?.accepted ?? '{}')).toMatchObject({ revoked: true, phienban: 2, contentHash: 'h-A2' });
      await s.applyOutcomes(K, [{ idbanghi: 'A', phienban: 1, status: 'accepted', receiptId: null }]);
      expect((await s.recordVerifications('A')).map((r) => r.target).sort()).toEqual([K, T].sort());
    });
  });
}
