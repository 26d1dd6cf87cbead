import { describe, expect, it } from 'vitest';
import type { MappingContext } from '../../../src/core/mapping.js';
import type { SourceRecord } from '../../../src/core/records.js';
import { getDictionaryTable } from '../../../src/domain/dictionary/index.js';
import { FIELD_TABLE } from './fields.js';
import { vanBangChungChiMapping } from './mapping.js';
import { birthPlaceCodes, classification, diplomaRecordId, partialDate } from './transforms.js';

const context: MappingContext = {
  unitCode: 'DHA',
  options: {
    tentruong: 'Trường Đại học A',
    noicap: 'Hà Nội',
    donvicap: 'Trường Đại học A',
    thongtu: '10/2026',
    paperSignerName: 'Trần Thị Bình',
    paperSignerTitle: 'Hiệu trưởng',
  },
};

const row: Record<string, unknown> = {
  updated_at: '2025-06-30T09:15:00',
  student_code: 'SV1',
  full_name: 'Nguyễn Văn An',
  birth_date: '2001-05-03',
  gender: 'Nam',
  ethnicity: 'Kinh',
  national_id: '026201000123',
  birth_place: 'Phúc Yên',
  birth_province_code: '26',
  birth_ward_code: '08740',
  nationality: 'VN',
  degree_name: 'Bằng Cử nhân',
  training_mode: 'Chính quy',
  classification: 'Khá',
  graduation_year: '2024',
  decision_no: '1/QĐ',
  decision_date: '2024-06-20',
  serial_no: 'S-1',
  register_no: 'R-1',
  issue_date: '2024-06-25',
  diploma_uuid: '3f2b8c1e-6d4a-4f7e-9b1c-2a5d7e9f0a11',
  signer_name: 'Trần Thị Bình',
  signer_national_id: '001175000456',
  signer_title: 'Hiệu trưởng',
  status: 1,
  // read only for a corrected diploma (trangthai 4): its correction decision
  correction_decision_no: '57/QĐ', correction_decision_date: '2025-07-01', correction_signer_name: 'Trần Thị Bình',
  correction_signer_national_id: '001175000456', correction_signer_title: 'Hiệu trưởng',
};
const map = (patch: Record<string, unknown> = {}, ctx: MappingContext = context) =>
  vanBangChungChiMapping.map({ stream: 'graduates', key: '1', data: { ...row, ...patch } } satisfies SourceRecord, ctx);
const errorCodes = (patch: Record<string, unknown>): string[] => {
  const r = map(patch);
  return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`);
};

describe('vanBangChungChiMapping', () => {
  it('identifies itself', () => {
    expect(vanBangChungChiMapping.name).toBe('uis-graduate-to-vanbangchungchi');
    expect(vanBangChungChiMapping.dataset).toBe('vanbangchungchi');
    expect(vanBangChungChiMapping.schemaVersion).toBe('VanBangChungChi/2025');
  });

  it('maps only to fields of the dictionary table', () => {
    const names = new Set(getDictionaryTable('VanBangChungChi').fields.map((f) => f.name));
    for (const rule of FIELD_TABLE) expect(names.has(rule.to), rule.to).toBe(true);
  });

  it('is deterministic and keys the record on (unit, sohieu)', () => {
    const a = map();
    const b = map({ full_name: 'Nguyễn Văn Bình', updated_at: '2025-07-01T00:00:00' });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.idbanghi).toBe(b.idbanghi);
      expect(a.idbanghi).toBe(diplomaRecordId('DHA', 'S-1'));
      expect(a.idbanghi.length).toBeLessThanOrEqual(36);
    }
    expect(diplomaRecordId('DHA', 'S-1')).not.toBe(diplomaRecordId('DHB', 'S-1'));
    expect(diplomaRecordId('DHA', 'S-1')).not.toBe(diplomaRecordId('DHA', 'S-2'));
    expect(diplomaRecordId('DHA', 'S-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('chooses the event from the diploma status', () => {
    const ev = (s: unknown): string | undefined => {
      const r = map({ status: s });
      return r.ok ? r.sukien : r.errors[0]?.code;
    };
    expect(ev(1)).toBe('NEW');
    expect(ev('2')).toBe('CANCEL');
    expect(ev(3)).toBe('CANCEL');
    expect(ev(4)).toBe('UPDATE');
    expect(ev(7)).toBe('STATUS_UNKNOWN');
  });

  it('takes thoigiancapnhat from updated_at, in Vietnam time', () => {
    const r = map({ updated_at: '2025-06-30T02:15:00Z' });
    expect(r.ok && r.thoigiancapnhat).toBe('2025-06-30T09:15:00');
    expect(errorCodes({ updated_at: null })).toEqual(['thoigiancapnhat:TIMESTAMP_INVALID']);
  });

  it('reads update times as PostgreSQL, MySQL and SQL Server give them', () => {
    const at = (updated_at: unknown, options: Record<string, unknown> = {}): string | undefined => {
      const r = map({ updated_at }, { ...context, options: { ...context.options, ...options } });
      return r.ok ? r.thoigiancapnhat : r.errors.map((e) => e.code).join();
    };
    expect(at('2025-06-30 09:15:00.123456+07')).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30T02:15:00.1234567Z')).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30 09:15:00.123456')).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30')).toBe('2025-06-30T00:00:00');
    expect(at(new Date('2025-06-30T02:15:00Z'))).toBe('2025-06-30T09:15:00');
    // a source whose wall-clock times are UTC says so
    expect(at('2025-06-30 02:15:00', { sourceTimeZone: 'UTC' })).toBe('2025-06-30T09:15:00');
    expect(at('2025-06-30 09:15:00+07', { sourceTimeZone: 'UTC' })).toBe('2025-06-30T09:15:00');
    expect(at('30/06/2025 09:15')).toBe('TIMESTAMP_INVALID');
    expect(() => at('2025-06-30', { sourceTimeZone: 'GMT+7' })).toThrow(/sourceTimeZone/);
  });

  it('holds back text the source could not decode, naming the field and column', () => {
    const r = map({ full_name: 'Nguyễn \uFFFDvãn An', birth_place: 'Hà \uD800Nội', gender: 'N\uFFFD', updated_at: '2025-06-30\uFFFD' });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'data.hovaten:INVALID_TEXT_ENCODING',
      'data.noisinh_diachichitiet:INVALID_TEXT_ENCODING',
      'data.gioitinh:INVALID_TEXT_ENCODING',
      'thoigiancapnhat:INVALID_TEXT_ENCODING',
    ]);
    expect(errors[0]?.message).toContain('full_name');
    expect(JSON.stringify(errors)).not.toMatch(/Nguyễn|vãn|\uFFFD/);
  });

  it('checks the personal id against birth date and sex', () => {
    expect(errorCodes({ gender: 'Nữ' })).toEqual(['data.sodinhdanh:CCCD_SEX_CENTURY']);
    expect(errorCodes({ birth_date: '2002-01-01' })).toEqual(['data.sodinhdanh:CCCD_BIRTH_YEAR']);
    expect(errorCodes({ birth_date: '1902' })).toEqual(['data.sodinhdanh:CCCD_SEX_CENTURY', 'data.sodinhdanh:CCCD_BIRTH_YEAR', 'data.namsinh:AGE_IMPLAUSIBLE']);
    expect(errorCodes({ national_id: '' })).toEqual(['data.sodinhdanh:DICT_REQUIRED']);
    expect(errorCodes({ signer_national_id: '12345' })).toEqual(['data.soddcnnguoiky:CCCD_FORMAT']);
  });

  it('never puts personal values in messages', () => {
    const r = map({ national_id: '026001000123', full_name: 'Nguyễn Văn An', birth_date: '31/02/2001' });
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r.ok ? [] : r.errors);
    expect(text).not.toContain('026001000123');
    expect(text).not.toContain('Nguyễn');
    expect(text).not.toContain('31/02');
  });

  it('reports a missing unit code and options as required fields', () => {
    const r = map({}, { unitCode: '', options: {} });
    expect(r.ok).toBe(false);
    const fields = r.ok ? [] : r.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['data.matruong', 'data.tentruong', 'data.noicap', 'data.thongtu']));
    expect(!r.ok && r.idbanghi).toBe(undefined);
  });

  it('reads 2025 codes when the job says the source uses them', () => {
    const r = map({ birth_province_code: '25', birth_ward_code: '08740' }, { ...context, options: { ...context.options, provinceCodeSet: '2025' } });
    expect(r.ok && [r.data.noisinh_matinh, r.data.noisinh_maxa]).toEqual(['25', '08740']);
    expect(errorCodes({ birth_province_code: '25', birth_ward_code: '08740' })).toEqual(['data.noisinh_matinh:WARD_PROVINCE_MISMATCH']);
  });
});

describe('transforms', () => {
  it('partialDate fills exactly one of the trio', () => {
    const t = partialDate({ day: 'd', month: 'm', year: 'y' });
    expect(t('d', '03/05/2001')).toEqual({ values: { d: '2001-05-03' } });
    expect(t('d', '5/2001')).toEqual({ values: { m: '2001-05' } });
    expect(t('d', '2001')).toEqual({ values: { y: '2001' } });
    expect(t('d', '31/02/2001')).toMatchObject({ code: 'DATE_INVALID' });
    expect(t('d', null)).toEqual({ values: {} });
  });

  it('classification accepts the TT 08/2021 labels only', () => {
    expect(classification('x', 'xuất sắc')).toEqual({ values: { x: 'Xuất sắc' } });
    expect(classification('x', 'Trung Bình')).toEqual({ values: { x: 'Trung bình' } });
    expect(classification('x', 'Tuyệt vời')).toMatchObject({ code: 'XEPLOAI_UNKNOWN' });
    expect(classification('x', '')).toEqual({ values: {} });
  });

  it('birthPlaceCodes translates legacy codes and reports what it cannot', () => {
    const legacy = birthPlaceCodes('pre2025');
    expect(legacy('26', '08743')).toEqual({ values: { noisinh_matinh: '25', noisinh_maxa: '08740', noisinh_quocgia: 'VNM' } });
    expect(legacy('27', null)).toEqual({ values: { noisinh_matinh: '24', noisinh_quocgia: 'VNM' } });
    expect(legacy('99', null)).toMatchObject({ code: 'PROVINCE_UNKNOWN' });
    expect(legacy(null, '08740')).toMatchObject({ code: 'PROVINCE_MISSING' });
    expect(legacy(null, null)).toEqual({ values: {} });
  });
});
