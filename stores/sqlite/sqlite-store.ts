import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { BugError } from '../../src/core/errors.js';
import { parseStoredCursor, serializeCursor, type CursorValue } from '../../src/core/cursor.js';
import type { FieldError } from '../../src/core/records.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import { ownerAlive } from './lock-owner.js';
import { closeDatabase, openStoreDatabase, truncateWal } from './open-database.js';
import * as SQL from './sql.js';
import { toEntry, toRun, type LedgerRow, type RunDbRow } from './rows.js';
import { SqliteConsoleStore } from './sqlite-console-store.js';
import type {
  DeadLetterItem,
  DeliveryOutcome,
  InvalidRecord,
  LedgerEntry,
  LedgerStatus,
  OutboxPage,
  RecordWarnings,
  RequeueItem,
  RunCounts,
  RunOutcome,
  RunRow,
  StageRow,
  StateStore,
  TargetId,
} from '../../src/store/store.js';
import { STORE_PAGE, emptyCounts, keysetPages } from '../../src/store/store.js';

/** the runner names lock owners by host, the store frees a lock whose owner is gone */
export { hostName, ownerAlive } from './lock-owner.js';

export const STATUSES: readonly LedgerStatus[] = ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'];

/** The statements every record goes through, prepared once per store (positional parameters). */
function prepareStatements(db: Database.Database) {
  return {
    ledgerEntries: db.prepare(SQL.LEDGER_ENTRIES),
    stageLedger: db.prepare(SQL.STAGE_LEDGER),
    stageOutbox: db.prepare(SQL.STAGE_OUTBOX),
    markSent: db.prepare(SQL.MARK_SENT),
    settle: db.prepare(SQL.SETTLE),
    retry: db.prepare(SQL.RETRY_LATER),
    dropOutbox: db.prepare(SQL.DROP_OUTBOX),
    keepAcceptedVerification: db.prepare(SQL.KEEP_ACCEPTED_VERIFICATION),
    outboxPage: db.prepare(SQL.OUTBOX_PAGE),
    recordInvalid: db.prepare(SQL.RECORD_INVALID),
    clearInvalid: db.prepare(SQL.CLEAR_INVALID),
    recordWarnings: db.prepare(SQL.RECORD_WARNINGS),
    clearWarnings: db.prepare(SQL.CLEAR_WARNINGS),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

/** a dead letter or conflict as SQL.DEAD_LETTER(S) reads it: its ledger row and its outbox text */
type DeadLetterRow = Pick<LedgerRow, 'id' | 'idbanghi' | 'phienban' | 'hub_phienban'> & { status: 'dead' | 'stale'; envelope: string | null };

const now = (): string => new Date().toISOString();

/**
 * The embedded state store: one SQLite file in WAL mode with synchronous=FULL, so a record
 * staged or settled survives a crash or power loss the moment the call returns.
 */
export class SqliteStateStore extends SqliteConsoleStore implements StateStore {
  /** the statements of the hot path, prepared once */
  private readonly sql: Statements;

  /** the id of this store, also in the `store.id` marker beside the database file */
  readonly storeId: string;

  /**
   * Opens the store after checking it (see openStoreDatabase): a damaged, emptied, replaced or
   * too new database throws a ConfigError with the recovery steps.
   */
  constructor(path: string) {
    const opened = openStoreDatabase(path);
    super(opened.db);
    this.storeId = opened.storeId;
    this.sql = prepareStatements(this.db);
  }

  async close(): Promise<void> {
    closeDatabase(this.db);
  }

  async acquireLock(job: string, owner: string, ttlMs: number): Promise<boolean> {
    const t = Date.now();
    return this.db.transaction(() => {
      const row = this.db.prepare(SQL.LOCK_OF).get(job) as { owner: string; expires_at: number } | undefined;
      if (row && row.owner !== owner && row.expires_at > t && ownerAlive(row.owner)) return false;
      this.db.prepare(SQL.TAKE_LOCK).run(job, owner, t + ttlMs);
      return true;
    }).immediate();
  }

  async renewLock(job: string, owner: string, ttlMs: number): Promise<boolean> {
    const r = this.db.prepare(SQL.RENEW_LOCK).run(Date.now() + ttlMs, job, owner);
    return r.changes === 1;
  }

  async releaseLock(job: string, owner: string): Promise<void> {
    this.db.prepare(SQL.RELEASE_LOCK).run(job, owner);
  }

  async lockHolder(job: string): Promise<{ owner: string; expiresAt: string } | null> {
    const row = this.db.prepare(SQL.LOCK_OF).get(job) as { owner: string; expires_at: number } | undefined;
    if (!row || row.expires_at <= Date.now() || !ownerAlive(row.owner)) return null;
    return { owner: row.owner, expiresAt: new Date(row.expires_at).toISOString() };
  }

  async getCursor(job: string, stream: string): Promise<CursorValue | null> {
    const row = this.db.prepare(SQL.CURSOR_OF).get(job, stream) as { cursor: string | number } | undefined;
    // versions 1-2 kept the bare value (text; a number only if written by hand)
    return row === undefined ? null : parseStoredCursor(String(row.cursor));
  }

  async setCursor(job: string, stream: string, cursor: CursorValue): Promise<void> {
    this.db.prepare(SQL.SET_CURSOR).run(job, stream, serializeCursor(cursor), now());
  }

  async startRun(job: string, trigger: string): Promise<RunRow> {
    const id = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
    const startedAt = now();
    this.db.prepare(SQL.START_RUN).run(id, job, trigger, startedAt, 'running', JSON.stringify(emptyCounts()));
    return { id, job, trigger, startedAt, finishedAt: null, outcome: 'running', counts: emptyCounts(), error: null };
  }

  async finishRun(runId: string, outcome: RunOutcome, counts: RunCounts, error: { code: string; message: string } | null): Promise<void> {
    this.db.prepare(SQL.FINISH_RUN).run(now(), outcome, JSON.stringify(counts), error ? JSON.stringify(error) : null, runId);
    // The WAL keeps the page images of this run, envelopes of records since settled among them.
    // A scheduler keeps the store open between runs: empty the WAL now, not at some later close.
    truncateWal(this.db);
  }

  async markInterruptedRuns(job: string): Promise<number> {
    return this.db.prepare(SQL.INTERRUPT_RUNS).run(now(), job).changes;
  }

  async lastRuns(job: string, limit: number): Promise<RunRow[]> {
    const rows = this.db.prepare(SQL.LAST_RUNS).all(job, limit) as RunDbRow[];
    return rows.map(toRun);
  }

  async getLedgerEntries(target: TargetId, idbanghis: string[]): Promise<Map<string, LedgerEntry>> {
    const out = new Map<string, LedgerEntry>();
    if (idbanghis.length === 0) return out;
    // one query per chunk: the ids travel as one JSON array
    const rows = this.sql.ledgerEntries.all(target, JSON.stringify(idbanghis)) as LedgerRow[];
    for (const row of rows) out.set(row.idbanghi, toEntry(row));
    return out;
  }

  async stage(rows: StageRow[]): Promise<void> {
    const { stageLedger, stageOutbox } = this.sql;
    const t = now();
    this.db.transaction(() => {
      for (const r of rows) {
        const row = stageLedger.get(r.target, r.idbanghi, r.sourceKey, r.job, r.contentHash, r.phienban, r.subjectHash ?? null, r.grade ?? null, r.verification ?? null, t, t) as { id: number };
        stageOutbox.run(row.id, r.phienban, r.envelopeJson);
      }
    })();
  }

  async markSent(target: TargetId, items: { idbanghi: string; phienban: number }[]): Promise<void> {
    const stmt = this.sql.markSent;
    const t = now();
    this.db.transaction(() => {
      for (const i of items) stmt.run(t, target, i.idbanghi, i.phienban);
    })();
  }

  async applyOutcomes(target: TargetId, outcomes: DeliveryOutcome[]): Promise<void> {
    const { settle, retry, dropOutbox, keepAcceptedVerification } = this.sql;
    const t = now();
    // the envelope of a settled version is no longer needed; a newer staged one stays
    const drop = (row: unknown, phienban: number): void => {
      if (row !== undefined) dropOutbox.run((row as { id: number }).id, phienban);
    };
    this.db.transaction(() => {
      let accepted: unknown;
      for (const o of outcomes) {
        switch (o.status) {
          case 'accepted':
            // the content hash the destination said it holds: what a destination waiting for this one checks
            accepted = settle.get('accepted', null, o.receiptId, o.heldContentHash === undefined ? null : o.phienban, o.heldContentHash ?? null, t, t, target, o.idbanghi, o.phienban);
            // what the verification page answers from now on (no write for a record without a summary)
            if (accepted !== undefined) keepAcceptedVerification.run((accepted as { id: number }).id);
            drop(accepted, o.phienban);
            break;
          case 'stale':
            // a version conflict: keep the outbox so that a retry can resend above the hub's version
            settle.get('stale', JSON.stringify({ code: 'VERSION_CONFLICT', message: `the hub holds phienban ${o.hubPhienban} with other content` }), null, o.hubPhienban, o.hubContentHash, t, null, target, o.idbanghi, o.phienban);
            break;
          case 'rejected':
            // the hub's messages may quote the record: personal ids are masked before they are kept
            drop(settle.get('rejected', JSON.stringify({ code: o.errors[0]?.code ?? 'REJECTED', message: maskPersonalIdsInText(o.errors.map((e) => `${e.field}: ${e.message}`).join('; ')), errors: maskedErrors(o.errors) }), null, null, null, t, null, target, o.idbanghi, o.phienban), o.phienban);
            break;
          case 'dead':
            settle.get('dead', JSON.stringify({ code: o.code, message: maskPersonalIdsInText(o.message) }), null, null, null, t, null, target, o.idbanghi, o.phienban);
            break;
          case 'retry':
            retry.run(JSON.stringify({ code: o.code, message: o.message }), t, target, o.idbanghi, o.phienban);
            break;
        }
      }
    })();
  }

  async outboxPage(target: TargetId, after: string | null, limit: number): Promise<OutboxPage> {
    const afterId = after === null ? 0 : Number(after);
    if (!Number.isSafeInteger(afterId)) throw new BugError('OUTBOX_CURSOR', `not an outbox cursor of this store: ${after}`);
    const rows = this.sql.outboxPage.all(afterId, target, limit) as { id: number; idbanghi: string; phienban: number; envelope: string; source_key: string; content_hash: string }[];
    const items = rows.map((r) => ({ target, idbanghi: r.idbanghi, phienban: r.phienban, sourceKey: r.source_key, contentHash: r.content_hash, envelopeJson: r.envelope }));
    const last = rows[rows.length - 1];
    return { items, next: rows.length === limit && last ? String(last.id) : null };
  }

  async recordInvalid(records: InvalidRecord[]): Promise<void> {
    const stmt = this.sql.recordInvalid;
    this.db.transaction(() => {
      for (const r of records) stmt.run(r.job, r.sourceKey, r.idbanghi, JSON.stringify(maskedErrors(r.errors)), r.runId, r.updatedAt);
    })();
  }

  async clearInvalid(job: string, sourceKeys: string[]): Promise<void> {
    const stmt = this.sql.clearInvalid;
    this.db.transaction(() => {
      for (const k of sourceKeys) stmt.run(job, k);
    })();
  }

  listInvalid(job: string): AsyncIterable<InvalidRecord> {
    return keysetPages((after) => this.invalidPage(job, after, STORE_PAGE), (r) => r.sourceKey);
  }

  /** invalid records of a job in source key order, after `after` */
  invalidPage(job: string, after: string, limit: number): InvalidRecord[] {
    const rows = this.db.prepare(SQL.INVALID_PAGE).all(job, after, limit) as {
      job: string; source_key: string; idbanghi: string | null; errors: string; run_id: string; updated_at: string;
    }[];
    return rows.map((r) => ({ job: r.job, sourceKey: r.source_key, idbanghi: r.idbanghi, errors: JSON.parse(r.errors) as FieldError[], runId: r.run_id, updatedAt: r.updated_at }));
  }

  async recordWarnings(rows: RecordWarnings[]): Promise<void> {
    const stmt = this.sql.recordWarnings;
    this.db.transaction(() => {
      for (const r of rows) stmt.run(r.job, r.sourceKey, r.idbanghi, JSON.stringify(maskedErrors(r.warnings)), r.runId, r.updatedAt);
    })();
  }

  async clearWarnings(job: string, sourceKeys: string[]): Promise<void> {
    const stmt = this.sql.clearWarnings;
    this.db.transaction(() => {
      for (const k of sourceKeys) stmt.run(job, k);
    })();
  }

  listWarnings(job: string): AsyncIterable<RecordWarnings> {
    return keysetPages((after) => this.warningsPage(job, after, STORE_PAGE), (r) => r.sourceKey);
  }

  /** records of a job with warnings, in source key order, after `after` */
  warningsPage(job: string, after: string, limit: number): RecordWarnings[] {
    const rows = this.db.prepare(SQL.WARNINGS_PAGE).all(job, after, limit) as {
      job: string; source_key: string; idbanghi: string | null; warnings: string; run_id: string; updated_at: string;
    }[];
    return rows.map((r) => ({ job: r.job, sourceKey: r.source_key, idbanghi: r.idbanghi, warnings: JSON.parse(r.warnings) as FieldError[], runId: r.run_id, updatedAt: r.updated_at }));
  }

  async warningCount(job: string): Promise<number> {
    return (this.db.prepare(SQL.WARNING_COUNT).get(job) as { n: number }).n;
  }

  async statusCounts(target: TargetId): Promise<Record<LedgerStatus, number>> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LedgerStatus, number>;
    const rows = this.db.prepare(SQL.STATUS_COUNTS).all(target) as { status: LedgerStatus; n: number }[];
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  async statusCountsByGrade(target: TargetId, grades: readonly number[]): Promise<Record<LedgerStatus, number>> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LedgerStatus, number>;
    const rows = this.db.prepare(SQL.STATUS_COUNTS_BY_GRADE).all(target, JSON.stringify(grades)) as { status: LedgerStatus; n: number }[];
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  ledger(target: TargetId, filter?: { status?: LedgerStatus[] }): AsyncIterable<LedgerEntry> {
    const statuses = filter?.status ?? STATUSES;
    return keysetPages((after) => this.ledgerPage(target, after, statuses, STORE_PAGE), (e) => e.idbanghi);
  }

  /** ledger entries of a target with one of `statuses`, in idbanghi order, after `after` */
  ledgerPage(target: TargetId, after: string, statuses: readonly LedgerStatus[], limit: number): LedgerEntry[] {
    const rows = this.db.prepare(SQL.ledgerPage(statuses.length)).all(target, after, ...statuses, limit) as LedgerRow[];
    return rows.map(toEntry);
  }

  async deadLetters(target: TargetId, idbanghis?: string[]): Promise<DeadLetterItem[]> {
    let rows: DeadLetterRow[];
    if (idbanghis) {
      const one = this.db.prepare(SQL.DEAD_LETTER);
      rows = [...new Set(idbanghis)].sort().map((id) => one.get(target, id) as DeadLetterRow | undefined).filter((r): r is DeadLetterRow => r !== undefined);
    } else {
      rows = this.db.prepare(SQL.DEAD_LETTERS).all(target) as DeadLetterRow[];
    }
    return rows.map((r) => ({ idbanghi: r.idbanghi, status: r.status, phienban: r.phienban, heldVersion: r.hub_phienban, encoded: r.envelope }));
  }

  async requeue(target: TargetId, items: RequeueItem[]): Promise<number> {
    const find = this.db.prepare(SQL.DEAD_LETTER);
    const setOutbox = this.db.prepare(SQL.REWRITE_OUTBOX);
    const reset = this.db.prepare(SQL.REQUEUE);
    const t = now();
    let n = 0;
    this.db.transaction(() => {
      for (const item of items) {
        const r = find.get(target, item.idbanghi) as DeadLetterRow | undefined;
        // no longer a dead letter (queued or staged again meanwhile), or nothing left to send
        if (!r || r.phienban !== item.phienban || r.envelope === null) continue;
        // the outbox text is the destination's: it is replaced as given, never read
        if (item.reencoded) setOutbox.run(item.reencoded.phienban, item.reencoded.encoded, r.id);
        reset.run(item.reencoded?.phienban ?? r.phienban, t, r.id);
        n++;
      }
    })();
    return n;
  }
}

/**
 * Error messages kept in the store with any personal id masked. The mappings already name fields,
 * not values; this keeps a message quoting a value (a hub's, a future mapping's) from putting a
 * whole CCCD on disk.
 */
function maskedErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: e.field, code: e.code, message: maskPersonalIdsInText(e.message) }));
}
