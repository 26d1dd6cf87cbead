/**
 * Rules between the dates of one diploma, checked on the mapped record (each date already in one
 * of its `…ngaythangnam` / `…thangnam` / `…nam` forms):
 *
 * - the holder was born before the graduation decision (or, without one, before the issue);
 * - the decision comes no later than the issue;
 * - `namtotnghiep` is the decision's year, or the year before it (a decision signed in January
 *   for the previous year's graduates), and no later than the issue's year;
 * - the holder's age at graduation is plausible: at least 15 and at most 100 years (no regulation
 *   sets a bound; a university graduate younger than 15 or older than 100 is far likelier a typo in the
 *   birth date or the decision date). Jobs can change the bounds with the mapping options
 *   `minGraduationAge` / `maxGraduationAge`.
 *
 * A date known only to its month or year is compared at that precision: a rule is broken only when
 * it is broken whatever the missing day or month is. Messages name the fields, never the dates.
 */
import { ConfigError } from '../../../src/core/errors.js';
import type { FieldError, JsonObject } from '../../../src/core/records.js';

export const DEFAULT_MIN_GRADUATION_AGE = 15;
export const DEFAULT_MAX_GRADUATION_AGE = 100;

interface Trio {
  day: string;
  month: string;
  year: string;
}

export const BIRTH: Trio = { day: 'ngaythangnamsinh', month: 'thangnamsinh', year: 'namsinh' };
export const DECISION: Trio = { day: 'ngayquyetdinh_ngaythangnam', month: 'ngayquyetdinh_thangnam', year: 'ngayquyetdinh_nam' };
export const ISSUE: Trio = { day: 'ngaycap_ngaythangnam', month: 'ngaycap_thangnam', year: 'ngaycap_nam' };

/** The date of a trio as it was mapped (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) and the field holding it. */
function dateOf(data: JsonObject, trio: Trio): { field: string; iso: string } | undefined {
  for (const field of [trio.day, trio.month, trio.year]) {
    const v = data[field];
    if (typeof v === 'string' && /^\d{4}(-\d{2}){0,2}$/.test(v)) return { field, iso: v };
  }
  return undefined;
}

/** Compares two partial dates on the precision they share. */
function compare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `a` is surely not before `b` (a strict "before" is broken only when both days are known and equal). */
const notBefore = (a: string, b: string): boolean => {
  const c = compare(a, b);
  return c > 0 || (c === 0 && a.length === 10 && b.length === 10);
};

/** The least and the greatest whole age in years at `ref` of someone born on `birth`. */
function ageRange(birth: string, ref: string): [number, number] {
  const years = Number(ref.slice(0, 4)) - Number(birth.slice(0, 4));
  // month and day of both known: the exact age; otherwise the birthday may or may not have passed
  const n = Math.min(birth.length, ref.length);
  if (n === 10) return birth.slice(5) <= ref.slice(5) ? [years, years] : [years - 1, years - 1];
  if (n === 7 && birth.slice(5, 7) !== ref.slice(5, 7)) return birth.slice(5, 7) < ref.slice(5, 7) ? [years, years] : [years - 1, years - 1];
  return [years - 1, years];
}

function ageBound(options: Record<string, unknown>, name: string, fallback: number): number {
  const v = options[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 150) {
    throw new ConfigError('MAPPING_OPTION_INVALID', `mapping option ${name} must be a whole number of years`, { path: `mapping.options.${name}` });
  }
  return v;
}

/**
 * Every broken rule, as errors on the field most likely wrong. Fields in `reported` already have an
 * error (a date that could not be read): rules involving them are not checked.
 */
export function checkDiplomaDates(data: JsonObject, reported: ReadonlySet<string>, options: Record<string, unknown>): FieldError[] {
  const minAge = ageBound(options, 'minGraduationAge', DEFAULT_MIN_GRADUATION_AGE);
  const maxAge = ageBound(options, 'maxGraduationAge', DEFAULT_MAX_GRADUATION_AGE);
  const usable = (trio: Trio): { field: string; iso: string } | undefined =>
    [trio.day, trio.month, trio.year].some((f) => reported.has(`data.${f}`)) ? undefined : dateOf(data, trio);
  const birth = usable(BIRTH);
  const decision = usable(DECISION);
  const issue = usable(ISSUE);
  const year = reported.has('data.namtotnghiep') || typeof data.namtotnghiep !== 'string' ? undefined : data.namtotnghiep;
  const errors: FieldError[] = [];
  const out = (field: string, code: string, message: string): void => {
    errors.push({ field: `data.${field}`, code, message: `${field}: ${message}` });
  };

  // The holder's birth: before graduation (the decision, else the issue), at a plausible age.
  const graduation = decision ?? issue;
  if (birth && graduation && notBefore(birth.iso, graduation.iso)) {
    out(birth.field, 'DATES_OUT_OF_ORDER', `the birth date must be before ${graduation.field}`);
  } else if (birth && (graduation ?? year)) {
    const [least, most] = ageRange(birth.iso, graduation?.iso ?? (year as string));
    if (most < minAge || least > maxAge) {
      out(birth.field, 'AGE_IMPLAUSIBLE', `the holder's age at graduation is outside ${minAge}-${maxAge} years`);
    }
  }
  if (decision && issue && compare(decision.iso, issue.iso) > 0) {
    out(issue.field, 'DATES_OUT_OF_ORDER', `the issue date must not be before ${decision.field}`);
  }
  if (year !== undefined) {
    const y = Number(year);
    const decisionYear = decision ? Number(decision.iso.slice(0, 4)) : undefined;
    if (decisionYear !== undefined && (y > decisionYear || y < decisionYear - 1)) {
      out('namtotnghiep', 'GRADUATION_YEAR_MISMATCH', `the graduation year must be the year of ${decision?.field ?? ''} or the year before`);
    } else if (issue && y > Number(issue.iso.slice(0, 4))) {
      out('namtotnghiep', 'GRADUATION_YEAR_MISMATCH', `the graduation year must not be after the year of ${issue.field}`);
    }
  }
  return errors;
}
