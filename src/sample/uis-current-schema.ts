/**
 * The sample UIS's current students (docs/cim.md#the-sample-uis-current-students): faculties,
 * courses, students still enrolled (or just graduated) and their course results — what a kiosk's
 * student snapshot and a temporary transcript need. Appended beside the graduates' tables of
 * uis-schema.ts, which stay as they are.
 */
import { uisTableNames, type UisDialect, type UisNaming } from './uis-schema.js';

export interface UisCurrentTableNames {
  faculties: string;
  courses: string;
  current_students: string;
  course_results: string;
}

/** Table names, qualified like the graduates' tables (and checked by the same rules). */
export function uisCurrentTableNames(naming: UisNaming = {}): UisCurrentTableNames {
  const programmes = uisTableNames(naming).programmes; // validates schema and prefix
  const base = programmes.slice(0, programmes.length - 'programmes'.length);
  return {
    faculties: `${base}faculties`,
    courses: `${base}courses`,
    current_students: `${base}current_students`,
    course_results: `${base}course_results`,
  };
}

/** Column lists in insert order. */
export const UIS_CURRENT_COLUMNS = {
  faculties: ['faculty_id', 'faculty_code', 'name_vi', 'name_en'],
  courses: ['course_id', 'course_code', 'name_vi', 'name_en', 'credits', 'faculty_id'],
  current_students: [
    'student_id',
    'student_code',
    'full_name',
    'birth_date',
    'gender',
    'national_id',
    'programme_id',
    'faculty_id',
    'cohort',
    'admission_year',
    'status',
    'decision_id',
    'updated_at',
  ],
  course_results: ['result_id', 'student_id', 'course_id', 'school_year', 'term', 'attempt', 'score10', 'score4', 'letter_grade', 'updated_at'],
} as const;

/**
 * CREATE TABLE statements. Scores are text with one decimal ('8.5'), as the legacy UIS keeps them;
 * `status` is the UIS's numeric code (UIS_STUDENT_STATUSES).
 */
export function uisCurrentDdl(dialect: UisDialect, naming: UisNaming = {}): string[] {
  const t = uisCurrentTableNames(naming);
  const v = (n: number): string => (dialect === 'mysql' ? `VARCHAR(${n})` : 'TEXT');
  const tail = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  const prefix = naming.prefix ?? '';
  return [
    `CREATE TABLE ${t.faculties} (faculty_id INTEGER PRIMARY KEY, faculty_code ${v(32)}, name_vi ${v(255)}, name_en ${v(255)})${tail}`,
    `CREATE TABLE ${t.courses} (course_id INTEGER PRIMARY KEY, course_code ${v(32)}, name_vi ${v(255)}, name_en ${v(255)},
      credits INTEGER, faculty_id INTEGER)${tail}`,
    `CREATE TABLE ${t.current_students} (student_id INTEGER PRIMARY KEY, student_code ${v(32)}, full_name ${v(255)},
      birth_date ${v(32)}, gender ${v(16)}, national_id ${v(32)}, programme_id INTEGER, faculty_id INTEGER, cohort ${v(16)},
      admission_year INTEGER, status INTEGER, decision_id INTEGER, updated_at ${v(19)})${tail}`,
    `CREATE TABLE ${t.course_results} (result_id INTEGER PRIMARY KEY, student_id INTEGER, course_id INTEGER, school_year ${v(9)},
      term INTEGER, attempt INTEGER, score10 ${v(8)}, score4 ${v(8)}, letter_grade ${v(4)}, updated_at ${v(19)})${tail}`,
    `CREATE INDEX ${prefix}current_students_updated_at ON ${t.current_students} (updated_at, student_id)`,
    `CREATE INDEX ${prefix}course_results_student ON ${t.course_results} (student_id, course_id)`,
  ];
}

export function uisCurrentDropStatements(naming: UisNaming = {}): string[] {
  const t = uisCurrentTableNames(naming);
  return [t.course_results, t.current_students, t.courses, t.faculties].map((name) => `DROP TABLE IF EXISTS ${name}`);
}

/**
 * The student snapshot SELECT (one row per current student, in watermark order): what a kiosk
 * keeps for offline use. `:watermark` is bound by the sql connector.
 */
export function uisStudentSnapshotQuery(naming: UisNaming = {}): string {
  const t = { ...uisTableNames(naming), ...uisCurrentTableNames(naming) };
  return `SELECT s.student_id, s.student_code, s.full_name, s.birth_date, s.cohort, s.admission_year, s.status,
       p.programme_code, p.programme_name, f.faculty_code, f.name_vi AS faculty_name, s.updated_at
FROM ${t.current_students} s JOIN ${t.programmes} p ON p.programme_id = s.programme_id
JOIN ${t.faculties} f ON f.faculty_id = s.faculty_id
WHERE s.updated_at > :watermark ORDER BY s.updated_at, s.student_id`;
}

/**
 * Every course result of one student (`:student_code`), oldest first: the rows of a transcript.
 * A retaken course appears once per attempt; summariseTranscript keeps the latest attempt.
 */
export function uisCourseResultsQuery(naming: UisNaming = {}): string {
  const t = uisCurrentTableNames(naming);
  return `SELECT c.course_code, c.name_vi, c.name_en, c.credits, r.school_year, r.term, r.attempt, r.score10, r.score4, r.letter_grade
FROM ${t.course_results} r JOIN ${t.courses} c ON c.course_id = r.course_id
JOIN ${t.current_students} s ON s.student_id = r.student_id
WHERE s.student_code = :student_code ORDER BY r.school_year, r.term, c.course_code, r.attempt`;
}

/** The snapshot SELECT of the default (unprefixed) sample database, for job definitions. */
export const UIS_STUDENT_SNAPSHOT_QUERY = uisStudentSnapshotQuery();
