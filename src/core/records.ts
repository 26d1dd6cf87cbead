/** The shapes that flow through a pipeline: source record → mapped record → staged record → answer. */

import type { CursorValue } from './cursor.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One row as a source connector read it. */
export interface SourceRecord {
  stream: string;
  /** stable key of the row in the source (e.g. the UIS diploma id); never a personal id */
  key: string;
  data: Record<string, unknown>;
  /** value of the stream's watermark column for this row, typed as the database gave it; null for a NULL cursor */
  cursorValue?: CursorValue | null;
}

/** A field-level problem with one record. `field` is a path such as `data.ngaythangnamsinh`. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export type RecordEvent = 'NEW' | 'UPDATE' | 'CANCEL';

/** A document attached to a record (school records carry their signed XML). */
export interface AttachedDocument {
  dinhdang: string;
  noidung: string;
  sha256: string;
}

/**
 * A changed record, staged for one destination at a new version: what every destination encodes
 * in its own wire format (the ministry hub's envelope, a JSON line, a SOAP body…). Neutral: core
 * knows nothing of any destination's format.
 */
export interface StagedRecord {
  /** the record's key at the source */
  key: string;
  /** the national record id: the key destinations know the record by */
  idbanghi: string;
  /** the version staged (1 for the first send, +1 on each change) */
  version: number;
  event: RecordEvent;
  /** when the record last changed at the source: `YYYY-MM-DDTHH:mm:ss`, Vietnam time */
  changedAt: string;
  /** SHA-256 of `dataJson`: what tells a changed record from an unchanged one */
  contentHash: string;
  /** the mapped data as JSON text (its RFC 8785 form), made once */
  dataJson: string;
  /** the document the record travels with (a signed school record), when the job makes one */
  document?: AttachedDocument;
}

/** A record as a destination's `write` gets it: its ledger fields and its encoded text (the outbox's). */
export interface EncodedRecord {
  idbanghi: string;
  version: number;
  contentHash: string;
  /** exactly what `encode` made and the outbox kept */
  encoded: string;
}

/**
 * What a destination's answer for one record means, whatever its protocol. Each destination maps
 * its own answers to these; the engine works only with them.
 * - `delivered`: the destination took this version (`heldContentHash`: the content hash it says it
 *   holds now, when it says; destinations that wait for this one check it);
 * - `already-held`: it already holds this very version and content (our own earlier send arrived:
 *   a replay after a crash or a lost answer), as good as delivered;
 * - `conflict`: it holds another content at this version or a later one;
 * - `rejected`: it refuses the record for good (the errors say why);
 * - `transient`: try this record again later.
 */
export type DeliveryAnswer =
  | { idbanghi: string; status: 'delivered'; receiptId: string | null; heldContentHash?: string }
  | { idbanghi: string; status: 'already-held'; heldContentHash?: string }
  | { idbanghi: string; status: 'conflict'; heldVersion: number; heldContentHash: string }
  | { idbanghi: string; status: 'rejected'; errors: FieldError[] }
  | { idbanghi: string; status: 'transient'; message: string };

/** A record as the destination holds it, for reconciliation. */
export interface HeldRecord {
  idbanghi: string;
  phienban: number;
  contentHash: string;
  sukien: RecordEvent;
  receiptId: string;
  updatedAt: string;
}
