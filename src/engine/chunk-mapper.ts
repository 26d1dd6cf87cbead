import type { JobDefinition } from '../config/schema.js';
import { asLienthongError } from '../core/errors.js';
import { hashedJson } from '../core/hash.js';
import type { Mapping, MappingContext } from '../core/mapping.js';
import type { FieldError, JsonObject, RecordEvent, SourceRecord } from '../core/records.js';
import type { RecordSigning } from '../core/transform.js';
import type { InvalidRecord } from '../store/store.js';
import { verificationSummaryOf } from './verification-summary.js';

/**
 * A record mapped and hashed. It keeps its source key and JSON text, not the source row or the
 * mapped object graph: a chunk lives on while the next one is mapped, and dozens of small objects
 * per record surviving young-generation collections cost more than the record's one string.
 */
export interface MappedRecord {
  key: string;
  idbanghi: string;
  sukien: RecordEvent;
  thoigiancapnhat: string;
  /** the mapped data, kept only when a transformer needs it (school records are signed) */
  data: JsonObject | undefined;
  /** the mapping's signing channel, kept with `data` (never hashed, never sent) */
  signing?: RecordSigning | undefined;
  /** `data` in its RFC 8785 form: what the content hash is taken of, and what the envelope carries */
  dataJson: string;
  hash: string;
  /** non-blocking remarks of the mapping: stored and reported, the record is still sent */
  warnings: FieldError[] | undefined;
  /** the person's national id (the mapping's personalIdField), hashed with the store's key at staging */
  personalId: string | null;
  /** the record's grade (the mapping's gradeField) as a whole number 1–12, else null */
  grade: number | null;
  /** the public summary the verification page shows (Mapping.verification), JSON; null without one */
  verification?: string | null;
}

/** A chunk of source records, mapped and hashed: what is valid so far, and what is not and why. */
export interface MappedChunk {
  nowIso: string;
  mapped: MappedRecord[];
  invalid: InvalidRecord[];
  /** records of this chunk that came from the source's stream (not re-read by key): the guard counts these */
  fromStream: number;
  invalidFromStream: number;
}

/**
 * Source keys held back in this run because another source record claims the same national record
 * id, with the key of that other record. Neither of two such records may be sent: which one is the
 * real holder is for the school to decide. Small (duplicates are rare), so kept for the whole run.
 */
export type DuplicateHolds = Map<string, string>;

/**
 * The one way a duplicate national record id is told: the run holds every source record that
 * claims it, and the reconciliation report says so in the same words, naming the other key(s).
 */
export function duplicateError(otherSourceKeys: string | readonly string[]): FieldError {
  const others = typeof otherSourceKeys === 'string' ? [otherSourceKeys] : otherSourceKeys;
  const message =
    others.length === 1
      ? `another source record (${others[0]}) maps to the same national record id; neither is sent until the source is corrected`
      : `other source records (${others.join(', ')}) map to the same national record id; none of them is sent until the source is corrected`;
  return { field: 'idbanghi', code: 'DUPLICATE_IDBANGHI', message };
}

/** One source record through the mapping: mapped and hashed, or held back with the reasons. */
export type MapStep =
  | { ok: true; idbanghi: string; sukien: RecordEvent; thoigiancapnhat: string; data: JsonObject; dataJson: string; hash: string; warnings: FieldError[] | undefined; personalId: string | null; grade: number | null; verification: string | null; signing?: RecordSigning }
  | { ok: false; idbanghi: string | null; errors: FieldError[] };

/**
 * The mapping step of a run: the mapping called once on the record (a mapping that throws holds
 * that record back, it does not stop the run), the data hashed in its RFC 8785 form. The run, its
 * dry run and the reconciliation all map through here, so they agree on every record.
 */
export function mapRecord(record: SourceRecord, mapping: Mapping, context: MappingContext, job: string): MapStep {
  let result;
  try {
    result = mapping.map(record, context);
  } catch (err) {
    const e = asLienthongError(err, { job, record: record.key });
    return { ok: false, idbanghi: null, errors: [{ field: 'record', code: e.code, message: `the mapping failed on this record: ${e.message}` }] };
  }
  if (!result.ok) return { ok: false, idbanghi: result.idbanghi ?? null, errors: result.errors };
  const { json: dataJson, hash } = hashedJson(result.data);
  const warnings = result.warnings && result.warnings.length > 0 ? result.warnings : undefined;
  const id = mapping.personalIdField === undefined ? undefined : result.data[mapping.personalIdField];
  const personalId = typeof id === 'string' && id !== '' ? id : null;
  const grade = gradeOf(mapping.gradeField === undefined ? undefined : result.data[mapping.gradeField]);
  const verification = verificationSummaryOf(mapping.verification, result.data, result.sukien);
  return { ok: true, idbanghi: result.idbanghi, sukien: result.sukien, thoigiancapnhat: result.thoigiancapnhat, data: result.data, dataJson, hash, warnings, personalId, grade, verification, ...(result.signing ? { signing: result.signing } : {}) };
}

/** `'9'`, `'09'` or 9 → 9; anything that is not a grade 1–12 (the mapping reports bad data) → null */
export function gradeOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 12 ? n : null;
}

function emptyChunk(): MappedChunk {
  return { nowIso: '', mapped: [], invalid: [], fromStream: 0, invalidFromStream: 0 };
}

/** Maps and hashes source records into a chunk (pure work on this thread; nothing is stored yet). */
export class ChunkMapper {
  private chunk: MappedChunk = emptyChunk();
  /** idbanghi → index in chunk.mapped of the record that claims it in this chunk */
  private seen = new Map<string, number>();
  /**
   * idbanghi → a source key held back for claiming it, for the whole run: a third record claiming
   * an id two others were held for is held too (it is no more the real holder than they are), in
   * this chunk or a later one (the ledger cannot tell: neither of the first two was staged).
   */
  private readonly heldIds = new Map<string, string>();

  constructor(
    private readonly job: JobDefinition,
    private readonly runId: string,
    private readonly context: MappingContext,
    private readonly mapping: Mapping,
    private readonly keepData: boolean,
    private readonly duplicates: DuplicateHolds,
  ) {}

  /** records added since the last take */
  get size(): number {
    return this.chunk.mapped.length + this.chunk.invalid.length;
  }

  add(record: SourceRecord, fromStream = true): void {
    const { job, runId, chunk } = this;
    if (this.size === 0) chunk.nowIso = new Date().toISOString();
    if (fromStream) chunk.fromStream++;
    const hold = (idbanghi: string | null, errors: FieldError[]): void => {
      chunk.invalid.push({ job: job.name, sourceKey: record.key, idbanghi, errors, runId, updatedAt: chunk.nowIso });
      if (fromStream) chunk.invalidFromStream++;
    };
    const result = mapRecord(record, this.mapping, this.context, job.name);
    if (!result.ok) {
      hold(result.idbanghi, result.errors);
      return;
    }
    const heldWith = this.duplicates.get(record.key);
    if (heldWith !== undefined) {
      hold(result.idbanghi, [duplicateError(heldWith)]);
      return;
    }
    const heldFor = this.heldIds.get(result.idbanghi);
    if (heldFor !== undefined) {
      this.duplicates.set(record.key, heldFor);
      hold(result.idbanghi, [duplicateError(heldFor)]);
      return;
    }
    const otherIndex = this.seen.get(result.idbanghi);
    if (otherIndex !== undefined) {
      // both rows are held back: the one mapped earlier in this chunk leaves the mapped list
      const other = chunk.mapped[otherIndex]!;
      this.duplicates.set(record.key, other.key);
      this.duplicates.set(other.key, record.key);
      hold(result.idbanghi, [duplicateError(other.key)]);
      chunk.invalid.push({ job: job.name, sourceKey: other.key, idbanghi: other.idbanghi, errors: [duplicateError(record.key)], runId, updatedAt: chunk.nowIso });
      chunk.mapped.splice(otherIndex, 1);
      this.seen.delete(result.idbanghi);
      this.heldIds.set(result.idbanghi, other.key);
      // indexes after the removed record moved down by one
      for (const [id, i] of this.seen) if (i > otherIndex) this.seen.set(id, i - 1);
      return;
    }
    this.seen.set(result.idbanghi, chunk.mapped.length);
    chunk.mapped.push({
      key: record.key,
      idbanghi: result.idbanghi,
      sukien: result.sukien,
      thoigiancapnhat: result.thoigiancapnhat,
      data: this.keepData ? result.data : undefined,
      ...(this.keepData && result.signing ? { signing: result.signing } : {}),
      dataJson: result.dataJson,
      hash: result.hash,
      warnings: result.warnings,
      personalId: result.personalId,
      grade: result.grade,
      verification: result.verification,
    });
  }

  /** the chunk so far; the next record starts a new one */
  take(): MappedChunk {
    const chunk = this.chunk;
    this.chunk = emptyChunk();
    this.seen = new Map();
    return chunk;
  }
}
