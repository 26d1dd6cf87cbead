import { createHash } from 'node:crypto';
import type { JsonValue } from './records.js';

/**
 * RFC 8785 canonical JSON (JCS): the form the hub hashes `data` in. Object keys sorted by their
 * UTF-16 code units (JavaScript's default sort), no whitespace, strings and numbers as
 * ECMAScript's JSON.stringify writes them (which is what RFC 8785 prescribes for both).
 *
 * Written here rather than taken from the `canonicalize` package: that one builds each level
 * with `reduce` over template strings, and on the diploma pipeline it was the largest source of
 * garbage (a fifth of all bytes allocated per record). The package is kept as the test oracle.
 */
export function canonicalJson(value: JsonValue): string {
  return canonical(value);
}

function canonical(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonical(value[i]);
    }
    return out + ']';
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + canonical(v);
  }
  return out + '}';
}

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

/** `contentHash` of the ministry-hub contract: SHA-256 (hex) of `data` as RFC 8785 JSON. */
export function contentHash(data: JsonValue): string {
  return sha256Hex(canonicalJson(data));
}
