/**
 * Small pure transforms used by the field table (fields.ts). Each takes the (already decoded)
 * source value and returns the target value(s) or a problem; none quotes the value in its message.
 */
import { asText, one, problem, skip, uuidV5, type Outcome } from '../../shared/transforms.js';
import { isSchoolYear, parseFlexibleDate } from '../../../src/domain/dates.js';
import { parseTt22Level } from '../../../src/domain/grading.js';
import { parseCountry } from '../../../src/domain/nationality.js';
import { parseSchoolLevel } from '../../../src/domain/school-levels.js';

export { addressCodes, asText, ethnicity, gender, idNumber, partialDate, personName, skip, text, type Outcome } from '../../shared/transforms.js';

/** A full calendar date `YYYY-MM-DD` (issue and creation dates have no partial form). */
export const fullDate = (field: string, value: unknown): Outcome => {
  if (value === undefined || value === null || value === '') return skip;
  const r = parseFlexibleDate(value);
  if (!r.ok) return problem(r.code, `${field}: ${r.message}`);
  return r.value.precision === 'day' ? one(field, r.value.iso) : problem('DATE_PRECISION', `${field}: a full date (day, month, year) is required`);
};

/** `YYYY-YYYY` with consecutive years. */
export const schoolYear = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  if (t === undefined) return skip;
  return isSchoolYear(t) ? one(field, t) : problem('NAMHOC_INVALID', `${field}: must be YYYY-YYYY with consecutive years`);
};

/** Nationality as ISO 3166-1 alpha-2 (`VN`). */
export const nationality = (field: string, value: unknown): Outcome => {
  if (asText(value) === undefined) return skip;
  const r = parseCountry(asText(value));
  return r.ok ? one(field, r.country.alpha2) : problem(r.code, `${field}: ${r.message}`);
};

/** A 0/1 flag from 0/1, true/false or 'Có'/'Không'. Empty → 0 (the legacy default of such columns). */
export const flag = (field: string, value: unknown): Outcome => {
  if (value === undefined || value === null || value === '') return one(field, 0);
  const t = asText(typeof value === 'boolean' ? (value ? 1 : 0) : value)?.toLowerCase();
  if (t === '1' || t === 'true' || t === 'có' || t === 'co') return one(field, 1);
  if (t === '0' || t === 'false' || t === 'không' || t === 'khong') return one(field, 0);
  return problem('FLAG_INVALID', `${field}: must be 0 or 1`);
};

/** A whole number ≥ 0 (absences). */
export const count = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  if (t === undefined) return skip;
  return /^\d{1,3}$/.test(t) ? one(field, Number(t)) : problem('NUMBER_INVALID', `${field}: must be a whole number`);
};

/** A result or conduct level T / K / Đ / CĐ (also 'Tốt', 'Khá'…, or the old numeric 1–4). */
export const level = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  if (t === undefined) return skip;
  const l = parseTt22Level(t);
  return l === undefined ? problem('LEVEL_UNKNOWN', `${field}: must be T, K, Đ or CĐ`) : one(field, l.code);
};

/** Record status: 1 valid, 2 revoked. Empty → 1. */
export const recordStatus = (field: string, value: unknown): Outcome => {
  const t = asText(value) ?? '1';
  return t === '1' || t === '2' ? one(field, t) : problem('TRANGTHAI_UNKNOWN', `${field}: status must be 1 or 2`);
};

/** `macaphoc`: 03 THCS, 04 THPT (also 'THCS', 'cấp 2', '3'…). */
export const schoolLevel = (field: string, value: unknown): Outcome => {
  if (asText(value) === undefined) return skip;
  const r = parseSchoolLevel(asText(value));
  if (!r.ok) return problem(r.code, `${field}: ${r.message}`);
  return r.level.code === '03' || r.level.code === '04' ? one(field, r.level.code) : problem('SCHOOL_LEVEL_NOT_SECONDARY', `${field}: not a secondary level (THCS or THPT)`);
};

/** `makhoi`: a secondary grade 6–12. */
export const grade = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  if (t === undefined) return skip;
  const n = Number(t);
  return /^\d{1,2}$/.test(t) && n >= 6 && n <= 12 ? one(field, String(n)) : problem('KHOI_INVALID', `${field}: must be a secondary grade 6–12`);
};

/** Namespace of lienthong's secondary school record ids (a fixed random UUID). */
export const HOCBA_THCSTHPT_ID_NAMESPACE = '5b6f2d0e-9a4c-4c1b-8e7d-3f2a1c9b7e64';

/**
 * The record id the hub keys on: an RFC 4122 version-5 UUID (SHA-1 name-based) of
 * "<sodinhdanh>:<namhoc>:<matruong>" — one pupil, one school year, one school. The same pupil-year
 * always gets the same id, in every run, on every host; 36 characters.
 */
export function hocBaRecordId(sodinhdanh: string, namhoc: string, matruong: string): string {
  return uuidV5(HOCBA_THCSTHPT_ID_NAMESPACE, `${sodinhdanh.trim()}:${namhoc.trim()}:${matruong.trim()}`);
}
