import type { JsonValue } from '../core/records.js';
import { maskPersonalIdsInText } from '../core/redact.js';

/**
 * The console's masking of a record's personal data, for people who may read a record but not
 * who it is about (viewers and operators). The field names are the national formats' (hovaten,
 * sodinhdanh, ngaythangnamsinh, noisinh_diachichitiet, …) and their English look-alikes; in what
 * is not under such a key a personal id quoted in free text is masked too (as `maskJson` of the
 * dry run does, with the console's one way of showing an id). Over-masking (a school's address) is the safe side.
 */
type FieldKind = 'personalId' | 'name' | 'birth' | 'address';

const FIELD_PATTERNS: readonly [FieldKind, RegExp][] = [
  // sodinhdanh (CCCD), soddcn… (an official's id), cmnd/cccd; not madinhdanh… (the record's own id)
  ['personalId', /(sodinhdanh|soddcn|cccd|cmnd|personal_?id|national_?id|citizen_?id)/i],
  ['birth', /(ngaysinh|ngaythangnamsinh|namsinh|birth|dob$)/i],
  ['address', /(diachi|noisinh|quequan|noiohiennay|thuongtru|tamtru|address)/i],
  // hovaten, hoten…, tengiamhieu / tengvcn (people), nguoiky; not tentruong, tensogd (units)
  ['name', /(hovaten|hoten|^ten(giamhieu|gvcn|giaovien|nguoi)|nguoiky|(^|_)(full)?name$)/i],
];

function kindOf(key: string): FieldKind | undefined {
  return FIELD_PATTERNS.find(([, pattern]) => pattern.test(key))?.[0];
}

/** the first 3 and last 2 digits of a personal id, the rest starred (`044*******01`) */
export function maskPersonalIdKeepingEnds(id: string): string {
  const text = id.trim();
  if (text.length <= 5) return '*'.repeat(text.length);
  return text.slice(0, 3) + '*'.repeat(text.length - 5) + text.slice(-2);
}

/** the first letter of each word (`Lê Thế Duy` → `L. T. D.`) */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => `${Array.from(w)[0] ?? ''}.`)
    .join(' ');
}

/** only the year of a date (`2013-05-18` → `2013`); a text with no year is hidden entirely */
export function maskBirthDate(date: string): string {
  return /(?<!\d)(\d{4})(?!\d)/.exec(date)?.[1] ?? '***';
}

function maskField(kind: FieldKind, value: JsonValue): JsonValue {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => maskField(kind, v));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskField(kindOf(k) ?? kind, v)]));
  const text = String(value);
  switch (kind) {
    case 'personalId':
      return maskPersonalIdKeepingEnds(text);
    case 'name':
      return maskName(text);
    case 'birth':
      return typeof value === 'number' ? value : maskBirthDate(text);
    case 'address':
      return '***';
  }
}

/** A copy of a record (an envelope) with its personal data masked; the input is not changed. */
export function maskPersonalData(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const kind = kindOf(k);
        return [k, kind ? maskField(kind, v) : maskPersonalData(v)];
      }),
    );
  }
  // one way of showing an id everywhere: the last 4 here and the first 3 there would show 7 digits
  return typeof value === 'string' ? maskPersonalIdsInText(value, maskPersonalIdKeepingEnds) : value;
}
