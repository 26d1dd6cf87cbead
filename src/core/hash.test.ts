import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './hash.js';
import type { JsonValue } from './records.js';

// the `canonicalize` package (RFC 8785 reference behaviour) as the oracle
const oracle = createRequire(import.meta.url)('canonicalize') as (v: unknown) => string;

function randomJson(seed: number): JsonValue {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  // escapes, control characters, paired and lone surrogates, U+2028 and DEL (both left as they are)
  const strings = ['', 'Nguyễn Văn An', 'a"b\\c', 'line\nbreak', '\u0000\u001f', 'ῼ😀', 'Hoà', 'Z', 'é', 'x\ud800y', '\udfff', 'a\u2028b\u007f', 'tab\there'];
  const gen = (depth: number): JsonValue => {
    const r = rnd();
    if (depth > 3 || r < 0.3) {
      const k = Math.floor(rnd() * 6);
      if (k === 0) return null;
      if (k === 1) return rnd() < 0.5;
      if (k === 2) return Math.floor(rnd() * 1e6) - 5e5;
      if (k === 3) return [0.1, 1e21, 1e-7, -0, 333333333.3333333, 5e-324][Math.floor(rnd() * 6)] ?? 0;
      return strings[Math.floor(rnd() * strings.length)] ?? '';
    }
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
    const o: Record<string, JsonValue> = {};
    for (let i = 0; i < Math.floor(rnd() * 5); i++) o[strings[Math.floor(rnd() * strings.length)] + String(Math.floor(rnd() * 3))] = gen(depth + 1);
    return o;
  };
  return gen(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('matches the reference implementation on many generated values', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const v = randomJson(seed);
      expect(canonicalJson(v), `seed ${seed}`).toBe(oracle(v));
    }
  });

  it('sorts keys by UTF-16 code units and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.000001, -0], '€': 'x', '\u00e9': true, '\ud83d\ude00': null })).toBe('{"a":[1e+21,0.000001,0],"b":1,"é":true,"€":"x","😀":null}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });

  it('hashes data as the hub does', () => {
    expect(contentHash({ b: 2, a: 1 })).toBe(contentHash({ a: 1, b: 2 }));
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
