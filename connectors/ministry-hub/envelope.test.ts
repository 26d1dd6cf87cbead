import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/hash.js';
import { encodeEnvelope, serializeEnvelope, type RecordEnvelope } from './envelope.js';

describe('serializeEnvelope', () => {
  const base: RecordEnvelope = {
    idbanghi: 'e3b0c442-98fc-5c14-9afb-f4c8996fb924',
    sukien: 'UPDATE',
    phienban: 3,
    thoigiancapnhat: '2026-06-20T10:00:00',
    data: { hoten: 'Nguyễn Thị \u201cHoa\u201d', sohieu: 'DHA/2026\\01', diem: 8.5, ngaysinh: null, mon: [{ ten: 'Toán', d: 9 }] },
  };

  it('is the same document as JSON.stringify, with data in its RFC 8785 form', () => {
    const text = serializeEnvelope(base, canonicalJson(base.data));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(base)));
    expect(text).toContain(`"data":${canonicalJson(base.data)}`);
    expect(text.startsWith('{"idbanghi":"e3b0c442-98fc-5c14-9afb-f4c8996fb924","sukien":"UPDATE","phienban":3,')).toBe(true);
  });

  it('carries an attached document after data', () => {
    const withDoc: RecordEnvelope = { ...base, tailieu: { dinhdang: 'application/pdf; "hocba"', noidung: 'JVBERi0=', sha256: 'ab'.repeat(32) } };
    const text = serializeEnvelope(withDoc, canonicalJson(withDoc.data));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(withDoc)));
    expect(text.indexOf('"tailieu"')).toBeGreaterThan(text.indexOf('"data"'));
  });

  it('encodes a staged record as the same text as serializeEnvelope', () => {
    const doc = { dinhdang: 'application/xml', noidung: 'PD94', sha256: 'cd'.repeat(32) };
    for (const document of [undefined, doc]) {
      const staged = { key: 'k', idbanghi: base.idbanghi, version: 3, event: 'UPDATE' as const, changedAt: base.thoigiancapnhat, contentHash: 'h', dataJson: canonicalJson(base.data), document };
      const envelope = { idbanghi: base.idbanghi, sukien: base.sukien, phienban: 3, thoigiancapnhat: base.thoigiancapnhat, ...(document ? { tailieu: document } : {}) };
      expect(encodeEnvelope(staged)).toBe(serializeEnvelope(envelope, canonicalJson(base.data)));
    }
  });
});
