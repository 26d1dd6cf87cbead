/**
 * Structure check of a 12-digit CCCD / personal id (TT 59/2021/TT-BCA; docs/domain/cccd.md):
 *   1-3  '0' + the pre-2025 province code of birth registration (001 Hà Nội, 079 HCM): old codes
 *        stay valid in issued numbers. People born abroad get a country code instead: those codes
 *        are not published here, so they are accepted only when the caller lists them
 *        (`countryCodes`), otherwise reported as CCCD_PROVINCE.
 *   4    sex and century: 0/1 male/female born 1900-1999, 2/3 in 2000-2099, 4/5 2100s, …
 *   5-6  last two digits of the birth year
 *   7-12 random; there is no public check digit, so nothing else is checked.
 * Errors never contain the id: at most its masked form.
 */
import type { FieldError } from '../core/records.js';
import { maskPersonalId } from '../core/redact.js';
import type { PartialDate } from './dates.js';
import type { GenderCode } from './gender.js';
import { isLegacyProvinceCode } from './provinces.js';

export interface CccdParts {
  /** the 3-digit place code (0 + legacy province code, or a country code) */
  placeCode: string;
  /** '1' male, '2' female (QCVN gender codes) */
  sex: '1' | '2';
  /** first year of the century the 4th digit says, e.g. 1900 or 2000 */
  centuryStart: number;
  /** last two digits of the birth year */
  yearSuffix: string;
}

export interface CccdCheckOptions {
  /** reported field path, default `data.sodinhdanh` */
  field?: string;
  /** birth date at whatever precision is known (day, month or year) */
  birthDate?: PartialDate;
  gioitinh?: GenderCode;
  /** 3-digit country codes accepted for people born abroad */
  countryCodes?: readonly string[];
}

/** Splits a 12-digit id into its parts, or undefined when it is not 12 digits. */
export function decodeCccd(id: string): CccdParts | undefined {
  if (!/^\d{12}$/.test(id)) return undefined;
  const d = Number(id[3]);
  return {
    placeCode: id.slice(0, 3),
    sex: d % 2 === 0 ? '1' : '2',
    centuryStart: 1900 + Math.floor(d / 2) * 100,
    yearSuffix: id.slice(4, 6),
  };
}

/** Whether the first three digits are '0' + a pre-2025 province code. */
export function isCccdProvincePrefix(prefix: string): boolean {
  return /^0\d{2}$/.test(prefix) && isLegacyProvinceCode(prefix.slice(1));
}

export function checkCccd(input: unknown, opts: CccdCheckOptions = {}): FieldError[] {
  const field = opts.field ?? 'data.sodinhdanh';
  const name = field.split('.').pop() ?? field;
  const fail = (code: string, message: string): FieldError => ({ field, code, message });

  if (typeof input !== 'string' && typeof input !== 'number') {
    return [fail('CCCD_MISSING', `${name}: personal id is missing`)];
  }
  const id = String(input).trim();
  if (id === '') return [fail('CCCD_MISSING', `${name}: personal id is missing`)];
  const parts = decodeCccd(id);
  if (parts === undefined) {
    const digits = /^\d+$/.test(id);
    return [
      fail(
        'CCCD_FORMAT',
        digits
          ? `${name} (${maskPersonalId(id)}): must be 12 digits, has ${id.length}`
          : `${name}: must be 12 digits, contains other characters`,
      ),
    ];
  }
  const masked = maskPersonalId(id);
  const errors: FieldError[] = [];
  if (!isCccdProvincePrefix(parts.placeCode) && !(opts.countryCodes ?? []).includes(parts.placeCode)) {
    errors.push(fail('CCCD_PROVINCE', `${name} (${masked}): digits 1-3 are not a pre-2025 province code of birth`));
  }
  const birth = opts.birthDate;
  if (birth !== undefined) {
    const centuryStart = Math.floor(birth.year / 100) * 100;
    if (centuryStart !== parts.centuryStart) {
      errors.push(fail('CCCD_SEX_CENTURY', `${name} (${masked}): digit 4 gives a birth century that disagrees with the birth date`));
    }
    if (String(birth.year % 100).padStart(2, '0') !== parts.yearSuffix) {
      errors.push(fail('CCCD_BIRTH_YEAR', `${name} (${masked}): digits 5-6 disagree with the birth year`));
    }
  }
  if ((opts.gioitinh === '1' || opts.gioitinh === '2') && opts.gioitinh !== parts.sex) {
    errors.push(fail('CCCD_SEX_CENTURY', `${name} (${masked}): digit 4 gives a sex that disagrees with gioitinh`));
  }
  return errors;
}
