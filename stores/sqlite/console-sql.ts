/**
 * The SQL of the console's part of the SQLite store (console-store.ts): accounts, API tokens,
 * the audit log, paused schedules, reconciliation history and the console's ledger lookups. The
 * engine's statements are in sql.ts; the schema is in migrations.ts (version 4).
 */

// ── accounts and tokens ───────────────────────────────────────────────────────────────────────

/** username, role, password_hash, personal_id_hash, personal_id_masked, created_at, updated_at */
export const CREATE_USER = 'INSERT INTO users (username, role, password_hash, personal_id_hash, personal_id_masked, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING *';
export const USER = 'SELECT * FROM users WHERE username = ?';
export const USERS = 'SELECT * FROM users ORDER BY username';
/** role, password_hash, disabled (each null to keep), updated_at, username */
export const UPDATE_USER = `UPDATE users SET role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),
      disabled = COALESCE(?, disabled), updated_at = ? WHERE username = ?`;

/** id, username, label, token_hash, created_at */
export const ADD_TOKEN = 'INSERT INTO api_tokens (id, username, label, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id, username, label, created_at, last_used_at';
/** last_used_at, token_hash: a live token of an account that exists */
export const USE_TOKEN = `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND revoked_at IS NULL
      RETURNING id, username, label, created_at, last_used_at`;
export const TOKENS_OF = 'SELECT id, username, label, created_at, last_used_at FROM api_tokens WHERE username = ? AND revoked_at IS NULL ORDER BY created_at, id';
/** revoked_at, username */
export const REVOKE_TOKENS = 'UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL';
/** revoked_at, username, id */
export const REVOKE_TOKEN = 'UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND id = ? AND revoked_at IS NULL';

// ── the audit log ─────────────────────────────────────────────────────────────────────────────

export const AUDIT_HEAD = "SELECT value FROM store_meta WHERE key = 'audit_head'";
/** the head as `seq:hash` */
export const SET_AUDIT_HEAD = "INSERT INTO store_meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
/** seq, at, actor, action, subject, address, outcome, detail, prev_hash, hash */
export const APPEND_AUDIT = 'INSERT INTO audit_log (seq, at, actor, action, subject, address, outcome, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** after seq, limit: the whole log in order, a page at a time */
export const AUDIT_PAGE = 'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?';
/** newest first; each filter is null to ignore it: before seq, actor, action, limit */
export const AUDIT_ENTRIES = `SELECT * FROM audit_log WHERE seq < COALESCE(?, 9223372036854775807)
      AND actor = COALESCE(?, actor) AND action = COALESCE(?, action) ORDER BY seq DESC LIMIT ?`;

// ── paused schedules, reconciliations ────────────────────────────────────────────────────────

/** job, paused_by, paused_at */
export const PAUSE_JOB = 'INSERT INTO job_pauses (job, paused_by, paused_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING';
export const RESUME_JOB = 'DELETE FROM job_pauses WHERE job = ?';
export const PAUSED_JOBS = 'SELECT * FROM job_pauses ORDER BY job';

/** job, generated_at, summary */
export const RECORD_RECONCILIATION = 'INSERT INTO reconciliations (job, generated_at, summary) VALUES (?, ?, ?)';
/** job, limit: newest first */
export const RECONCILIATIONS = 'SELECT summary FROM reconciliations WHERE job = ? ORDER BY id DESC LIMIT ?';

// ── the console's ledger lookups (each by an index of version 4) ─────────────────────────────

export const SUBJECT_KEY = "SELECT value FROM store_meta WHERE key = 'subject_key'";
/** job, source_key, limit */
export const LEDGER_BY_SOURCE_KEY = 'SELECT * FROM ledger WHERE job = ? AND source_key = ? ORDER BY target LIMIT ?';
/** idbanghi, job, limit */
export const LEDGER_BY_IDBANGHI = 'SELECT * FROM ledger INDEXED BY ledger_idbanghi WHERE idbanghi = ? AND job = ? ORDER BY target LIMIT ?';
/** subject_hash, job, limit */
export const LEDGER_BY_SUBJECT = 'SELECT * FROM ledger INDEXED BY ledger_subject WHERE subject_hash = ? AND job = ? ORDER BY target, idbanghi LIMIT ?';
/** target, after idbanghi, job, limit: every status, along the (target, idbanghi) key */
export const LEDGER_PAGE_OF = 'SELECT * FROM ledger WHERE target = ? AND idbanghi > ? AND job = ? ORDER BY idbanghi LIMIT ?';
/**
 * target, status, after idbanghi, job, limit: one status along ledger_status (target, status,
 * idbanghi), so a page of a rare status reads only its own rows
 */
export const LEDGER_PAGE_OF_STATUS = 'SELECT * FROM ledger INDEXED BY ledger_status WHERE target = ? AND status = ? AND idbanghi > ? AND job = ? ORDER BY idbanghi LIMIT ?';
/** target, idbanghi: the text kept for the ledger's current version */
export const OUTBOX_TEXT = 'SELECT o.envelope FROM ledger l JOIN outbox o ON o.ledger_id = l.id WHERE l.target = ? AND l.idbanghi = ?';
export const RUN = 'SELECT * FROM runs WHERE id = ?';
/** idbanghi: the record's rows some destination accepted with a public summary, at every target (the verification page) */
export const RECORD_VERIFICATIONS = 'SELECT target, accepted_verification FROM ledger INDEXED BY ledger_verified WHERE idbanghi = ? AND accepted_verification IS NOT NULL';
