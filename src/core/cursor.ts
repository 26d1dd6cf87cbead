/**
 * A watermark kept with its type. A source reads the cursor column as its driver gives it and
 * makes one of these; the state store keeps it as JSON; the next run binds it back to the
 * database as the same type. No driver text is re-parsed, so a PostgreSQL `timestamptz` with its
 * `+07` offset, a MySQL `DATETIME(6)` with microseconds and an integer sequence all round-trip.
 *
 * - `timestamptz`: an instant, ISO 8601 with its offset and every fractional digit the database
 *   gave: `2025-06-30T10:00:00.123456+07:00`.
 * - `timestamp`: a wall-clock time without offset (the source's declared time zone applies):
 *   `2025-06-30T10:00:00.123456`.
 * - `date`: `2025-06-30`.
 * - `integer`: decimal digits (a bigint may exceed 2^53).
 * - `text`: compared as the database orders it; lienthong compares code units (see compareCursor).
 */
export type CursorType = 'timestamptz' | 'timestamp' | 'date' | 'integer' | 'text';

export interface CursorValue {
  type: CursorType;
  value: string;
}

/** The JSON text a store keeps. */
export function serializeCursor(c: CursorValue): string {
  return JSON.stringify({ type: c.type, value: c.value });
}

const TYPES = new Set<CursorType>(['timestamptz', 'timestamp', 'date', 'integer', 'text']);

/**
 * Reads what a store kept. A cursor saved before cursors were typed (state store v2 and earlier)
 * is a bare string or number: a number becomes an integer cursor, a string a text cursor, which is
 * bound back exactly as the earlier versions bound it.
 */
export function parseStoredCursor(text: string): CursorValue {
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as { type?: unknown; value?: unknown };
      if (typeof o.type === 'string' && TYPES.has(o.type as CursorType) && typeof o.value === 'string') return { type: o.type as CursorType, value: o.value };
    } catch {
      // not JSON after all: a legacy text cursor that happens to start with '{'
    }
  }
  if (/^-?\d+$/.test(text)) return { type: 'integer', value: text };
  return { type: 'text', value: text };
}

/**
 * Orders two cursors of one stream. Values of different types (a column whose type changed) are
 * ordered by type name so the comparison stays total; the source reports such a change.
 */
export function compareCursor(a: CursorValue, b: CursorValue): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  switch (a.type) {
    case 'integer': {
      const x = BigInt(a.value);
      const y = BigInt(b.value);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'timestamptz': {
      const d = instantMicros(a.value) - instantMicros(b.value);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    }
    case 'timestamp':
    case 'date':
    case 'text':
      // ISO wall-clock text with a fixed layout orders as text once fractions are padded
      return cmp(a.type === 'timestamp' ? padFraction(a.value) : a.value, b.type === 'timestamp' ? padFraction(b.value) : b.value);
  }
}

/**
 * The watermark after a row whose cursor is `seen`: the later of the two. A current value of
 * another type (kept as bare text by an older store, or from before the column's type changed)
 * gives way to what the source reads now; ordering by type name would keep it forever.
 */
export function advanceCursor(current: CursorValue | null, seen: CursorValue): CursorValue {
  if (current === null || current.type !== seen.type) return seen;
  return compareCursor(seen, current) > 0 ? seen : current;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `2025-06-30T10:00:00.12` → `2025-06-30T10:00:00.120000` so that text order is time order. */
function padFraction(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) return v;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
}

/** Microseconds since the epoch of an ISO instant with offset (`Z`, `+07`, `+07:00`, `+0700`). */
export function instantMicros(v: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(v);
  if (!m) throw new RangeError(`not a timestamp with offset: ${v}`);
  const offset = m[4] === 'Z' ? '+00:00' : normalizeOffset(m[4]!);
  const ms = Date.parse(`${m[1]}T${m[2]}${offset}`);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp with offset: ${v}`);
  const micros = BigInt((m[3] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(ms) * 1000n + micros;
}

function normalizeOffset(o: string): string {
  const m = /^([+-]\d{2}):?(\d{2})?$/.exec(o)!;
  return `${m[1]}:${m[2] ?? '00'}`;
}

/**
 * A re-read window for late commits, as a source binds it: `saved cursor − lookback`.
 * Time cursors take a duration (`micros`), integer cursors a count (`steps`).
 */
export type Lookback = { kind: 'none' } | { kind: 'duration'; micros: bigint } | { kind: 'integer'; steps: bigint };

const DURATION_UNITS: Record<string, bigint> = { s: 1_000_000n, m: 60_000_000n, h: 3_600_000_000n, d: 86_400_000_000n };

/**
 * `"10m"`, `"2h"`, `"1d"`, `"1h30m"`, `"90s"` → microseconds; undefined when the text is not a duration.
 * Whole seconds only: a finer window would buy nothing against commit delays.
 */
export function parseDuration(text: string): bigint | undefined {
  const t = text.trim();
  if (!/^(\d+[smhd])+$/.test(t)) return undefined;
  let total = 0n;
  for (const m of t.matchAll(/(\d+)([smhd])/g)) total += BigInt(m[1]!) * DURATION_UNITS[m[2]!]!;
  return total;
}

/** Default windows (see connectors/sql/README.md): 10 minutes for time cursors, none for integers and text. */
export const DEFAULT_TIME_LOOKBACK = '10m';

/**
 * The configured lookback for a cursor of `type`, or a message saying why it does not fit.
 * `0` means no window for any type; text cursors have no arithmetic, so only 0 or nothing fits.
 */
export function resolveLookback(raw: string | number | undefined, type: CursorType): Lookback | string {
  if (raw === 0 || raw === '0') return { kind: 'none' };
  switch (type) {
    case 'timestamptz':
    case 'timestamp':
    case 'date': {
      const text = raw ?? DEFAULT_TIME_LOOKBACK;
      const micros = typeof text === 'string' ? parseDuration(text) : undefined;
      if (micros === undefined) return `a ${type} cursor takes a duration such as "10m", "2h" or "1d" as lookback, not ${JSON.stringify(raw)}`;
      return micros === 0n ? { kind: 'none' } : { kind: 'duration', micros };
    }
    case 'integer': {
      if (raw === undefined) return { kind: 'none' };
      if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return { kind: 'integer', steps: BigInt(raw) };
      return `an integer cursor takes a non-negative whole number as lookback, not ${JSON.stringify(raw)}`;
    }
    case 'text':
      if (raw === undefined) return { kind: 'none' };
      return `a text cursor has no order to step back in: remove lookback (it was ${JSON.stringify(raw)})`;
  }
}

const WALL = /^(-?\d{4,})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * `cursor − lookback`, in the cursor's own layout (separator, fraction digits and offset kept, so a
 * SQLite source comparing text still compares like with like). A date steps back whole days,
 * rounded up: a 10-minute window on a date cursor re-reads the last day. Undefined when the result
 * would fall before year 1 (the caller binds the type's lowest value instead).
 */
export function subtractLookback(c: CursorValue, lookback: Lookback): CursorValue | undefined {
  if (lookback.kind === 'none') return c;
  if (c.type === 'integer') {
    if (lookback.kind !== 'integer') throw new RangeError(`a ${lookback.kind} lookback does not fit an integer cursor`);
    return { type: 'integer', value: (BigInt(c.value) - lookback.steps).toString() };
  }
  if (c.type === 'text') throw new RangeError('a text cursor has no lookback');
  if (lookback.kind !== 'duration') throw new RangeError(`an integer lookback does not fit a ${c.type} cursor`);
  const m = WALL.exec(c.value);
  if (!m) throw new RangeError(`not a ${c.type} cursor: ${c.value}`);
  const [, y, mo, d, sep, h, mi, s, fraction, offset] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), 0);
  let seconds = lookback.micros / 1_000_000n;
  if (c.type === 'date') seconds = ((lookback.micros + 86_400_000_000n - 1n) / 86_400_000_000n) * 86_400n;
  const back = new Date(date.getTime() - Number(seconds) * 1000);
  const year = back.getUTCFullYear();
  if (Number.isNaN(back.getTime()) || year < 1) return undefined;
  const p = (n: number): string => String(n).padStart(2, '0');
  const day = `${String(year).padStart(4, '0')}-${p(back.getUTCMonth() + 1)}-${p(back.getUTCDate())}`;
  if (sep === undefined) return { type: c.type, value: day };
  const time = `${p(back.getUTCHours())}:${p(back.getUTCMinutes())}:${p(back.getUTCSeconds())}`;
  return { type: c.type, value: `${day}${sep}${time}${fraction ?? ''}${offset ?? ''}` };
}
