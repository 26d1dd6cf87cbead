import { describe, expect, it } from 'vitest';
import { looksLikePersonalId, normalisePersonalId, subjectHash } from './subject-hash.js';

describe('subjectHash', () => {
  const key = Buffer.alloc(32, 7);
  it('is keyed: the same id gives another hash under another key, and no plain SHA-256 of it', () => {
    const a = subjectHash(key, '079203001234');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectHash(Buffer.alloc(32, 8), '079203001234')).not.toBe(a);
    expect(a).not.toContain('079203001234');
  });
  it('ignores the spaces and dots people type inside an id', () => {
    expect(subjectHash(key, '079 203.001 234')).toBe(subjectHash(key, '079203001234'));
    expect(normalisePersonalId(' 079.203 ')).toBe('079203');
  });
  it('tells a 9- or 12-digit id from a record key', () => {
    expect(looksLikePersonalId('079203001234')).toBe(true);
    expect(looksLikePersonalId('025123456')).toBe(true);
    expect(looksLikePersonalId('VB-2024-0001')).toBe(false);
    expect(looksLikePersonalId('12345')).toBe(false);
  });
});
