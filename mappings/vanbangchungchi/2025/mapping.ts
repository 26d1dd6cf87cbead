/**
 * UIS graduate row → national diploma record `VanBangChungChi` (docs/formats/diploma.md).
 * The field table (fields.ts) says where each field comes from; this file applies it, adds the
 * rules that span fields (personal id vs birth date and sex, place of birth), builds the envelope
 * and checks the result against the national data dictionary. Pure: no I/O, no clock.
 */
import type { Mapping, MappingContext, MappingResult } from '../../../src/core/mapping.js';
import type { FieldError, JsonObject, SourceRecord } from '../../../src/core/records.js';
import { checkCccd } from '../../../src/domain/cccd.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { getDictionaryTable, validateAgainstTable } from '../../../src/domain/dictionary/index.js';
import type { GenderCode } from '../../../src/domain/gender.js';
import type { ProvinceCodeSet } from '../../../src/domain/provinces.js';
import { brokenEncodingMessage, hasBrokenEncoding, INVALID_TEXT_ENCODING } from '../../../src/domain/text-encoding.js';
import { mappingResult, sourceTimeZone, sourceTimestamp } from '../../shared/transforms.js';
import { BIRTH_PLACE_COLUMNS, FIELD_TABLE, STATUS_COLUMN, type Source, UPDATED_AT_COLUMN } from './fields.js';
import { BIRTH, checkDiplomaDates } from './rules.js';
import { declaredColumns } from './columns.js';
import { type StatusEntry, type StatusLookup, statusKey, statusLookup } from './status.js';
import { type Outcome, birthPlaceCodes, diplomaRecordId } from './transforms.js';
import { correctionBlock, recordSerial } from './lifecycle.js';

export const DICTIONARY_TABLE = 'VanBangChungChi';
export { EVENT_BY_STATUS } from './status.js';

/**
 * A source column's value, or undefined with an error naming the target field when the text could
 * not be decoded at the source (U+FFFD, a lone surrogate): such text is never mapped, whatever the
 * transform (a name, a code, a status) would make of it.
 */
function column(record: SourceRecord, name: string, field: string, errors: FieldError[]): unknown {
  const value = record.data[name];
  if (typeof value === 'string' && hasBrokenEncoding(value)) {
    errors.push({ field, code: INVALID_TEXT_ENCODING, message: brokenEncodingMessage(field.replace(/^data\./, ''), name) });
    return undefined;
  }
  return value;
}

function read(source: Source, to: string, record: SourceRecord, context: MappingContext, errors: FieldError[]): unknown {
  if (source === 'unitCode') return context.unitCode;
  if ('column' in source) return column(record, source.column, `data.${to}`, errors);
  return context.options[source.option];
}

function provinceCodeSet(context: MappingContext): ProvinceCodeSet {
  // The UIS stores birth places in the pre-2025 codes unless the job says otherwise.
  return context.options.provinceCodeSet === '2025' ? '2025' : 'pre2025';
}

function apply(outcome: Outcome, field: string, data: JsonObject, errors: FieldError[]): void {
  if ('values' in outcome) Object.assign(data, outcome.values);
  else errors.push({ field: `data.${field}`, code: outcome.code, message: outcome.message });
}

/**
 * Status → trangthai and the event. An unknown or missing status stops the record: sending it as
 * anything could leave a revoked diploma valid at the hub. The message names the column, never
 * the value.
 */
function statusOf(raw: unknown, statuses: StatusLookup, errors: FieldError[]): StatusEntry | undefined {
  if (errors.some((e) => e.field === 'data.trangthai')) return undefined; // text the source could not decode
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    errors.push({ field: 'data.trangthai', code: 'STATUS_MISSING', message: `trangthai: column ${STATUS_COLUMN} is empty` });
    return undefined;
  }
  const status = typeof raw === 'string' || typeof raw === 'number' ? statuses.get(statusKey(raw)) : undefined;
  if (status === undefined) {
    errors.push({
      field: 'data.trangthai',
      code: 'STATUS_UNKNOWN',
      message: `trangthai: the value of column ${STATUS_COLUMN} is not in the status table (add it to mapping option statusValues)`,
    });
  }
  return status;
}

function mapRecord(record: SourceRecord, context: MappingContext): MappingResult {
  const data: JsonObject = {};
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  // options first: a bad option is a configuration error, whatever the record holds
  const timeZone = sourceTimeZone(context.options);
  const statuses = statusLookup(context.options);

  for (const rule of FIELD_TABLE) {
    const before = errors.length;
    const value = read(rule.from, rule.to, record, context, errors);
    if (errors.length === before) apply(rule.via(rule.to, value), rule.to, data, errors);
  }
  const province = column(record, BIRTH_PLACE_COLUMNS.province, 'data.noisinh_matinh', errors);
  const ward = column(record, BIRTH_PLACE_COLUMNS.ward, 'data.noisinh_maxa', errors);
  if (!errors.some((e) => e.field === 'data.noisinh_matinh' || e.field === 'data.noisinh_maxa')) {
    apply(birthPlaceCodes(provinceCodeSet(context))(province, ward), 'noisinh_matinh', data, errors);
  }

  // Personal ids: structure, and for the holder agreement with birth date and gioitinh.
  if (typeof data.sodinhdanh === 'string') {
    const birthText = data[BIRTH.day] ?? data[BIRTH.month] ?? data[BIRTH.year];
    const birth = parseFlexibleDate(birthText);
    const gioitinh = typeof data.gioitinh === 'string' ? (data.gioitinh as GenderCode) : undefined;
    errors.push(...checkCccd(data.sodinhdanh, { birthDate: birth.ok ? birth.value : undefined, gioitinh }));
  }
  for (const field of ['soddcnnguoiky', 'nguoikyvbccbangiay_sodinhdanh']) {
    const id = data[field];
    if (typeof id === 'string') errors.push(...checkCccd(id, { field: `data.${field}` }));
  }

  const status = statusOf(column(record, STATUS_COLUMN, 'data.trangthai', errors), statuses, errors);
  if (status !== undefined) data.trangthai = status.trangthai;
  const sukien = status?.sukien;
  const readColumn = (name: string, field: string): unknown => column(record, name, field, errors);
  // a correction goes with its decision, or not at all (held back, reported): lifecycle.ts
  if (data.trangthai === '4') {
    const correction = correctionBlock(readColumn, data, errors);
    if (correction !== undefined) data.thongtinhieuchinh = correction;
  }
  const updatedAt = column(record, UPDATED_AT_COLUMN, 'thoigiancapnhat', errors);
  const thoigiancapnhat = errors.some((e) => e.field === 'thoigiancapnhat') ? undefined : sourceTimestamp(updatedAt, UPDATED_AT_COLUMN, errors, timeZone);
  const idbanghi =
    typeof data.sohieu === 'string' && context.unitCode.trim() !== '' ? diplomaRecordId(context.unitCode, recordSerial(readColumn, data.sohieu)) : undefined;

  // Dates in order and a plausible age, then every dictionary rule; a field already reported is
  // not reported twice.
  const reported = new Set(errors.map((e) => e.field));
  errors.push(...checkDiplomaDates(data, reported, context.options));
  for (const e of errors) reported.add(e.field);
  for (const e of validateAgainstTable(getDictionaryTable(DICTIONARY_TABLE), data)) {
    if (!reported.has(e.field)) errors.push(e);
  }

  return mappingResult({ errors, warnings, idbanghi, sukien, thoigiancapnhat, data });
}

export const vanBangChungChiMapping: Mapping = {
  name: 'uis-graduate-to-vanbangchungchi',
  dataset: 'vanbangchungchi',
  schemaVersion: 'VanBangChungChi/2025',
  columns: declaredColumns(),
  personalIdField: 'sodinhdanh',
  // what the public verification page shows (the name masked; never the id or the birth date)
  verification: { kind: 'diploma', numberField: 'sohieu', decisionField: 'soquyetdinhtn', issueDateFields: ['ngaycap_ngaythangnam', 'ngaycap_thangnam', 'ngaycap_nam'], holderField: 'hovaten' },
  map: mapRecord,
};
