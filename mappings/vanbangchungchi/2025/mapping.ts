/**
 * UIS graduate row → national diploma record `VanBangChungChi` (contracts/formats.md "Diploma").
 * The field table (fields.ts) says where each field comes from; this file applies it, adds the
 * rules that span fields (personal id vs birth date and sex, place of birth), builds the envelope
 * and checks the result against the national data dictionary. Pure: no I/O, no clock.
 */
import type { Mapping, MappingContext, MappingResult } from '../../../src/core/mapping.js';
import type { FieldError, JsonObject, RecordEvent, SourceRecord } from '../../../src/core/records.js';
import { checkCccd } from '../../../src/domain/cccd.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { getDictionaryTable, validateAgainstTable } from '../../../src/domain/dictionary/index.js';
import type { GenderCode } from '../../../src/domain/gender.js';
import type { ProvinceCodeSet } from '../../../src/domain/provinces.js';
import { mappingResult, sourceTimestamp } from '../../shared/transforms.js';
import { BIRTH_PLACE_COLUMNS, FIELD_TABLE, type Source, UPDATED_AT_COLUMN } from './fields.js';
import { type Outcome, birthPlaceCodes, diplomaRecordId } from './transforms.js';

export const DICTIONARY_TABLE = 'VanBangChungChi';

/** trangthai → sukien: revoking or cancelling is a soft delete; a correction is an update. */
export const EVENT_BY_STATUS: Readonly<Record<string, RecordEvent>> = { '1': 'NEW', '2': 'CANCEL', '3': 'CANCEL', '4': 'UPDATE' };

function read(source: Source, record: SourceRecord, context: MappingContext): unknown {
  if (source === 'unitCode') return context.unitCode;
  if ('column' in source) return record.data[source.column];
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

function mapRecord(record: SourceRecord, context: MappingContext): MappingResult {
  const data: JsonObject = {};
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];

  for (const rule of FIELD_TABLE) apply(rule.via(rule.to, read(rule.from, record, context)), rule.to, data, errors);
  apply(
    birthPlaceCodes(provinceCodeSet(context))(record.data[BIRTH_PLACE_COLUMNS.province], record.data[BIRTH_PLACE_COLUMNS.ward]),
    'noisinh_matinh',
    data,
    errors,
  );

  // Personal ids: structure, and for the holder agreement with birth date and gioitinh.
  if (typeof data.sodinhdanh === 'string') {
    const birth = parseFlexibleDate(record.data.birth_date);
    const gioitinh = typeof data.gioitinh === 'string' ? (data.gioitinh as GenderCode) : undefined;
    errors.push(...checkCccd(data.sodinhdanh, { birthDate: birth.ok ? birth.value : undefined, gioitinh }));
  }
  for (const field of ['soddcnnguoiky', 'nguoikyvbccbangiay_sodinhdanh']) {
    const id = data[field];
    if (typeof id === 'string') errors.push(...checkCccd(id, { field: `data.${field}` }));
  }

  // Envelope.
  const trangthai = typeof data.trangthai === 'string' ? data.trangthai : undefined;
  const sukien = trangthai === undefined ? undefined : EVENT_BY_STATUS[trangthai];
  if (trangthai === '4') {
    warnings.push({
      field: 'data.thongtinhieuchinh',
      code: 'CORRECTION_BLOCK_MISSING',
      message: 'thongtinhieuchinh: the source has no correction decision columns; sent as UPDATE without the correction block',
    });
  }
  const thoigiancapnhat = sourceTimestamp(record.data[UPDATED_AT_COLUMN], UPDATED_AT_COLUMN, errors);
  const idbanghi =
    typeof data.sohieu === 'string' && context.unitCode.trim() !== '' ? diplomaRecordId(context.unitCode, data.sohieu) : undefined;

  // Every dictionary rule; a field that already has an error is not reported twice.
  const reported = new Set(errors.map((e) => e.field));
  for (const e of validateAgainstTable(getDictionaryTable(DICTIONARY_TABLE), data)) {
    if (!reported.has(e.field)) errors.push(e);
  }

  return mappingResult({ errors, warnings, idbanghi, sukien, thoigiancapnhat, data });
}

export const vanBangChungChiMapping: Mapping = {
  name: 'uis-graduate-to-vanbangchungchi',
  dataset: 'vanbangchungchi',
  schemaVersion: 'VanBangChungChi/2025',
  map: mapRecord,
};
