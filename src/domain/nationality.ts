/**
 * Nationality and country codes: `quoctich` is ISO 3166-1 alpha-2 (varchar 2), `quocgia` alpha-3
 * (varchar 3) [ASSUMPTION, docs/domain/code-tables.md#the-tables: the QCVN list itself was not read]. The table holds
 * Viet Nam and the countries most often seen in Vietnamese education data; extend it as needed.
 */
import { searchKey } from './names.js';

export const NATIONALITY_SOURCE = 'ISO 3166-1 alpha-2/alpha-3 (subset), Vietnamese short names';

export interface Country {
  alpha2: string;
  alpha3: string;
  /** Vietnamese short name */
  name: string;
  aliases?: readonly string[];
}

export const COUNTRIES: readonly Country[] = [
  { alpha2: 'VN', alpha3: 'VNM', name: 'Việt Nam', aliases: ['Viet Nam', 'Vietnam', 'Vietnamese', 'Việt'] },
  { alpha2: 'LA', alpha3: 'LAO', name: 'Lào', aliases: ['Laos'] },
  { alpha2: 'KH', alpha3: 'KHM', name: 'Campuchia', aliases: ['Cambodia'] },
  { alpha2: 'CN', alpha3: 'CHN', name: 'Trung Quốc', aliases: ['China'] },
  { alpha2: 'TW', alpha3: 'TWN', name: 'Đài Loan', aliases: ['Taiwan'] },
  { alpha2: 'HK', alpha3: 'HKG', name: 'Hồng Kông', aliases: ['Hong Kong'] },
  { alpha2: 'JP', alpha3: 'JPN', name: 'Nhật Bản', aliases: ['Japan'] },
  { alpha2: 'KR', alpha3: 'KOR', name: 'Hàn Quốc', aliases: ['Korea', 'South Korea'] },
  { alpha2: 'KP', alpha3: 'PRK', name: 'Triều Tiên', aliases: ['North Korea'] },
  { alpha2: 'TH', alpha3: 'THA', name: 'Thái Lan', aliases: ['Thailand'] },
  { alpha2: 'MM', alpha3: 'MMR', name: 'Myanmar' },
  { alpha2: 'MY', alpha3: 'MYS', name: 'Malaysia' },
  { alpha2: 'SG', alpha3: 'SGP', name: 'Singapore' },
  { alpha2: 'ID', alpha3: 'IDN', name: 'Indonesia' },
  { alpha2: 'PH', alpha3: 'PHL', name: 'Philippines' },
  { alpha2: 'IN', alpha3: 'IND', name: 'Ấn Độ', aliases: ['India'] },
  { alpha2: 'MN', alpha3: 'MNG', name: 'Mông Cổ', aliases: ['Mongolia'] },
  { alpha2: 'RU', alpha3: 'RUS', name: 'Nga', aliases: ['Russia', 'Liên bang Nga'] },
  { alpha2: 'US', alpha3: 'USA', name: 'Hoa Kỳ', aliases: ['Mỹ', 'United States', 'USA'] },
  { alpha2: 'CA', alpha3: 'CAN', name: 'Canada' },
  { alpha2: 'AU', alpha3: 'AUS', name: 'Úc', aliases: ['Australia', 'Ô-xtrây-li-a'] },
  { alpha2: 'NZ', alpha3: 'NZL', name: 'New Zealand' },
  { alpha2: 'GB', alpha3: 'GBR', name: 'Anh', aliases: ['United Kingdom', 'UK', 'Vương quốc Anh'] },
  { alpha2: 'FR', alpha3: 'FRA', name: 'Pháp', aliases: ['France'] },
  { alpha2: 'DE', alpha3: 'DEU', name: 'Đức', aliases: ['Germany'] },
  { alpha2: 'IT', alpha3: 'ITA', name: 'Ý', aliases: ['Italy', 'Italia'] },
  { alpha2: 'NL', alpha3: 'NLD', name: 'Hà Lan', aliases: ['Netherlands'] },
  { alpha2: 'BE', alpha3: 'BEL', name: 'Bỉ', aliases: ['Belgium'] },
  { alpha2: 'CH', alpha3: 'CHE', name: 'Thụy Sĩ', aliases: ['Switzerland'] },
  { alpha2: 'SE', alpha3: 'SWE', name: 'Thụy Điển', aliases: ['Sweden'] },
  { alpha2: 'FI', alpha3: 'FIN', name: 'Phần Lan', aliases: ['Finland'] },
  { alpha2: 'CZ', alpha3: 'CZE', name: 'Séc', aliases: ['Czechia', 'Czech Republic'] },
  { alpha2: 'PL', alpha3: 'POL', name: 'Ba Lan', aliases: ['Poland'] },
  { alpha2: 'UA', alpha3: 'UKR', name: 'Ukraina', aliases: ['Ukraine'] },
  { alpha2: 'CU', alpha3: 'CUB', name: 'Cuba' },
];

const byAlpha2 = new Map(COUNTRIES.map((c) => [c.alpha2, c]));
const byAlpha3 = new Map(COUNTRIES.map((c) => [c.alpha3, c]));
const byName = new Map<string, Country>();
for (const c of COUNTRIES) for (const n of [c.name, ...(c.aliases ?? [])]) byName.set(searchKey(n), c);

export type CountryResult = { ok: true; country: Country } | { ok: false; code: 'NATIONALITY_UNKNOWN'; message: string };

/** Resolves an alpha-2, alpha-3 code or a Vietnamese/English name. */
export function parseCountry(input: unknown): CountryResult {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, code: 'NATIONALITY_UNKNOWN', message: 'nationality is empty' };
  }
  const s = input.trim();
  const upper = s.toUpperCase();
  const c = (s.length === 2 ? byAlpha2.get(upper) : s.length === 3 ? byAlpha3.get(upper) : undefined) ?? byName.get(searchKey(s));
  return c === undefined ? { ok: false, code: 'NATIONALITY_UNKNOWN', message: 'nationality is not a known country' } : { ok: true, country: c };
}

export function isAlpha2(code: string): boolean {
  return byAlpha2.has(code);
}

export function isAlpha3(code: string): boolean {
  return byAlpha3.has(code);
}
