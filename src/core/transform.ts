import type { AttachedDocument, FieldError, JsonObject } from './records.js';

/**
 * What the source says about who signs a record that the national dataset has no field for (the
 * dictionary refuses unknown fields): the mapping gives it beside `data`, the engine hands it to the
 * transformer with the record, and nothing of it is sent or hashed (the signed document says it).
 */
export interface RecordSigning {
  /** subjects (mamonhoc) whose teacher has left: the principal signs them in the teacher's place (KyThay) */
  subjectsSignedByPrincipal?: string[];
}

/** A record after mapping, about to be staged at a new phienban. */
export interface TransformInput {
  idbanghi: string;
  phienban: number;
  sourceKey: string;
  data: JsonObject;
  /** the mapping's signing channel for this record, when it has one */
  signing?: RecordSigning;
}

/** A signer the record waits for: their role in the document and their personal id, masked. */
export interface AwaitedSigner {
  /** `subject:<mamonhoc>`, `homeroom` or `principal` */
  role: string;
  /** the signer's personal id with all but the last 4 digits masked (never the whole id) */
  maskedId: string;
}

/**
 * `waiting`: the record cannot travel yet because people must still approve their signature (a
 * remote signing request on their phone). It is neither staged nor invalid: the run holds it back
 * like an invalid record (code AWAITING_SIGNATURE), reads it again by key every run, and counts it
 * apart so the invalid-share guard never stops a run for it.
 */
export type TransformResult =
  | { ok: true; tailieu?: AttachedDocument }
  | { ok: false; errors: FieldError[] }
  | { ok: 'waiting'; awaiting: AwaitedSigner[] };

/** the one code a record waiting for signatures is held back with */
export const AWAITING_SIGNATURE = 'AWAITING_SIGNATURE';

/** a held-back record whose only reason is that signers have not approved yet (not bad data) */
export function isAwaitingSignature(r: { errors: readonly FieldError[] }): boolean {
  return r.errors.length > 0 && r.errors.every((e) => e.code === AWAITING_SIGNATURE);
}

/** The held-back reason of a waiting record, naming who is awaited (role and masked id). */
export function awaitingError(awaiting: readonly AwaitedSigner[]): FieldError {
  const who = awaiting.map((a) => `${a.role} (${a.maskedId})`).join(', ');
  return { field: 'tailieu', code: AWAITING_SIGNATURE, message: `waiting for the signature of ${who || 'a signer'}` };
}

/**
 * A step between mapping and delivery that makes what the record travels with: for a school
 * record, its XML document, signed by every teacher, the principal and the school (and the PDF
 * kept beside it). It runs only for records that changed (a new phienban), so an unchanged record
 * is never signed again. A failure of one record is a result, not an exception.
 */
export interface RecordTransformer {
  readonly name: string;
  transform(input: TransformInput): Promise<TransformResult>;
  /**
   * Work of the run around the records, under the job's lock: before the first record (remote
   * signing collects the signers' decisions) and after the last (it sends the new requests). The
   * answer is notices for the run's summary; a thrown error stops the run like any other.
   */
  beforeRun?(): Promise<string[]>;
  afterRun?(): Promise<string[]>;
  close(): Promise<void>;
}
