import { describe, expect, it } from 'vitest';
import { uuidV5 } from './transforms.js';

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
