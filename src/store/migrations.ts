/**
 * Versioned migrations of the SQLite state store. Append only: a released migration never
 * changes; a new need is a new entry. `user_version` records how far a database has come.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'ledger, outbox, invalid records, cursors, runs, locks',
    sql: `
      CREATE TABLE ledger (
        target TEXT NOT NULL,
        idbanghi TEXT NOT NULL,
        source_key TEXT NOT NULL,
        job TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        phienban INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','sent','accepted','stale','rejected','dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        receipt_id TEXT,
        hub_phienban INTEGER,
        hub_content_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        accepted_at TEXT,
        PRIMARY KEY (target, idbanghi)
      ) WITHOUT ROWID;
      CREATE INDEX ledger_status ON ledger (target, status);
      CREATE INDEX ledger_source_key ON ledger (job, source_key);

      -- the exact envelope to send for every record not yet settled (transactional outbox)
      CREATE TABLE outbox (
        target TEXT NOT NULL,
        idbanghi TEXT NOT NULL,
        phienban INTEGER NOT NULL,
        envelope TEXT NOT NULL,
        PRIMARY KEY (target, idbanghi)
      ) WITHOUT ROWID;

      CREATE TABLE invalid_records (
        job TEXT NOT NULL,
        source_key TEXT NOT NULL,
        idbanghi TEXT,
        errors TEXT NOT NULL,
        run_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job, source_key)
      ) WITHOUT ROWID;

      CREATE TABLE cursors (
        job TEXT NOT NULL,
        stream TEXT NOT NULL,
        cursor TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job, stream)
      ) WITHOUT ROWID;

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        trigger TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL,
        counts TEXT NOT NULL,
        error TEXT
      );
      CREATE INDEX runs_job ON runs (job, started_at);

      CREATE TABLE locks (
        job TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'ledger rows in insertion order, the outbox keyed by ledger row',
    // Record ids are random UUIDs. Keyed by them, a chunk of 500 new records rewrote ~500 scattered
    // pages of the ledger, of each of its indexes and of the outbox, three times over (staged,
    // sent, settled). Keyed by insertion order, the rows of a chunk share a few pages; only the
    // (target, idbanghi) index stays scattered, and only inserts touch it. The (job, source_key)
    // index of version 1 is not carried over: nothing looked records up by source key.
    sql: `
      CREATE TABLE ledger_v2 (
        id INTEGER PRIMARY KEY,
        target TEXT NOT NULL,
        idbanghi TEXT NOT NULL,
        source_key TEXT NOT NULL,
        job TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        phienban INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','sent','accepted','stale','rejected','dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        receipt_id TEXT,
        hub_phienban INTEGER,
        hub_content_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        accepted_at TEXT
      );
      INSERT INTO ledger_v2 (target, idbanghi, source_key, job, content_hash, phienban, status, attempts, last_error,
          receipt_id, hub_phienban, hub_content_hash, created_at, updated_at, accepted_at)
        SELECT target, idbanghi, source_key, job, content_hash, phienban, status, attempts, last_error,
          receipt_id, hub_phienban, hub_content_hash, created_at, updated_at, accepted_at
        FROM ledger ORDER BY created_at, target, idbanghi;

      -- the exact envelope to send for every record not yet settled (transactional outbox)
      CREATE TABLE outbox_v2 (
        ledger_id INTEGER PRIMARY KEY,
        phienban INTEGER NOT NULL,
        envelope TEXT NOT NULL
      );
      INSERT INTO outbox_v2 (ledger_id, phienban, envelope)
        SELECT l.id, o.phienban, o.envelope FROM outbox o JOIN ledger_v2 l ON l.target = o.target AND l.idbanghi = o.idbanghi
        ORDER BY l.id;

      DROP TABLE outbox;
      DROP TABLE ledger;
      ALTER TABLE ledger_v2 RENAME TO ledger;
      ALTER TABLE outbox_v2 RENAME TO outbox;
      CREATE UNIQUE INDEX ledger_record ON ledger (target, idbanghi);
      CREATE INDEX ledger_status ON ledger (target, status);
    `,
  },
];
