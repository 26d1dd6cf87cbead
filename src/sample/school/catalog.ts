/**
 * What a secondary school teaches under the 2018 programme and Thông tư 22/2021: the subjects of
 * each grade with their periods per year (which fix the number of regular tests, Đ6.2b) and how
 * they are assessed (scores, or comments only: Đ5.3a), plus the small word lists of the sample.
 * Subject codes are the school's own 3-character codes (the national list was not found).
 */

export type SchoolLevel = 'THCS' | 'THPT';

/** How the school's catalogue marks the assessment: `DIEM` scored, `NHANXET` comments only. */
export type AssessmentMark = 'DIEM' | 'NHANXET';

export interface SubjectSpec {
  code: string;
  /** at most 20 characters: the national `tenmonhoc` length */
  name: string;
  assessment: AssessmentMark;
  periods: number;
  sort: number;
}

const s = (code: string, name: string, assessment: AssessmentMark, periods: number): Omit<SubjectSpec, 'sort'> => ({ code, name, assessment, periods });

function thcs(grade: number): Omit<SubjectSpec, 'sort'>[] {
  return [
    s('TOA', 'Toán', 'DIEM', 140),
    s('VAN', 'Ngữ văn', 'DIEM', 140),
    s('NN1', 'Ngoại ngữ 1', 'DIEM', 105),
    s('GDC', 'Giáo dục công dân', 'DIEM', 35),
    s('LSD', 'Lịch sử và Địa lí', 'DIEM', 105),
    s('KHT', 'Khoa học tự nhiên', 'DIEM', 140),
    s('CNG', 'Công nghệ', 'DIEM', grade <= 7 ? 35 : 52),
    s('TIN', 'Tin học', 'DIEM', 35),
    s('GDT', 'Giáo dục thể chất', 'NHANXET', 70),
    s('NTH', 'Nghệ thuật', 'NHANXET', 70),
    s('HDT', 'HĐTN-HN', 'NHANXET', 105),
    s('GDP', 'Giáo dục địa phương', 'NHANXET', 35),
  ];
}

function thpt(): Omit<SubjectSpec, 'sort'>[] {
  return [
    s('TOA', 'Toán', 'DIEM', 105),
    s('VAN', 'Ngữ văn', 'DIEM', 105),
    s('NN1', 'Ngoại ngữ 1', 'DIEM', 105),
    s('LSU', 'Lịch sử', 'DIEM', 52),
    s('VLY', 'Vật lí', 'DIEM', 70),
    s('HOA', 'Hóa học', 'DIEM', 70),
    s('SIN', 'Sinh học', 'DIEM', 70),
    s('TIN', 'Tin học', 'DIEM', 70),
    s('QPA', 'GDQP-AN', 'DIEM', 35),
    s('GDT', 'Giáo dục thể chất', 'NHANXET', 70),
    s('HDT', 'HĐTN-HN', 'NHANXET', 105),
    s('GDP', 'Giáo dục địa phương', 'NHANXET', 35),
  ];
}

export const GRADES: Readonly<Record<SchoolLevel, readonly number[]>> = { THCS: [6, 7, 8, 9], THPT: [10, 11, 12] };
/** `macaphoc` / `manhomcaphoc`: 03 THCS, 04 THPT. */
export const LEVEL_CODE: Readonly<Record<SchoolLevel, string>> = { THCS: '03', THPT: '04' };

export function subjectsForGrade(level: SchoolLevel, grade: number): SubjectSpec[] {
  return (level === 'THCS' ? thcs(grade) : thpt()).map((subject, i) => ({ ...subject, sort: i + 1 }));
}

/** Subject codes a school of this level teaches in some grade (for hiring teachers). */
export function subjectCodes(level: SchoolLevel): string[] {
  return [...new Set(GRADES[level].flatMap((g) => subjectsForGrade(level, g).map((x) => x.code)))];
}

export const ETHNICITY_DRAW: ReadonlyArray<readonly [string, number]> = [
  ['Kinh', 860],
  ['Tày', 25],
  ['Mường', 20],
  ['Thái', 18],
  ['Nùng', 12],
  ['Hoa', 10],
  ['Khmer', 8],
  ['Dao', 5],
];

export const UNKNOWN_ETHNICITIES: readonly string[] = ['Việt kiều', 'Kinh tế', 'Dân tộc khác', 'Người Thượng'];

export const JOBS: readonly string[] = [
  'Công nhân', 'Nông dân', 'Kinh doanh', 'Giáo viên', 'Kỹ sư', 'Bác sĩ', 'Nhân viên văn phòng', 'Lái xe', 'Nội trợ', 'Tự do', 'Công chức',
];

export const HOMEROOM_COMMENTS: readonly string[] = [
  'Chăm chỉ, có ý thức tự giác trong học tập.',
  'Ngoan, lễ phép, hòa đồng với bạn bè.',
  'Có tiến bộ trong học tập, cần phát huy.',
  'Tích cực tham gia các hoạt động của lớp.',
  'Cần cố gắng hơn ở các môn khoa học tự nhiên.',
  'Trung thực, có trách nhiệm với công việc được giao.',
];

export const SUBJECT_REMARKS: readonly string[] = [
  'Nắm vững kiến thức cơ bản.',
  'Có tiến bộ.',
  'Cần rèn luyện thêm kỹ năng trình bày.',
  'Tích cực phát biểu xây dựng bài.',
];

/** Conduct (rèn luyện) levels, weighted as a typical school's. */
export const CONDUCT_DRAW: ReadonlyArray<readonly [string, number]> = [
  ['T', 72],
  ['K', 21],
  ['Đ', 6],
  ['CĐ', 1],
];

export const OTHER_SCHOOLS: readonly string[] = ['Trường THCS Nguyễn Du', 'Trường THCS Chu Văn An', 'Trường THCS Lê Quý Đôn', 'Trường THCS Trần Phú'];
export const OTHER_HIGH_SCHOOLS: readonly string[] = ['Trường THPT Nguyễn Trãi', 'Trường THPT Phan Đình Phùng', 'Trường THPT Lý Thường Kiệt'];
export const OTHER_PROVINCES: readonly string[] = ['Tỉnh Ninh Bình', 'Tỉnh Phú Thọ', 'Tỉnh Bắc Ninh', 'Tỉnh Thanh Hóa', 'Tỉnh Nghệ An', 'Thành phố Hải Phòng'];
