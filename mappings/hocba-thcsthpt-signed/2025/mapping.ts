/**
 * A school record signed in the vendor's software (one XML file of a `signed-hocba-folder`
 * source) → the national record `thongtinsohocbasothcsthpt`. The data is the document's own
 * DuLieuHocBa, taken as it is: the hub compares `data` with the signed document field by field,
 * so nothing may be normalised, recomputed or filled in here. What the mapping adds is the check of
 * the rules a signature cannot vouch for (the same ones the database mapping applies): the pupil's
 * personal id against the birth date and sex, the signers' ids, the national data dictionary, and
 * that the document is this unit's. Every message names the file. Pure: no I/O, no clock.
 */
import type { Mapping, MappingContext, MappingResult } from '../../../src/core/mapping.js';
import type { FieldError, JsonObject, JsonValue, RecordEvent, SourceRecord } from '../../../src/core/records.js';
import { checkCccd } from '../../../src/domain/cccd.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { getDictionaryTable, validateAgainstTable } from '../../../src/domain/dictionary/index.js';
import type { GenderCode } from '../../../src/domain/gender.js';
import { BANGDIEM_FIELDS, CHUNGCHI_FIELDS, HOCBA_FIELDS, QUATRINHHOCTAP_FIELDS, type FieldSpec } from '../../../documents/hocba/fields.js';
import { mappingResult } from '../../shared/transforms.js';

export const DICTIONARY_TABLE = 'thongtinsohocbasothcsthpt';
const SIGNER_ID_FIELDS = ['soddcngiamhieu', 'soddcngvcn'] as const;

/** The document's record with fields in the document's order, child rows in theirs; nothing else. */
export function documentRecord(document: Record<string, unknown>): JsonObject {
  const pick = (row: Record<string, unknown>, specs: readonly FieldSpec[]): JsonObject => {
    const out: JsonObject = {};
    for (const spec of specs) {
      const v = row[spec.name];
      if (v !== undefined && v !== null) out[spec.name] = v as JsonValue;
    }
    return out;
  };
  const rows = (name: string, specs: readonly FieldSpec[]): JsonObject[] => {
    const list = document[name];
    return Array.isArray(list) ? list.map((row) => pick(typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}, specs)) : [];
  };
  return { ...pick(document, HOCBA_FIELDS), bangdiem: rows('bangdiem', BANGDIEM_FIELDS), quatrinhhoctap: rows('quatrinhhoctap', QUATRINHHOCTAP_FIELDS), chungchi: rows('chungchi', CHUNGCHI_FIELDS) };
}

/** An instant as the envelope's time: `YYYY-MM-DDTHH:mm:ss`, Vietnam time (UTC+7, no daylight saving). */
export function vietnamTime(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms + 7 * 3600_000).toISOString().slice(0, 19);
}

function mapSignedFile(record: SourceRecord, context: MappingContext): MappingResult {
  const file = typeof record.data['file'] === 'string' ? record.data['file'] : record.key;
  const named = (e: FieldError): FieldError => ({ ...e, message: `${file}: ${e.message}` });
  const problem = record.data['problem'] as { code?: unknown; message?: unknown } | undefined;
  if (problem !== undefined) {
    return { ok: false, errors: [{ field: 'tailieu', code: String(problem.code ?? 'SIGNED_FILE_NOT_HOCBA'), message: String(problem.message ?? `${file}: cannot be read`) }] };
  }
  const document = record.data['document'];
  if (typeof document !== 'object' || document === null) {
    return { ok: false, errors: [{ field: 'tailieu', code: 'SIGNED_FILE_NOT_HOCBA', message: `${file}: the source gave no document` }] };
  }
  const data = documentRecord(document as Record<string, unknown>);
  const errors: FieldError[] = [];

  // the pupil's id against the birth date and sex; the signers' ids by their structure
  const birth = parseFlexibleDate(data.ngaythangnamsinh ?? data.thangnamsinh ?? data.namsinh);
  errors.push(...checkCccd(data.sodinhdanh, { birthDate: birth.ok ? birth.value : undefined, gioitinh: typeof data.gioitinh === 'string' ? (data.gioitinh as GenderCode) : undefined }));
  for (const field of SIGNER_ID_FIELDS) if (data[field] !== undefined) errors.push(...checkCccd(data[field], { field: `data.${field}` }));
  for (const row of data.bangdiem as JsonObject[]) {
    errors.push(...checkCccd(row.soddcngvbm, { field: `data.bangdiem[${String(row.mamonhoc)}].soddcngvbm` }));
  }
  // a document of another school would be refused by the hub for this unit's credentials
  if (context.unitCode.trim() !== '' && data.matruong !== context.unitCode.trim()) {
    errors.push({ field: 'data.matruong', code: 'SIGNED_UNIT_MISMATCH', message: `the document is of another school (matruong) than this job's unit code ${context.unitCode}` });
  }
  const reported = new Set(errors.map((e) => e.field));
  for (const e of validateAgainstTable(getDictionaryTable(DICTIONARY_TABLE), data)) {
    if (reported.has(e.field)) continue;
    reported.add(e.field);
    errors.push(e);
  }

  const idbanghi = typeof data.idbanghi === 'string' && data.idbanghi !== '' ? data.idbanghi : undefined;
  if (idbanghi === undefined && !reported.has('data.idbanghi')) errors.push({ field: 'data.idbanghi', code: 'DICT_REQUIRED', message: 'idbanghi: the document has no record id' });
  const thoigiancapnhat = vietnamTime(String(record.data['arrival'] ?? ''));
  if (thoigiancapnhat === undefined) errors.push({ field: 'thoigiancapnhat', code: 'SIGNED_FILE_TIME', message: 'the time the file arrived is unknown' });
  const sukien: RecordEvent = data.trangthaithongtinhocba === '2' ? 'CANCEL' : 'NEW';
  return mappingResult({ errors: errors.map(named), warnings: [], idbanghi, sukien, thoigiancapnhat, data });
}

export const hocBaThcsThptSignedMapping: Mapping = {
  name: 'signed-hocba-file-to-hocba-thcsthpt',
  dataset: 'hocbaso-thcsthpt',
  schemaVersion: 'thongtinsohocbasothcsthpt/2025',
  personalIdField: 'sodinhdanh',
  verification: { kind: 'school-record', numberField: 'sosodangbo', issueDateFields: ['ngaykyphathanh'], holderField: 'hovaten' },
  map: mapSignedFile,
};
