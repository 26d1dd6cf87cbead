/**
 * Fixed reference content of the sample UIS: programmes, ethnic groups (weighted, mostly Kinh)
 * and the legacy spellings a real UIS accumulates. Nothing here depends on the seed.
 */
import { weightedTable } from '../core/seeded-random.js';

export interface Programme {
  programmeId: number;
  programmeCode: string;
  programmeName: string;
  degreeName: string;
  trainingMode: string;
  gradingScale: string;
}

/** [major code (7 digits), name, degree] */
const MAJORS: ReadonlyArray<readonly [string, string, string]> = [
  ['7480201', 'Công nghệ thông tin', 'Bằng Kỹ sư'],
  ['7480103', 'Kỹ thuật phần mềm', 'Bằng Kỹ sư'],
  ['7520201', 'Kỹ thuật điện', 'Bằng Kỹ sư'],
  ['7510301', 'Công nghệ kỹ thuật điện, điện tử', 'Bằng Kỹ sư'],
  ['7580201', 'Kỹ thuật xây dựng', 'Bằng Kỹ sư'],
  ['7340301', 'Kế toán', 'Bằng Cử nhân'],
  ['7340101', 'Quản trị kinh doanh', 'Bằng Cử nhân'],
  ['7340201', 'Tài chính – Ngân hàng', 'Bằng Cử nhân'],
  ['7220201', 'Ngôn ngữ Anh', 'Bằng Cử nhân'],
  ['7380101', 'Luật', 'Bằng Cử nhân'],
  ['7310101', 'Kinh tế', 'Bằng Cử nhân'],
  ['7810103', 'Quản trị dịch vụ du lịch và lữ hành', 'Bằng Cử nhân'],
];

/** [suffix, mode name, weight] */
const MODES: ReadonlyArray<readonly [string, string, number]> = [
  ['CQ', 'Chính quy', 85],
  ['VLVH', 'Vừa làm vừa học', 12],
  ['TX', 'Đào tạo từ xa', 3],
];

export const PROGRAMMES: readonly Programme[] = MAJORS.flatMap(([code, name, degree], m) =>
  MODES.map(([suffix, mode], k) => ({
    programmeId: m * MODES.length + k + 1,
    programmeCode: `${code}-${suffix}`,
    programmeName: name,
    degreeName: degree,
    trainingMode: mode,
    gradingScale: suffix === 'CQ' ? '4' : '10',
  })),
);

/** programmes weighted by how many graduates they have (most are full-time) */
export const PROGRAMME_DRAW = weightedTable<Programme>(
  PROGRAMMES.map((p) => [p, (MODES.find((mode) => mode[1] === p.trainingMode)?.[2] ?? 1) * (p.programmeName === 'Công nghệ thông tin' ? 2 : 1)]),
);

/** Ethnic groups as a UIS names them (the QCVN 109 names), weighted roughly as among graduates. */
export const ETHNICITY_DRAW = weightedTable<string>([
  ['Kinh', 8600],
  ['Tày', 220],
  ['Thái', 190],
  ['Mường', 160],
  ['Khơ-me', 140],
  ['Hoa', 110],
  ['Nùng', 110],
  ['HMông', 90],
  ['Dao', 80],
  ['Gia-rai', 40],
  ['Ê-đê', 40],
  ['Ba-na', 30],
  ['Sán Chay', 25],
  ['Chăm', 25],
  ['Sán Dìu', 20],
  ['Xơ-đăng', 15],
  ['Cơ-ho', 15],
  ['Thổ', 10],
  ['Giáy', 8],
  ['Bru-Vân Kiều', 8],
]);

/** Legacy spellings of a clean ethnicity value that the mapping must still understand. */
export const ETHNICITY_LEGACY: Readonly<Record<string, readonly string[]>> = {
  Kinh: ['01'],
  'Khơ-me': ['Khmer', '05'],
  HMông: ['Hmong', 'Mèo', '08'],
  Tày: ['02'],
  Thái: ['03'],
};

/** Values no ethnic-group list knows. */
export const UNKNOWN_ETHNICITIES: readonly string[] = ['Không xác định', 'Kinh Hoa', 'Người Việt', 'Tây Nguyên', '99'];

export const GENDER_LEGACY: Readonly<Record<'Nam' | 'Nữ', readonly string[]>> = {
  Nam: ['M', '1', 'nam'],
  Nữ: ['F', '2', 'nữ'],
};

/** classification from a 4-point GPA (TT 08/2021) */
export function classificationForGpa(gpa: number): string {
  if (gpa >= 3.6) return 'Xuất sắc';
  if (gpa >= 3.2) return 'Giỏi';
  if (gpa >= 2.5) return 'Khá';
  return 'Trung bình';
}

export const CLASSIFICATIONS: readonly string[] = ['Xuất sắc', 'Giỏi', 'Khá', 'Trung bình'];

/** 1 valid, 2 revoked, 3 cancelled, 4 corrected */
export const STATUS_DRAW = weightedTable<number>([
  [1, 965],
  [4, 20],
  [2, 10],
  [3, 5],
]);
