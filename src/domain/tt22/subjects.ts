/**
 * Subject kinds under Thông tư 22/2021 Đ5.3: most subjects are assessed by comments combined with
 * scores; GDTC, Nghệ thuật, Âm nhạc, Mĩ thuật, Nội dung giáo dục địa phương and Hoạt động trải
 * nghiệm, hướng nghiệp are assessed by comments only (Đạt / Chưa đạt) (Đ5.3a).
 *
 * The national subject code list was not found (docs/domain/code-tables.md), so a subject is recognised as
 * comment-assessed from its name or a usual abbreviation; a mapping may also say so explicitly.
 */
export type AssessmentKind = 'scored' | 'comment';

function foldForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folded names and abbreviations of the comment-assessed subjects. */
const COMMENT_SUBJECT_PATTERNS: readonly RegExp[] = [
  /\bgiao duc the chat\b/,
  /\bthe duc\b/,
  /^gdtc$/,
  /\bnghe thuat\b/,
  /\bam nhac\b/,
  /\bmi thuat\b/,
  /\bmy thuat\b/,
  /\bgiao duc dia phuong\b/,
  /^(nd )?gddp$/,
  /\bhoat dong trai nghiem\b/,
  /^hdtn( hn)?$/,
];

/** True when the subject's name or abbreviation is one of the comment-assessed subjects (Đ5.3a). */
export function isCommentAssessedSubject(nameOrAbbreviation: string): boolean {
  const folded = foldForMatch(nameOrAbbreviation);
  return COMMENT_SUBJECT_PATTERNS.some((pattern) => pattern.test(folded));
}

/**
 * Number of regular assessment scores (ĐĐGtx) per term for a subject with the given number of
 * periods per school year (Đ6.2b): 2 for up to 35 periods, 3 for over 35 up to 70, 4 above 70.
 */
export function expectedRegularTestCount(periodsPerYear: number): 2 | 3 | 4 {
  if (periodsPerYear <= 35) return 2;
  if (periodsPerYear <= 70) return 3;
  return 4;
}
