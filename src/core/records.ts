/** The shapes that flow through a pipeline: source record → mapped record → outbound envelope → result. */

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

/** The national sync envelope (docs/contracts/ministry-hub.md#the-record-envelope). */
export interface RecordEnvelope {
  idbanghi: string;
  sukien: RecordEvent;
  phienban: number;
  thoigiancapnhat: string;
  data: JsonObject;
  tailieu?: AttachedDocument;
}

/**
 * The envelope as JSON text, with `data` given as JSON text already made (its RFC 8785 form, made
 * once for the content hash): the same document as JSON.stringify(envelope), without serializing
 * the record a second time.
 */
export function serializeEnvelope(envelope: Omit<RecordEnvelope, 'data'>, dataJson: string): string {
  const tailieu = envelope.tailieu === undefined ? '' : `,"tailieu":${JSON.stringify(envelope.tailieu)}`;
  return `{"idbanghi":${JSON.stringify(envelope.idbanghi)},"sukien":${JSON.stringify(envelope.sukien)},"phienban":${JSON.stringify(envelope.phienban)},"thoigiancapnhat":${JSON.stringify(envelope.thoigiancapnhat)},"data":${dataJson}${tailieu}}`;
}

/** What a destination answers for one record of a batch. */
export type WriteResult =
  | { idbanghi: string; status: 'accepted'; phienban: number; receiptId: string; contentHash: string }
  | { idbanghi: string; status: 'stale'; phienban: number; contentHash: string }
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
