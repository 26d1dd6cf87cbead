/**
 * A transcript's summary from course results (TT 08/2021 Đ10, docs/domain/grading.md): the
 * cumulative GPA on the 4-point and 10-point scales, credits earned and the classification.
 *
 * Rules (documented choices): a course taken more than once counts by its latest attempt; the
 * cumulative GPA (điểm trung bình tích lũy) weighs the passed courses (letter above F) by their
 * credits; each course's 4-point value and letter come from its 10-point score through the cohort's
 * grading scale (the score the UIS stored for them is not trusted over the rule); GPAs are rounded
 * to two decimals, half up, with decimal arithmetic; the classification uses the 4-point GPA.
 */
import { Decimal } from 'decimal.js';
import { DataError } from '../core/errors.js';
import { classify, DEFAULT_SCALE_VERSION, letterGrade, roundHalfUp, toFourPoint, type Classification, type LetterGrade, type ScaleVersion } from './grading.js';

export interface CourseResultInput {
  courseCode: string;
  credits: number;
  /** 10-point score as stored ('8.5', 8.5) */
  score10: string | number;
  /** a larger attempt replaces a smaller one of the same course; 1 when absent */
  attempt?: number;
}

export interface TranscriptLine {
  courseCode: string;
  credits: number;
  score10: string;
  score4: string;
  letter: LetterGrade;
  passed: boolean;
}

export interface TranscriptSummary {
  /** one line per course (latest attempt), in the order first seen */
  lines: TranscriptLine[];
  creditsEarned: number;
  /** '3.27'; '0.00' when nothing was passed yet */
  gpa4: string;
  gpa10: string;
  classification: Classification | null;
  scaleVersion: ScaleVersion;
}

export function summariseTranscript(results: readonly CourseResultInput[], version: ScaleVersion = DEFAULT_SCALE_VERSION): TranscriptSummary {
  const latest = new Map<string, CourseResultInput>();
  results.forEach((r, index) => {
    if (!Number.isInteger(r.credits) || r.credits <= 0) {
      throw new DataError('INVALID_CREDITS', `course ${r.courseCode} has no positive whole number of credits`, { field: 'credits', index });
    }
    const seen = latest.get(r.courseCode);
    if (seen === undefined || (r.attempt ?? 1) >= (seen.attempt ?? 1)) latest.set(r.courseCode, r);
  });
  const lines: TranscriptLine[] = [];
  let credits = 0;
  let sum4 = new Decimal(0);
  let sum10 = new Decimal(0);
  for (const r of latest.values()) {
    const score10 = roundHalfUp(r.score10, 1);
    const letter = letterGrade(score10, version);
    const score4 = toFourPoint(score10, version);
    const passed = letter !== 'F';
    lines.push({ courseCode: r.courseCode, credits: r.credits, score10: score10.toFixed(1), score4, letter, passed });
    if (!passed) continue;
    credits += r.credits;
    sum4 = sum4.plus(new Decimal(score4).times(r.credits));
    sum10 = sum10.plus(score10.times(r.credits));
  }
  const gpa4 = credits === 0 ? new Decimal(0) : roundHalfUp(sum4.dividedBy(credits), 2);
  const gpa10 = credits === 0 ? new Decimal(0) : roundHalfUp(sum10.dividedBy(credits), 2);
  return {
    lines,
    creditsEarned: credits,
    gpa4: gpa4.toFixed(2),
    gpa10: gpa10.toFixed(2),
    classification: credits === 0 ? null : classify({ gpa4 }, version).classification,
    scaleVersion: version,
  };
}
