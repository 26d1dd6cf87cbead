/**
 * How the PDF rendition of a học bạ spells the record's codes for people: result levels as words,
 * dates the Vietnamese way, gender, ethnicity and nationality by name. Codes the tables do not know are
 * shown as they are (the document must never drop data); result levels outside T/K/Đ/CĐ are a data
 * error, since the XSD rejects them too.
 */
import { DataError } from '../../src/core/errors.js';
import { getEthnicity, parseEthnicity } from '../../src/domain/ethnicity.js';
import { GENDER_NAMES, type GenderCode } from '../../src/domain/gender.js';
import { parseTt22Level } from '../../src/domain/grading.js';
import { parseCountry } from '../../src/domain/nationality.js';
import { schoolLevelOfGrade } from '../../src/domain/school-levels.js';

const DATASET = 'thongtinsohocbasothcsthpt';

/** T/K/Đ/CĐ → Tốt/Khá/Đạt/Chưa đạt; empty stays empty. `record` and `field` name the error, never the value. */
export function levelName(code: string | undefined, record: string, field: string): string {
  if (code === undefined || code.trim() === '') return '';
  const level = parseTt22Level(code);
  if (level === undefined || level.code !== code.normalize('NFC').trim()) {
    throw new DataError('PDF_UNKNOWN_LEVEL', `${field} is not one of T, K, Đ, CĐ`, { dataset: DATASET, record, field });
  }
  return level.name;
}

export function genderName(code: string): string {
  return code in GENDER_NAMES ? GENDER_NAMES[code as GenderCode] : code;
}

export function ethnicityName(code: string): string {
  const direct = getEthnicity(code);
  if (direct) return direct.name;
  const parsed = parseEthnicity(code);
  return parsed.ok ? parsed.name : code;
}

export function countryName(code: string): string {
  const parsed = parseCountry(code);
  return parsed.ok ? parsed.country.name : code;
}

/** `YYYY-MM-DD` → `DD/MM/YYYY`, `YYYY-MM` → `MM/YYYY`, `YYYY` as is; anything else is shown unchanged. */
export function vietnameseDate(iso: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(iso);
  if (month) return `${month[2]}/${month[1]}`;
  return iso;
}

/**
 * The pupil's birth date at the precision the record holds (docs/domain/dates.md: never invent a day). A less
 * precise field that says something the precise one does not (a different year) is shown after it, so
 * the PDF never holds less than the XML.
 */
export function birthDateText(record: { ngaythangnamsinh?: string; thangnamsinh?: string; namsinh?: string }): string {
  const values = [record.ngaythangnamsinh, record.thangnamsinh, record.namsinh]
    .filter((v): v is string => v !== undefined && v.trim() !== '')
    .map(vietnameseDate);
  const [first, ...rest] = values;
  if (first === undefined) return '';
  const extra = rest.filter((v) => !first.endsWith(v));
  return extra.length === 0 ? first : `${first} (${extra.join('; ')})`;
}

/** `trangthaithongtinhocba`: 1 có hiệu lực, 2 thu hồi (dictionary); other codes as they are. */
export function recordStatusName(code: string): string {
  return code === '1' ? 'Có hiệu lực' : code === '2' ? 'Thu hồi' : code;
}

/** A 0/1 flag of the dictionary (`trichluc`, `cokhuyettatkhongdanhgia`) as Có/Không. */
export function yesNo(flag: 0 | 1): string {
  return flag === 1 ? 'Có' : 'Không';
}

/**
 * A place name with the codes the record holds for it: `Phường Ba Đình, Hà Nội (mã xã 00004, mã tỉnh 01)`.
 * The codes are part of the signed XML, so the PDF shows them rather than only the names.
 */
export function withPlaceCodes(name: string, maxa: string | undefined, matinh: string | undefined): string {
  const codes = [present(maxa) ? `mã xã ${maxa}` : undefined, present(matinh) ? `mã tỉnh ${matinh}` : undefined].filter(present);
  return codes.length === 0 ? name : `${name} (${codes.join(', ')})`;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** `Hà Nội, ngày 31 tháng 05 năm 2025` — the place-and-date line above the signatures. */
export function placeAndDate(place: string, isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${place}, ngày ${m[3]} tháng ${m[2]} năm ${m[1]}` : `${place}, ${isoDate}`;
}

/** `TRUNG HỌC CƠ SỞ` / `TRUNG HỌC PHỔ THÔNG` from the grade; empty when the grade is not a secondary one. */
export function schoolLevelTitle(makhoi: string): string {
  const level = schoolLevelOfGrade(Number(makhoi));
  return level && (level.code === '03' || level.code === '04') ? level.name.toUpperCase() : '';
}

/** Legend of the codes a subject score may hold besides a number. */
export const SCORE_LEGEND = 'Đ: Đạt; CĐ: Chưa đạt; M: Miễn học.';

export function promotionText(duoclenlop: 0 | 1, ndungduoclenlop: string): string {
  const decision = duoclenlop === 1 ? 'Được lên lớp' : 'Không được lên lớp';
  const detail = ndungduoclenlop.trim();
  return detail === '' || detail.normalize('NFC').toLowerCase() === decision.toLowerCase() ? decision : `${decision} (${detail})`;
}
