/**
 * The 54 ethnic groups of Viet Nam (GSO order, QCVN 109:2017/BTTTT; docs/domain/code-tables.md), codes '01'..'54',
 * with an alias table for the spellings source systems use.
 */
import { canonicalToneSyllable, searchKey } from './names.js';

export const ETHNICITY_SOURCE = 'GSO list of 54 ethnic groups, codes per QCVN 109:2017/BTTTT (docs/domain/code-tables.md)';

export interface Ethnicity {
  code: string;
  name: string;
}

export const ETHNICITIES: readonly Ethnicity[] = [
  'Kinh', 'Tày', 'Thái', 'Hoa', 'Khơ-me', 'Mường', 'Nùng', 'HMông', 'Dao', 'Gia-rai', 'Ngái', 'Ê-đê', 'Ba-na',
  'Xơ-đăng', 'Sán Chay', 'Cơ-ho', 'Chăm', 'Sán Dìu', 'Hrê', 'Mnông', 'Ra-glai', 'Xtiêng', 'Bru-Vân Kiều', 'Thổ',
  'Giáy', 'Cơ-tu', 'Gié-Triêng', 'Mạ', 'Khơ-mú', 'Co', 'Ta-ôi', 'Chơ-ro', 'Kháng', 'Xinh-mun', 'Hà Nhì', 'Chu-ru',
  'Lào', 'La Chí', 'La Ha', 'Phù Lá', 'La Hủ', 'Lự', 'Lô Lô', 'Chứt', 'Mảng', 'Pà Thẻn', 'Cơ Lao', 'Cống', 'Bố Y',
  'Si La', 'Pu Péo', 'Brâu', 'Ơ Đu', 'Rơ-măm',
].map((name, i) => ({ code: String(i + 1).padStart(2, '0'), name }));

/** Other spellings and names in use → code. Matched with the same key as the official names. */
export const ETHNICITY_ALIASES: Readonly<Record<string, string>> = {
  'Việt': '01', 'Người Kinh': '01',
  'Người Hoa': '04', 'Hán': '04',
  Khmer: '05', 'Khơ Me': '05', 'Khơme': '05', 'Khmer Krom': '05', 'Khơ-me Crôm': '05',
  Hmong: '08', "H'Mông": '08', "H'mong": '08', 'Mông': '08', 'Mèo': '08', 'H Mông': '08',
  'Mán': '09',
  Jrai: '10', 'Gia Rai': '10', 'Giarai': '10', 'Jarai': '10',
  'Ê Đê': '12', 'Êđê': '12', 'Rhade': '12', 'Ede': '12',
  Bahnar: '13', 'Ba Na': '13',
  Sedang: '14', 'Xơ Đăng': '14',
  'Cao Lan': '15', 'Sán Chỉ': '15',
  'Cơ Ho': '16', "K'Ho": '16', 'Koho': '16',
  'Chàm': '17', Cham: '17',
  'Mơ Nông': '20', "M'Nông": '20', Mnong: '20',
  Raglai: '21', 'Ra Glai': '21',
  'Stiêng': '22', 'X Tiêng': '22',
  'Vân Kiều': '23', 'Bru': '23', 'Bru Vân Kiều': '23',
  Katu: '26', 'Cơ Tu': '26',
  'Gié Triêng': '27', 'Giẻ Triêng': '27',
  'Khơ Mú': '29', Khmu: '29', 'Kmhmu': '29',
  'Tà Ôi': '31', 'Pa Kô': '31', 'Tà-ôi': '31',
  'Chơ Ro': '32', 'Xinh Mun': '34', 'Chu Ru': '36',
  'Pà Hưng': '46', 'Rơ Măm': '54', 'Ơ-đu': '53', 'O Du': '53',
};

/**
 * Matching key: case, spaces, hyphens, apostrophes and tone-mark placement ignored; NFC.
 * ("Khơ-me" = "khơ me", "Ê Đê" = "Ê-đê", "H'Mông" = "HMông".)
 */
export function ethnicityKey(input: string): string {
  return input
    .normalize('NFC')
    .toLocaleLowerCase('vi')
    .split(/[\s\-'’‘`]+/u)
    .filter((s) => s !== '')
    .map(canonicalToneSyllable)
    .join('');
}

const byCode = new Map(ETHNICITIES.map((e) => [e.code, e]));
const byKey = new Map<string, string>();
const byLooseKey = new Map<string, string | null>();
function addName(name: string, code: string): void {
  byKey.set(ethnicityKey(name), code);
  // Diacritic-free fallback, kept only where it points at one group.
  const loose = searchKey(name).replace(/[^a-z]/g, '');
  const prev = byLooseKey.get(loose);
  byLooseKey.set(loose, prev === undefined || prev === code ? code : null);
}
for (const e of ETHNICITIES) addName(e.name, e.code);
for (const [name, code] of Object.entries(ETHNICITY_ALIASES)) addName(name, code);

export type EthnicityResult = { ok: true; code: string; name: string } | { ok: false; code: 'ETHNICITY_UNKNOWN'; message: string };

export function getEthnicity(code: string): Ethnicity | undefined {
  return byCode.get(code);
}

/**
 * Resolves a name, alias or code ('01', '1', '001') to the 2-digit code. Diacritic-free input
 * ("Tay", "Khome") is accepted where it names one group only.
 */
export function parseEthnicity(input: unknown): EthnicityResult {
  const unknown: EthnicityResult = { ok: false, code: 'ETHNICITY_UNKNOWN', message: 'ethnicity is not one of the 54 groups' };
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, code: 'ETHNICITY_UNKNOWN', message: 'ethnicity is empty' };
  }
  const s = input.trim();
  let code: string | null | undefined;
  if (/^\d{1,3}$/.test(s)) code = String(Number(s)).padStart(2, '0');
  else code = byKey.get(ethnicityKey(s)) ?? byLooseKey.get(searchKey(s).replace(/[^a-z]/g, ''));
  const e = code ? byCode.get(code) : undefined;
  return e === undefined ? unknown : { ok: true, code: e.code, name: e.name };
}
