import type { CursorValue } from '../core/cursor.js';
import type { FieldError } from '../core/records.js';
import type { ConsoleStore } from './console-store.js';
import type { KioskStore } from './kiosk-store.js';
import type { SigningStore } from './signing-store.js';
import type { CertificateStore } from './certificate-store.js';
import type { LedgerEntry, LedgerStatus, RunCounts, RunOutcome, RunRow, TargetId } from './rows.js';

export { emptyCounts, targetId, type LedgerEntry, type LedgerStatus, type RunCounts, type RunOutcome, type RunRow, type TargetId } from './rows.js';

/**
 * A record to deliver. The envelope travels as its JSON text: a batch in flight is a few strings,
 * not thousands of small objects for the garbage collector to carry into the old generation.
 */
export interface OutboxItem {
  target: TargetId;
  idbanghi: string;
  sourceKey: string;
  phienban: number;
  contentHash: string;
  envelopeJson: string;
}

/**
 * A record staged for delivery: its ledger fields and the exact envelope to send (the outbox), as
 * JSON text made once: what the outbox keeps and what is sent. Staged, it is delivered as it is.
 */
export interface StageRow extends OutboxItem {
  job: string;
  /**
   * the keyed hash of the person's national id (src/core/subject-hash.ts) that the console finds
   * the record by; null when the mapping names no personal id
   */
  subjectHash?: string | null;
  /** the record's grade (khối, the mapping's gradeField): deadlines per grade count by it; null when none */
  grade?: number | null;
  /** the public summary of this version for the verification page (src/verification/), JSON; null when none */
  verification?: string | null;
}

/** One page of the outbox; `next` is an opaque cursor for the following page, null after the last. */
export interface OutboxPage {
  items: OutboxItem[];
  next: string | null;
}

export type DeliveryOutcome =
  /** `heldContentHash`: the content hash the destination said it holds (kept as hubContentHash) */
  | { idbanghi: string; phienban: number; status: 'accepted'; receiptId: string | null; heldContentHash?: string | undefined }
  | { idbanghi: string; phienban: number; status: 'stale'; hubPhienban: number; hubContentHash: string }
  | { idbanghi: string; phienban: number; status: 'rejected'; errors: FieldError[] }
  | { idbanghi: string; phienban: number; status: 'dead'; code: string; message: string }
  | { idbanghi: string; phienban: number; status: 'retry'; code: string; message: string };

export interface InvalidRecord {
  job: string;
  sourceKey: string;
  idbanghi: string | null;
  errors: FieldError[];
  runId: string;
  updatedAt: string;
}

/**
 * The mapping warnings of one record (e.g. REGULAR_TEST_COUNT_MISMATCH): sent anyway, but the
 * operator must see them. The latest per (job, sourceKey) replaces older ones.
 */
export interface RecordWarnings {
  job: string;
  sourceKey: string;
  idbanghi: string | null;
  warnings: FieldError[];
  runId: string;
  updatedAt: string;
}

/**
 * The state store: the ledger, the outbox, cursors, runs and job locks. SQLite implements it for
 * a single instance; a PostgreSQL store can implement it for several instances sharing work.
 * Every method that changes several rows does so in one transaction. The console's part
 * (accounts, audit, lookups) is ConsoleStore; the remote signing workflow's is SigningStore; the
 * CIM kiosks' store-and-forward lanes are KioskStore.
 */
export interface StateStore extends ConsoleStore, SigningStore, KioskStore, CertificateStore {
  close(): Promise<void>;

  /** takes the job's lock unless another live owner holds it; a lock past its expiry is taken over */
  acquireLock(job: string, owner: string, ttlMs: number): Promise<boolean>;
  renewLock(job: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLock(job: string, owner: string): Promise<void>;
  lockHolder(job: string): Promise<{ owner: string; expiresAt: string } | null>;

  /** the watermark with its type; one saved before cursors were typed reads as integer or text */
  getCursor(job: string, stream: string): Promise<CursorValue | null>;
  setCursor(job: string, stream: string, cursor: CursorValue): Promise<void>;

  startRun(job: string, trigger: string): Promise<RunRow>;
  finishRun(runId: string, outcome: RunOutcome, counts: RunCounts, error: { code: string; message: string } | null): Promise<void>;
  /** runs left `running` by a process that died are marked `interrupted` */
  markInterruptedRuns(job: string): Promise<number>;
  lastRuns(job: string, limit: number): Promise<RunRow[]>;

  getLedgerEntries(target: TargetId, idbanghis: string[]): Promise<Map<string, LedgerEntry>>;
  /** stores ledger rows (status pending) and their envelopes in one transaction */
  stage(rows: StageRow[]): Promise<void>;
  markSent(target: TargetId, items: { idbanghi: string; phienban: number }[]): Promise<void>;
  /** applies delivery outcomes; only rows still at the given phienban change */
  applyOutcomes(target: TargetId, outcomes: DeliveryOutcome[]): Promise<void>;
  /** outbox items still to deliver (pending or sent), in staging order, after the cursor `after` */
  outboxPage(target: TargetId, after: string | null, limit: number): Promise<OutboxPage>;

  recordInvalid(records: InvalidRecord[]): Promise<void>;
  clearInvalid(job: string, sourceKeys: string[]): Promise<void>;
  listInvalid(job: string): AsyncIterable<InvalidRecord>;

  /** keeps each record's latest warnings (replacing what an earlier run kept for that record) */
  recordWarnings(rows: RecordWarnings[]): Promise<void>;
  /** forgets the warnings of these records (mapped again without warnings) */
  clearWarnings(job: string, sourceKeys: string[]): Promise<void>;
  /** the job's records with warnings, in source key order */
  listWarnings(job: string): AsyncIterable<RecordWarnings>;
  /** how many of the job's records have warnings */
  warningCount(job: string): Promise<number>;

  statusCounts(target: TargetId): Promise<Record<LedgerStatus, number>>;
  /** the same counts for the records of these grades only (rows staged with a grade) */
  statusCountsByGrade(target: TargetId, grades: readonly number[]): Promise<Record<LedgerStatus, number>>;
  ledger(target: TargetId, filter?: { status?: LedgerStatus[] }): AsyncIterable<LedgerEntry>;
  /**
   * The target's dead letters (`dead`) and version conflicts (`stale`), the given ones or all, in
   * idbanghi order, each with the destination's encoded text still in the outbox (null when there
   * is nothing left to send). The store never reads that text: only the destination knows it.
   */
  deadLetters(target: TargetId, idbanghis?: string[]): Promise<DeadLetterItem[]>;
  /**
   * Puts dead letters and conflicts back to pending in one transaction, attempts reset: as they
   * are, or re-encoded at another phienban (the outbox text and phienban replaced). A record no
   * longer dead or conflicting at that phienban, or with nothing in the outbox, is left as it is. Returns how many
   * were queued again.
   */
  requeue(target: TargetId, items: RequeueItem[]): Promise<number>;
}

/** A record delivery gave up on (`dead`) or that the destination holds in another version (`stale`). */
export interface DeadLetterItem {
  idbanghi: string;
  status: 'dead' | 'stale';
  /** the phienban of the ledger (and of the outbox text) */
  phienban: number;
  /** for a conflict, the phienban the destination holds (when it told) */
  heldVersion: number | null;
  /** the destination's encoded text kept in the outbox, or null when nothing is left to send */
  encoded: string | null;
}

/** One record to queue again: at its version, or re-encoded (`reversion`) at a new one. */
export interface RequeueItem {
  idbanghi: string;
  /** the phienban `deadLetters` answered: a record staged or answered again since is left as it is */
  phienban: number;
  reencoded?: { phienban: number; encoded: string };
}

/** rows per page when a store lists its ledger or invalid records */
export const STORE_PAGE = 1000;

/**
 * Everything a keyset-paged listing holds: asks for the page after the last key seen until a page
 * comes back short. `page` answers at most STORE_PAGE rows after `after` ('' for the first).
 */
export async function* keysetPages<T>(page: (after: string) => T[] | Promise<T[]>, keyOf: (row: T) => string): AsyncIterable<T> {
  let after = '';
  for (;;) {
    const rows = await page(after);
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < STORE_PAGE || last === undefined) return;
    after = keyOf(last);
  }
}
