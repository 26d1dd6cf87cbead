import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { MappingContext, MappingResult } from '../../../src/core/mapping.js';
import type { SourceRecord } from '../../../src/core/records.js';
import { getDictionaryTable } from '../../../src/domain/dictionary/index.js';
import { encodeVni } from '../../../src/domain/encoding.js';
import type { HocBaThcsThpt } from '../../../documents/hocba/fields.js';
import { validateHocBaXml } from '../../../documents/hocba/validate.js';
import { buildHocBaXml } from '../../../documents/hocba/xml.js';
import { tcvn3Mojibake } from '../../../src/sample/school/rows.js';
import { FIELD_TABLE } from './fields.js';
import { goldenCase } from './testing/golden-cases.js';
import { gradeOf } from '../../../src/engine/chunk-mapper.js';
import { hocBaThcsThptMapping } from './mapping.js';
import { hocBaRecordId } from './transforms.js';

const clean = goldenCase('clean-thcs-transferred');
const map = (patch: Record<string, unknown> = {}, options: Record<string, unknown> = {}): MappingResult =>
  hocBaThcsThptMapping.map({ ...clean.record, data: { ...clean.record.data, ...patch } } satisfies SourceRecord, { ...clean.context, options } satisfies MappingContext);
const codes = (r: MappingResult): string[] => (r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`));

type Subject = Record<string, string | number | null>;
const subjects = (): Subject[] => JSON.parse(String(clean.record.data.subjects_json)) as Subject[];
const withSubjects = (edit: (list: Subject[]) => Subject[]): Record<string, unknown> => ({ subjects_json: JSON.stringify(edit(subjects())) });
/** a scored subject whose every raw score is x */
const flat = (s: Subject, x: string): Subject => {
  const out: Subject = { ...s };
  for (const t of ['hk1', 'hk2']) for (const c of ['tx1', 'tx2', 'tx3', 'tx4', 'gk', 'ck']) out[`${t}_${c}`] = c.startsWith('tx') && Number(c.slice(2)) > 4 ? null : out[`${t}_${c}`] === null ? null : x;
  return out;
};

describe('hocBaThcsThptMapping', () => {
  it('identifies itself', () => {
    expect(hocBaThcsThptMapping.name).toBe('school-pupil-year-to-hocba-thcsthpt');
    expect(hocBaThcsThptMapping.dataset).toBe('hocbaso-thcsthpt');
    expect(hocBaThcsThptMapping.schemaVersion).toBe('thongtinsohocbasothcsthpt/2025');
  });

  it("declares makhoi as the record's grade, which the ledger keeps for deadlines per grade", () => {
    expect(hocBaThcsThptMapping.gradeField).toBe('makhoi');
    const r = map();
    expect(r.ok && gradeOf(r.data[hocBaThcsThptMapping.gradeField ?? ''])).toBe(gradeOf(clean.record.data.grade));
    expect(gradeOf(clean.record.data.grade)).toBeGreaterThanOrEqual(6);
  });

  it('maps only to fields of the dictionary table', () => {
    const names = new Set(getDictionaryTable('thongtinsohocbasothcsthpt').fields.map((f) => f.name));
    for (const rule of FIELD_TABLE) expect(names.has(rule.to), rule.to).toBe(true);
  });

  it('keys the record on (sodinhdanh, namhoc, matruong), deterministically, in ≤ 36 characters', () => {
    const a = map();
    const b = map({ full_name: 'Nguyễn Văn Bình', updated_at: '2026-07-01T00:00:00' });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.idbanghi).toBe(b.idbanghi);
    expect(a.idbanghi).toBe(hocBaRecordId(String(a.data.sodinhdanh), '2025-2026', '0100004201'));
    expect(a.data.madinhdanhhocba).toBe(a.idbanghi);
    expect(a.idbanghi).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = map({ school_year: '2024-2025' });
    expect(other.ok || other.idbanghi).not.toBe(a.idbanghi);
    expect(hocBaRecordId('001213000001', '2025-2026', 'A')).not.toBe(hocBaRecordId('001213000001', '2025-2026', 'B'));
  });

  it('renders a clean record as an XML document that passes the schema', async () => {
    for (const name of ['clean-thcs-transferred', 'clean-thpt-transferred', 'clean-thcs-exempt-pe', 'clean-vni-source']) {
      const { record, context } = goldenCase(name);
      const r = hocBaThcsThptMapping.map(record, context);
      expect(r.ok, name).toBe(true);
      if (!r.ok) continue;
      const result = await validateHocBaXml(buildHocBaXml(r.data as unknown as HocBaThcsThpt));
      expect(result.errors, name).toEqual([]);
      expect(result.valid, name).toBe(true);
    }
  });

  it('computes the averages from the raw scores (decimal, half up) and the levels', () => {
    // TOA taught 70 periods (3 regular tests): (6 + 6 + 6 + 2·6.3 + 3·7.0)/8 = 51.6/8 = 6.45 → 6.5 (a float gives 6.4)
    const r = map({
      ...withSubjects((list) =>
        list.map((s) =>
          s.code === 'TOA' ? { ...s, periods: 70, hk1_tx1: '6', hk1_tx2: '6', hk1_tx3: '6', hk1_tx4: null, hk2_tx4: null, hk1_gk: '6.3', hk1_ck: '7.0', stored_hk1: null, stored_hk2: null, stored_year: null } : s,
        ),
      ),
      result_hk1: null,
      result_hk2: null,
      result_year: null,
    });
    expect(r.ok).toBe(true);
    const toa = r.ok ? (r.data.bangdiem as Subject[]).find((s) => s.mamonhoc === 'TOA') : undefined;
    expect(toa?.diemhocky1).toBe('6.5');
    expect(r.ok && r.warnings).toBeFalsy();
  });

  it('holds a record whose stored average or level differs from the computed one, naming the field, not the values', () => {
    const r = map(withSubjects((list) => list.map((s) => (s.code === 'VAN' ? { ...s, stored_hk2: '9.9' } : s))));
    expect(codes(r)).toEqual(['data.bangdiem[VAN].diemhocky2:STORED_RESULT_DISAGREES']);
    expect(JSON.stringify(r)).not.toContain('9.9');
    expect(codes(map({ result_hk1: 'T' }))).toEqual(['data.hocky1:STORED_RESULT_DISAGREES']);
    // a value the school did not store is not a disagreement: the computed one is sent
    const unstored = map({ result_hk1: null, ...withSubjects((list) => list.map((s) => ({ ...s, stored_year: null }))) });
    expect(unstored.ok).toBe(true);
  });

  it('reads a decimal comma, and warns (without blocking) on a wrong number of regular tests', () => {
    const comma = map(withSubjects((list) => list.map((s) => (s.code === 'TOA' ? { ...s, hk1_gk: String(s.hk1_gk).replace('.', ',') } : s))));
    expect(comma.ok).toBe(true);
    const fewer = map(withSubjects((list) => list.map((s) => (s.code === 'NN1' ? { ...flat(s, '8'), hk1_tx4: null, stored_hk1: null, stored_hk2: null, stored_year: null } : s))));
    expect(fewer.ok).toBe(true);
    expect(fewer.ok && fewer.warnings?.map((w) => `${w.field}:${w.code}`)).toEqual(['data.bangdiem[NN1].diemhocky1:REGULAR_TEST_COUNT_MISMATCH']);
  });

  it('sorts subjects in the catalogue order and accepts a JSON column already parsed by the driver', () => {
    const shuffled = subjects().reverse();
    const r = map({ subjects_json: shuffled, history_json: JSON.parse(String(clean.record.data.history_json)) as unknown });
    expect(r.ok).toBe(true);
    const order = r.ok ? (r.data.bangdiem as Subject[]).map((s) => s.mamonhoc) : [];
    expect(order.slice(0, 3)).toEqual(['TOA', 'VAN', 'NN1']);
    expect(codes(map({ subjects_json: '{not json' }))).toEqual(['data.bangdiem:SUBJECTS_INVALID']);
    expect(codes(map({ subjects_json: '[]' }))).toContain('data.bangdiem:SUBJECTS_MISSING');
  });

  it("says which subjects the principal signs because their teacher has left (teacher_left), beside the data, which keeps the teacher", () => {
    const none = map();
    expect(none.ok && none.signing).toBeUndefined();
    const left = map(withSubjects((list) => list.map((s) => (s.code === 'TIN' ? { ...s, teacher_left: 1 } : s.code === 'VAN' ? { ...s, teacher_left: 'x' } : s.code === 'TOA' ? { ...s, teacher_left: 0 } : s))));
    expect(left.ok, JSON.stringify(codes(left))).toBe(true);
    expect(left.ok && left.signing).toEqual({ subjectsSignedByPrincipal: ['VAN', 'TIN'] });
    // the national data is the same: the teacher who left is still the subject's teacher
    expect(left.ok && none.ok && left.data).toEqual(none.ok && none.data);
    // a cell that says neither is reported, not guessed
    expect(codes(map(withSubjects((list) => list.map((s) => (s.code === 'TIN' ? { ...s, teacher_left: 'maybe' } : s)))))).toEqual(['data.bangdiem[TIN].teacher_left:SUBJECT_TEACHER_LEFT_INVALID']);
  });

  it('requires a teacher with a valid personal id for every subject', () => {
    expect(codes(map(withSubjects((list) => list.map((s) => (s.code === 'TIN' ? { ...s, teacher_national_id: '12345' } : s)))))).toEqual(['data.bangdiem[TIN].soddcngvbm:CCCD_FORMAT']);
    expect(codes(map(withSubjects((list) => list.map((s) => (s.code === 'TIN' ? { ...s, teacher_name: null } : s)))))).toEqual(['data.bangdiem[TIN].gvbm:SUBJECT_TEACHER_MISSING']);
  });

  it('decodes legacy text when the job says so, and reports it when the source is declared Unicode', () => {
    const name = 'Nguyễn Thị Hoà';
    const tcvn = tcvn3Mojibake(name);
    expect(codes(map({ full_name: tcvn }))).toEqual(['data.hovaten:TEXT_MOJIBAKE']);
    const repaired = map({ full_name: tcvn, mother_name: tcvn3Mojibake('Trần Thị Bích') }, { sourceEncoding: 'tcvn3' });
    // the other (Unicode) names of this row are not TCVN3: declaring it for a mixed source breaks them, and the check says so
    expect(repaired.ok).toBe(false);
    expect(!repaired.ok && repaired.errors.some((e) => e.field === 'data.hovaten')).toBe(false);
    const vni = map(Object.fromEntries(Object.entries(clean.record.data).map(([k, v]) => [k, typeof v === 'string' ? encodeVni(v) : v])), { sourceEncoding: 'vni' });
    expect(vni.ok).toBe(true);
    expect(vni.ok && vni.data).toEqual(map().ok && (map() as Extract<MappingResult, { ok: true }>).data);
    expect(() => map({}, { sourceEncoding: 'ebcdic' })).toThrow(ConfigError);
  });

  it('keeps the tone where the source put it and translates legacy address codes', () => {
    const r = map({ full_name: '  nguyễn   thị HOÀ ', birth_province_code: '26', birth_ward_code: '08743', national_id: '026313000123', gender: 'Nữ', birth_date: '2013-05-18' });
    expect(r.ok && [r.data.hovaten, r.data.noisinh_matinh, r.data.noisinh_maxa]).toEqual(['Nguyễn Thị Hoà', '25', '08740']);
    expect(codes(map({ birth_province_code: '99', birth_ward_code: null }))).toEqual(['data.noisinh_matinh:PROVINCE_UNKNOWN']);
    expect(codes(map({ gender: 'Nữ' }))).toEqual(['data.sodinhdanh:CCCD_SEX_CENTURY']);
  });

  it('never puts personal values in messages', () => {
    const id = String(clean.record.data.national_id);
    const r = map({ birth_date: '31/02/2013', full_name: encodeVni('Nguyễn Văn An'), ethnicity: 'Người Sao Hỏa' });
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r.ok ? [] : r.errors);
    expect(text).not.toContain(id);
    expect(text).not.toContain('Nguy');
    expect(text).not.toContain('31/02');
    expect(text).not.toContain('Sao Hỏa');
  });

  it('takes trichluc per record from digitised_from_paper, the job option only where the column is empty', () => {
    const trichluc = (r: MappingResult): unknown => (r.ok ? r.data.trichluc : codes(r));
    expect(trichluc(map({ digitised_from_paper: 1 }))).toBe(1);
    expect(trichluc(map({ digitised_from_paper: 'Có' }))).toBe(1);
    expect(trichluc(map({ digitised_from_paper: 0 }, { trichluc: 1 }))).toBe(0);
    expect(trichluc(map({ digitised_from_paper: '' }, { trichluc: 1 }))).toBe(1);
    expect(trichluc(map({}))).toBe(0);
    expect(trichluc(map({ digitised_from_paper: 'x' }))).toEqual(['data.trichluc:FLAG_INVALID']);
  });

  it('sends a revoked record as CANCEL and needs updated_at', () => {
    const r = map({ record_status: 2 });
    expect(r.ok && [r.sukien, r.data.trangthaithongtinhocba]).toEqual(['CANCEL', '2']);
    expect(codes(map({ updated_at: null }))).toEqual(['thoigiancapnhat:TIMESTAMP_INVALID']);
  });
});
