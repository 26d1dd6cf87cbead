/**
 * The sample UIS's current students: faculties, a curriculum of courses, students enrolled (or
 * just graduated, waiting for their diploma) and every course result they have, from their own
 * seeded random sequence — so adding them changed none of the graduates' rows.
 *
 *   await writeCurrentStudents(db, { count: 60, seed: 1, now, decisions });
 *   await updateUisStudent(target, '229000017', { status: UIS_STUDENT_STATUS.suspended });
 */
import { SeededRandom, weightedTable } from '../core/seeded-random.js';
import { letterGrade, toFourPoint } from '../domain/grading.js';
import { makeCccd } from './cccd.js';
import { birthPlace } from './birth-places.js';
import { DAY_MS, formatDay, formatNaive, parseNaive, vietnamNaive } from './naive-time.js';
import { PROGRAMMES } from './uis-catalog.js';
import { UIS_CURRENT_COLUMNS, uisCurrentTableNames } from './uis-current-schema.js';
import { openUisDb, targetNaming, type UisDb, type UisTarget } from './uis-db.js';
import type { UisDecision } from './uis-rows.js';
import { vietnameseName, type Sex } from './vietnamese-names.js';

/** The UIS's numeric student status codes. */
export const UIS_STUDENT_STATUS = { studying: 1, suspended: 2, withdrawn: 3, graduated: 4 } as const;
export type UisStudentStatusName = keyof typeof UIS_STUDENT_STATUS;

/** code → names (the snapshot's `status` is the English key; vi/en are what people read). */
export const UIS_STUDENT_STATUSES: Readonly<Record<number, { key: UisStudentStatusName; vi: string; en: string }>> = {
  1: { key: 'studying', vi: 'Đang học', en: 'Studying' },
  2: { key: 'suspended', vi: 'Bảo lưu', en: 'Suspended (deferred)' },
  3: { key: 'withdrawn', vi: 'Thôi học', en: 'Withdrawn' },
  4: { key: 'graduated', vi: 'Đã tốt nghiệp', en: 'Graduated' },
};

export interface Faculty {
  facultyId: number;
  facultyCode: string;
  nameVi: string;
  nameEn: string;
  /** 7-digit major codes taught here */
  majors: readonly string[];
}

export const FACULTIES: readonly Faculty[] = [
  { facultyId: 1, facultyCode: 'CNTT', nameVi: 'Khoa Công nghệ thông tin', nameEn: 'Faculty of Information Technology', majors: ['7480201', '7480103'] },
  { facultyId: 2, facultyCode: 'DDT', nameVi: 'Khoa Điện – Điện tử', nameEn: 'Faculty of Electrical and Electronic Engineering', majors: ['7520201', '7510301'] },
  { facultyId: 3, facultyCode: 'XD', nameVi: 'Khoa Xây dựng', nameEn: 'Faculty of Civil Engineering', majors: ['7580201'] },
  {
    facultyId: 4,
    facultyCode: 'KT',
    nameVi: 'Khoa Kinh tế',
    nameEn: 'Faculty of Economics',
    majors: ['7340301', '7340101', '7340201', '7310101', '7810103'],
  },
  { facultyId: 5, facultyCode: 'NN', nameVi: 'Khoa Ngoại ngữ', nameEn: 'Faculty of Foreign Languages', majors: ['7220201'] },
  { facultyId: 6, facultyCode: 'LUAT', nameVi: 'Khoa Luật', nameEn: 'Faculty of Law', majors: ['7380101'] },
];

export interface Course {
  courseId: number;
  courseCode: string;
  nameVi: string;
  nameEn: string;
  credits: number;
  /** null: a general course every programme takes */
  facultyId: number | null;
}

/** [code, vi, en, credits] */
type CourseSeed = readonly [string, string, string, number];
const GENERAL: readonly CourseSeed[] = [
  ['LLCT101', 'Triết học Mác – Lênin', 'Marxist–Leninist Philosophy', 3],
  ['LLCT102', 'Kinh tế chính trị Mác – Lênin', 'Marxist–Leninist Political Economy', 2],
  ['LLCT103', 'Chủ nghĩa xã hội khoa học', 'Scientific Socialism', 2],
  ['LLCT104', 'Tư tưởng Hồ Chí Minh', 'Ho Chi Minh Ideology', 2],
  ['LLCT105', 'Lịch sử Đảng Cộng sản Việt Nam', 'History of the Communist Party of Vietnam', 2],
  ['PL101', 'Pháp luật đại cương', 'Introduction to Law', 2],
  ['TA101', 'Tiếng Anh 1', 'English 1', 3],
  ['TA102', 'Tiếng Anh 2', 'English 2', 3],
  ['TO101', 'Toán cao cấp', 'Advanced Mathematics', 3],
  ['TO102', 'Xác suất thống kê', 'Probability and Statistics', 3],
];
const BY_FACULTY: Readonly<Record<string, readonly CourseSeed[]>> = {
  CNTT: [
    ['IT201', 'Nhập môn lập trình', 'Introduction to Programming', 3],
    ['IT202', 'Cấu trúc dữ liệu và giải thuật', 'Data Structures and Algorithms', 3],
    ['IT203', 'Cơ sở dữ liệu', 'Databases', 3],
    ['IT204', 'Mạng máy tính', 'Computer Networks', 3],
    ['IT205', 'Hệ điều hành', 'Operating Systems', 3],
    ['IT206', 'Công nghệ phần mềm', 'Software Engineering', 3],
    ['IT207', 'Trí tuệ nhân tạo', 'Artificial Intelligence', 3],
    ['IT208', 'An toàn thông tin', 'Information Security', 3],
    ['IT209', 'Lập trình web', 'Web Programming', 3],
    ['IT210', 'Kiến trúc máy tính', 'Computer Architecture', 3],
    ['IT211', 'Học máy', 'Machine Learning', 3],
    ['IT212', 'Phát triển ứng dụng di động', 'Mobile Application Development', 3],
    ['IT213', 'Điện toán đám mây', 'Cloud Computing', 3],
    ['IT290', 'Đồ án tốt nghiệp', 'Graduation Project', 10],
  ],
  DDT: [
    ['EE201', 'Lý thuyết mạch', 'Circuit Theory', 3],
    ['EE202', 'Điện tử tương tự', 'Analog Electronics', 3],
    ['EE203', 'Điện tử số', 'Digital Electronics', 3],
    ['EE204', 'Máy điện', 'Electrical Machines', 3],
    ['EE205', 'Hệ thống điện', 'Power Systems', 3],
    ['EE206', 'Điều khiển tự động', 'Automatic Control', 3],
    ['EE207', 'Vi xử lý', 'Microprocessors', 3],
    ['EE208', 'Điện tử công suất', 'Power Electronics', 3],
    ['EE209', 'Đo lường điện', 'Electrical Measurement', 2],
    ['EE210', 'Cung cấp điện', 'Power Supply', 3],
    ['EE211', 'Năng lượng tái tạo', 'Renewable Energy', 3],
    ['EE212', 'Truyền động điện', 'Electric Drives', 3],
    ['EE213', 'Thực tập kỹ thuật', 'Engineering Internship', 4],
    ['EE290', 'Đồ án tốt nghiệp', 'Graduation Project', 10],
  ],
  XD: [
    ['CE201', 'Sức bền vật liệu', 'Strength of Materials', 3],
    ['CE202', 'Cơ học kết cấu', 'Structural Mechanics', 3],
    ['CE203', 'Vật liệu xây dựng', 'Construction Materials', 3],
    ['CE204', 'Cơ học đất', 'Soil Mechanics', 3],
    ['CE205', 'Nền móng', 'Foundation Engineering', 3],
    ['CE206', 'Kết cấu bê tông cốt thép', 'Reinforced Concrete Structures', 3],
    ['CE207', 'Kết cấu thép', 'Steel Structures', 3],
    ['CE208', 'Trắc địa', 'Surveying', 2],
    ['CE209', 'Thi công xây dựng', 'Construction Technology', 3],
    ['CE210', 'Kinh tế xây dựng', 'Construction Economics', 2],
    ['CE211', 'Thủy lực', 'Hydraulics', 3],
    ['CE212', 'Quản lý dự án xây dựng', 'Construction Project Management', 3],
    ['CE213', 'Thực tập công trường', 'Site Internship', 4],
    ['CE290', 'Đồ án tốt nghiệp', 'Graduation Project', 10],
  ],
  KT: [
    ['EC201', 'Kinh tế vi mô', 'Microeconomics', 3],
    ['EC202', 'Kinh tế vĩ mô', 'Macroeconomics', 3],
    ['EC203', 'Nguyên lý kế toán', 'Principles of Accounting', 3],
    ['EC204', 'Tài chính doanh nghiệp', 'Corporate Finance', 3],
    ['EC205', 'Marketing căn bản', 'Principles of Marketing', 3],
    ['EC206', 'Quản trị học', 'Management', 3],
    ['EC207', 'Kinh tế lượng', 'Econometrics', 3],
    ['EC208', 'Thuế', 'Taxation', 2],
    ['EC209', 'Kiểm toán', 'Auditing', 3],
    ['EC210', 'Ngân hàng thương mại', 'Commercial Banking', 3],
    ['EC211', 'Thương mại điện tử', 'E-commerce', 3],
    ['EC212', 'Quản trị nhân lực', 'Human Resource Management', 3],
    ['EC213', 'Thực tập doanh nghiệp', 'Business Internship', 4],
    ['EC290', 'Khóa luận tốt nghiệp', 'Graduation Thesis', 7],
  ],
  NN: [
    ['EN201', 'Ngữ âm học tiếng Anh', 'English Phonetics', 3],
    ['EN202', 'Ngữ pháp tiếng Anh', 'English Grammar', 3],
    ['EN203', 'Kỹ năng nghe', 'Listening Skills', 3],
    ['EN204', 'Kỹ năng nói', 'Speaking Skills', 3],
    ['EN205', 'Kỹ năng đọc', 'Reading Skills', 3],
    ['EN206', 'Kỹ năng viết', 'Writing Skills', 3],
    ['EN207', 'Biên dịch', 'Translation', 3],
    ['EN208', 'Phiên dịch', 'Interpreting', 3],
    ['EN209', 'Văn học Anh – Mỹ', 'British and American Literature', 3],
    ['EN210', 'Văn hóa Anh – Mỹ', 'British and American Culture', 2],
    ['EN211', 'Ngôn ngữ học đối chiếu', 'Contrastive Linguistics', 3],
    ['EN212', 'Tiếng Anh thương mại', 'Business English', 3],
    ['EN213', 'Thực tập nghề nghiệp', 'Professional Internship', 4],
    ['EN290', 'Khóa luận tốt nghiệp', 'Graduation Thesis', 7],
  ],
  LUAT: [
    ['LA201', 'Lý luận nhà nước và pháp luật', 'Theory of State and Law', 3],
    ['LA202', 'Luật Hiến pháp', 'Constitutional Law', 3],
    ['LA203', 'Luật Dân sự', 'Civil Law', 3],
    ['LA204', 'Luật Hình sự', 'Criminal Law', 3],
    ['LA205', 'Luật Hành chính', 'Administrative Law', 3],
    ['LA206', 'Luật Lao động', 'Labour Law', 3],
    ['LA207', 'Luật Thương mại', 'Commercial Law', 3],
    ['LA208', 'Tố tụng dân sự', 'Civil Procedure', 3],
    ['LA209', 'Tố tụng hình sự', 'Criminal Procedure', 3],
    ['LA210', 'Luật Đất đai', 'Land Law', 2],
    ['LA211', 'Công pháp quốc tế', 'Public International Law', 3],
    ['LA212', 'Tư pháp quốc tế', 'Private International Law', 3],
    ['LA213', 'Thực tập nghề luật', 'Legal Internship', 4],
    ['LA290', 'Khóa luận tốt nghiệp', 'Graduation Thesis', 7],
  ],
};

export const COURSES: readonly Course[] = (() => {
  const out: Course[] = [];
  const add = (seed: CourseSeed, facultyId: number | null): void => {
    out.push({ courseId: out.length + 1, courseCode: seed[0], nameVi: seed[1], nameEn: seed[2], credits: seed[3], facultyId });
  };
  for (const c of GENERAL) add(c, null);
  for (const f of FACULTIES) for (const c of BY_FACULTY[f.facultyCode] ?? []) add(c, f.facultyId);
  return out;
})();

/** A faculty's curriculum in teaching order: general courses first, the graduation work last. */
function curriculum(facultyId: number): Course[] {
  return [...COURSES.filter((c) => c.facultyId === null), ...COURSES.filter((c) => c.facultyId === facultyId)];
}

const STATUS_DRAW = weightedTable<number>([
  [UIS_STUDENT_STATUS.studying, 88],
  [UIS_STUDENT_STATUS.suspended, 4],
  [UIS_STUDENT_STATUS.withdrawn, 3],
  [UIS_STUDENT_STATUS.graduated, 5],
]);

type SqlValue = string | number | null;

export interface CurrentStudentsOptions {
  count: number;
  seed: number;
  /** Vietnam wall-clock 'YYYY-MM-DDTHH:mm:ss' */
  now: string;
  /** graduation decisions; a graduated student belongs to the latest */
  decisions: readonly UisDecision[];
}

export interface CurrentStudentsManifest {
  students: number;
  results: number;
  /** the highest current_students.updated_at written */
  maxUpdatedAt: string;
}

/** Writes faculties, courses, `count` current students and their results (tables already created). */
export async function writeCurrentStudents(db: UisDb, options: CurrentStudentsOptions): Promise<CurrentStudentsManifest> {
  if (!Number.isInteger(options.count) || options.count < 0) throw new RangeError('current students must be a whole number ≥ 0');
  const t = uisCurrentTableNames(db.naming);
  const rng = new SeededRandom(options.seed ^ 0xc1a55);
  const nowMs = parseNaive(options.now);
  const nowYear = Number(options.now.slice(0, 4));
  // the school year that has started by `now` (September)
  const currentSchoolYear = Number(options.now.slice(5, 7)) >= 9 ? nowYear : nowYear - 1;
  const latestDecision = [...options.decisions].sort((a, b) => (a.decisionDate < b.decisionDate ? 1 : -1))[0];
  const students: SqlValue[][] = [];
  const results: SqlValue[][] = [];
  let maxUpdatedAt = '';
  for (let id = 1; id <= options.count; id++) {
    const sex: Sex = rng.chance(0.55) ? 'female' : 'male';
    const fullName = vietnameseName(rng, sex);
    let status = rng.weighted(STATUS_DRAW);
    if (status === UIS_STUDENT_STATUS.graduated && latestDecision === undefined) status = UIS_STUDENT_STATUS.studying;
    // graduates finished four years of study; the others are in their first to fourth year
    const admissionYear = status === UIS_STUDENT_STATUS.graduated ? currentSchoolYear - 4 : currentSchoolYear - rng.int(0, 3);
    const birthYear = admissionYear - 18 - (rng.chance(0.1) ? 1 : 0);
    const birthDate = formatDay(Date.UTC(birthYear, 0, 1) + rng.int(0, 364) * DAY_MS);
    const place = birthPlace(rng);
    const faculty = rng.pick(FACULTIES);
    const major = rng.pick(faculty.majors);
    const programme = PROGRAMMES.find((p) => p.programmeCode === `${major}-CQ`) ?? (PROGRAMMES[0] as (typeof PROGRAMMES)[number]);
    const studentCode = `${String(admissionYear).slice(2)}9${String(id).padStart(5, '0')}`;
    const nationalId = makeCccd(place.provinceCode, birthYear, sex, 500_000 + id);
    const updatedAt = formatNaive(nowMs - rng.int(1, 200) * DAY_MS + rng.int(8 * 3600, 17 * 3600) * 1000);
    if (updatedAt > maxUpdatedAt) maxUpdatedAt = updatedAt;
    const decisionId = status === UIS_STUDENT_STATUS.graduated ? (latestDecision as UisDecision).decisionId : null;
    students.push([
      id,
      studentCode,
      fullName,
      birthDate,
      sex === 'male' ? 'Nam' : 'Nữ',
      nationalId,
      programme.programmeId,
      faculty.facultyId,
      `K${admissionYear - 1955}`,
      admissionYear,
      status,
      decisionId,
      updatedAt,
    ]);
    // terms finished: two per school year since admission (none yet for this year's freshmen)
    const terms = status === UIS_STUDENT_STATUS.graduated ? 8 : (currentSchoolYear - admissionYear) * 2;
    const plan = curriculum(faculty.facultyId);
    const ability = Math.min(9.3, Math.max(5, rng.normal(7.2, 0.9)));
    const retakes: Course[] = [];
    let next = 0;
    for (let term = 0; term < terms; term++) {
      const year = admissionYear + Math.floor(term / 2);
      const schoolYear = `${year}-${year + 1}`;
      const termNo = (term % 2) + 1;
      const termEndMs = Date.UTC(year + 1, termNo === 1 ? 0 : 5, 20);
      const taking: { course: Course; attempt: number }[] = retakes.splice(0).map((course) => ({ course, attempt: 2 }));
      // the graduation work in the last term, three courses in every other
      const perTerm = term === 7 ? plan.length - next : 3;
      for (let k = 0; k < perTerm && next < plan.length; k++) taking.push({ course: plan[next++] as Course, attempt: 1 });
      for (const { course, attempt } of taking) {
        let score = Math.round(Math.min(10, Math.max(0, ability + rng.normal(0, 1.1))) * 10) / 10;
        if (attempt === 2 && score < 4) score = 4 + rng.int(0, 20) / 10;
        // a graduate passed everything
        if (status === UIS_STUDENT_STATUS.graduated && score < 4) score = 5;
        if (score < 4 && term < terms - 1) retakes.push(course);
        const text = score.toFixed(1);
        const resultUpdated = formatNaive(Math.min(termEndMs + rng.int(0, 20) * DAY_MS, nowMs));
        results.push([results.length + 1, id, course.courseId, schoolYear, termNo, attempt, text, toFourPoint(text), letterGrade(text), resultUpdated]);
      }
    }
  }
  await db.begin();
  await db.insert(t.faculties, UIS_CURRENT_COLUMNS.faculties, FACULTIES.map((f) => [f.facultyId, f.facultyCode, f.nameVi, f.nameEn]));
  await db.insert(t.courses, UIS_CURRENT_COLUMNS.courses, COURSES.map((c) => [c.courseId, c.courseCode, c.nameVi, c.nameEn, c.credits, c.facultyId]));
  for (let start = 0; start < students.length; start += 2000) {
    await db.insert(t.current_students, UIS_CURRENT_COLUMNS.current_students, students.slice(start, start + 2000));
  }
  for (let start = 0; start < results.length; start += 5000) {
    await db.insert(t.course_results, UIS_CURRENT_COLUMNS.course_results, results.slice(start, start + 5000));
  }
  await db.commit();
  return { students: students.length, results: results.length, maxUpdatedAt };
}

export interface UisStudentChange {
  studentCode: string;
  /** the columns changed (besides updated_at) */
  fields: string[];
  updatedAt: string;
}

/**
 * Changes one current student (a status, a corrected name) and stamps updated_at later than any
 * before, so the next incremental read returns exactly this student.
 */
export async function updateUisStudent(
  target: UisTarget,
  studentCode: string,
  changes: { status?: number; fullName?: string },
  now?: string | Date,
): Promise<UisStudentChange> {
  const db = await openUisDb(target);
  try {
    const t = uisCurrentTableNames(targetNaming(target));
    const [stats] = await db.query<{ max_updated: string | null }>(`SELECT MAX(updated_at) AS max_updated FROM ${t.current_students}`);
    const base = Math.max(parseNaive(vietnamNaive(now ?? new Date())), stats?.max_updated ? parseNaive(stats.max_updated) + 1000 : 0);
    const updatedAt = formatNaive(base);
    const sets: string[] = [];
    const params: SqlValue[] = [];
    const fields: string[] = [];
    if (changes.status !== undefined) {
      sets.push('status = ?');
      params.push(changes.status);
      fields.push('status');
    }
    if (changes.fullName !== undefined) {
      sets.push('full_name = ?');
      params.push(changes.fullName);
      fields.push('full_name');
    }
    const [found] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t.current_students} WHERE student_code = ?`, [studentCode]);
    if (Number(found?.n ?? 0) === 0) throw new RangeError(`no current student ${studentCode}`);
    await db.run(`UPDATE ${t.current_students} SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE student_code = ?`, [...params, updatedAt, studentCode]);
    return { studentCode, fields, updatedAt };
  } finally {
    await db.close();
  }
}

/** The student codes of the sample's current students with `status`, in id order. */
export async function uisStudentCodes(target: UisTarget, status?: number): Promise<string[]> {
  const db = await openUisDb(target);
  try {
    const t = uisCurrentTableNames(targetNaming(target));
    const rows = await db.query<{ student_code: string }>(
      `SELECT student_code FROM ${t.current_students}${status === undefined ? '' : ' WHERE status = ?'} ORDER BY student_id`,
      status === undefined ? [] : [status],
    );
    return rows.map((r) => r.student_code);
  } finally {
    await db.close();
  }
}
