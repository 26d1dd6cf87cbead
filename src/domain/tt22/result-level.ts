/**
 * Learning result level of a term or a year (Thông tư 22/2021 Đ9.2, Đ9.3) and the year titles (Đ15).
 *
 * Đ9.2 (per term with ĐTBmhk, per year with ĐTBmcn):
 *   Tốt      — every comment subject Đạt; every scored subject ≥ 6.5 and at least 6 of them ≥ 8.0
 *   Khá      — every comment subject Đạt; every scored subject ≥ 5.0 and at least 6 of them ≥ 6.5
 *   Đạt      — at most one comment subject Chưa đạt; at least 6 scored subjects ≥ 5.0; none < 3.5
 *   Chưa đạt — otherwise
 * Exempt subjects ("M") take no part.
 *
 * Đ9.3: "Nếu mức đánh giá kết quả học tập của học kì, cả năm học bị thấp xuống từ 02 (hai) mức trở
 * lên so với mức đánh giá quy định tại khoản 2 Điều này chỉ do kết quả đánh giá của duy nhất 01
 * (một) môn học thì mức đánh giá kết quả học tập của học kì đó, cả năm học đó được điều chỉnh lên
 * mức liền kề."
 *
 * Our reading, implemented in `levelWithRaise`: for each subject S we compute the level the pupil
 * would reach if S did not hold them back — S is exempted from the conditions that every subject
 * must meet ("every comment subject Đạt", "at most one CĐ", "every scored subject ≥ m", "none
 * < 3.5"), while the "at least 6 subjects ≥ x" counts use S's real value (not holding back is not the
 * same as earning merit). If for some S that level is two or more levels above the level actually
 * reached, the fall is due to that one subject alone and the level is raised by exactly one. If two
 * subjects hold the pupil back, exempting either alone does not lift the level by two, so no raise.
 * The raise is never more than one level and cannot reach Tốt (lifting Đạt to Khá is the most).
 */
import { Decimal } from 'decimal.js';
import { tt22LevelByRank, type Tt22Level, type Tt22LevelCode } from '../grading.js';

export type SubjectOutcome =
  | { subject: string; kind: 'scored'; average: Decimal }
  | { subject: string; kind: 'comment'; result: 'Đ' | 'CĐ' }
  | { subject: string; kind: 'exempt' };

type Rank = 0 | 1 | 2 | 3;

const EIGHT = new Decimal('8.0');
const SIX_FIVE = new Decimal('6.5');
const FIVE = new Decimal('5.0');
const THREE_FIVE = new Decimal('3.5');

/** The Đ9.2 level rank (0 Tốt … 3 Chưa đạt), optionally with one subject exempted from the per-subject minimums. */
function levelRank(outcomes: readonly SubjectOutcome[], notHoldingBack?: string): Rank {
  const scored = outcomes.flatMap((o) => (o.kind === 'scored' ? [o] : []));
  const comments = outcomes.flatMap((o) => (o.kind === 'comment' ? [o] : []));
  const scoredChecked = scored.filter((o) => o.subject !== notHoldingBack);
  const notPassedComments = comments.filter((o) => o.subject !== notHoldingBack && o.result === 'CĐ').length;
  const countAtLeast = (min: Decimal): number => scored.filter((o) => o.average.gte(min)).length;
  const allAtLeast = (min: Decimal): boolean => scoredChecked.every((o) => o.average.gte(min));

  if (notPassedComments === 0 && allAtLeast(SIX_FIVE) && countAtLeast(EIGHT) >= 6) return 0;
  if (notPassedComments === 0 && allAtLeast(FIVE) && countAtLeast(SIX_FIVE) >= 6) return 1;
  if (notPassedComments <= 1 && countAtLeast(FIVE) >= 6 && allAtLeast(THREE_FIVE)) return 2;
  return 3;
}

export interface LevelResult {
  /** the level after the Đ9.3 adjustment */
  level: Tt22Level;
  /** the Đ9.2 level before adjustment */
  baseLevel: Tt22Level;
  raised: boolean;
  /** the one subject whose result alone pulled the level down two or more levels */
  soleSubject?: string;
}

/** Đ9.2 level with the Đ9.3 one-level raise. */
export function levelWithRaise(outcomes: readonly SubjectOutcome[]): LevelResult {
  const base = levelRank(outcomes);
  const baseLevel = tt22LevelByRank(base);
  for (const outcome of outcomes) {
    if (outcome.kind === 'exempt') continue;
    const without = levelRank(outcomes, outcome.subject);
    if (base - without >= 2) {
      return { level: tt22LevelByRank(base - 1), baseLevel, raised: true, soleSubject: outcome.subject };
    }
  }
  return { level: baseLevel, baseLevel, raised: false };
}

export type YearTitle = 'Học sinh Xuất sắc' | 'Học sinh Giỏi';

/**
 * Year title (Đ15): "Học sinh Xuất sắc" for conduct Tốt, learning Tốt and at least 6 subjects with
 * ĐTBmcn ≥ 9.0; "Học sinh Giỏi" for conduct Tốt and learning Tốt otherwise; none else.
 */
export function yearTitle(conduct: Tt22LevelCode | undefined, learning: Tt22LevelCode, yearOutcomes: readonly SubjectOutcome[]): YearTitle | undefined {
  if (conduct !== 'T' || learning !== 'T') return undefined;
  const nineOrMore = yearOutcomes.filter((o) => o.kind === 'scored' && o.average.gte('9.0')).length;
  return nineOrMore >= 6 ? 'Học sinh Xuất sắc' : 'Học sinh Giỏi';
}
