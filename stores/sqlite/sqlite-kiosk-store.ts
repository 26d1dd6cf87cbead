import type Database from 'better-sqlite3';
import type { KioskDeadLetter, KioskDeliveredItem, KioskHealth, KioskHealthPatch, KioskItemKind, KioskOp, KioskQueueInput, KioskQueueItem, KioskStore } from '../../src/store/kiosk-store.js';
import * as SQL from './kiosk-sql.js';

interface QueueDbRow {
  seq: number;
  connection: string;
  kiosk_id: string;
  kind: KioskItemKind;
  item_key: string;
  op: KioskOp;
  body: string | null;
  content_hash: string;
  attempts: number;
  enqueued_at: string;
}

interface HealthDbRow {
  connection: string;
  kiosk_id: string;
  url: string | null;
  online: number | null;
  last_seen_at: string | null;
  last_sync_at: string | null;
  offline_since: string | null;
  last_error_code: string | null;
  last_error: string | null;
  version: string | null;
  queue_depth: number;
  dead: number;
  oldest_queued_at: string | null;
}

type DeadDbRow = Omit<QueueDbRow, 'body' | 'content_hash'> & { last_error_code: string | null; last_error: string | null };

const now = (): string => new Date().toISOString();

/**
 * The CIM kiosks' lanes, held items and health (kiosk-store.ts) on the one SQLite connection:
 * the base of the store's class chain (SqliteCertificateStore extends it, SqliteSigningStore that).
 */
export class SqliteKioskStore implements KioskStore {
  constructor(readonly db: Database.Database) {}

  async kioskEnqueue(items: KioskQueueInput[]): Promise<void> {
    const drop = this.db.prepare(SQL.KIOSK_DROP_OTHER);
    const dropAll = this.db.prepare(SQL.KIOSK_DROP);
    const holds = this.db.prepare(SQL.KIOSK_HOLDS);
    const insert = this.db.prepare(SQL.KIOSK_ENQUEUE);
    const at = now();
    this.db.transaction(() => {
      for (const i of items) {
        // removing what the kiosk never got: dropping its queued change is enough, nothing to send
        if (i.op === 'delete' && holds.get(i.connection, i.kioskId, i.kind, i.key) === undefined) {
          dropAll.run(i.connection, i.kioskId, i.kind, i.key);
          continue;
        }
        drop.run(i.connection, i.kioskId, i.kind, i.key, i.op, i.contentHash);
        insert.run(i.connection, i.kioskId, i.kind, i.key, i.op, i.body, i.contentHash, at);
      }
    })();
  }

  async kioskQueuePage(connection: string, kioskId: string, afterSeq: number, limit: number): Promise<KioskQueueItem[]> {
    const rows = this.db.prepare(SQL.KIOSK_QUEUE_PAGE).all(connection, kioskId, afterSeq, limit) as QueueDbRow[];
    return rows.map((r) => ({
      seq: r.seq,
      connection: r.connection,
      kioskId: r.kiosk_id,
      kind: r.kind,
      key: r.item_key,
      op: r.op,
      body: r.body,
      contentHash: r.content_hash,
      attempts: r.attempts,
      enqueuedAt: r.enqueued_at,
    }));
  }

  async kioskDelivered(connection: string, kioskId: string, items: KioskDeliveredItem[]): Promise<void> {
    const dequeue = this.db.prepare(SQL.KIOSK_DEQUEUE);
    const hold = this.db.prepare(SQL.KIOSK_HOLD);
    const unhold = this.db.prepare(SQL.KIOSK_UNHOLD);
    const at = now();
    this.db.transaction(() => {
      for (const i of items) {
        dequeue.run(i.seq, connection, kioskId);
        if (i.op === 'delete') unhold.run(connection, kioskId, i.kind, i.key);
        else hold.run(connection, kioskId, i.kind, i.key, i.contentHash, i.body, at);
      }
    })();
  }

  async kioskSeed(connection: string, kioskId: string, fromKioskId: string): Promise<number> {
    const latest = new Map<string, { op: KioskOp; body: string | null; contentHash: string }>();
    for (const r of this.db.prepare(SQL.KIOSK_HELD_BODIES).all(connection, fromKioskId, 'student') as { item_key: string; content_hash: string; body: string }[]) {
      latest.set(r.item_key, { op: 'put', body: r.body, contentHash: r.content_hash });
    }
    // what is still on its way to the other kiosk is newer than what it holds
    for (const r of this.db.prepare(SQL.KIOSK_QUEUED_OF_KIND).all(connection, fromKioskId, 'student') as { item_key: string; op: KioskOp; body: string | null; content_hash: string }[]) {
      latest.delete(r.item_key);
      latest.set(r.item_key, { op: r.op, body: r.body, contentHash: r.content_hash });
    }
    const items: KioskQueueInput[] = [];
    for (const [key, v] of latest) if (v.op === 'put') items.push({ connection, kioskId, kind: 'student', key, op: 'put', body: v.body, contentHash: v.contentHash });
    await this.kioskEnqueue(items);
    return items.length;
  }

  async kioskAttemptFailed(connection: string, kioskId: string, seq: number, error: { code: string; message: string }, dead: boolean): Promise<void> {
    this.db.prepare(SQL.KIOSK_ATTEMPT_FAILED).run(dead ? 1 : 0, error.code, error.message, seq, connection, kioskId);
  }

  async kioskHeld(connection: string, kioskId: string, kind: KioskItemKind): Promise<Record<string, string>> {
    const rows = this.db.prepare(SQL.KIOSK_HELD).all(connection, kioskId, kind) as { item_key: string; content_hash: string }[];
    return Object.fromEntries(rows.map((r) => [r.item_key, r.content_hash]));
  }

  async kioskSetHealth(connection: string, kioskId: string, patch: KioskHealthPatch): Promise<void> {
    const at = now();
    const columns: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [field, column] of Object.entries(SQL.KIOSK_HEALTH_COLUMNS) as [keyof KioskHealthPatch, string][]) {
      if (!(field in patch)) continue;
      const value = patch[field];
      columns.push(column);
      values.push(typeof value === 'boolean' ? (value ? 1 : 0) : (value ?? null));
    }
    this.db.transaction(() => {
      this.db.prepare(SQL.KIOSK_HEALTH_ROW).run(connection, kioskId, at);
      this.db.prepare(SQL.kioskHealthUpdate(columns)).run(...values, at, connection, kioskId);
    })();
  }

  async kioskHealth(connection?: string): Promise<KioskHealth[]> {
    const rows = this.db.prepare(SQL.KIOSK_HEALTH).all(connection ?? null) as HealthDbRow[];
    return rows.map((r) => ({
      connection: r.connection,
      kioskId: r.kiosk_id,
      url: r.url,
      online: r.online === null ? null : r.online === 1,
      lastSeenAt: r.last_seen_at,
      lastSyncAt: r.last_sync_at,
      offlineSince: r.offline_since,
      lastErrorCode: r.last_error_code,
      lastError: r.last_error,
      version: r.version,
      queueDepth: r.queue_depth,
      dead: r.dead,
      oldestQueuedAt: r.oldest_queued_at,
    }));
  }

  async kioskDeadLetters(filter: { connection?: string; kioskId?: string }): Promise<KioskDeadLetter[]> {
    return this.kioskDeadRows(filter.connection ?? null, filter.kioskId ?? null, null);
  }

  async kioskRequeue(connection: string, kioskId: string, key?: string): Promise<KioskDeadLetter[]> {
    const requeue = this.db.prepare(SQL.KIOSK_REQUEUE);
    return this.db.transaction(() => {
      const dead = this.kioskDeadRows(connection, kioskId, key ?? null);
      for (const d of dead) requeue.run(d.seq, connection, kioskId);
      return dead;
    })();
  }

  private kioskDeadRows(connection: string | null, kioskId: string | null, key: string | null): KioskDeadLetter[] {
    const rows = this.db.prepare(SQL.KIOSK_DEAD_LETTERS).all(connection, kioskId, key) as DeadDbRow[];
    return rows.map((r) => ({
      connection: r.connection,
      kioskId: r.kiosk_id,
      seq: r.seq,
      kind: r.kind,
      key: r.item_key,
      op: r.op,
      attempts: r.attempts,
      code: r.last_error_code,
      message: r.last_error,
      enqueuedAt: r.enqueued_at,
    }));
  }
}
