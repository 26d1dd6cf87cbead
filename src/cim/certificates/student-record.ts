import { DataError } from '../../core/errors.js';
import { parseFlexibleDate } from '../../domain/dates.js';
import { classify, letterGrade, roundHalfUp, toFourPoint, type ScaleVersion } from '../../domain/grading.js';
import type { CourseResult, StudentRecord } from './content.js';

/**
 * A student's certificate data from the UIS's rows: the `students` row and the `results` rows as
 * the configured SELECTs give them (docs/cim.md#certificates names the columns). Grades go through
 * the university's grading scale (src/domain/grading.ts): the 4-point value and the letter of
 * each course; GPA credit-weighted on both scales; classification from the 4-point GPA. A row that
 * breaks a rule is a DataError naming the column (never the value: it may be a birth date).
 */
export function studentRecordOf(student: Record<string, unknown>, results: Record<string, unknown>[], scale: ScaleVersion): StudentRecord {
  const text = (row: Record<string, unknown>, column: string, required = true): string | null => {
    const value = row[column];
    if (value === null || value === undefined || String(value).trim() === '') {
      if (required) throw new DataError('CIM_STUDENT_DATA_INVALID', `the UIS gave no ${column}`, { stream: 'students', field: column });
      return null;
    }
    return String(value).normalize('NFC').trim();
  };
  const birth = parseFlexibleDate(student['birth_date']);
  if (!birth.ok) throw new DataError('CIM_STUDENT_DATA_INVALID', `birth_date: ${birth.message}`, { stream: 'students', field: 'birth_date' });
  const graduationDateRaw = text(student, 'graduation_date', false);
  let graduationDate: string | null = null;
  if (graduationDateRaw !== null) {
    const parsed = parseFlexibleDate(student['graduation_date']);
    if (!parsed.ok) throw new DataError('CIM_STUDENT_DATA_INVALID', `graduation_date: ${parsed.message}`, { stream: 'students', field: 'graduation_date' });
    graduationDate = parsed.value.iso;
  }

  const courses = bestAttempts(results.map((row, i) => courseOf(row, i, scale)));
  const credits = courses.reduce((sum, c) => sum + c.credits, 0);
  let gpa4: string | null = null;
  let gpa10: string | null = null;
  if (credits > 0) {
    const weighted = (pick: (c: CourseResult) => string): string =>
      roundHalfUp(courses.reduce((sum, c) => sum + Number(pick(c)) * c.credits, 0) / credits, 2).toFixed(2);
    gpa4 = weighted((c) => c.score4);
    gpa10 = weighted((c) => c.score10);
  }
  const uisClassification = text(student, 'classification', false);
  return {
    studentId: text(student, 'student_id') ?? '',
    fullName: text(student, 'full_name') ?? '',
    birthDate: birth.value.iso,
    programme: text(student, 'programme') ?? '',
    faculty: text(student, 'faculty') ?? '',
    cohort: text(student, 'cohort') ?? '',
    status: text(student, 'status') ?? '',
    graduationDecision: text(student, 'graduation_decision', false),
    graduationDate,
    courses,
    gpa4,
    gpa10,
    totalCredits: courses.filter((c) => c.letter !== 'F').reduce((sum, c) => sum + c.credits, 0),
    classification: uisClassification ?? (gpa4 === null ? null : classify({ gpa4 }, scale).classification),
  };
}

function courseOf(row: Record<string, unknown>, index: number, scale: ScaleVersion): CourseResult {
  const where = { stream: 'results', record: String(index + 1) };
  const need = (column: string): string => {
    const value = row[column];
    if (value === null || value === undefined || String(value).trim() === '') throw new DataError('CIM_STUDENT_DATA_INVALID', `result ${index + 1}: the UIS gave no ${column}`, { ...where, field: column });
    return String(value).normalize('NFC').trim();
  };
  const credits = Number(need('credits'));
  if (!Number.isInteger(credits) || credits <= 0 || credits > 60) throw new DataError('CIM_STUDENT_DATA_INVALID', `result ${index + 1}: credits is not a whole number of 1 to 60`, { ...where, field: 'credits' });
  const raw = need('score10').replace(',', '.');
  let score10: string;
  let score4: string;
  let letter: string;
  try {
    score10 = roundHalfUp(raw, 1).toFixed(1);
    score4 = toFourPoint(score10, scale);
    letter = letterGrade(score10, scale);
  } catch (cause) {
    throw new DataError('CIM_STUDENT_DATA_INVALID', `result ${index + 1}: score10 is not a score of 0 to 10`, { ...where, field: 'score10' }, { cause });
  }
  const name = need('course_name');
  const nameEn = row['course_name_en'];
  const semester = row['semester'];
  return {
    courseCode: need('course_code'),
    courseName: name,
    courseNameEn: nameEn === null || nameEn === undefined || String(nameEn).trim() === '' ? name : String(nameEn).normalize('NFC').trim(),
    credits,
    score10,
    score4,
    letter,
    semester: semester === null || semester === undefined ? null : String(semester),
  };
}

/** One line per course: a retaken course keeps its best score; in the order of first appearance. */
function bestAttempts(courses: CourseResult[]): CourseResult[] {
  const best = new Map<string, CourseResult>();
  for (const c of courses) {
    const seen = best.get(c.courseCode);
    if (seen === undefined || Number(c.score10) > Number(seen.score10)) best.set(c.courseCode, c);
  }
  return [...best.values()];
}
