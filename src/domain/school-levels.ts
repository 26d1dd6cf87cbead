/**
 * School-level groups (`manhomcaphoc`, dictionary table thongtindiemtruongchinhcapmnththcsthpt;
 * docs/domain/code-tables.md#the-tables): 01 Mầm non, 02 Tiểu học, 03 THCS, 04 THPT, 05 Giáo dục thường xuyên.
 * `macaphoc` in the học bạ tables uses the same two-digit codes [ASSUMPTION: the service code
 * lists data_dmdc_g03_gd004 / data_green_g03_gddt009 were not found].
 */
import { searchKey } from './names.js';

export type SchoolLevelCode = '01' | '02' | '03' | '04' | '05';

export interface SchoolLevel {
  code: SchoolLevelCode;
  name: string;
  abbreviation: string;
  /** grades (khối) taught at this level; none for pre-school and continuing education */
  grades: readonly number[];
}

export const SCHOOL_LEVELS: readonly SchoolLevel[] = [
  { code: '01', name: 'Mầm non', abbreviation: 'MN', grades: [] },
  { code: '02', name: 'Tiểu học', abbreviation: 'TH', grades: [1, 2, 3, 4, 5] },
  { code: '03', name: 'Trung học cơ sở', abbreviation: 'THCS', grades: [6, 7, 8, 9] },
  { code: '04', name: 'Trung học phổ thông', abbreviation: 'THPT', grades: [10, 11, 12] },
  { code: '05', name: 'Giáo dục thường xuyên', abbreviation: 'GDTX', grades: [] },
];

const index = new Map<string, SchoolLevel>();
for (const l of SCHOOL_LEVELS) {
  for (const k of [l.code, String(Number(l.code)), l.name, l.abbreviation]) index.set(searchKey(k), l);
}
// Everyday names: cấp 1 = primary, cấp 2 = lower secondary, cấp 3 = upper secondary.
for (const [k, i] of [['cấp 1', 1], ['cấp 2', 2], ['cấp 3', 3]] as const) index.set(searchKey(k), SCHOOL_LEVELS[i] as SchoolLevel);
index.set(searchKey('Thường xuyên'), SCHOOL_LEVELS[4] as SchoolLevel);

export type SchoolLevelResult = { ok: true; level: SchoolLevel } | { ok: false; code: 'SCHOOL_LEVEL_UNKNOWN'; message: string };

/** Accepts '01'..'05', '1'..'5', names, abbreviations ('THCS') and 'cấp 1'/'cấp 2'/'cấp 3'. */
export function parseSchoolLevel(input: unknown): SchoolLevelResult {
  const s = typeof input === 'number' ? String(input) : typeof input === 'string' ? input : '';
  const level = index.get(searchKey(s));
  return level === undefined ? { ok: false, code: 'SCHOOL_LEVEL_UNKNOWN', message: 'school level is not recognised' } : { ok: true, level };
}

/** The level a grade (khối 1..12) belongs to. */
export function schoolLevelOfGrade(grade: number): SchoolLevel | undefined {
  return SCHOOL_LEVELS.find((l) => l.grades.includes(grade));
}
