import type { Migration } from './migration.js';

/**
 * The state store's migrations for the CIM kiosks (issue 13): the kiosks' store-and-forward lanes
 * (8) and the certificates issued to them (9). Kept apart from migrations.ts only for its length;
 * they are part of the one ordered list `sqliteMigrations`, append only like every migration.
 */
export const cimMigrations: readonly Migration[] = [
  // ── CIM kiosks (issue 13, push): the lead renumbers this block at merge if another lands first ──
  {
    version: 8,
    description: 'CIM kiosks: a store-and-forward lane per kiosk, what each kiosk holds, and its health',
    // - cim_kiosk_queue: the changes waiting for a kiosk, in seq order. One row per (connection,
    //   kiosk, kind, key): a newer change of the same student replaces the queued one and takes a
    //   new seq (INSERT OR REPLACE), so a kiosk back after hours gets each change once, in order.
    //   state 'dead': refused for good by the kiosk (400, 422), kept to be seen and retried.
    // - cim_kiosk_held: what each kiosk was last given, its content hash and body (templates are
    //   pushed only when theirs changes; a kiosk added later is seeded from another's).
    // - cim_kiosk_health: last seen, last sync, offline since, last error, per kiosk.
    sql: `
      CREATE TABLE cim_kiosk_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        connection TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('template', 'student')),
        item_key TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
        body TEXT,
        content_hash TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error TEXT,
        enqueued_at TEXT NOT NULL,
        UNIQUE (connection, kiosk_id, kind, item_key)
      );
      CREATE INDEX cim_kiosk_queue_lane ON cim_kiosk_queue (connection, kiosk_id, state, seq);
      CREATE TABLE cim_kiosk_held (
        connection TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        item_key TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        body TEXT,
        held_at TEXT NOT NULL,
        PRIMARY KEY (connection, kiosk_id, kind, item_key)
      ) WITHOUT ROWID;
      CREATE TABLE cim_kiosk_health (
        connection TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        url TEXT,
        online INTEGER,
        last_seen_at TEXT,
        last_sync_at TEXT,
        offline_since TEXT,
        last_error_code TEXT,
        last_error TEXT,
        version TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connection, kiosk_id)
      );
    `,
  },
  // ── end of CIM kiosks ──
  // ---------------------------------------------------------------------------------------------
  // CIM certificates (branch cim-cert): the lead renumbers at merge
  {
    version: 9,
    description: 'CIM certificates: kiosk tokens (hashed), certificates issued, the last UIS data per student',
    // - cim_kiosk_tokens: one token per kiosk, its SHA-256 only (`lienthong kiosks token KIOSK`).
    // - cim_certificates: the register of certificates issued; request (kiosk_id, request_id) is
    //   unique so the same request answers the same certificate (no double fee); the signed PDF is
    //   kept for that answer. verification_code is unique (≥ 80 random bits).
    // - cim_certificate_sequence: the last number given per year (numbers are never reused).
    // - cim_student_snapshots: the last data read from the UIS per student (keyed hash), used only
    //   while the UIS is down; the certificate then says so (data_source = 'snapshot').
    sql: `
      CREATE TABLE cim_kiosk_tokens (
        kiosk_id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT
      ) WITHOUT ROWID;

      CREATE TABLE cim_certificate_sequence (
        year INTEGER PRIMARY KEY,
        last INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE cim_certificates (
        certificate_no TEXT PRIMARY KEY,
        kiosk_id TEXT NOT NULL,
        request_id TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        template_code TEXT NOT NULL,
        owner_unit TEXT NOT NULL,
        language TEXT NOT NULL,
        copies INTEGER NOT NULL,
        fee_vnd INTEGER NOT NULL,
        payment_ref TEXT NOT NULL,
        student_key TEXT NOT NULL,
        holder_masked TEXT NOT NULL,
        verification_code TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        data_source TEXT NOT NULL,
        data_read_at TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        state TEXT NOT NULL,
        pdf BLOB,
        revoked_at TEXT,
        revoked_by TEXT,
        revoke_reason TEXT,
        UNIQUE (kiosk_id, request_id)
      );
      CREATE INDEX cim_certificates_issued ON cim_certificates (issued_at);

      CREATE TABLE cim_student_snapshots (
        student_key TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        read_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];
