/**
 * Rows leave the connector JSON-safe: the record is hashed, stored and sent as JSON later, and a
 * Date, a bigint or a Decimal does not survive that. Text is kept exactly as the database gave it
 * (no trimming, no Unicode normalisation: that is the mapping's job).
 */
export type SqlScalar = string | number | boolean | null;

export function toJsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      // integers that fit a JS number stay numbers so ids look the same from every driver
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (isDecimalLike(value)) return value.toString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v);
  return out;
}

export function toJsonSafeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = toJsonSafe(v);
  return out;
}

/** decimal.js, Oracle NUMBER wrappers and similar: objects that know their exact decimal text. */
function isDecimalLike(value: object): value is { toString(): string } {
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor === 'Decimal' || ctor === 'Big' || ctor === 'BigNumber';
}
