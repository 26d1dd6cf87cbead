/** Vietnam time (UTC+7, no daylight saving): the hub's timestamps and the deadlines' calendar. */
import { ConfigError } from '../core/errors.js';
import { isRealDate } from '../domain/dates.js';
import { describeDaysLeft } from './i18n.js';

const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DDTHH:mm:ss+07:00` */
export function vietnamNowIso(now: Date = new Date()): string {
  return new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19) + '+07:00';
}

/** today's date in Vietnam, `YYYY-MM-DD` */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

// one definition of a real calendar date, shared with the configuration schema
export { isRealDate };

/** midnight UTC of a real date, in ms; the year is set apart so years below 100 stay themselves */
function dayNumber(date: string): number {
  // a deadline comes from the configuration: a wrong one is the operator's to fix (exit 2)
  if (!isRealDate(date)) throw new ConfigError('DEADLINE_DATE_INVALID', `a deadline date must be a real calendar date YYYY-MM-DD; got ${JSON.stringify(date)}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getTime();
}

/**
 * Whole days from today (Vietnam) to `date`: 0 on the day itself, negative once it has passed.
 * The one deadline calculation: the report and `lienthong status` both use it.
 */
export function daysUntil(date: string, now: Date = new Date()): number {
  return Math.round((dayNumber(date) - dayNumber(vietnamToday(now))) / DAY_MS);
}

/**
 * A deadline in words for both languages ("còn 3 ngày" / "3 days left", "hôm nay" / "today",
 * "quá hạn 2 ngày" / "2 days overdue"): what the report and `lienthong status` print.
 */
export function deadlineCountdown(date: string, now: Date = new Date()): { daysLeft: number; vi: string; en: string } {
  const daysLeft = daysUntil(date, now);
  return { daysLeft, vi: describeDaysLeft(daysLeft, 'vi'), en: describeDaysLeft(daysLeft, 'en') };
}
