import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../src/core/records.js';
import { personName, sourceTimeZone, sourceTimestamp, text, uuidV5 } from './transforms.js';

describe('uuidV5', () => {
  it('gives the RFC 4122 name-based ids other implementations give', () => {
    // the DNS namespace of RFC 4122, and the value Python's uuid.uuid5 gives for this name
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // names in Vietnamese are hashed as UTF-8 (Python's uuid.uuid5 again)
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'Trường Đại học')).toBe('d29be4a2-2fe6-5cd8-bb44-3d3860d774e7');
  });

  it('keeps namespaces apart', () => {
    const a = uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'x');
    const b = uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'x');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('sourceTimestamp', () => {
  const at = (value: unknown, zone?: string): string => {
    const errors: FieldError[] = [];
    const v = sourceTimestamp(value, 'updated_at', errors, zone);
    return v ?? errors.map((e) => `${e.field}:${e.code}:${e.message}`).join();
  };

  it('reads what drivers give, into Vietnam time', () => {
    expect(at('2025-06-30 09:15:00.123456+07')).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30T02:15:00Z')).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30 02:15:00', 'UTC')).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30')).toBe('2025-06-30T00:00:00');
  });

  it('says whether the column is missing or not a time, and never quotes it', () => {
    expect(at(null)).toBe('thoigiancapnhat:TIMESTAMP_INVALID:thoigiancapnhat: updated_at is missing');
    expect(at('hôm qua')).toBe('thoigiancapnhat:TIMESTAMP_INVALID:thoigiancapnhat: updated_at is not a timestamp');
    expect(at('2025-06-30\uFFFD')).toMatch(/^thoigiancapnhat:INVALID_TEXT_ENCODING:/);
  });
});

describe('sourceTimeZone', () => {
  it('defaults to Vietnam and refuses an unknown zone as configuration', () => {
    expect(sourceTimeZone({})).toBe('Asia/Ho_Chi_Minh');
    expect(sourceTimeZone({ sourceTimeZone: 'UTC' })).toBe('UTC');
    expect(() => sourceTimeZone({ sourceTimeZone: 'Hà Nội' })).toThrow(expect.objectContaining({ kind: 'config', code: 'MAPPING_OPTION_INVALID' }));
  });
});

describe('text and personName', () => {
  it('refuse text the source could not decode, naming the field only', () => {
    expect(text('hovaten', 'Nguyễn \uFFFDvãn')).toMatchObject({ code: 'INVALID_TEXT_ENCODING' });
    expect(personName('hovaten', 'An \uD800')).toMatchObject({ code: 'INVALID_TEXT_ENCODING' });
    expect(JSON.stringify(personName('hovaten', 'Nguyễn \uFFFDvãn'))).not.toContain('Nguyễn');
    expect(personName('hovaten', ' nguyễn  văn an ')).toEqual({ values: { hovaten: 'Nguyễn Văn An' } });
  });
});
