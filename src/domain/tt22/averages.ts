/**
 * Subject averages of Thông tư 22/2021 Đ9.1b, in decimal arithmetic, rounded to one decimal half up
 * (Đ5.3b):
 *   ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n_tx + 5)
 *   ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3
 * The year average is computed from the two term averages as rounded and recorded, which is what
 * the circular's formula refers to (ĐTBmhkI and ĐTBmhkII are the recorded term averages).
 */
import { Decimal } from 'decimal.js';
import { expectedRegularTestCount } from './subjects.js';
import { parseScore, roundScore, type ScoreInput, type Tt22Problem } from './scores.js';

export interface TermScores {
  /** ĐĐGtx: the regular assessment scores of the term */
  regular: readonly ScoreInput[];
  /** ĐĐGgk: mid-term score */
  midterm: ScoreInput;
  /** ĐĐGck: end-of-term score */
  final: ScoreInput;
}

export interface TermAverageOptions {
  /** subject code, for problem reports */
  subject?: string;
  /** "hk1" or "hk2", for problem reports */
  term?: 'hk1' | 'hk2';
  /** periods per school year, to check the number of regular scores (Đ6.2b) */
  periodsPerYear?: number;
}

export interface TermAverageResult {
  /** ĐTBmhk rounded to one decimal; undefined when a score was unusable */
  average?: Decimal;
  problems: Tt22Problem[];
}

/**
 * ĐTBmhk of one subject in one term. A wrong number of regular scores is reported as
 * REGULAR_TEST_COUNT_MISMATCH and the average is still computed from the scores given; an unusable
 * score is reported and leaves the average undefined.
 */
export function termAverage(scores: TermScores, options: TermAverageOptions = {}): TermAverageResult {
  const problems: Tt22Problem[] = [];
  const prefix = options.term ?? 'term';
  const subject = options.subject;
  const regular = scores.regular.map((raw, index) => parseScore(raw, `${prefix}.regular[${index}]`, problems, subject));
  const midterm = parseScore(scores.midterm, `${prefix}.midterm`, problems, subject);
  const final = parseScore(scores.final, `${prefix}.final`, problems, subject);

  if (scores.regular.length === 0) {
    problems.push({ ...(subject === undefined ? {} : { subject }), field: `${prefix}.regular`, code: 'REGULAR_TESTS_MISSING', message: 'no regular assessment score (ĐĐGtx)' });
  } else if (options.periodsPerYear !== undefined) {
    const expected = expectedRegularTestCount(options.periodsPerYear);
    if (scores.regular.length !== expected) {
      problems.push({
        ...(subject === undefined ? {} : { subject }),
        field: `${prefix}.regular`,
        code: 'REGULAR_TEST_COUNT_MISMATCH',
        message: `${scores.regular.length} regular scores where Đ6.2b asks for ${expected} (${options.periodsPerYear} periods per year)`,
      });
    }
  }

  if (midterm === undefined || final === undefined || regular.some((r) => r === undefined) || scores.regular.length === 0) return { problems };
  const sumRegular = regular.reduce<Decimal>((sum, r) => sum.plus(r ?? 0), new Decimal(0));
  const total = sumRegular.plus(midterm.times(2)).plus(final.times(3));
  return { average: roundScore(total.dividedBy(regular.length + 5)), problems };
}

/** ĐTBmcn from the two recorded (rounded) term averages, rounded to one decimal half up. */
export function yearAverage(hk1: Decimal.Value, hk2: Decimal.Value): Decimal {
  return roundScore(new Decimal(hk1).plus(new Decimal(hk2).times(2)).dividedBy(3));
}
