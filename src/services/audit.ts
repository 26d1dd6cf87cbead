import { AUDIT_GENESIS, auditEntryHash } from '../core/audit-chain.js';
import type { AuditEntry, AuditInput } from '../store/console-store.js';
import type { StateStore } from '../store/store.js';
import { csvCell } from '../reconcile/writers/csv.js';

type AuditStore = Pick<StateStore, 'appendAudit' | 'auditLog' | 'auditHead'>;

/** Appends one entry to the audit log (the store chains it to the one before). */
export function recordAudit(store: AuditStore, entry: AuditInput): Promise<AuditEntry> {
  return store.appendAudit(entry);
}

/** What `audit verify` found: the chain intact up to its head, or the first entry that breaks it. */
export interface AuditVerification {
  intact: boolean;
  entries: number;
  /** the last entry's seq and hash as recomputed (record it elsewhere: a later verify must still end on it) */
  head: { seq: number; hash: string } | null;
  /** the first entry (or head) that does not hold, and why */
  firstBad: { seq: number; reason: 'hash' | 'prevHash' | 'gap' | 'head' } | null;
}

/**
 * Walks the whole audit log from the first entry recomputing each hash: an edited entry changes
 * its hash, a removed or reordered one breaks the next entry's prevHash or the run of seqs, and
 * entries removed at the end leave the store's head (kept apart from the log) pointing past the
 * last one. What it cannot see: somebody able to write the store file can rewrite the whole
 * chain and its head consistently; compare the printed head with one recorded elsewhere.
 */
export async function verifyAuditLog(store: AuditStore): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS;
  let expectedSeq: number | null = null;
  let entries = 0;
  let last: { seq: number; hash: string } | null = null;
  const broken = (seq: number, reason: NonNullable<AuditVerification['firstBad']>['reason']): AuditVerification => ({ intact: false, entries, head: last, firstBad: { seq, reason } });
  for await (const e of store.auditLog()) {
    if (expectedSeq !== null && e.seq !== expectedSeq) return broken(expectedSeq, 'gap');
    if (e.prevHash !== prevHash) return broken(e.seq, 'prevHash');
    if (auditEntryHash(prevHash, e) !== e.hash) return broken(e.seq, 'hash');
    entries++;
    last = { seq: e.seq, hash: e.hash };
    prevHash = e.hash;
    expectedSeq = e.seq + 1;
  }
  const head = await store.auditHead();
  if (head === null ? last !== null : last === null || head.seq !== last.seq || head.hash !== last.hash) {
    return broken(head?.seq ?? last?.seq ?? 0, 'head');
  }
  return { intact: true, entries, head: last, firstBad: null };
}

export type AuditExportFormat = 'csv' | 'json';

const CSV_HEADER = ['seq', 'at', 'actor', 'action', 'subject', 'address', 'outcome', 'detail', 'prev_hash', 'hash'];

/**
 * The audit log as text chunks, in seq order, one entry at a time (a long log is never held in
 * memory): CSV (formula-safe cells, the detail as JSON) or JSON (an array, one entry a line).
 */
export async function* exportAudit(store: AuditStore, format: AuditExportFormat): AsyncGenerator<string> {
  if (format === 'csv') {
    yield CSV_HEADER.join(',') + '\r\n';
    for await (const e of store.auditLog()) {
      const cells = [String(e.seq), e.at, e.actor, e.action, e.subject ?? '', e.address, e.outcome, JSON.stringify(e.detail), e.prevHash, e.hash];
      yield cells.map(csvCell).join(',') + '\r\n';
    }
    return;
  }
  let first = true;
  yield '[';
  for await (const e of store.auditLog()) {
    yield (first ? '\n' : ',\n') + JSON.stringify(e);
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
