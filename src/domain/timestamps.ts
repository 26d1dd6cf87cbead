/**
 * Update times as real database drivers hand them over, turned into the envelope's
 * `YYYY-MM-DDTHH:mm:ss` in Vietnam time (+07:00):
 *
 * - PostgreSQL `timestamptz` text: `2025-06-30 09:15:00.123456+07` (an offset of hours only, or
 *   `+05:30`, or `+07:06:40` for old local mean times), with `T` or a space;
 * - ISO 8601 with `Z` or `±hh:mm` / `±hhmm`, any number of fractional digits (MySQL `DATETIME(6)`,
 *   SQL Server `datetime2(7)`);
 * - wall-clock text without an offset (`timestamp without time zone`, MySQL `DATETIME`): the time
 *   in the source's declared time zone (default Asia/Ho_Chi_Minh);
 * - a date alone: midnight in that zone;
 * - a JS Date: an instant.
 *
 * Fractions of a second are dropped (the envelope has whole seconds), never rounded up into the
 * next second.
 */

export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export type TimestampResult = { ok: true; value: string } | { ok: false; code: 'TIMESTAMP_INVALID'; message: string };

export interface TimestampOptions {
  /** IANA time zone of wall-clock values without an offset (default Asia/Ho_Chi_Minh) */
  timeZone?: string;
}

/** The parts of a timestamp text; `offsetMs` is undefined when the text carries no offset. */
export interface TimestampParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** true when the text had a time of day (not a date alone) */
  hasTime: boolean;
  offsetMs?: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// date, then optionally: T or space, hh:mm[:ss[.fraction]], optional space, then Z or an offset of
// hours, hours:minutes or hours:minutes:seconds (with or without colons).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?)?$/i;

/** Splits an ISO-like timestamp text into its parts; undefined when it is not one or does not exist. */
export function parseTimestampParts(text: string): TimestampParts | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const hasTime = m[4] !== undefined;
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const parts: TimestampParts = { year, month, day, hour, minute, second, hasTime };
  const zone = m[7];
  if (zone !== undefined) {
    if (zone.toUpperCase() === 'Z') parts.offsetMs = 0;
    else {
      const digits = zone.slice(1).replace(/:/g, '');
      const [h, mi, s] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4) || 0), Number(digits.slice(4, 6) || 0)];
      if (h > 15 || mi > 59 || s > 59) return undefined;
      parts.offsetMs = (zone.startsWith('-') ? -1 : 1) * ((h * 60 + mi) * 60 + s) * 1000;
    }
  }
  return parts;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA time zone (`Asia/Ho_Chi_Minh`, `UTC`, `Asia/Bangkok`…). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utcMs`. */
function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const get = (parts: Intl.DateTimeFormatPart[], type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const p = formatter(timeZone).formatToParts(new Date(utcMs));
  const wall = Date.UTC(get(p, 'year'), get(p, 'month') - 1, get(p, 'day'), get(p, 'hour'), get(p, 'minute'), get(p, 'second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in a zone. Twice, because the offset at the guess may differ
 * from the offset at the answer (a daylight-saving change between them); a time skipped by a
 * change is taken with the offset before it, a repeated one at its first occurrence.
 */
function wallClockToUtc(wallMs: number, timeZone: string): number {
  const first = wallMs - zoneOffsetMs(timeZone, wallMs);
  return wallMs - zoneOffsetMs(timeZone, first);
}

/**
 * The calendar date of an instant on the wall clocks of `timeZone`, by the zone's history: in
 * Asia/Ho_Chi_Minh a 1965 midnight was at +08:00 (South Vietnam), not +07:00.
 */
export function dateInZone(utcMs: number, timeZone: string = VIETNAM_TIME_ZONE): { year: number; month: number; day: number } {
  const p = formatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(p.find((x) => x.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** `YYYY-MM-DDTHH:mm:ss` of an instant in Vietnam time (+07:00, as the envelope wants). */
export function formatVietnamInstant(utcMs: number): string {
  const t = new Date(utcMs + VIETNAM_OFFSET_MS);
  return (
    `${pad4(t.getUTCFullYear())}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}` +
    `T${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`
  );
}

/** The instant of parsed parts: by their own offset, else in `timeZone`. */
export function instantOf(parts: TimestampParts, timeZone: string = VIETNAM_TIME_ZONE): number {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  if (parts.offsetMs !== undefined) return wall - parts.offsetMs;
  // Vietnam has kept +07:00 since 1975: no zone arithmetic on the common path.
  if (timeZone === VIETNAM_TIME_ZONE && parts.year >= 1976) return wall - VIETNAM_OFFSET_MS;
  return wallClockToUtc(wall, timeZone);
}

const BAD: TimestampResult = { ok: false, code: 'TIMESTAMP_INVALID', message: 'not a valid timestamp' };

/**
 * `YYYY-MM-DDTHH:mm:ss` in Vietnam time from what a driver gave (see the module comment). The
 * message never repeats the input.
 */
export function parseSourceTimestamp(input: unknown, options: TimestampOptions = {}): TimestampResult {
  if (input instanceof Date) return Number.isNaN(input.getTime()) ? BAD : { ok: true, value: formatVietnamInstant(input.getTime()) };
  if (typeof input !== 'string') return BAD;
  const parts = parseTimestampParts(input);
  if (parts === undefined) return BAD;
  const timeZone = options.timeZone ?? VIETNAM_TIME_ZONE;
  if (!isValidTimeZone(timeZone)) return { ok: false, code: 'TIMESTAMP_INVALID', message: 'the declared source time zone is not a known IANA zone' };
  return { ok: true, value: formatVietnamInstant(instantOf(parts, timeZone)) };
}
