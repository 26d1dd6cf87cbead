import { describe, expect, it } from 'vitest';
import type { MappingContext } from '../../../src/core/mapping.js';
import { vanBangChungChiMapping } from './mapping.js';
import { EVENT_BY_STATUS, STATUS_KINDS, STATUS_TABLE, statusKey, statusLookup } from './status.js';

const GOLDEN_CONTEXT: MappingContext = {
  unitCode: 'DHA',
  options: { tentruong: 'Trường Đại học A', noicap: 'Hà Nội', donvicap: 'Trường Đại học A', thongtu: '10/2026', paperSignerName: 'Trần Thị Bình', paperSignerTitle: 'Hiệu trưởng' },
};
const base = { ...GOLDEN_CONTEXT.options };
const row = {
  updated_at: '2025-06-30T09:15:00', student_code: 'SV1', full_name: 'Nguyễn Văn An', birth_date: '2001-05-03', gender: 'Nam',
  ethnicity: 'Kinh', national_id: '026201000123', birth_place: 'Phúc Yên', birth_province_code: '26', birth_ward_code: '08740',
  degree_name: 'Bằng Cử nhân', training_mode: 'Chính quy', classification: 'Khá', graduation_year: '2024', decision_no: '1/QĐ',
  decision_date: '2024-06-20', serial_no: 'S-1', register_no: 'R-1', issue_date: '2024-06-25',
  diploma_uuid: '3f2b8c1e-6d4a-4f7e-9b1c-2a5d7e9f0a11', signer_name: 'Trần Thị Bình', signer_national_id: '001175000456',
  signer_title: 'Hiệu trưởng', status: 1,
  // read only for a corrected diploma (trangthai 4): its correction decision
  correction_decision_no: '57/QĐ', correction_decision_date: '2025-07-01', correction_signer_name: 'Trần Thị Bình',
  correction_signer_national_id: '001175000456', correction_signer_title: 'Hiệu trưởng',
};
const outcome = (status: unknown, options: Record<string, unknown> = {}): string => {
  const context: MappingContext = { ...GOLDEN_CONTEXT, options: { ...base, ...options } };
  const r = vanBangChungChiMapping.map({ stream: 'graduates', key: '1', data: { ...row, status } }, context);
  return r.ok ? `${r.sukien}:${String(r.data.trangthai)}` : r.errors.map((e) => `${e.field}:${e.code}`).join();
};

describe('diploma status table', () => {
  it('maps the national codes and words in both languages, ignoring case, accents and spaces', () => {
    expect(outcome(1)).toBe('NEW:1');
    expect(outcome('01')).toBe('NEW:1');
    expect(outcome('Đã cấp')).toBe('NEW:1');
    expect(outcome('  ĐÃ   CẤP ')).toBe('NEW:1');
    expect(outcome('da cap')).toBe('NEW:1');
    expect(outcome('Issued')).toBe('NEW:1');
    expect(outcome('Thu hồi')).toBe('CANCEL:2');
    expect(outcome('revoked')).toBe('CANCEL:2');
    expect(outcome('Hủy')).toBe('CANCEL:3');
    expect(outcome('HUỶ')).toBe('CANCEL:3');
    expect(outcome('Cancelled')).toBe('CANCEL:3');
    expect(outcome(4)).toBe('UPDATE:4');
    expect(outcome('Hủy'.normalize('NFD'))).toBe('CANCEL:3');
  });

  it('stops a record whose status it does not know, naming the column but not the value', () => {
    expect(outcome('Tạm giữ')).toBe('data.trangthai:STATUS_UNKNOWN');
    expect(outcome(7)).toBe('data.trangthai:STATUS_UNKNOWN');
    expect(outcome(true)).toBe('data.trangthai:STATUS_UNKNOWN');
    expect(outcome(null)).toBe('data.trangthai:STATUS_MISSING');
    expect(outcome('  ')).toBe('data.trangthai:STATUS_MISSING');
    const r = vanBangChungChiMapping.map({ stream: 'g', key: '1', data: { ...row, status: 'Tạm giữ' } }, GOLDEN_CONTEXT);
    const message = r.ok ? '' : (r.errors[0]?.message ?? '');
    expect(message).toContain('status');
    expect(message).not.toContain('Tạm giữ');
  });

  it('learns a source’s own words from mapping option statusValues', () => {
    const statusValues = { issued: ['Đang lưu hành'], cancelled: ['Huỷ do cấp sai', 9] };
    expect(outcome('đang lưu hành', { statusValues })).toBe('NEW:1');
    expect(outcome('HUY DO CAP SAI', { statusValues })).toBe('CANCEL:3');
    expect(outcome(9, { statusValues })).toBe('CANCEL:3');
    expect(outcome('Đã cấp', { statusValues })).toBe('NEW:1');
    expect(outcome('Đang lưu hành')).toBe('data.trangthai:STATUS_UNKNOWN');
  });

  it('refuses a statusValues option that is ambiguous or malformed', () => {
    expect(() => statusLookup({ statusValues: { issued: ['Hủy'] } })).toThrow(/statusValues\.issued: "Hủy" already means cancelled/);
    expect(() => statusLookup({ statusValues: { valid: ['x'] } })).toThrow(/unknown status/);
    expect(() => statusLookup({ statusValues: { issued: 'x' } })).toThrow(/must be a list/);
    expect(() => statusLookup({ statusValues: ['x'] })).toThrow(/statusValues/);
  });

  it('keeps one national code and event per status', () => {
    expect(STATUS_KINDS.map((k) => STATUS_TABLE[k].trangthai)).toEqual(['1', '2', '3', '4']);
    expect(EVENT_BY_STATUS).toEqual({ '1': 'NEW', '2': 'CANCEL', '3': 'CANCEL', '4': 'UPDATE' });
    expect(statusKey(' Đã  Hủy ')).toBe('da huy');
  });
});
