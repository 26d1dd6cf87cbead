import type { AttachedDocument, FieldError, JsonObject } from './records.js';

/** A record after mapping, about to be staged at a new phienban. */
export interface TransformInput {
  idbanghi: string;
  phienban: number;
  sourceKey: string;
  data: JsonObject;
}

export type TransformResult = { ok: true; tailieu?: AttachedDocument } | { ok: false; errors: FieldError[] };

/**
 * A step between mapping and delivery that makes what the record travels with: for a school
 * record, its XML document, signed by every teacher, the principal and the school (and the PDF
 * kept beside it). It runs only for records that changed (a new phienban), so an unchanged record
 * is never signed again. A failure of one record is a result, not an exception.
 */
export interface RecordTransformer {
  readonly name: string;
  transform(input: TransformInput): Promise<TransformResult>;
  close(): Promise<void>;
}
