/**
 * Score values of Thông tư 22/2021: a 0–10 score with at most one decimal (Đ5.3b), "Đ"/"CĐ" for a
 * comment-assessed subject, "M" for an exempt pupil. Invalid input is reported as a problem, not
 * thrown, so that one bad cell does not stop a school's run. Problems never carry the score itself.
 */
import { Decimal } from 'decimal.js';

export type ScoreInput = string | number;

export interface Tt22Problem {
  /** the subject code (mamonhoc), when the problem belongs to one subject */
  subject?: string;
  field: string;
  code: string;
  message: string;
}

/**
 * Formats a score with exactly one decimal: "7.3", "10.0", "0.0". "10.0" is four characters, which
 * fits the national `diemhocky1/2`, `diemcanam` fields (varchar(4)).
 */
export function formatScore(value: Decimal): string {
  return value.toFixed(1, Decimal.ROUND_HALF_UP);
}

export function roundScore(value: Decimal): Decimal {
  return value.toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
}

/**
 * Parses one test score. Accepts "7", "7.5", "7,5" (decimal comma, as typed in Vietnamese
 * spreadsheets) and numbers. Returns undefined and records a problem when the value is not a score.
 */
export function parseScore(raw: ScoreInput, field: string, problems: Tt22Problem[], subject?: string): Decimal | undefined {
  const report = (code: string, message: string): undefined => {
    problems.push({ ...(subject === undefined ? {} : { subject }), field, code, message });
    return undefined;
  };
  const text = typeof raw === 'number' ? String(raw) : raw.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(text)) return report('SCORE_NOT_A_NUMBER', `${field} is not a score`);
  const value = new Decimal(text);
  if (value.gt(10)) return report('SCORE_OUT_OF_RANGE', `${field} is outside 0–10`);
  if (value.decimalPlaces() > 1) return report('SCORE_TOO_MANY_DECIMALS', `${field} has more than one decimal (Đ5.3b)`);
  return value;
}
