/**
 * The CIM kiosks' part of the state store (docs/cim.md#kiosks): a store-and-forward queue per
 * kiosk (one lane per connection and kiosk), what each kiosk was last given, and its health.
 *
 * A lane holds at most one item per (kind, key): enqueueing a newer snapshot of a student replaces
 * the older one and moves it to the end (coalescing), so a kiosk that was away gets every change
 * since it left, in order, once.
 */

export type KioskItemKind = 'template' | 'student';
export type KioskOp = 'put' | 'delete';

export interface KioskQueueInput {
  connection: string;
  kioskId: string;
  kind: KioskItemKind;
  key: string;
  op: KioskOp;
  /** the JSON body of a PUT; null for a DELETE */
  body: string | null;
  contentHash: string;
}

/** a change the kiosk now has (its body kept to seed a kiosk added later) */
export interface KioskDeliveredItem {
  seq: number;
  kind: KioskItemKind;
  key: string;
  op: KioskOp;
  contentHash: string;
  body: string | null;
}

export interface KioskQueueItem extends KioskQueueInput {
  /** the lane's order: a larger seq was enqueued later */
  seq: number;
  attempts: number;
  enqueuedAt: string;
}

/** A kiosk's health as the last run left it, with its queue. */
export interface KioskHealth {
  connection: string;
  kioskId: string;
  url: string | null;
  /** null before the first attempt */
  online: boolean | null;
  /** the last answer of any kind (the kiosk was reachable) */
  lastSeenAt: string | null;
  /** the last time its queue was emptied */
  lastSyncAt: string | null;
  /** since when it has been unreachable (null while it answers) */
  offlineSince: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  /** what its health endpoint says of itself */
  version: string | null;
  /** changes waiting for it */
  queueDepth: number;
  /** changes it refused for good (400, 422): never sent again until retried */
  dead: number;
  /** when the oldest waiting change was enqueued */
  oldestQueuedAt: string | null;
}

/** a change a kiosk refused for good (a 4xx other than 401/403): kept in its lane, not sent again until requeued */
export interface KioskDeadLetter {
  connection: string;
  kioskId: string;
  /** its place in the lane: a requeued change keeps it, so the kiosk still gets changes in order */
  seq: number;
  kind: KioskItemKind;
  /** the student id (a university's own number, not a personal id) or the template code */
  key: string;
  op: KioskOp;
  attempts: number;
  code: string | null;
  message: string | null;
  enqueuedAt: string;
}

export type KioskHealthPatch = Partial<Pick<KioskHealth, 'url' | 'online' | 'lastSeenAt' | 'lastSyncAt' | 'offlineSince' | 'lastErrorCode' | 'lastError' | 'version'>>;

export interface KioskStore {
  /**
   * adds changes to their lanes; an item already queued for the same kiosk, kind and key is
   * replaced (the same change again stays where it is); a DELETE of what the kiosk was never given
   * only drops the queued change, if any
   */
  kioskEnqueue(items: KioskQueueInput[]): Promise<void>;
  /** the lane's queued items (not dead) after `afterSeq`, oldest first */
  kioskQueuePage(connection: string, kioskId: string, afterSeq: number, limit: number): Promise<KioskQueueItem[]>;
  /**
   * The kiosk has these items: they leave the lane (only if still at that seq: a newer change
   * enqueued meanwhile stays) and become what it holds.
   */
  kioskDelivered(connection: string, kioskId: string, items: KioskDeliveredItem[]): Promise<void>;
  /**
   * Gives a kiosk added to a connection later every student another kiosk of it holds or has
   * queued (the latest of each), into its lane: the engine's ledger already counts those students
   * as delivered, so it would never send them again. Answers how many were queued.
   */
  kioskSeed(connection: string, kioskId: string, fromKioskId: string): Promise<number>;
  /** a failed attempt: counted, the error kept; `dead` for a refusal for good */
  kioskAttemptFailed(connection: string, kioskId: string, seq: number, error: { code: string; message: string }, dead: boolean): Promise<void>;
  /** content hashes of what the kiosk holds, by key, for one kind */
  kioskHeld(connection: string, kioskId: string, kind: KioskItemKind): Promise<Record<string, string>>;
  kioskSetHealth(connection: string, kioskId: string, patch: KioskHealthPatch): Promise<void>;
  /** every kiosk known (of one connection, or all), with queue depth, dead items and health */
  kioskHealth(connection?: string): Promise<KioskHealth[]>;
  /** the dead letters of every kiosk, of one connection and/or one kiosk, in lane order */
  kioskDeadLetters(filter: { connection?: string; kioskId?: string }): Promise<KioskDeadLetter[]>;
  /**
   * Puts a kiosk's dead letters (every one, or those of one key) back in its lane at their place,
   * their attempts reset: the next run sends them. Answers the dead letters requeued.
   */
  kioskRequeue(connection: string, kioskId: string, key?: string): Promise<KioskDeadLetter[]>;
}
