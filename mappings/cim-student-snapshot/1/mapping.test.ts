import { describe, expect, it } from 'vitest';
import { cimStudentSnapshotMapping } from './mapping.js';

const row = (data: Record<string, unknown>) => ({ stream: 's', key: String(data.student_code ?? 'x'), data });
const base = { student_code: '22900017', full_name: '  nguyễn   thị hoà ', birth_date: '14/03/2004', status: 'Đang học', updated_at: '2026-09-01T08:00:00.123456+07:00', programme_name: 'Kế toán', faculty_code: 'KT', cohort: 'K67' };

describe('cim-student-snapshot/1', () => {
  it('maps a row to the contract snapshot', () => {
    expect(cimStudentSnapshotMapping.map(row(base), { unitCode: 'X', options: {} })).toEqual({
      ok: true,
      idbanghi: '22900017',
      sukien: 'NEW',
      thoigiancapnhat: '2026-09-01T08:00:00',
      data: { studentId: '22900017', fullName: 'Nguyễn Thị Hoà', birthDate: '2004-03-14', programme: 'Kế toán', faculty: 'KT', cohort: 'K67', status: 'studying', updatedAt: '2026-09-01T08:00:00' },
    });
  });

  it('reads codes and words, the job\'s own table, and makes a student who left a CANCEL', () => {
    const map = (status: unknown, options: Record<string, unknown> = {}) => cimStudentSnapshotMapping.map(row({ ...base, status }), { unitCode: 'X', options });
    expect(map(3)).toMatchObject({ ok: true, sukien: 'CANCEL', data: { status: 'withdrawn' } });
    expect(map('BẢO LƯU')).toMatchObject({ ok: true, sukien: 'NEW', data: { status: 'suspended' } });
    expect(map('Nghỉ ốm', { statuses: { 'nghỉ ốm': 'suspended' } })).toMatchObject({ ok: true, data: { status: 'suspended' } });
    expect(map('graduated', { leftStatuses: ['withdrawn', 'graduated'] })).toMatchObject({ ok: true, sukien: 'CANCEL' });
    expect(() => map('x', { statuses: { x: 'expelled' } })).toThrow(/statuses\."x" must be one of studying, suspended, withdrawn, graduated/);
  });

  it('holds back an unknown or missing status and a bad date, naming the field and never the value', () => {
    const r = cimStudentSnapshotMapping.map(row({ ...base, status: 'Nghỉ ốm', birth_date: '31/02/2004' }), { unitCode: 'X', options: {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.idbanghi).toBe('22900017');
    expect(r.errors.map((e) => `${e.field} ${e.code}`).sort()).toEqual(['data.birthDate DATE_INVALID', 'data.status STUDENT_STATUS_UNKNOWN']);
    expect(JSON.stringify(r.errors)).not.toContain('Nghỉ ốm');
    const missing = cimStudentSnapshotMapping.map(row({ ...base, status: null, full_name: '' }), { unitCode: 'X', options: {} });
    expect(missing.ok ? [] : missing.errors.map((e) => e.code).sort()).toEqual(['STUDENT_NAME_MISSING', 'STUDENT_STATUS_MISSING']);
  });
});
