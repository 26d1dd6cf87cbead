import type { FieldError, JsonObject, RecordEvent, SourceRecord } from './records.js';
import type { RecordSigning } from './transform.js';

/** What a mapping makes of one source record. */
export type MappingResult =
  | {
      ok: true;
      idbanghi: string;
      sukien: RecordEvent;
      /** when the record last changed at the source: `YYYY-MM-DDTHH:mm:ss`, Vietnam time */
      thoigiancapnhat: string;
      data: JsonObject;
      /** non-blocking remarks (e.g. a stored result that disagrees with the computed one) */
      warnings?: FieldError[];
      /** who signs what, when the source says something the dataset has no field for (given to the transformer only) */
      signing?: RecordSigning;
    }
  | { ok: false; errors: FieldError[]; /** when it could be derived despite the errors */ idbanghi?: string };

export interface MappingContext {
  /** the issuing unit's ministry code (matruong) */
  unitCode: string;
  /** values from the job's `mapping.options` */
  options: Record<string, unknown>;
}

/** Which fields of a mapping's `data` the public verification page shows (Mapping.verification; src/verification/). */
export interface RecordVerificationFields {
  kind: 'diploma' | 'school-record';
  /** the field with the record's number or serial (a diploma's `sohieu`) */
  numberField: string;
  /** the field with the decision number, when the record has one (a diploma's `soquyetdinhtn`) */
  decisionField?: string;
  /** the fields that may hold the issue date, first present wins (a full date, a month, a year) */
  issueDateFields: readonly string[];
  /** the field with the holder's full name: kept masked only */
  holderField: string;
}

/**
 * A mapping is pure: the same record and context always give the same result, with no I/O.
 * It is versioned by the national format it produces.
 */
export interface Mapping {
  readonly name: string;
  readonly dataset: string;
  /** e.g. `VanBangChungChi/2025`: sent as the batch's schemaVersion */
  readonly schemaVersion: string;
  /**
   * The source columns the mapping reads. A run probes the query first and stops with a
   * configuration error naming every required column that is missing and every column it would
   * not read (a misspelled alias), before anything is sent.
   */
  readonly columns?: { required: readonly string[]; optional: readonly string[] };
  /**
   * The field of `data` that holds the person's national id (CCCD / số định danh), if any: the
   * ledger keeps its keyed hash so that the console finds the record by the full id without the
   * store holding the id.
   */
  readonly personalIdField?: string;
  /**
   * The field of `data` that holds the record's grade (khối, 1–12), if any: the ledger keeps it so
   * that a deadline for some grades (`deadlines[].grades`) counts only their records.
   */
  readonly gradeField?: string;
  /**
   * The fields the public verification page shows (`GET /verify/record/:idbanghi`): the ledger keeps
   * them, the name masked, with each version. A mapping without them has no verification page.
   */
  readonly verification?: RecordVerificationFields;
  map(record: SourceRecord, context: MappingContext): MappingResult;
}
