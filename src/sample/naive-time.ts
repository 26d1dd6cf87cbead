/**
 * The UIS stores wall-clock Vietnam time as 'YYYY-MM-DDTHH:mm:ss' text. The arithmetic here treats
 * those strings as naive times (via UTC milliseconds) so no machine time zone ever shifts them.
 */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

export function parseNaive(text: string): number {
  const ms = Date.parse(`${text.length === 10 ? `${text}T00:00:00` : text.slice(0, 19)}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a 'YYYY-MM-DDTHH:mm:ss' time: ${text}`);
  return ms;
}

export function formatNaive(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A Date (an instant) as Vietnam wall-clock time; a string is taken as already Vietnam time. */
export function vietnamNaive(now: string | Date): string {
  return typeof now === 'string' ? formatNaive(parseNaive(now)) : formatNaive(now.getTime() + VIETNAM_OFFSET_MS);
}

export const DAY_MS = 86_400_000;
