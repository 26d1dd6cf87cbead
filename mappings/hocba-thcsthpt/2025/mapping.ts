/**
 * School pupil-year row → national secondary school record `thongtinsohocbasothcsthpt`
 * (docs/formats/hocba.md). The field table (fields.ts) says where each
 * field comes from; subjects.ts computes the subject averages and result levels from the raw
 * scores (Thông tư 22/2021) and compares them with the school's stored ones; this file applies it
 * all, adds the rules that span fields (personal id vs birth date and sex, legacy text, addresses),
 * and checks the result against the national data dictionary and the document's field shapes, so
 * that a record that maps cleanly also renders as a valid XML document (`buildHocBaXml`).
 * Pure: no I/O, no clock.
 */
import { ConfigError } from '../../../src/core/errors.js';
import type { Mapping, MappingContext, MappingResult } from '../../../src/core/mapping.js';
import type { FieldError, JsonObject, JsonValue, RecordEvent, SourceRecord } from '../../../src/core/records.js';
import { checkCccd } from '../../../src/domain/cccd.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { getDictionaryTable, validateAgainstTable } from '../../../src/domain/dictionary/index.js';
import { decodeSourceText, detectLikelyMojibake, isSourceEncoding, SOURCE_ENCODINGS, type SourceEncoding } from '../../../src/domain/encoding.js';
import type { GenderCode } from '../../../src/domain/gender.js';
import type { ProvinceCodeSet } from '../../../src/domain/provinces.js';
import { BANGDIEM_FIELDS, HOCBA_FIELDS, QUATRINHHOCTAP_FIELDS, type FieldSpec } from '../../../documents/hocba/fields.js';
import {
  ADDRESS_RULES,
  BIRTH_DATE_COLUMN,
  FIELD_TABLE,
  HISTORY_COLUMN,
  NAME_FIELDS,
  SIGNER_ID_FIELDS,
  SOURCE_COLUMNS,
  type Source,
  STORED_RESULT_COLUMNS,
  SUBJECTS_COLUMN,
  UPDATED_AT_COLUMN,
} from './fields.js';
import { mappingResult, sourceTimestamp } from '../../shared/transforms.js';
import { mapHistory } from './history.js';
import { mapSubjects, mojibakeError } from './subjects.js';
import { addressCodes, asText, hocBaRecordId, type Outcome } from './transforms.js';

export const DICTIONARY_TABLE = 'thongtinsohocbasothcsthpt';
const LEVEL_FIELDS = ['hocky1', 'hocky2', 'canam'] as const;

/** The job option `sourceEncoding`: how the source's text is encoded (default `unicode`). */
export function sourceEncodingOption(context: MappingContext): SourceEncoding {
  const value = context.options.sourceEncoding ?? 'unicode';
  if (!isSourceEncoding(value)) {
    throw new ConfigError('UNKNOWN_SOURCE_ENCODING', `mapping option sourceEncoding must be one of ${SOURCE_ENCODINGS.join(', ')}`, { path: 'mapping.options.sourceEncoding' });
  }
  return value;
}

function provinceCodeSet(context: MappingContext): ProvinceCodeSet {
  // School systems keep pupils' addresses in the pre-2025 codes unless the job says otherwise.
  return context.options.provinceCodeSet === '2025' ? '2025' : 'pre2025';
}

function apply(outcome: Outcome, field: string, data: JsonObject, errors: FieldError[]): void {
  if ('values' in outcome) Object.assign(data, outcome.values);
  else errors.push({ field: `data.${field}`, code: outcome.code, message: outcome.message });
}

/** A field spec's shape (pattern, code list, range) as the XML schema enforces it. */
function shapeErrors(path: string, spec: FieldSpec, value: JsonValue | undefined): FieldError[] {
  if (value === undefined || value === null || value === '') return [];
  const fail = (): FieldError[] => [{ field: path, code: 'FORMAT_INVALID', message: `${spec.name}: does not have the form the record requires` }];
  if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`, 'u').test(String(value))) return fail();
  if (spec.enumeration !== undefined && !spec.enumeration.includes(String(value))) return fail();
  if (typeof value === 'number' && ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))) return fail();
  return [];
}

/** The record with fields in the document's order (HOCBA_FIELDS), child rows in theirs. */
function ordered(data: JsonObject, bangdiem: JsonObject[], quatrinhhoctap: JsonObject[]): JsonObject {
  const pick = (row: JsonObject, specs: readonly FieldSpec[]): JsonObject => {
    const out: JsonObject = {};
    for (const spec of specs) {
      const v = row[spec.name];
      if (v !== undefined) out[spec.name] = v;
    }
    return out;
  };
  return {
    ...pick(data, HOCBA_FIELDS),
    bangdiem: bangdiem.map((row) => pick(row, BANGDIEM_FIELDS)),
    quatrinhhoctap: quatrinhhoctap.map((row) => pick(row, QUATRINHHOCTAP_FIELDS)),
    chungchi: [],
  };
}

function mapRecord(record: SourceRecord, context: MappingContext): MappingResult {
  const encoding = sourceEncodingOption(context);
  const decode = (s: string): string => decodeSourceText(s, encoding);
  const read = (source: Source): unknown => {
    if ('column' in source) {
      const v = record.data[source.column];
      if (source.fallback && (v === undefined || v === null || v === '')) return context.options[source.fallback.option] ?? source.fallback.default;
      return typeof v === 'string' ? decode(v) : v;
    }
    return context.options[source.option] ?? source.default;
  };
  const data: JsonObject = {};
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];

  for (const rule of FIELD_TABLE) apply(rule.via(rule.to, read(rule.from)), rule.to, data, errors);
  for (const rule of ADDRESS_RULES) {
    const codeSet = rule.codeSet === '2025' ? '2025' : provinceCodeSet(context);
    apply(addressCodes(rule.prefix, codeSet)(record.data[rule.province], record.data[rule.ward]), `${rule.prefix}_matinh`, data, errors);
  }
  if (data.matruong === undefined && context.unitCode.trim() !== '') data.matruong = context.unitCode.trim();

  // Legacy text: names that look like TCVN3/VNI bytes read as Unicode are reported, not sent.
  // The check reads the decoded source text: title-casing would hide tell-tale capitals ("HiÕu").
  for (const field of NAME_FIELDS) {
    const rule = FIELD_TABLE.find((r) => r.to === field);
    const value = rule === undefined ? undefined : read(rule.from);
    if (typeof value !== 'string') continue;
    const verdict = detectLikelyMojibake(value);
    if (verdict.suspicious) errors.push(mojibakeError(`data.${field}`, field, verdict.likelyEncoding));
  }

  // Personal ids: the pupil's against birth date and gioitinh, the signers' structure.
  if (typeof data.sodinhdanh === 'string') {
    const birth = parseFlexibleDate(read({ column: BIRTH_DATE_COLUMN }));
    const gioitinh = typeof data.gioitinh === 'string' ? (data.gioitinh as GenderCode) : undefined;
    errors.push(...checkCccd(data.sodinhdanh, { birthDate: birth.ok ? birth.value : undefined, gioitinh }));
  }
  for (const field of SIGNER_ID_FIELDS) {
    const id = data[field];
    if (typeof id === 'string') errors.push(...checkCccd(id, { field: `data.${field}` }));
  }

  // Subjects, computed results, comparison with the school's stored results.
  const storedLevels: Partial<Record<(typeof LEVEL_FIELDS)[number], string>> = {};
  for (const field of LEVEL_FIELDS) {
    const v = asText(read({ column: STORED_RESULT_COLUMNS[field] }));
    if (v !== undefined) storedLevels[field] = v;
  }
  const conductYear = typeof data.renluyencanam === 'string' ? data.renluyencanam : undefined;
  const subjects = mapSubjects(record.data[SUBJECTS_COLUMN], storedLevels, conductYear, decode);
  errors.push(...subjects.errors);
  warnings.push(...subjects.warnings);
  Object.assign(data, subjects.levels);
  const history = mapHistory(record.data[HISTORY_COLUMN], decode);
  errors.push(...history.errors);

  // Record id: one pupil, one school year, one school.
  const idbanghi =
    typeof data.sodinhdanh === 'string' && typeof data.namhoc === 'string' && typeof data.matruong === 'string'
      ? hocBaRecordId(data.sodinhdanh, data.namhoc, data.matruong)
      : undefined;
  if (idbanghi !== undefined) {
    data.idbanghi = idbanghi;
    data.madinhdanhhocba = idbanghi;
  }
  const result = ordered(data, subjects.bangdiem, history.rows);

  // Every dictionary rule (child tables too) and the document's field shapes; a field that already
  // has an error is not reported twice. The year results are not required of a pupil with a
  // disability who is not assessed, nor reported again when a subject error stopped their computation.
  const reported = new Set(errors.map((e) => e.field));
  const subjectFailed = errors.some((e) => e.field.startsWith('data.bangdiem'));
  if (data.cokhuyettatkhongdanhgia === 1 || subjectFailed) for (const f of LEVEL_FIELDS) reported.add(`data.${f}`);
  // madinhdanhhocba is derived with idbanghi: its absence follows from an error already reported
  if (idbanghi === undefined) reported.add('data.madinhdanhhocba');
  const codeAt = (i: string): string => String(subjects.bangdiem[Number(i)]?.mamonhoc ?? i);
  const candidates: FieldError[] = [
    ...validateAgainstTable(getDictionaryTable(DICTIONARY_TABLE), result).map((e) => ({ ...e, field: e.field.replace(/^data\.bangdiem\[(\d+)\]/, (_m, i: string) => `data.bangdiem[${codeAt(i)}]`) })),
    ...HOCBA_FIELDS.flatMap((spec) => shapeErrors(`data.${spec.name}`, spec, result[spec.name])),
    ...subjects.bangdiem.flatMap((row) => BANGDIEM_FIELDS.flatMap((spec) => shapeErrors(`data.bangdiem[${String(row.mamonhoc)}].${spec.name}`, spec, row[spec.name]))),
    ...history.rows.flatMap((row, i) => QUATRINHHOCTAP_FIELDS.flatMap((spec) => shapeErrors(`data.quatrinhhoctap[${i}].${spec.name}`, spec, row[spec.name]))),
  ];
  for (const e of candidates) {
    if (reported.has(e.field)) continue;
    reported.add(e.field);
    errors.push(e);
  }
  if (subjects.bangdiem.length === 0 && !errors.some((e) => e.field.startsWith('data.bangdiem'))) {
    errors.push({ field: 'data.bangdiem', code: 'SUBJECTS_MISSING', message: 'bangdiem: the record has no subject' });
  }

  // Envelope.
  const thoigiancapnhat = sourceTimestamp(record.data[UPDATED_AT_COLUMN], UPDATED_AT_COLUMN, errors);
  const sukien: RecordEvent = data.trangthaithongtinhocba === '2' ? 'CANCEL' : 'NEW';

  const mapped = mappingResult({ errors, warnings, idbanghi, sukien, thoigiancapnhat, data: result });
  // who signs a subject whose teacher has left: beside the data (the dataset has no field for it)
  if (mapped.ok && subjects.signedByPrincipal.length > 0) mapped.signing = { subjectsSignedByPrincipal: subjects.signedByPrincipal };
  return mapped;
}

export const hocBaThcsThptMapping: Mapping = {
  name: 'school-pupil-year-to-hocba-thcsthpt',
  dataset: 'hocbaso-thcsthpt',
  schemaVersion: 'thongtinsohocbasothcsthpt/2025',
  columns: SOURCE_COLUMNS,
  personalIdField: 'sodinhdanh',
  gradeField: 'makhoi',
  // what the public verification page shows (the name masked; never the id, the birth date or a grade)
  verification: { kind: 'school-record', numberField: 'sosodangbo', issueDateFields: ['ngaykyphathanh'], holderField: 'hovaten' },
  map: mapRecord,
};
