import { BugError } from '../../src/core/errors.js';
import { canonicalJson, contentHash, sha256Hex } from '../../src/core/hash.js';
import type { AttachedDocument, DeliveryAnswer, EncodedRecord, JsonObject, RecordEvent, StagedRecord } from '../../src/core/records.js';
import type { BatchAnswer } from './answers.js';

/**
 * The ministry hub's wire format: the record envelope of its contract ("The record envelope"),
 * the batch body, its idempotency key, and what the hub's answers mean for the engine.
 */

/** The national sync envelope, as the hub receives and keeps it. */
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

/** A staged record as the hub's envelope: what the outbox keeps for a ministry-hub target. */
export function encodeEnvelope(r: StagedRecord): string {
  // runs once per changed record: the text is built directly, with no intermediate envelope object
  const tailieu = r.document === undefined ? '' : `,"tailieu":${JSON.stringify(r.document)}`;
  return `{"idbanghi":${JSON.stringify(r.idbanghi)},"sukien":${JSON.stringify(r.event)},"phienban":${JSON.stringify(r.version)},"thoigiancapnhat":${JSON.stringify(r.changedAt)},"data":${r.dataJson}${tailieu}}`;
}

/**
 * An envelope of the outbox at another phienban: a version conflict retried above the version the
 * hub holds. A first send (`NEW`) becomes an `UPDATE`, as the hub already holds the record. Only
 * those two fields change: `data` (its RFC 8785 text, which the content hash is of) and `tailieu`
 * stay byte for byte as `encodeEnvelope` wrote them.
 */
export function reversionEnvelope(encoded: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new BugError('BAD_VERSION', `a phienban is a positive integer, not ${version}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(encoded);
  } catch (err) {
    throw new BugError('NOT_AN_ENVELOPE', 'the outbox text of a ministry-hub target is not JSON', {}, { cause: err });
  }
  if (!isEnvelopeHead(parsed)) throw new BugError('NOT_AN_ENVELOPE', 'the outbox text of a ministry-hub target is not a record envelope');
  const head = (e: EnvelopeHead): string => `{"idbanghi":${JSON.stringify(e.idbanghi)},"sukien":${JSON.stringify(e.sukien)},"phienban":${JSON.stringify(e.phienban)},"thoigiancapnhat":${JSON.stringify(e.thoigiancapnhat)},"data":`;
  const next: EnvelopeHead = { ...parsed, phienban: version, sukien: parsed.sukien === 'NEW' ? 'UPDATE' : parsed.sukien };
  const old = head(parsed);
  // text written by encodeEnvelope / serializeEnvelope starts with exactly this head: what follows
  // it (data, tailieu) is kept as it is
  if (encoded.startsWith(old)) return head(next) + encoded.slice(old.length);
  // other text (an envelope written by JSON.stringify of an object in another key order): written
  // again by the serializer, data in its RFC 8785 form, as encodeEnvelope would have made it
  const { tailieu } = parsed as { tailieu?: AttachedDocument };
  return serializeEnvelope({ ...next, ...(tailieu === undefined ? {} : { tailieu }) }, canonicalJson(parsed.data));
}

type EnvelopeHead = Pick<RecordEnvelope, 'idbanghi' | 'sukien' | 'phienban' | 'thoigiancapnhat'>;

function isEnvelopeHead(v: unknown): v is EnvelopeHead & { data: JsonObject } {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.idbanghi === 'string' && typeof e.sukien === 'string' && typeof e.phienban === 'number' && typeof e.thoigiancapnhat === 'string' && typeof e.data === 'object' && e.data !== null;
}

/** The request body: the same bytes as JSON.stringify({ unitCode, schemaVersion, records }), from envelopes already in JSON. */
export function serializeBatch(unitCode: string, schemaVersion: string, batch: readonly { encoded: string }[]): string {
  return `{"unitCode":${JSON.stringify(unitCode)},"schemaVersion":${JSON.stringify(schemaVersion)},"records":[${batch.map((r) => r.encoded).join(',')}]}`;
}

/** The Idempotency-Key: the SHA-256 of the exact body, so a resend of a batch carries the same key. */
export function idempotencyKeyOf(body: string): string {
  return sha256Hex(body);
}

/** What each of the hub's per-record answers means (the plugin's `answers`). */
export const HUB_ANSWERS = {
  accepted: 'delivered: the hub took this phienban (its receiptId is kept)',
  'stale, same phienban and contentHash': 'already-held: our own earlier send arrived (a replay after a crash or a lost answer)',
  'stale, other content or phienban': 'conflict: the hub holds another version (VERSION_CONFLICT)',
  rejected: 'rejected: the hub refuses the record (its field errors are kept)',
} as const;

/**
 * The hub's answer to one record, in the engine's terms. `stale` means the hub already holds this
 * phienban or a later one: with the same content and phienban it is our own earlier send (a replay
 * after a crash or a lost answer); otherwise it is a version conflict.
 */
export function answerOf(sent: EncodedRecord, result: BatchAnswer['results'][number]): DeliveryAnswer {
  switch (result.status) {
    case 'accepted':
      // the hash the hub holds is kept: a destination waiting for the hub (VNeID) publishes only that
      return { idbanghi: sent.idbanghi, status: 'delivered', receiptId: result.receiptId, heldContentHash: result.contentHash };
    case 'stale':
      return result.contentHash === sent.contentHash && result.phienban === sent.version
        ? { idbanghi: sent.idbanghi, status: 'already-held', heldContentHash: result.contentHash }
        : { idbanghi: sent.idbanghi, status: 'conflict', heldVersion: result.phienban, heldContentHash: result.contentHash };
    case 'rejected':
      return { idbanghi: sent.idbanghi, status: 'rejected', errors: result.errors };
  }
}

/** An envelope as `write` takes it (tools and tests that hold envelopes rather than staged records). */
export function encodedOf(envelope: RecordEnvelope): EncodedRecord {
  return { idbanghi: envelope.idbanghi, version: envelope.phienban, contentHash: contentHash(envelope.data), encoded: JSON.stringify(envelope) };
}
