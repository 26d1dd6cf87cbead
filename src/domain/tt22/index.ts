/**
 * Thông tư 22/2021/TT-BGDĐT calculator (secondary school assessment),
 * docs/domain/grading.md#tt22-secondary-school-assessment.
 */
export { termAverage, yearAverage, type TermScores, type TermAverageOptions, type TermAverageResult } from './averages.js';
export { compareStoredResults, type DisagreementLine, type StoredPupilYear, type StoredSubjectRow } from './compare.js';
export {
  computePupilYear,
  type PupilYearInput,
  type PupilYearResult,
  type SubjectYearInput,
  type SubjectYearResult,
  type TermInput,
} from './pupil-year.js';
export { levelWithRaise, yearTitle, type LevelResult, type SubjectOutcome, type YearTitle } from './result-level.js';
export { formatScore, parseScore, roundScore, type ScoreInput, type Tt22Problem } from './scores.js';
export { expectedRegularTestCount, isCommentAssessedSubject, type AssessmentKind } from './subjects.js';
