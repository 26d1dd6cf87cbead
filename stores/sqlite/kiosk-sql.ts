/**
 * The SQL of the CIM kiosks' part of the SQLite store (src/store/kiosk-store.ts): the
 * store-and-forward lanes, what each kiosk holds, and its health. The schema is in migrations.ts
 * (the "CIM kiosks" version).
 */

/**
 * connection, kiosk_id, kind, item_key, op, content_hash: drops the item of the same key when it
 * is another change (coalescing: the newer change replaces it). The same change again (a template
 * enqueued by every run while its kiosk is away, or refused for good) stays where it is.
 */
export const KIOSK_DROP_OTHER = `DELETE FROM cim_kiosk_queue WHERE connection = ? AND kiosk_id = ? AND kind = ? AND item_key = ? AND (op <> ? OR content_hash <> ?)`;

/**
 * connection, kiosk_id, kind, item_key, op, body, content_hash, enqueued_at: a new change takes
 * a new seq, at the end of the lane; an identical one already there is kept.
 */
export const KIOSK_ENQUEUE = `INSERT INTO cim_kiosk_queue (connection, kiosk_id, kind, item_key, op, body, content_hash, state, attempts, enqueued_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?) ON CONFLICT (connection, kiosk_id, kind, item_key) DO NOTHING`;

/** connection, kiosk_id, after seq, limit */
export const KIOSK_QUEUE_PAGE = `SELECT * FROM cim_kiosk_queue WHERE connection = ? AND kiosk_id = ? AND state = 'queued' AND seq > ? ORDER BY seq LIMIT ?`;

/** seq, connection, kiosk_id */
export const KIOSK_DEQUEUE = 'DELETE FROM cim_kiosk_queue WHERE seq = ? AND connection = ? AND kiosk_id = ?';

/** connection, kiosk_id, kind, item_key, content_hash, body, held_at */
export const KIOSK_HOLD = `INSERT INTO cim_kiosk_held (connection, kiosk_id, kind, item_key, content_hash, body, held_at) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (connection, kiosk_id, kind, item_key) DO UPDATE SET content_hash = excluded.content_hash, body = excluded.body, held_at = excluded.held_at`;

/** connection, kiosk_id, kind: what a kiosk holds with its bodies, oldest first (seeding another) */
export const KIOSK_HELD_BODIES = 'SELECT item_key, content_hash, body FROM cim_kiosk_held WHERE connection = ? AND kiosk_id = ? AND kind = ? AND body IS NOT NULL ORDER BY held_at, item_key';

/** connection, kiosk_id, kind: the lane's queued changes of a kind, in order (seeding another) */
export const KIOSK_QUEUED_OF_KIND = `SELECT item_key, op, body, content_hash FROM cim_kiosk_queue WHERE connection = ? AND kiosk_id = ? AND kind = ? AND state = 'queued' ORDER BY seq`;

/** connection, kiosk_id, kind, item_key */
export const KIOSK_UNHOLD = 'DELETE FROM cim_kiosk_held WHERE connection = ? AND kiosk_id = ? AND kind = ? AND item_key = ?';

/** connection, kiosk_id, kind, item_key: whether the kiosk holds the item */
export const KIOSK_HOLDS = 'SELECT 1 FROM cim_kiosk_held WHERE connection = ? AND kiosk_id = ? AND kind = ? AND item_key = ?';

/** connection, kiosk_id, kind, item_key: the queued item of that key, whatever it is */
export const KIOSK_DROP = 'DELETE FROM cim_kiosk_queue WHERE connection = ? AND kiosk_id = ? AND kind = ? AND item_key = ?';

/** connection, kiosk_id, kind */
export const KIOSK_HELD = 'SELECT item_key, content_hash FROM cim_kiosk_held WHERE connection = ? AND kiosk_id = ? AND kind = ?';

/** dead (0/1), error code, error message, seq, connection, kiosk_id */
export const KIOSK_ATTEMPT_FAILED = `UPDATE cim_kiosk_queue SET attempts = attempts + 1, state = CASE WHEN ? = 1 THEN 'dead' ELSE state END,
  last_error_code = ?, last_error = ? WHERE seq = ? AND connection = ? AND kiosk_id = ?`;

/** connection, kiosk_id, updated_at: makes sure the kiosk has a health row */
export const KIOSK_HEALTH_ROW = `INSERT INTO cim_kiosk_health (connection, kiosk_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (connection, kiosk_id) DO NOTHING`;

/** the columns a patch may set, by KioskHealthPatch field */
export const KIOSK_HEALTH_COLUMNS = {
  url: 'url',
  online: 'online',
  lastSeenAt: 'last_seen_at',
  lastSyncAt: 'last_sync_at',
  offlineSince: 'offline_since',
  lastErrorCode: 'last_error_code',
  lastError: 'last_error',
  version: 'version',
} as const;

/** SET clause for the given columns, then updated_at; parameters: the values, updated_at, connection, kiosk_id */
export function kioskHealthUpdate(columns: readonly string[]): string {
  return `UPDATE cim_kiosk_health SET ${[...columns, 'updated_at'].map((c) => `${c} = ?`).join(', ')} WHERE connection = ? AND kiosk_id = ?`;
}

/** every kiosk with a health row or a queue, with its queue depth and dead items; connection or null for all */
export const KIOSK_HEALTH = `SELECT h.connection, h.kiosk_id, h.url, h.online, h.last_seen_at, h.last_sync_at, h.offline_since, h.last_error_code, h.last_error, h.version,
    (SELECT COUNT(*) FROM cim_kiosk_queue q WHERE q.connection = h.connection AND q.kiosk_id = h.kiosk_id AND q.state = 'queued') AS queue_depth,
    (SELECT COUNT(*) FROM cim_kiosk_queue q WHERE q.connection = h.connection AND q.kiosk_id = h.kiosk_id AND q.state = 'dead') AS dead,
    (SELECT MIN(enqueued_at) FROM cim_kiosk_queue q WHERE q.connection = h.connection AND q.kiosk_id = h.kiosk_id AND q.state = 'queued') AS oldest_queued_at
  FROM cim_kiosk_health h WHERE h.connection = COALESCE(?, h.connection) ORDER BY h.connection, h.kiosk_id`;

/** connection or null, kiosk_id or null, item_key or null: the dead letters, in lane order */
export const KIOSK_DEAD_LETTERS = `SELECT seq, connection, kiosk_id, kind, item_key, op, attempts, last_error_code, last_error, enqueued_at FROM cim_kiosk_queue
  WHERE state = 'dead' AND connection = COALESCE(?, connection) AND kiosk_id = COALESCE(?, kiosk_id) AND item_key = COALESCE(?, item_key) ORDER BY connection, kiosk_id, seq`;

/** seq, connection, kiosk_id: a dead letter back in its lane at its place (its seq), attempts reset */
export const KIOSK_REQUEUE = `UPDATE cim_kiosk_queue SET state = 'queued', attempts = 0 WHERE seq = ? AND connection = ? AND kiosk_id = ? AND state = 'dead'`;
