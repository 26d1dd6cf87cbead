/**
 * Small pure transforms used by the field table (fields.ts). Each takes the source value and
 * returns the target value(s) or a problem; none quotes the value in its message.
 */
import { addressCodes, asText, one, problem, skip, uuidV5, type Outcome } from '../../shared/transforms.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { nameMatchKey, normalizeText } from '../../../src/domain/names.js';
import type { ProvinceCodeSet } from '../../../src/domain/provinces.js';

export { asText, ethnicity, gender, idNumber, partialDate, personName, skip, text, type Outcome } from '../../shared/transforms.js';

/** A year `YYYY` from a number, a year or a full date. */
export const year = (field: string, value: unknown): Outcome => {
  if (value === undefined || value === null || value === '') return skip;
  const r = parseFlexibleDate(value);
  return r.ok ? one(field, String(r.value.year)) : problem('YEAR_INVALID', `${field}: not a year`);
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

/**
 * Place of birth codes: a legacy (pre-2025) province/ward is translated through the ward
 * crosswalk; what cannot be translated is reported, not guessed. A Vietnamese province implies
 * country VNM.
 */
export const birthPlaceCodes =
  (codeSet: ProvinceCodeSet) =>
  (provinceCode: unknown, wardCode: unknown): Outcome => {
    const out = addressCodes('noisinh', codeSet)(provinceCode, wardCode);
    return 'values' in out && out.values.noisinh_matinh !== undefined ? { values: { ...out.values, noisinh_quocgia: 'VNM' } } : out;
  };

/** Namespace of lienthong's diploma record ids (a fixed random UUID). */
export const VBCC_ID_NAMESPACE = '8f0d6a52-3c1e-4b7a-9a55-2f6c1d9e4b10';

/**
 * The record id the hub keys on: an RFC 4122 version-5 UUID (SHA-1 name-based) of
 * "<unit code>:<sohieu>". The same diploma always gets the same id, in every run, on every host.
 */
export function diplomaRecordId(unitCode: string, sohieu: string): string {
  return uuidV5(VBCC_ID_NAMESPACE, `${unitCode.trim()}:${normalizeText(sohieu)}`);
}
