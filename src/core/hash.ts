import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { JsonValue } from './records.js';

// canonicalize is CommonJS whose typings declare an ES default export; load it as what it is.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

/** RFC 8785 canonical JSON: the form the hub hashes `data` in. */
export function canonicalJson(value: JsonValue): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be serialized as canonical JSON');
  return text;
}

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

/** `contentHash` of the ministry-hub contract: SHA-256 (hex) of `data` as RFC 8785 JSON. */
export function contentHash(data: JsonValue): string {
  return sha256Hex(canonicalJson(data));
}
