import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/hash.js';
import { encodeEnvelope, reversionEnvelope, serializeEnvelope, type RecordEnvelope } from './envelope.js';
import { ministryHubPlugin } from './plugin.js';

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

describe('reversionEnvelope (the plugin\'s reversion: a conflict retried above the hub\'s version)', () => {
  // non-ASCII text, an escaped quote and backslash, a number whose JSON.stringify form differs
  // from none, nested keys out of alphabetical order in the source: the RFC 8785 text must survive
  const data = { ten: 'Nguyễn Thị \u201cHoa\u201d \u2028', sohieu: 'DHA/2026\\01 "x"', diem: 8.5, z: { b: 1e21, a: [0.1, -0] }, ngaysinh: null };
  const staged = { key: 'k', idbanghi: 'e3b0c442-98fc-5c14-9afb-f4c8996fb924', version: 1, event: 'NEW' as const, changedAt: '2026-06-20T10:00:00', contentHash: 'h', dataJson: canonicalJson(data) };

  it('sets phienban, turns NEW into UPDATE and keeps the data text byte for byte', () => {
    const before = encodeEnvelope(staged);
    const after = reversionEnvelope(before, 6);
    expect(after).toBe(encodeEnvelope({ ...staged, version: 6, event: 'UPDATE' }));
    expect(after).toContain(`"data":${canonicalJson(data)}}`);
    expect(JSON.parse(after)).toMatchObject({ idbanghi: staged.idbanghi, sukien: 'UPDATE', phienban: 6, thoigiancapnhat: staged.changedAt });
    expect(after.replace('"sukien":"UPDATE","phienban":6', '"sukien":"NEW","phienban":1')).toBe(before);
  });

  it('keeps UPDATE and CANCEL events, and an attached document', () => {
    const document = { dinhdang: 'application/pdf; "hocba"', noidung: 'JVBERi0=', sha256: 'ab'.repeat(32) };
    for (const event of ['NEW', 'UPDATE', 'CANCEL'] as const) {
      const before = encodeEnvelope({ ...staged, event, document });
      expect(reversionEnvelope(before, 3)).toBe(encodeEnvelope({ ...staged, event: event === 'NEW' ? 'UPDATE' : event, document, version: 3 }));
    }
  });

  it('writes an envelope made another way (JSON.stringify, other key order) as the serializer does', () => {
    const envelope = { phienban: 2, data, idbanghi: staged.idbanghi, sukien: 'NEW', thoigiancapnhat: staged.changedAt };
    expect(reversionEnvelope(JSON.stringify(envelope), 4)).toBe(encodeEnvelope({ ...staged, version: 4, event: 'UPDATE' }));
  });

  it('refuses text that is not an envelope, and a version that is not a phienban', () => {
    expect(() => reversionEnvelope('not json', 2)).toThrow(expect.objectContaining({ code: 'NOT_AN_ENVELOPE' }));
    expect(() => reversionEnvelope('{"idbanghi":"x"}', 2)).toThrow(expect.objectContaining({ code: 'NOT_AN_ENVELOPE' }));
    expect(() => reversionEnvelope(encodeEnvelope(staged), 0)).toThrow(expect.objectContaining({ code: 'BAD_VERSION' }));
  });

  it('is the ministry-hub plugin\'s reversion', () => {
    expect(ministryHubPlugin.reversion).toBe(reversionEnvelope);
  });
});
