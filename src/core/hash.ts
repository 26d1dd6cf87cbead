import { hash } from 'node:crypto';
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

/** what JSON.stringify would escape in a string: quote, backslash, controls, lone surrogates */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** object keys quoted once: records of one kind share their few dozen keys */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 10_000;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function canonical(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      // most text needs no escape: quoting it directly saves JSON.stringify's scan and copy
      // (a surrogate, paired or not, takes the slow path, which escapes only a lone one)
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
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
    out += quoteKey(key) + ':' + canonical(v);
  }
  return out + '}';
}

export function sha256Hex(input: string | Buffer): string {
  // one-shot hashing (Node 20.12+): no Hash object per record
  return hash('sha256', input, 'hex');
}

/**
 * `data` as RFC 8785 JSON and its `contentHash` (docs/contracts/ministry-hub.md#content-hash:
 * SHA-256, hex, of that text). A record that is hashed is usually sent too: the text is kept for the envelope.
 */
export function hashedJson(data: JsonValue): { json: string; hash: string } {
  const json = canonicalJson(data);
  return { json, hash: sha256Hex(json) };
}

/** `contentHash` (docs/contracts/ministry-hub.md#content-hash): SHA-256 (hex) of `data` as RFC 8785 JSON. */
export function contentHash(data: JsonValue): string {
  return hashedJson(data).hash;
}
