/** Vietnam time (UTC+7, no daylight saving): the hub's timestamps and the deadlines' calendar. */
const VN_OFFSET_MS = 7 * 3600_000;

/** `YYYY-MM-DDTHH:mm:ss+07:00` */
export function vietnamNowIso(now: Date = new Date()): string {
  return new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19) + '+07:00';
}

/** today's date in Vietnam, `YYYY-MM-DD` */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** whole days from today (Vietnam) to `date`; negative once it has passed */
export function daysUntil(date: string, now: Date = new Date()): number {
  const today = Date.parse(vietnamToday(now) + 'T00:00:00Z');
  const target = Date.parse(date + 'T00:00:00Z');
  return Math.round((target - today) / 86_400_000);
}
