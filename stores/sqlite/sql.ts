/**
 * Every SQL statement of the SQLite state store, as plain text (the way pg-boss keeps its plans):
 * one file to read to know what the store asks of SQLite, and to review when the schema changes.
 * The schema itself is in migrations.ts, frozen once released. Parameters are positional (`?`);
 * the comment of each statement gives their order when there are more than a few.
 */

// ── connection settings (see configure() in open-database.ts for why each) ──────────────────────

export const JOURNAL_WAL = 'journal_mode = WAL';
export const SYNCHRONOUS_FULL = 'synchronous = FULL';
export const BUSY_TIMEOUT = 'busy_timeout = 5000';
export const FOREIGN_KEYS_ON = 'foreign_keys = ON';
export const SECURE_DELETE_ON = 'secure_delete = ON';
export const cacheSize = (kib: number): string => `cache_size = -${kib}`;
export const walAutocheckpoint = (pages: number): string => `wal_autocheckpoint = ${pages}`;
export const USER_VERSION = 'user_version';
export const setUserVersion = (version: number): string => `user_version = ${version}`;
export const QUICK_CHECK = 'quick_check';
export const integrityCheck = (maxErrors: number): string => `integrity_check(${maxErrors})`;
export const WAL_CHECKPOINT_TRUNCATE = 'wal_checkpoint(TRUNCATE)';
/** a backup is one self-contained file, with no WAL beside it */
export const JOURNAL_DELETE = 'journal_mode = DELETE';

// ── store identity and inspection ─────────────────────────────────────────────────────────────

export const STORE_ID = "SELECT value FROM store_meta WHERE key = 'store_id'";
export const TABLE_NAMES = "SELECT name FROM sqlite_master WHERE type = 'table'";
/** `table` is one of the store's own table names, never input */
export const countRows = (table: string): string => `SELECT COUNT(*) AS n FROM ${table}`;
export const LEDGER_STATUS_COUNTS_ALL = 'SELECT status, COUNT(*) AS n FROM ledger GROUP BY status ORDER BY status';

// ── locks ─────────────────────────────────────────────────────────────────────────────────────

export const LOCK_OF = 'SELECT owner, expires_at FROM locks WHERE job = ?';
/** job, owner, expires_at */
export const TAKE_LOCK = 'INSERT INTO locks (job, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (job) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at';
/** expires_at, job, owner */
export const RENEW_LOCK = 'UPDATE locks SET expires_at = ? WHERE job = ? AND owner = ?';
export const RELEASE_LOCK = 'DELETE FROM locks WHERE job = ? AND owner = ?';
export const ALL_LOCKS = 'SELECT job, owner, expires_at FROM locks';

// ── cursors and runs ──────────────────────────────────────────────────────────────────────────

export const CURSOR_OF = 'SELECT cursor FROM cursors WHERE job = ? AND stream = ?';
/** job, stream, cursor, updated_at */
export const SET_CURSOR = 'INSERT INTO cursors (job, stream, cursor, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (job, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at';
/** id, job, trigger, started_at, outcome, counts */
export const START_RUN = 'INSERT INTO runs (id, job, trigger, started_at, outcome, counts) VALUES (?, ?, ?, ?, ?, ?)';
/** finished_at, outcome, counts, error, id */
export const FINISH_RUN = 'UPDATE runs SET finished_at = ?, outcome = ?, counts = ?, error = ? WHERE id = ?';
/** finished_at, job */
export const INTERRUPT_RUNS = "UPDATE runs SET outcome = 'interrupted', finished_at = ? WHERE job = ? AND outcome = 'running'";
export const LAST_RUNS = 'SELECT * FROM runs WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?';

// ── the hot path: stage, send, settle (prepared once per store) ─────────────────────────────────

/** target, JSON array of idbanghi: one query per chunk */
export const LEDGER_ENTRIES = 'SELECT * FROM ledger WHERE target = ? AND idbanghi IN (SELECT value FROM json_each(?))';
/** target, idbanghi, source_key, job, content_hash, phienban, subject_hash, grade, verification, created_at, updated_at → id */
export const STAGE_LEDGER = `
      INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, subject_hash, grade, verification, status, attempts, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
      ON CONFLICT (target, idbanghi) DO UPDATE SET source_key = excluded.source_key, job = excluded.job, subject_hash = excluded.subject_hash, grade = excluded.grade,
        verification = excluded.verification,
        content_hash = excluded.content_hash, phienban = excluded.phienban, status = 'pending', attempts = 0,
        last_error = NULL, hub_phienban = NULL, hub_content_hash = NULL, updated_at = excluded.updated_at
      RETURNING id`;
/** ledger_id, phienban, envelope */
export const STAGE_OUTBOX = 'INSERT INTO outbox (ledger_id, phienban, envelope) VALUES (?, ?, ?) ON CONFLICT (ledger_id) DO UPDATE SET phienban = excluded.phienban, envelope = excluded.envelope';
/** updated_at, target, idbanghi, phienban */
export const MARK_SENT = "UPDATE ledger SET status = 'sent', attempts = attempts + 1, updated_at = ? WHERE target = ? AND idbanghi = ? AND phienban = ? AND status IN ('pending','sent')";
/** status, last_error, receipt_id, hub_phienban, hub_content_hash, now, accepted_at, target, idbanghi, phienban → id */
export const SETTLE = `UPDATE ledger SET status = ?, last_error = ?, receipt_id = COALESCE(?, receipt_id),
        hub_phienban = ?, hub_content_hash = ?, updated_at = ?, accepted_at = COALESCE(?, accepted_at)
      WHERE target = ? AND idbanghi = ? AND phienban = ? RETURNING id`;
/** last_error, updated_at, target, idbanghi, phienban */
export const RETRY_LATER = "UPDATE ledger SET status = 'pending', last_error = ?, updated_at = ? WHERE target = ? AND idbanghi = ? AND phienban = ?";
/**
 * id (the row SETTLE answered for an accepted version): its public summary kept as what the
 * destination accepted, with that version, the content hash it holds and when (the verification page)
 */
export const KEEP_ACCEPTED_VERIFICATION = `UPDATE ledger SET accepted_verification = json_set(verification, '$.phienban', phienban,
        '$.contentHash', COALESCE(hub_content_hash, content_hash), '$.acceptedAt', accepted_at) WHERE id = ? AND verification IS NOT NULL`;
/** ledger_id, phienban */
export const DROP_OUTBOX = 'DELETE FROM outbox WHERE ledger_id = ? AND phienban = ?';
/**
 * after ledger id, target, limit. CROSS JOIN keeps the outbox as the outer loop: walked in key
 * order, a page costs its own rows (through the status index, every page would sort all pending
 * records).
 */
export const OUTBOX_PAGE = `SELECT l.id, l.idbanghi, o.phienban, o.envelope, l.source_key, l.content_hash FROM outbox o
        CROSS JOIN ledger l ON l.id = o.ledger_id AND l.phienban = o.phienban
        WHERE o.ledger_id > ? AND l.target = ? AND l.status IN ('pending','sent') ORDER BY o.ledger_id LIMIT ?`;

// ── records held back and warnings ────────────────────────────────────────────────────────────

/** job, source_key, idbanghi, errors, run_id, updated_at */
export const RECORD_INVALID = 'INSERT INTO invalid_records (job, source_key, idbanghi, errors, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job, source_key) DO UPDATE SET idbanghi = excluded.idbanghi, errors = excluded.errors, run_id = excluded.run_id, updated_at = excluded.updated_at';
export const CLEAR_INVALID = 'DELETE FROM invalid_records WHERE job = ? AND source_key = ?';
/** job, after source_key, limit */
export const INVALID_PAGE = 'SELECT * FROM invalid_records WHERE job = ? AND source_key > ? ORDER BY source_key LIMIT ?';
/** job, source_key, idbanghi, warnings, run_id, updated_at */
export const RECORD_WARNINGS = 'INSERT INTO record_warnings (job, source_key, idbanghi, warnings, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job, source_key) DO UPDATE SET idbanghi = excluded.idbanghi, warnings = excluded.warnings, run_id = excluded.run_id, updated_at = excluded.updated_at';
export const CLEAR_WARNINGS = 'DELETE FROM record_warnings WHERE job = ? AND source_key = ?';
/** job, after source_key, limit */
export const WARNINGS_PAGE = 'SELECT * FROM record_warnings WHERE job = ? AND source_key > ? ORDER BY source_key LIMIT ?';
export const WARNING_COUNT = 'SELECT COUNT(*) AS n FROM record_warnings WHERE job = ?';

// ── the ledger read, and dead letters put back ────────────────────────────────────────────────

/** kept by the ledger's triggers (migration 4): a read of a few rows, whatever the ledger's size */
export const STATUS_COUNTS = 'SELECT status, n FROM ledger_counts WHERE target = ? AND n > 0';
/** target, JSON array of grades */
export const STATUS_COUNTS_BY_GRADE = 'SELECT status, COUNT(*) AS n FROM ledger INDEXED BY ledger_grade WHERE target = ? AND grade IN (SELECT value FROM json_each(?)) GROUP BY status';
/** target, after idbanghi, then one parameter per status, then limit */
export const ledgerPage = (statusCount: number): string =>
  `SELECT * FROM ledger WHERE target = ? AND idbanghi > ? AND status IN (${Array.from({ length: statusCount }, () => '?').join(',')}) ORDER BY idbanghi LIMIT ?`;
/** a dead letter or conflict with its outbox text (null when the outbox holds none) */
export const DEAD_LETTER = "SELECT l.id, l.idbanghi, l.status, l.phienban, l.hub_phienban, o.envelope FROM ledger l LEFT JOIN outbox o ON o.ledger_id = l.id WHERE l.target = ? AND l.idbanghi = ? AND l.status IN ('dead','stale')";
export const DEAD_LETTERS = "SELECT l.id, l.idbanghi, l.status, l.phienban, l.hub_phienban, o.envelope FROM ledger l LEFT JOIN outbox o ON o.ledger_id = l.id WHERE l.target = ? AND l.status IN ('dead','stale') ORDER BY l.idbanghi";
/** phienban, envelope, ledger_id */
export const REWRITE_OUTBOX = 'UPDATE outbox SET phienban = ?, envelope = ? WHERE ledger_id = ?';
/** phienban, updated_at, id */
export const REQUEUE = "UPDATE ledger SET status = 'pending', attempts = 0, phienban = ?, updated_at = ? WHERE id = ?";
