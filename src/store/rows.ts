import type { FieldError } from '../core/records.js';

/**
 * The rows the state store answers with (ledger entries, runs) and the words it owns for them:
 * in a file of their own so that both parts of the store contract (store.ts, console-store.ts)
 * use them without importing each other.
 */

/**
 * Where a record stands in a target's ledger. The store owns the word: reconciliation and the CLI
 * read it, the store never needs theirs.
 */
export type LedgerStatus = 'pending' | 'sent' | 'accepted' | 'stale' | 'rejected' | 'dead';

/**
 * A delivery target: one dataset at one destination connection. Each target has its own ledger,
 * so the same record can be tracked separately at the hub and at, say, a CIM kiosk.
 */
export type TargetId = string;

export function targetId(connection: string, dataset: string): TargetId {
  return `${connection}/${dataset}`;
}

/** What the ledger keeps per record and target. */
export interface LedgerEntry {
  target: TargetId;
  idbanghi: string;
  sourceKey: string;
  job: string;
  contentHash: string;
  /** the last phienban assigned (sent or about to be sent) */
  phienban: number;
  status: LedgerStatus;
  attempts: number;
  lastError: { code: string; message: string; errors?: FieldError[] } | null;
  receiptId: string | null;
  /** what the hub said it holds, when it answered `stale` */
  hubPhienban: number | null;
  hubContentHash: string | null;
  createdAt: string;
  updatedAt: string;
  acceptedAt: string | null;
}

export interface RunCounts {
  read: number;
  mapped: number;
  invalid: number;
  unchanged: number;
  staged: number;
  sent: number;
  accepted: number;
  /** answered `stale` with other content: a version conflict (a replay of our own send counts as accepted) */
  conflicts: number;
  rejected: number;
  dead: number;
  retried: number;
  /** records left `pending` for the next run: the destination stayed down past its retry budget */
  deferred: number;
  /** records with mapping warnings */
  warnings: number;
}

export function emptyCounts(): RunCounts {
  return { read: 0, mapped: 0, invalid: 0, unchanged: 0, staged: 0, sent: 0, accepted: 0, conflicts: 0, rejected: 0, dead: 0, retried: 0, deferred: 0, warnings: 0 };
}

export type RunOutcome = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

export interface RunRow {
  id: string;
  job: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: RunOutcome;
  counts: RunCounts;
  error: { code: string; message: string } | null;
  trigger: string;
}
