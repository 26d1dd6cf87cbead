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
