/**
 * The date forms schools and university systems type, parsed into a date of known precision.
 * A date that only carries a month or a year stays that way: a day is never invented
 * (the national formats put such dates in `thangnamsinh` / `namsinh`).
 */
import { dateInZone, instantOf, parseSourceTimestamp, parseTimestampParts, type TimestampResult } from './timestamps.js';

export { parseSourceTimestamp, type TimestampResult } from './timestamps.js';

export type DatePrecision = 'day' | 'month' | 'year';

export interface PartialDate {
  precision: DatePrecision;
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY` by precision */
  iso: string;
  year: number;
  month?: number;
  day?: number;
}

export type DateErrorCode = 'DATE_EMPTY' | 'DATE_FORMAT' | 'DATE_INVALID' | 'DATE_RANGE';

export type DateParseResult =
  | { ok: true; value: PartialDate }
  | { ok: false; code: DateErrorCode; message: string };

export interface DateParseOptions {
  /** earliest plausible year (default 1900) */
  minYear?: number;
  /** latest plausible year (default 2100) */
  maxYear?: number;
}


export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** Strict `YYYY-MM-DD` that exists in the calendar. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isValidCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * A date of the (proleptic Gregorian) calendar from year 1, as a deadline is: `2026-02-30` and
 * `0000-01-01` are not. `Date.parse` cannot tell: it rolls 30 February over to 2 March, so a
 * deadline typed wrong would silently move; the configuration schema refuses such a date with this.
 */
export function isRealDate(value: string): boolean {
  return isIsoDate(value) && Number(value.slice(0, 4)) >= 1;
}

/** Strict `YYYY-MM`. */
export function isIsoMonth(value: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** Strict `YYYY`. */
export function isIsoYear(value: string): boolean {
  return /^\d{4}$/.test(value);
}

/** Strict `YYYY-YYYY` school year whose second year follows the first. */
export function isSchoolYear(value: string): boolean {
  const m = /^(\d{4})-(\d{4})$/.exec(value);
  return m !== null && Number(m[2]) === Number(m[1]) + 1;
}

/** Strict `YYYY-MM-DDTHH:mm:ss` (no zone: Vietnam local time by convention). */
export function isLocalTimestamp(value: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  return m !== null && isIsoDate(m[1] ?? '') && Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4]) <= 59;
}

function day(year: number, month: number, d: number, opts: DateParseOptions): DateParseResult {
  if (!isValidCalendarDate(year, month, d)) {
    return { ok: false, code: 'DATE_INVALID', message: 'date does not exist in the calendar' };
  }
  return range({ precision: 'day', iso: `${pad4(year)}-${pad2(month)}-${pad2(d)}`, year, month, day: d }, opts);
}

function month(year: number, m: number, opts: DateParseOptions): DateParseResult {
  if (m < 1 || m > 12) return { ok: false, code: 'DATE_INVALID', message: 'month must be 1 to 12' };
  return range({ precision: 'month', iso: `${pad4(year)}-${pad2(m)}`, year, month: m }, opts);
}

function range(value: PartialDate, opts: DateParseOptions): DateParseResult {
  const min = opts.minYear ?? 1900;
  const max = opts.maxYear ?? 2100;
  if (value.year < min || value.year > max) {
    return { ok: false, code: 'DATE_RANGE', message: `year outside the plausible range ${min}-${max}` };
  }
  return { ok: true, value };
}

/** The calendar date of an instant in Vietnam, by the zone's history (+08:00 in the South before 1975). */
function vietnamDateOf(utcMs: number): PartialDate {
  const { year: y, month: m, day: d } = dateInZone(utcMs);
  return { precision: 'day', iso: `${pad4(y)}-${pad2(m)}-${pad2(d)}`, year: y, month: m, day: d };
}

/**
 * A date column a driver handed over as an instant. A date column read as a JS Date arrives at
 * UTC midnight (SQL Server, SQLite's ISO text) or at the server's midnight: UTC midnight is that
 * calendar date; any other instant is the date it is in Vietnam.
 */
function dateOfInstant(instant: Date, opts: DateParseOptions): DateParseResult {
  const ms = instant.getTime();
  if (ms % 86_400_000 === 0) {
    const d = new Date(ms);
    return day(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), opts);
  }
  return range(vietnamDateOf(ms), opts);
}

/**
 * Parses 'YYYY-MM-DD', 'YYYY/MM/DD', 'DD/MM/YYYY', 'D/M/YYYY', 'DD-MM-YYYY', 'DD.MM.YYYY' (each
 * optionally followed by a time of day, as spreadsheets and `CONVERT(…, 103)` write them),
 * 'YYYYMMDD', 'MM/YYYY', 'MM-YYYY', 'YYYY-MM', 'YYYY', ISO timestamps with or without an offset
 * (`+07`, `+07:00`, `Z`) and JS Dates. Messages never repeat the input (it may be a birth date).
 *
 * A timestamp stands for a date column: when its time is midnight as written (a `date` stored in a
 * `timestamptz` column, `2001-05-03 00:00:00+07`, or at UTC midnight) the written date is the
 * date, whatever the offset; another time with an offset is the date it is in Vietnam.
 */
export function parseFlexibleDate(input: unknown, opts: DateParseOptions = {}): DateParseResult {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return { ok: false, code: 'DATE_INVALID', message: 'invalid Date object' };
    return dateOfInstant(input, opts);
  }
  if (typeof input === 'number' && Number.isInteger(input) && input >= 1000 && input <= 9999) {
    return range({ precision: 'year', iso: String(input), year: input }, opts);
  }
  if (typeof input === 'number' && Number.isInteger(input) && input >= 10_000_000 && input <= 99_999_999) {
    return parseFlexibleDate(String(input), opts);
  }
  if (typeof input !== 'string') {
    return input === null || input === undefined
      ? { ok: false, code: 'DATE_EMPTY', message: 'date is empty' }
      : { ok: false, code: 'DATE_FORMAT', message: 'date is not text' };
  }
  const s = input.normalize('NFC').trim();
  if (s === '') return { ok: false, code: 'DATE_EMPTY', message: 'date is empty' };

  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s))) return day(Number(m[1]), Number(m[2]), Number(m[3]), opts);
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(s))) {
    return day(Number(m[3]), Number(m[2]), Number(m[1]), opts);
  }
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) return day(Number(m[1]), Number(m[2]), Number(m[3]), opts);
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return month(Number(m[1]), Number(m[2]), opts);
  if ((m = /^(\d{1,2})[/.-](\d{4})$/.exec(s))) return month(Number(m[2]), Number(m[1]), opts);
  if ((m = /^(\d{4})$/.exec(s))) return range({ precision: 'year', iso: s, year: Number(m[1]) }, opts);

  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) {
    const parts = parseTimestampParts(s);
    if (parts === undefined) return { ok: false, code: 'DATE_INVALID', message: 'date or time does not exist in the calendar' };
    const midnight = parts.hour === 0 && parts.minute === 0 && parts.second === 0;
    if (parts.offsetMs === undefined || midnight) return day(parts.year, parts.month, parts.day, opts);
    return range(vietnamDateOf(instantOf(parts)), opts);
  }
  return { ok: false, code: 'DATE_FORMAT', message: 'unrecognised date format' };
}

/**
 * A date as the national `<prefix>ngaythangnam` / `thangnam` / `nam` trio: exactly one is set.
 * E.g. birth dates use { day: 'ngaythangnamsinh', month: 'thangnamsinh', year: 'namsinh' }.
 */
export function splitByPrecision(
  date: PartialDate,
  names: { day: string; month: string; year: string },
): Record<string, string> {
  const key = date.precision === 'day' ? names.day : date.precision === 'month' ? names.month : names.year;
  return { [key]: date.iso };
}

/**
 * `YYYY-MM-DDTHH:mm:ss` in Vietnam time (+07:00). A string without a zone is Vietnam local time;
 * one with `Z` or an offset (`+07`, `+07:00`, `+0700`) is converted; a bare date is midnight.
 * Fractions of a second are dropped. For another source time zone use parseSourceTimestamp.
 */
export function parseVietnamTimestamp(input: Date | string): TimestampResult {
  return parseSourceTimestamp(input);
}

/** Like parseVietnamTimestamp, but throws a RangeError on input that is not a timestamp. */
export function toVietnamTimestamp(input: Date | string): string {
  const r = parseVietnamTimestamp(input);
  if (!r.ok) throw new RangeError(r.message);
  return r.value;
}
