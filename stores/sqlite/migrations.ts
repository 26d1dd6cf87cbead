import type { Migration } from './migration.js';
import { cimMigrations } from './migrations-cim.js';

/**
 * Versioned migrations of the SQLite state store. Append only: a released migration never
 * changes; a new need is a new entry. `user_version` records how far a database has come.
 */
export type { Migration } from './migration.js';

/**
 * Codes of transient delivery failures, as versions 1-2 recorded them on dead letters: the hub's
 * 429, 5xx/408, timeouts, cancelled and unanswered requests, and records the hub kept answering
 * `transient` for.
 */
export const TRANSIENT_DEAD_LETTER_CODES: readonly string[] = ['HUB_RATE_LIMITED', 'HUB_UNAVAILABLE', 'HUB_TIMEOUT', 'HUB_ABORTED', 'HUB_NETWORK', 'RECORD_TRANSIENT', 'TIMEOUT'];

function sqlList(values: readonly string[]): string {
  return `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
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
  {
    version: 3,
    description: 'store id, record warnings, no settled payloads, transient dead letters back to pending',
    // - store_meta.store_id is also written to the `store.id` marker beside the database file: a
    //   database that comes back empty or from another installation is then noticed at open
    //   instead of silently becoming a new ledger (which resends everything).
    // - record_warnings: mapping warnings per record, the latest replacing older ones.
    // - cursors keep their text: a bare value saved by versions 1-2 reads as a legacy integer or
    //   text cursor (parseStoredCursor); new ones are typed JSON.
    // - the envelope (names, personal ids) of a settled record is no longer needed: accepted and
    //   rejected records keep none. Dead and conflicting ones keep theirs to be resent.
    // - from now on a dead letter is a permanent failure only. Those that ran out of retries on a
    //   transient failure (the hub down, slow or rate limiting: codes of
    //   connectors/ministry-hub/http-errors.ts and the deliverer, whose message starts with
    //   "gave up after") go back to pending, to be sent by the next run.
    sql: `
      CREATE TABLE store_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO store_meta (key, value) VALUES
        ('store_id', lower(hex(randomblob(16)))),
        ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

      CREATE TABLE record_warnings (
        job TEXT NOT NULL,
        source_key TEXT NOT NULL,
        idbanghi TEXT,
        warnings TEXT NOT NULL,
        run_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job, source_key)
      ) WITHOUT ROWID;

      DELETE FROM outbox WHERE ledger_id IN (SELECT id FROM ledger WHERE status IN ('accepted', 'rejected'));

      UPDATE ledger SET status = 'pending', attempts = 0, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE status = 'dead'
          AND id IN (SELECT ledger_id FROM outbox WHERE outbox.phienban = ledger.phienban)
          AND json_valid(last_error)
          AND (json_extract(last_error, '$.code') IN ${sqlList(TRANSIENT_DEAD_LETTER_CODES)}
            OR json_extract(last_error, '$.message') LIKE 'gave up after %');
    `,
  },
  {
    version: 4,
    description: 'the console: ledger counts, accounts, API tokens, the hash-chained audit log, paused schedules, reconciliation history, ledger lookups',
    // - ledger.subject_hash: the keyed hash (HMAC-SHA256, key in store_meta.subject_key) of the
    //   person's national id, so the console finds a record by the full id without keeping it.
    //   Rows staged before this version have none until they are staged again.
    // - ledger lookups by source key and by idbanghi across targets, and a status index that also
    //   orders by idbanghi (a page of dead letters among a million accepted rows reads only them).
    // - audit_log is append-only: triggers refuse UPDATE and DELETE from this program (and anyone
    //   who does not drop them first); the hash chain and audit_head detect the rest.
    sql: `
      ALTER TABLE ledger ADD COLUMN subject_hash TEXT;
      CREATE INDEX ledger_subject ON ledger (subject_hash) WHERE subject_hash IS NOT NULL;
      CREATE INDEX ledger_source_key ON ledger (job, source_key);
      CREATE INDEX ledger_idbanghi ON ledger (idbanghi);
      DROP INDEX ledger_status;
      CREATE INDEX ledger_status ON ledger (target, status, idbanghi);

      INSERT INTO store_meta (key, value) VALUES ('subject_key', lower(hex(randomblob(32))));

      -- the ledger's counts per target and status, kept by triggers: the console's dashboard and
      -- /metrics read them at every refresh, and counting a million rows by status takes a
      -- third of a second warm and seconds cold.
      CREATE TABLE ledger_counts (
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (target, status)
      ) WITHOUT ROWID;
      INSERT INTO ledger_counts (target, status, n) SELECT target, status, COUNT(*) FROM ledger GROUP BY target, status;
      CREATE TRIGGER ledger_counts_insert AFTER INSERT ON ledger BEGIN
        INSERT INTO ledger_counts (target, status, n) VALUES (new.target, new.status, 1)
          ON CONFLICT (target, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER ledger_counts_update AFTER UPDATE OF target, status ON ledger
        WHEN old.target IS NOT new.target OR old.status IS NOT new.status BEGIN
        UPDATE ledger_counts SET n = n - 1 WHERE target = old.target AND status = old.status;
        INSERT INTO ledger_counts (target, status, n) VALUES (new.target, new.status, 1)
          ON CONFLICT (target, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER ledger_counts_delete AFTER DELETE ON ledger BEGIN
        UPDATE ledger_counts SET n = n - 1 WHERE target = old.target AND status = old.status;
      END;

      CREATE TABLE users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users (username),
        label TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        address TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_actor ON audit_log (actor, seq);
      CREATE INDEX audit_action ON audit_log (action, seq);
      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      CREATE TABLE job_pauses (
        job TEXT PRIMARY KEY,
        paused_by TEXT NOT NULL,
        paused_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE reconciliations (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE INDEX reconciliations_job ON reconciliations (job, id);
    `,
  },
  {
    version: 5,
    description: 'remote signing: documents being signed, signing requests per signer, class and role, and their items',
    // - signing_documents: one per record of a job being signed by people lienthong holds no key
    //   for; the partially signed XML lives here between runs (hours, until phones approve).
    // - signing_items: one per prepared signature (digest); request_id is null until dispatched,
    //   seq is its place in the request (the service returns the values in that order).
    // - signing_requests: id is the clientRequestId sent to the service (idempotent resends).
    sql: `
      CREATE TABLE signing_documents (
        job TEXT NOT NULL,
        idbanghi TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        phienban INTEGER NOT NULL,
        xml TEXT NOT NULL,
        state TEXT NOT NULL,
        awaiting TEXT NOT NULL,
        reason TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job, idbanghi)
      ) WITHOUT ROWID;
      CREATE INDEX signing_documents_state ON signing_documents (job, state, idbanghi);

      CREATE TABLE signing_requests (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        class_key TEXT NOT NULL,
        role TEXT NOT NULL,
        signer_id TEXT NOT NULL,
        state TEXT NOT NULL,
        transaction_id TEXT,
        expires_at TEXT,
        reason TEXT,
        description TEXT NOT NULL,
        items INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT
      ) WITHOUT ROWID;
      CREATE INDEX signing_requests_job ON signing_requests (job, state, created_at);

      CREATE TABLE signing_items (
        job TEXT NOT NULL,
        idbanghi TEXT NOT NULL,
        signature_id TEXT NOT NULL,
        class_key TEXT NOT NULL,
        role TEXT NOT NULL,
        signer_id TEXT NOT NULL,
        digest TEXT NOT NULL,
        request_id TEXT,
        seq INTEGER,
        signature_value TEXT,
        PRIMARY KEY (job, idbanghi, signature_id)
      ) WITHOUT ROWID;
      CREATE INDEX signing_items_request ON signing_items (request_id, seq) WHERE request_id IS NOT NULL;
      CREATE INDEX signing_items_open ON signing_items (job, class_key, role, signer_id, idbanghi) WHERE request_id IS NULL;
    `,
  },
  {
    version: 6,
    description: 'ledger.grade: the grade (khối) of a record, for deadlines per grade',
    // - ledger.grade: the mapping's declared grade field (Mapping.gradeField, e.g. the học bạ's
    //   makhoi), filled at staging; null for datasets without grades and for rows staged before
    //   this version until they are staged again. The index serves the deadline board's counts.
    sql: `
      ALTER TABLE ledger ADD COLUMN grade INTEGER;
      CREATE INDEX ledger_grade ON ledger (target, grade, status) WHERE grade IS NOT NULL;
    `,
  },
  {
    version: 7,
    description: 'signer accounts: a personal id per account, kept as its keyed hash and masked form',
    // The review before signing matches an account to the signing requests that name it. The
    // account keeps the keyed subject hash of the personal id (the same HMAC as the ledger's, with
    // store_meta.subject_key), never the id itself, and its masked form to show.
    sql: `
      ALTER TABLE users ADD COLUMN personal_id_hash TEXT;
      ALTER TABLE users ADD COLUMN personal_id_masked TEXT;
      CREATE INDEX users_personal_id ON users (personal_id_hash) WHERE personal_id_hash IS NOT NULL;
    `,
  },
  ...cimMigrations,
  // ── verification page of national records (issue 14): the lead renumbers this block at merge ──
  {
    version: 10,
    description: 'ledger.verification: the public summary of each version for the verification page of diplomas and school records',
    // - verification: the summary of the staged version (src/verification/summary.ts: kind,
    //   number, decision, issue date, the holder's name masked, revoked), JSON, set at staging.
    // - accepted_verification: the same with the version, the content hash the destination holds
    //   and when, copied when that version is accepted: a record staged again still answers with
    //   what the hub last accepted. Rows staged before this version have none until staged again.
    // - the partial index finds a record id's accepted rows at every target without a scan.
    sql: `
      ALTER TABLE ledger ADD COLUMN verification TEXT;
      ALTER TABLE ledger ADD COLUMN accepted_verification TEXT;
      CREATE INDEX ledger_verified ON ledger (idbanghi) WHERE accepted_verification IS NOT NULL;
    `,
  },
  // ---------------------------------------------------------------------------------------------
];

/** the schema version this program writes */
export const LATEST_VERSION: number = sqliteMigrations[sqliteMigrations.length - 1]?.version ?? 0;
