/**
 * Small pure transforms used by the field table (fields.ts). Each takes the source value and
 * returns the target value(s) or a problem; none quotes the value in its message.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../../../src/core/records.js';
import { asText, one, problem, skip, type Outcome } from '../../shared/transforms.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { parseEthnicity } from '../../../src/domain/ethnicity.js';
import { parseGender } from '../../../src/domain/gender.js';
import { nameMatchKey, normalizeText } from '../../../src/domain/names.js';
import { type ProvinceCodeSet, resolveProvinceCode } from '../../../src/domain/provinces.js';

export { asText, idNumber, partialDate, personName, skip, text, type Outcome } from '../../shared/transforms.js';

/** A year `YYYY` from a number, a year or a full date. */
export const year = (field: string, value: unknown): Outcome => {
  if (value === undefined || value === null || value === '') return skip;
  const r = parseFlexibleDate(value);
  return r.ok ? one(field, String(r.value.year)) : problem('YEAR_INVALID', `${field}: not a year`);
};

export const gender = (field: string, value: unknown): Outcome => {
  const r = parseGender(value);
  return r.ok ? one(field, r.code) : problem(r.code, `${field}: ${r.message}`);
};

export const ethnicity = (field: string, value: unknown): Outcome => {
  const r = parseEthnicity(value);
  return r.ok ? one(field, r.code) : problem(r.code, `${field}: ${r.message}`);
};

/** University classification (TT 08/2021): the label as the format spells it. */
export const CLASSIFICATIONS = ['Xuất sắc', 'Giỏi', 'Khá', 'Trung bình khá', 'Trung bình', 'Yếu', 'Kém'] as const;
const classificationByKey = new Map<string, string>(CLASSIFICATIONS.map((c) => [nameMatchKey(c), c]));

export const classification = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  if (t === undefined) return skip;
  const c = classificationByKey.get(nameMatchKey(t));
  return c === undefined ? problem('XEPLOAI_UNKNOWN', `${field}: not a known graduation classification`) : one(field, c);
};

/** Diploma status 1 valid, 2 revoked, 3 cancelled, 4 corrected. */
export const status = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  return t !== undefined && /^[1-4]$/.test(t) ? one(field, t) : problem('TRANGTHAI_UNKNOWN', `${field}: status must be 1, 2, 3 or 4`);
};

/**
 * Place of birth codes: a legacy (pre-2025) province/ward is translated through the ward
 * crosswalk; what cannot be translated is reported, not guessed. A Vietnamese province implies
 * country VNM.
 */
export const birthPlaceCodes =
  (codeSet: ProvinceCodeSet) =>
  (provinceCode: unknown, wardCode: unknown): Outcome => {
    const p = asText(provinceCode);
    const w = asText(wardCode);
    if (p === undefined) return w === undefined ? skip : problem('PROVINCE_MISSING', 'noisinh_matinh: ward code given without a province code');
    const r = resolveProvinceCode({ provinceCode: p, wardCode: w ?? null }, codeSet);
    if (!r.ok) return problem(r.code, `noisinh_matinh: ${r.message}`);
    const values: Record<string, JsonValue> = { noisinh_matinh: r.matinh, noisinh_quocgia: 'VNM' };
    if (r.maxa !== undefined) values.noisinh_maxa = r.maxa;
    return { values };
  };

/** Namespace of lienthong's diploma record ids (a fixed random UUID). */
export const VBCC_ID_NAMESPACE = '8f0d6a52-3c1e-4b7a-9a55-2f6c1d9e4b10';

/**
 * The record id the hub keys on: an RFC 4122 version-5 UUID (SHA-1 name-based) of
 * "<unit code>:<sohieu>". The same diploma always gets the same id, in every run, on every host.
 */
export function diplomaRecordId(unitCode: string, sohieu: string): string {
  const ns = Buffer.from(VBCC_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const name = Buffer.from(`${unitCode.trim()}:${normalizeText(sohieu)}`, 'utf8');
  const h = createHash('sha1').update(ns).update(name).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
