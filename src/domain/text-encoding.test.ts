import { describe, expect, it } from 'vitest';
import { brokenEncodingMessage, hasBrokenEncoding } from './text-encoding.js';

describe('hasBrokenEncoding', () => {
  it('finds replacement characters and lone surrogates', () => {
    expect(hasBrokenEncoding('Nguyễn \uFFFDvãn')).toBe(true);
    expect(hasBrokenEncoding(Buffer.from([0x4e, 0x67, 0xe1, 0xbb]).toString('utf8'))).toBe(true);
    expect(hasBrokenEncoding('An \uD83D')).toBe(true);
    expect(hasBrokenEncoding('\uDE00 An')).toBe(true);
  });

  it('accepts Vietnamese, NFD text and whole surrogate pairs', () => {
    expect(hasBrokenEncoding('Nguyễn Văn Hoà')).toBe(false);
    expect(hasBrokenEncoding('Nguyễn'.normalize('NFD'))).toBe(false);
    expect(hasBrokenEncoding('𠀀 An 😀')).toBe(false);
    expect(hasBrokenEncoding('')).toBe(false);
  });

  it('names the field and column, never the text', () => {
    expect(brokenEncodingMessage('hovaten', 'full_name')).toMatch(/^hovaten \(source column full_name\): text is not valid UTF-8/);
  });
});
