import Database from 'better-sqlite3';
import type { HeldRecord, RecordEvent } from '../../../src/core/records.js';

/** The current version of a record, as the hub holds it. */
export interface StoredRecord extends HeldRecord {
  dataset: string;
  unitCode: string;
  thoigiancapnhat: string;
  /** the record's `data` as JSON text */
  dataJson: string;
  /** the record's `tailieu` as JSON text, when it had one */
  tailieuJson: string | null;
}

/** One accepted version of a record (the hub's audit trail; what "exactly once" is checked on). */
export interface AcceptedVersion {
  idbanghi: string;
  phienban: number;
  contentHash: string;
  sukien: RecordEvent;
  receiptId: string;
  unitCode: string;
  batchId: string;
  acceptedAt: string;
}

export interface IdempotencyEntry {
  requestHash: string;
  status: number;
  body: string;
  createdAt: number;
}

export interface ListQuery {
  dataset: string;
  unitCode: string;
  updatedSince?: string;
  /** list records with idbanghi after this one */
  after?: string;
  limit: number;
}

interface RecordRow {
  dataset: string;
  idbanghi: string;
  unit_code: string;
  phienban: number;
  content_hash: string;
  sukien: string;
  receipt_id: string;
  updated_at: string;
  thoigiancapnhat: string;
  data: string;
  tailieu: string | null;
}

interface HistoryRow {
  idbanghi: string;
  phienban: number;
  content_hash: string;
  sukien: string;
  receipt_id: string;
  unit_code: string;
  batch_id: string;
  accepted_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  dataset TEXT NOT NULL, idbanghi TEXT NOT NULL, unit_code TEXT NOT NULL, phienban INTEGER NOT NULL,
  content_hash TEXT NOT NULL, sukien TEXT NOT NULL, receipt_id TEXT NOT NULL, updated_at TEXT NOT NULL,
  thoigiancapnhat TEXT NOT NULL, data TEXT NOT NULL, tailieu TEXT,
  PRIMARY KEY (dataset, idbanghi)
);
-- listing a unit's records walks the primary key: a hub file holds one or a few units, and a
-- second index on random record ids made every accepted record cost another scattered page write
DROP INDEX IF EXISTS records_by_unit;
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, dataset TEXT NOT NULL, idbanghi TEXT NOT NULL,
  phienban INTEGER NOT NULL, content_hash TEXT NOT NULL, sukien TEXT NOT NULL, receipt_id TEXT NOT NULL,
  unit_code TEXT NOT NULL, batch_id TEXT NOT NULL, accepted_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_record ON history (dataset, idbanghi, phienban);
CREATE TABLE IF NOT EXISTS idempotency (
  client_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
  body TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, key)
);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, client_id TEXT NOT NULL, scope TEXT NOT NULL, expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
`;

/**
 * The hub's state: current records, the history of accepted versions, idempotency answers and
 * issued tokens. SQLite in a file (WAL, survives restarts) or in memory.
 */
export class HubStore {
  private readonly db: Database.Database;
  /** the statements every batch record goes through, prepared once */
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(path?: string) {
    this.db = new Database(path ?? ':memory:');
    if (path !== undefined) this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // record ids are random: a batch touches pages all over the record and history indexes. A
    // larger cache and rarer checkpoints let a page changed by several batches be written once.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('wal_autocheckpoint = 16000');
    this.db.exec(SCHEMA);
    this.sql = prepareStatements(this.db);
  }

  /** runs `fn` in one transaction: a batch is applied with its idempotency answer, or not at all */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getRecord(dataset: string, idbanghi: string): StoredRecord | undefined {
    const row = this.sql.getRecord.get(dataset, idbanghi) as
      | RecordRow
      | undefined;
    return row === undefined ? undefined : toStoredRecord(row);
  }

  putRecord(record: StoredRecord, batchId: string): void {
    this.sql.putRecord.run(record);
    this.sql.putHistory.run(
      record.dataset,
      record.idbanghi,
      record.phienban,
      record.contentHash,
      record.sukien,
      record.receiptId,
      record.unitCode,
      batchId,
      record.updatedAt,
    );
  }

  /** records of one unit ordered by idbanghi, after `query.after` */
  listRecords(query: ListQuery): StoredRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM records WHERE dataset = @dataset AND unit_code = @unitCode
           AND (@after IS NULL OR idbanghi > @after) AND (@updatedSince IS NULL OR updated_at >= @updatedSince)
         ORDER BY idbanghi LIMIT @limit`,
      )
      .all({
        dataset: query.dataset,
        unitCode: query.unitCode,
        after: query.after ?? null,
        updatedSince: query.updatedSince ?? null,
        limit: query.limit,
      }) as RecordRow[];
    return rows.map(toStoredRecord);
  }

  history(dataset: string, idbanghi: string): AcceptedVersion[] {
    const rows = this.db
      .prepare('SELECT * FROM history WHERE dataset = ? AND idbanghi = ? ORDER BY seq')
      .all(dataset, idbanghi) as HistoryRow[];
    return rows.map(toAcceptedVersion);
  }

  /** how many times each (idbanghi, phienban) was accepted: every count must be 1 */
  acceptanceCounts(dataset: string): { idbanghi: string; phienban: number; count: number }[] {
    return this.db
      .prepare(
        `SELECT idbanghi, phienban, COUNT(*) AS count FROM history WHERE dataset = ?
         GROUP BY idbanghi, phienban ORDER BY idbanghi, phienban`,
      )
      .all(dataset) as { idbanghi: string; phienban: number; count: number }[];
  }

  getIdempotency(clientId: string, key: string): IdempotencyEntry | undefined {
    const row = this.sql.getIdempotency.get(clientId, key) as { request_hash: string; status: number; body: string; created_at: number } | undefined;
    return row === undefined
      ? undefined
      : { requestHash: row.request_hash, status: row.status, body: row.body, createdAt: row.created_at };
  }

  putIdempotency(clientId: string, key: string, entry: IdempotencyEntry): void {
    this.sql.putIdempotency.run(clientId, key, entry.requestHash, entry.status, entry.body, entry.createdAt);
  }

  putToken(token: string, clientId: string, scope: string, expiresAt: number): void {
    this.db
      .prepare('INSERT INTO tokens (token, client_id, scope, expires_at) VALUES (?, ?, ?, ?)')
      .run(token, clientId, scope, expiresAt);
  }

  /** the client of a live token, or undefined when it is unknown, expired or revoked */
  tokenClient(token: string, now: number): string | undefined {
    const row = this.sql.tokenClient.get(token, now) as { client_id: string } | undefined;
    return row?.client_id;
  }

  /** revokes every token issued so far; answers how many were live */
  revokeAllTokens(now: number): number {
    return this.db.prepare('UPDATE tokens SET revoked = 1 WHERE revoked = 0 AND expires_at > ?').run(now).changes;
  }

  close(): void {
    this.db.close();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    getRecord: db.prepare('SELECT * FROM records WHERE dataset = ? AND idbanghi = ?'),
    putRecord: db.prepare(
      `INSERT INTO records (dataset, idbanghi, unit_code, phienban, content_hash, sukien, receipt_id, updated_at,
         thoigiancapnhat, data, tailieu)
       VALUES (@dataset, @idbanghi, @unitCode, @phienban, @contentHash, @sukien, @receiptId, @updatedAt,
         @thoigiancapnhat, @dataJson, @tailieuJson)
       ON CONFLICT (dataset, idbanghi) DO UPDATE SET unit_code = excluded.unit_code, phienban = excluded.phienban,
         content_hash = excluded.content_hash, sukien = excluded.sukien, receipt_id = excluded.receipt_id,
         updated_at = excluded.updated_at, thoigiancapnhat = excluded.thoigiancapnhat, data = excluded.data,
         tailieu = excluded.tailieu`,
    ),
    putHistory: db.prepare(
      `INSERT INTO history (dataset, idbanghi, phienban, content_hash, sukien, receipt_id, unit_code, batch_id, accepted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getIdempotency: db.prepare('SELECT request_hash, status, body, created_at FROM idempotency WHERE client_id = ? AND key = ?'),
    putIdempotency: db.prepare(
      `INSERT INTO idempotency (client_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
         body = excluded.body, created_at = excluded.created_at`,
    ),
    tokenClient: db.prepare('SELECT client_id FROM tokens WHERE token = ? AND revoked = 0 AND expires_at > ?'),
  };
}

function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    dataset: row.dataset,
    idbanghi: row.idbanghi,
    unitCode: row.unit_code,
    phienban: row.phienban,
    contentHash: row.content_hash,
    sukien: row.sukien as RecordEvent,
    receiptId: row.receipt_id,
    updatedAt: row.updated_at,
    thoigiancapnhat: row.thoigiancapnhat,
    dataJson: row.data,
    tailieuJson: row.tailieu,
  };
}

function toAcceptedVersion(row: HistoryRow): AcceptedVersion {
  return {
    idbanghi: row.idbanghi,
    phienban: row.phienban,
    contentHash: row.content_hash,
    sukien: row.sukien as RecordEvent,
    receiptId: row.receipt_id,
    unitCode: row.unit_code,
    batchId: row.batch_id,
    acceptedAt: row.accepted_at,
  };
}
