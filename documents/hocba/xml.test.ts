import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import type { HocBaThcsThpt } from './fields.js';
import { sampleHocBaRecord } from './sample-record.js';
import { buildHocBaXsd, HOCBA_XSD } from './schema/xsd.js';
import { validateHocBaXml } from './validate.js';
import { buildHocBaXml, readUnverifiedHocBaXml } from './xml.js';

describe('buildHocBaXml', () => {
  it('renders the layout of docs/formats/hocba.md with one element per dictionary field', () => {
    const xml = buildHocBaXml(sampleHocBaRecord());
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<HocBa xmlns="urn:vn:moet:hocbaso:thcsthpt:1">\n {2}<DuLieuHocBa Id="dulieu">/);
    expect(xml).toContain('<BangDiem Id="mon-TOA">');
    expect(xml).toContain('<KetQua Id="ketqua">');
    expect(xml).toContain('<hovaten>Nguyễn Minh An</hovaten>');
    expect(xml).toContain('<trichluc>0</trichluc>');
    expect(xml).toMatch(/<KetQua Id="ketqua">\s*<hocky1>T<\/hocky1>/);
    expect(xml).toMatch(/<DSCKS>\s*<GVBM Id="cks-gvbm"\/>\s*<GVCN Id="cks-gvcn"\/>\s*<HieuTruong Id="cks-ht"\/>\s*<DonVi Id="cks-dv"\/>\s*<\/DSCKS>/);
    // order: plain fields, then subjects, results, history, certificates
    const order = ['<tenlop>', '<BangDiem', '<KetQua', '<QuaTrinhHocTap>', '<ChungChi>'].map((s) => xml.indexOf(s));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('escapes markup in values', () => {
    const record = sampleHocBaRecord();
    record.nxetgvcn = 'Ngoan <b>& chăm</b>';
    const xml = buildHocBaXml(record);
    expect(xml).toContain('<nxetgvcn>Ngoan &lt;b&gt;&amp; chăm&lt;/b&gt;</nxetgvcn>');
    expect(readUnverifiedHocBaXml(xml).nxetgvcn).toBe('Ngoan <b>& chăm</b>');
  });

  it('round-trips: the document reads back as the same record', () => {
    const record = sampleHocBaRecord();
    expect(readUnverifiedHocBaXml(buildHocBaXml(record))).toEqual(record);
  });

  it('leaves out the envelope fields and rejects fields the dictionary does not know', () => {
    const withEnvelope = { ...sampleHocBaRecord(), sukien: 'NEW', phienban: 3 } as HocBaThcsThpt;
    expect(buildHocBaXml(withEnvelope)).not.toContain('sukien');
    const unknown = { ...sampleHocBaRecord(), diemtrungbinh: '8.0' } as HocBaThcsThpt;
    expect(() => buildHocBaXml(unknown)).toThrow(DataError);
    expect(() => buildHocBaXml(unknown)).toThrow(/diemtrungbinh is not a field/);
  });

  it('rejects a record without subjects and a subject listed twice', () => {
    expect(() => buildHocBaXml({ ...sampleHocBaRecord(), bangdiem: [] })).toThrow(/no subject/);
    const record = sampleHocBaRecord();
    record.bangdiem.push({ ...(record.bangdiem[0] as HocBaThcsThpt['bangdiem'][number]) });
    expect(() => buildHocBaXml(record)).toThrow(/subject TOA appears twice/);
  });
});

describe('validateHocBaXml (XSD)', () => {
  it('accepts the sample document', async () => {
    expect(await validateHocBaXml(buildHocBaXml(sampleHocBaRecord()))).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['a score out of range', (r: HocBaThcsThpt) => ((r.bangdiem[0] as { diemcanam?: string }).diemcanam = '10.5')],
    ['a score with two decimals', (r: HocBaThcsThpt) => ((r.bangdiem[0] as { diemcanam?: string }).diemcanam = '8.75')],
    ['an unknown result level', (r: HocBaThcsThpt) => (r.hocky1 = 'G')],
    ['a personal id of 11 digits', (r: HocBaThcsThpt) => (r.sodinhdanh = '00120901234')],
    ['a name longer than 150 characters', (r: HocBaThcsThpt) => (r.hovaten = 'A'.repeat(151))],
    ['a bad date', (r: HocBaThcsThpt) => (r.ngaytao = '2025-02-30')],
    ['a subject code longer than 3', (r: HocBaThcsThpt) => ((r.bangdiem[0] as { mamonhoc: string }).mamonhoc = 'TOAN')],
  ])('rejects %s', async (_name, spoil) => {
    const record = sampleHocBaRecord();
    spoil(record);
    const result = await validateHocBaXml(buildHocBaXml(record));
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('rejects a missing required field and a duplicated Id, and quotes no value', async () => {
    const missing = buildHocBaXml(sampleHocBaRecord()).replace(/<hovaten>[^<]*<\/hovaten>/, '');
    expect((await validateHocBaXml(missing)).valid).toBe(false);
    const dup = buildHocBaXml(sampleHocBaRecord()).replace('<KetQua Id="ketqua">', '<KetQua Id="mon-TOA">');
    const result = await validateHocBaXml(dup);
    expect(result.valid).toBe(false);
    const named = sampleHocBaRecord();
    named.sodinhdanh = '00120901234';
    const idResult = await validateHocBaXml(buildHocBaXml(named));
    expect(idResult.errors.join('\n')).not.toContain('00120901234');
  });

  it('the shipped .xsd file is the generated schema (LIENTHONG_WRITE_XSD=1 regenerates it)', () => {
    const url = new URL('./schema/hocba-thcsthpt-1.xsd', import.meta.url);
    if (process.env['LIENTHONG_WRITE_XSD'] === '1') writeFileSync(url, buildHocBaXsd());
    expect(readFileSync(url, 'utf8')).toBe(HOCBA_XSD);
  });
});
