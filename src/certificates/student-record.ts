import { DataError } from '../core/errors.js';
import { parseFlexibleDate } from '../domain/dates.js';
import type { ScaleVersion } from '../domain/grading.js';
import { summariseTranscript, type TranscriptSummary } from '../domain/transcript.js';
import type { CourseResult, StudentRecord } from './content.js';

/**
 * A student's certificate data from the UIS's rows: the `students` row and the `results` rows as
 * the configured SELECTs give them (docs/cim.md#certificates names the columns). Grades go through
 * summariseTranscript (src/domain/transcript.ts, the kiosks' snapshots use the same): the latest
 * attempt of a course counts, 4-point value and letter from the scale, GPAs over passed courses. A row that
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

  const inputs = results.map((row, i) => courseInputOf(row, i));
  let summary: TranscriptSummary;
  try {
    summary = summariseTranscript(inputs, scale);
  } catch (cause) {
    throw new DataError('CIM_STUDENT_DATA_INVALID', 'a course result is not a score of 0 to 10', { stream: 'results', field: 'score10' }, { cause });
  }
  const named = new Map(inputs.map((c) => [c.courseCode, c]));
  const courses: CourseResult[] = summary.lines.map((line) => {
    const c = named.get(line.courseCode) as CourseInput;
    return { courseCode: line.courseCode, courseName: c.courseName, courseNameEn: c.courseNameEn, credits: line.credits, score10: line.score10, score4: line.score4, letter: line.letter, semester: c.semester };
  });
  const passedAny = summary.creditsEarned > 0;
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
    statusEn: text(student, 'status_en', false),
    courses,
    gpa4: passedAny ? summary.gpa4 : null,
    gpa10: passedAny ? summary.gpa10 : null,
    totalCredits: summary.creditsEarned,
    classification: uisClassification ?? summary.classification,
  };
}

interface CourseInput {
  courseCode: string;
  courseName: string;
  courseNameEn: string;
  credits: number;
  score10: string;
  attempt?: number;
  semester: string | null;
}

function courseInputOf(row: Record<string, unknown>, index: number): CourseInput {
  const where = { stream: 'results', record: String(index + 1) };
  const need = (column: string): string => {
    const value = row[column];
    if (value === null || value === undefined || String(value).trim() === '') throw new DataError('CIM_STUDENT_DATA_INVALID', `result ${index + 1}: the UIS gave no ${column}`, { ...where, field: column });
    return String(value).normalize('NFC').trim();
  };
  const credits = Number(need('credits'));
  if (!Number.isInteger(credits) || credits <= 0 || credits > 60) throw new DataError('CIM_STUDENT_DATA_INVALID', `result ${index + 1}: credits is not a whole number of 1 to 60`, { ...where, field: 'credits' });
  // a decimal comma ('7,5') is how many Vietnamese systems store a score as text
  const score10 = need('score10').replace(',', '.');
  if (!/^\d{1,2}(\.\d+)?$/.test(score10) || Number(score10) > 10) throw new DataError('CIM_STUDENT_DATA_INVALID', `result ${index + 1}: score10 is not a score of 0 to 10`, { ...where, field: 'score10' });
  const name = need('course_name');
  const optional = (column: string): string | null => {
    const v = row[column];
    return v === null || v === undefined || String(v).trim() === '' ? null : String(v).normalize('NFC').trim();
  };
  const attempt = optional('attempt');
  return {
    courseCode: need('course_code'),
    courseName: name,
    courseNameEn: optional('course_name_en') ?? name,
    credits,
    score10,
    ...(attempt === null ? {} : { attempt: Number(attempt) }),
    semester: optional('semester'),
  };
}
