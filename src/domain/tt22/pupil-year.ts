/**
 * One pupil's school year under Thông tư 22/2021: subject term and year averages (or comment
 * results), the term and year learning levels with the Đ9.3 raise, and the year title.
 *
 * Comment-assessed subjects carry "Đ"/"CĐ" per term; their year result is the term II result
 * (Đ9.1a: cả năm Đạt when học kì II is Đạt) [docs/domain/grading.md; from memory for the year rule]. An exempt
 * subject carries "M" and takes no part in any level.
 */
import type { Decimal } from 'decimal.js';
import { parseTt22Level, type Tt22LevelCode } from '../grading.js';
import { termAverage, yearAverage, type TermScores } from './averages.js';
import { levelWithRaise, yearTitle, type LevelResult, type SubjectOutcome, type YearTitle } from './result-level.js';
import { formatScore, type Tt22Problem } from './scores.js';
import { isCommentAssessedSubject, type AssessmentKind } from './subjects.js';

/** A term of a subject: the raw scores, or a recorded comment result "Đ" / "CĐ", or "M" (exempt). */
export type TermInput = TermScores | string;

export interface SubjectYearInput {
  /** subject code (mamonhoc) */
  subject: string;
  /** subject name (tenmonhoc), used to recognise comment-assessed subjects */
  name?: string;
  /** overrides the name-based recognition */
  assessment?: AssessmentKind;
  exempt?: boolean;
  periodsPerYear?: number;
  hk1?: TermInput;
  hk2?: TermInput;
}

export interface PupilYearInput {
  subjects: readonly SubjectYearInput[];
  /** conduct results (rèn luyện), as stored: needed for the year title */
  conduct?: { year?: string };
}

/** Values as the national fields hold them: "7.3", "10.0", "Đ", "CĐ", "M". */
export interface SubjectYearResult {
  subject: string;
  kind: AssessmentKind | 'exempt';
  hk1?: string;
  hk2?: string;
  year?: string;
}

export interface PupilYearResult {
  subjects: SubjectYearResult[];
  hk1?: LevelResult;
  hk2?: LevelResult;
  year?: LevelResult;
  title?: YearTitle;
  problems: Tt22Problem[];
}

type Period = 'hk1' | 'hk2' | 'year';
type Value = { kind: 'scored'; average: Decimal } | { kind: 'comment'; result: 'Đ' | 'CĐ' } | { kind: 'exempt' };

function commentValue(raw: string): 'Đ' | 'CĐ' | 'M' | undefined {
  const text = raw.normalize('NFC').trim().toUpperCase();
  if (text === 'Đ' || text === 'ĐẠT') return 'Đ';
  if (text === 'CĐ' || text === 'CHƯA ĐẠT') return 'CĐ';
  if (text === 'M' || text === 'MIỄN') return 'M';
  return undefined;
}

function expectedKind(input: SubjectYearInput): AssessmentKind | undefined {
  if (input.assessment !== undefined) return input.assessment;
  const label = input.name ?? input.subject;
  return isCommentAssessedSubject(label) || isCommentAssessedSubject(input.subject) ? 'comment' : undefined;
}

function termValue(input: SubjectYearInput, term: 'hk1' | 'hk2', problems: Tt22Problem[]): Value | undefined {
  const raw = input[term];
  const subject = input.subject;
  if (input.exempt === true) return { kind: 'exempt' };
  if (raw === undefined) return undefined;
  const kind = expectedKind(input);
  if (typeof raw === 'string') {
    const value = commentValue(raw);
    if (value === undefined) {
      problems.push({ subject, field: term, code: 'TERM_RESULT_UNREADABLE', message: `${term} is neither scores nor Đ/CĐ/M` });
      return undefined;
    }
    if (value === 'M') return { kind: 'exempt' };
    if (kind === 'scored') problems.push({ subject, field: term, code: 'ASSESSMENT_KIND_MISMATCH', message: `${term} holds a comment result for a subject assessed with scores` });
    return { kind: 'comment', result: value };
  }
  if (kind === 'comment') problems.push({ subject, field: term, code: 'ASSESSMENT_KIND_MISMATCH', message: `${term} holds scores for a comment-assessed subject (Đ5.3a)` });
  const options = { subject, term, ...(input.periodsPerYear === undefined ? {} : { periodsPerYear: input.periodsPerYear }) };
  const result = termAverage(raw, options);
  problems.push(...result.problems);
  return result.average === undefined ? undefined : { kind: 'scored', average: result.average };
}

function yearValue(hk1: Value | undefined, hk2: Value | undefined, subject: string, problems: Tt22Problem[]): Value | undefined {
  if (hk1?.kind === 'exempt' && hk2?.kind === 'exempt') return { kind: 'exempt' };
  if (hk2 === undefined) return undefined;
  if (hk2.kind === 'comment') return hk2;
  if (hk2.kind === 'scored' && hk1?.kind === 'scored') return { kind: 'scored', average: yearAverage(hk1.average, hk2.average) };
  if (hk2.kind === 'exempt') return { kind: 'exempt' };
  if (hk1 !== undefined) problems.push({ subject, field: 'year', code: 'TERMS_INCONSISTENT', message: 'the two terms are assessed differently; no year result' });
  return undefined;
}

function display(value: Value | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'scored') return formatScore(value.average);
  return value.kind === 'comment' ? value.result : 'M';
}

function levelFor(period: Period, values: ReadonlyMap<string, Value | undefined>, problems: Tt22Problem[]): LevelResult | undefined {
  const outcomes: SubjectOutcome[] = [];
  for (const [subject, value] of values) {
    if (value === undefined) {
      problems.push({ subject, field: period, code: 'LEVEL_NOT_COMPUTED', message: `no ${period} result for this subject, so no ${period} level is computed` });
      return undefined;
    }
    outcomes.push({ subject, ...value });
  }
  return levelWithRaise(outcomes);
}

export function computePupilYear(input: PupilYearInput): PupilYearResult {
  const problems: Tt22Problem[] = [];
  const perPeriod: Record<Period, Map<string, Value | undefined>> = { hk1: new Map(), hk2: new Map(), year: new Map() };
  const subjects: SubjectYearResult[] = [];
  for (const subject of input.subjects) {
    const hk1 = termValue(subject, 'hk1', problems);
    const hk2 = termValue(subject, 'hk2', problems);
    const year = yearValue(hk1, hk2, subject.subject, problems);
    perPeriod.hk1.set(subject.subject, hk1);
    perPeriod.hk2.set(subject.subject, hk2);
    perPeriod.year.set(subject.subject, year);
    const kind = year?.kind ?? hk2?.kind ?? hk1?.kind ?? expectedKind(subject) ?? 'scored';
    const row: SubjectYearResult = { subject: subject.subject, kind };
    const [d1, d2, dy] = [display(hk1), display(hk2), display(year)];
    if (d1 !== undefined) row.hk1 = d1;
    if (d2 !== undefined) row.hk2 = d2;
    if (dy !== undefined) row.year = dy;
    subjects.push(row);
  }
  const result: PupilYearResult = { subjects, problems };
  const hk1 = levelFor('hk1', perPeriod.hk1, problems);
  const hk2 = levelFor('hk2', perPeriod.hk2, problems);
  const year = levelFor('year', perPeriod.year, problems);
  if (hk1 !== undefined) result.hk1 = hk1;
  if (hk2 !== undefined) result.hk2 = hk2;
  if (year !== undefined) {
    result.year = year;
    const conductRaw = input.conduct?.year;
    const conduct: Tt22LevelCode | undefined = conductRaw === undefined ? undefined : parseTt22Level(conductRaw)?.code;
    const yearOutcomes = [...perPeriod.year].flatMap(([subject, value]) => (value === undefined ? [] : [{ subject, ...value }]));
    const title = yearTitle(conduct, year.level.code, yearOutcomes);
    if (title !== undefined) result.title = title;
  }
  return result;
}
