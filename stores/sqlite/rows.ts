import { emptyCounts, type LedgerEntry, type LedgerStatus, type RunCounts, type RunOutcome, type RunRow } from '../../src/store/store.js';

/** The ledger and run rows as SQLite holds them, and their conversion to the contract's types. */

export interface LedgerRow {
  /** insertion order: the outbox's key and its paging cursor */
  id: number;
  target: string;
  idbanghi: string;
  source_key: string;
  job: string;
  content_hash: string;
  phienban: number;
  status: LedgerStatus;
  attempts: number;
  last_error: string | null;
  receipt_id: string | null;
  hub_phienban: number | null;
  hub_content_hash: string | null;
  created_at: string;
  updated_at: string;
  accepted_at: string | null;
}

export function toEntry(r: LedgerRow): LedgerEntry {
  return {
    target: r.target,
    idbanghi: r.idbanghi,
    sourceKey: r.source_key,
    job: r.job,
    contentHash: r.content_hash,
    phienban: r.phienban,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error ? (JSON.parse(r.last_error) as LedgerEntry['lastError']) : null,
    receiptId: r.receipt_id,
    hubPhienban: r.hub_phienban,
    hubContentHash: r.hub_content_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    acceptedAt: r.accepted_at,
  };
}

export interface RunDbRow {
  id: string;
  job: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  outcome: RunOutcome;
  counts: string;
  error: string | null;
}

export function toRun(r: RunDbRow): RunRow {
  return {
    id: r.id,
    job: r.job,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome,
    counts: { ...emptyCounts(), ...(JSON.parse(r.counts) as Partial<RunCounts>) },
    error: r.error ? (JSON.parse(r.error) as RunRow['error']) : null,
  };
}
