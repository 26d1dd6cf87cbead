import { describe, expect, it } from 'vitest';
import { LienthongError } from '../../core/errors.js';
import { DICTIONARY_SOURCE, getDictionaryField, getDictionaryTable, listDictionaryTables, validateAgainstTable } from './index.js';

const validDiploma = {
  sodinhdanh: '026201000123',
  hovaten: 'Nguyễn Văn An',
  ngaythangnamsinh: '2001-05-03',
  mahocvien: 'SV001',
  noisinh_diachichitiet: 'Phúc Yên, Vĩnh Phúc',
  gioitinh: '1',
  dantoc: '01',
  tentruong: 'Trường Đại học A',
  matruong: 'DHA',
  namtotnghiep: '2024',
  sohieu: 'A-0001',
  sovaosogoc: 'SG-1',
  soquyetdinhtn: '123/QĐ-ĐHA',
  nguoiky: 'Trần Thị B',
  soddcnnguoiky: '001180000111',
  chucvu: 'Hiệu trưởng',
  noicap: 'Hà Nội',
  donvicap: 'Trường Đại học A',
  tenvanbangcc: 'Bằng Cử nhân',
  nguoikyvbccbangiay_hovaten: 'Trần Thị B',
  nguoikyvbccbangiay_chucdanh: 'Hiệu trưởng',
  madinhdanhvbcc: '5b0c7d3e-0000-4000-8000-000000000001',
  thongtu: '10/2026',
};

describe('dictionary tables', () => {
  it('holds the tables the project maps, with their real names', () => {
    const names = listDictionaryTables();
    for (const n of [
      'VanBangChungChi',
      'VanBangChungChi_ThongTinHieuChinh',
      'thongtinsohocbasothcsthpt',
      'thongtinsohocbasothcsthpt_bangdiem',
      'thongtinsohocbasothcsthpt_quatrinhhoctap',
      'thongtinsohocbasothcsthpt_chungchi',
      'thongtinsohocbasotieuhoc',
      'thongtinsohocbasotieuhoc_dsbangdiem',
      'thongtinsohocbasotieuhoc_quatrinhhoctap',
      'TTChungHocVien',
      'TTChungHocVien_NguoiVN',
      'ThongTinHocTapSVDH',
    ]) {
      expect(names).toContain(n);
    }
    expect(DICTIONARY_SOURCE.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps field specs as the dictionary states them', () => {
    const t = getDictionaryTable('VanBangChungChi');
    expect(t.fields).toHaveLength(49);
    expect(getDictionaryField(t, 'idbanghi')).toMatchObject({ type: 'varchar', length: 36, required: true });
    expect(getDictionaryField(t, 'thangnamsinh')).toMatchObject({ length: 7, required: false, format: 'YYYY-MM' });
    expect(getDictionaryField(t, 'ngaythangnamsinh')).toMatchObject({ type: 'date', format: 'YYYY-MM-DD' });
    expect(getDictionaryField(t, 'hovaten')?.meaning).toContain('Họ và tên');
  });

  it('looks names up exactly, case-insensitively only when unambiguous', () => {
    expect(getDictionaryTable('vanbangchungchi').name).toBe('VanBangChungChi');
    expect(getDictionaryTable('TTChungHocVien').name).toBe('TTChungHocVien');
    expect(getDictionaryTable('ttchunghocvien').name).toBe('ttchunghocvien');
    expect(() => getDictionaryTable('NoSuchTable')).toThrow(LienthongError);
  });
});

describe('validateAgainstTable', () => {
  const table = getDictionaryTable('VanBangChungChi');

  it('accepts a valid diploma', () => {
    expect(validateAgainstTable(table, validDiploma)).toEqual([]);
  });

  it('ignores envelope and technical key fields in data', () => {
    expect(
      validateAgainstTable(table, { ...validDiploma, idbanghi: 'x', sukien: 'NEW', keyvanbangchungchi: 'k' }).map((e) => e.code),
    ).toEqual([]);
  });

  it('reports a missing required field on data.<field>', () => {
    const { sohieu: _s, ...rest } = validDiploma;
    expect(validateAgainstTable(table, rest)).toEqual([
      { field: 'data.sohieu', code: 'DICT_REQUIRED', message: expect.stringContaining('sohieu') },
    ]);
    expect(validateAgainstTable(table, { ...validDiploma, sohieu: '  ' })[0]?.code).toBe('DICT_REQUIRED');
    expect(validateAgainstTable(table, rest, { skipRequired: true })).toEqual([]);
  });

  it('counts length in characters, not bytes', () => {
    const exact = 'Đ'.repeat(250);
    expect(validateAgainstTable(table, { ...validDiploma, noisinh_diachichitiet: exact })).toEqual([]);
    const errors = validateAgainstTable(table, { ...validDiploma, noisinh_diachichitiet: exact + 'a' });
    expect(errors).toEqual([{ field: 'data.noisinh_diachichitiet', code: 'DICT_TOO_LONG', message: expect.any(String) }]);
    expect(errors[0]?.message).not.toContain('Đ');
  });

  it('checks types and date formats', () => {
    const codes = (d: Record<string, unknown>): string[] => validateAgainstTable(table, { ...validDiploma, ...d }).map((e) => e.code);
    expect(codes({ ngaythangnamsinh: '2001-02-31' })).toEqual(['DICT_DATE']);
    expect(codes({ ngaythangnamsinh: '03/05/2001' })).toEqual(['DICT_DATE']);
    expect(codes({ thangnamsinh: '2001-13' })).toEqual(['DICT_FORMAT']);
    expect(codes({ namsinh: '01' })).toEqual(['DICT_FORMAT']);
    expect(codes({ gioitinh: 1 })).toEqual(['DICT_TYPE']);
    expect(codes({ hovaten: 'Nguyễn Văn An'.normalize('NFD') })).toEqual(['DICT_NOT_NFC']);
    expect(codes({ hovaten: 'Nguyễn\u0007An' })).toEqual(['DICT_CONTROL_CHAR']);
    expect(codes({ hovaten: 'Nguyễn\nAn' })).toEqual(['DICT_CONTROL_CHAR']);
    expect(codes({ hovaten: ' Nguyễn An' })).toEqual(['DICT_NOT_TRIMMED']);
    expect(codes({ unknownfield: 'x' })).toEqual(['DICT_UNKNOWN_FIELD']);
    expect(validateAgainstTable(table, { ...validDiploma, hovaten: 'A\nB' }, { allowLineBreaks: true })).toEqual([]);
  });

  it('checks int, boolean and timestamp fields', () => {
    const t = getDictionaryTable('thongtinsohocbasothcsthpt');
    const find = (d: Record<string, unknown>, f: string): string | undefined =>
      validateAgainstTable(t, d, { skipRequired: true, includeEnvelope: true }).find((e) => e.field === `data.${f}`)?.code;
    expect(find({ trichluc: 2 }, 'trichluc')).toBe('DICT_TYPE');
    expect(find({ trichluc: 1 }, 'trichluc')).toBeUndefined();
    expect(find({ phienban: 1.5 }, 'phienban')).toBe('DICT_TYPE');
    expect(find({ phienban: 123456 }, 'phienban')).toBe('DICT_TOO_LONG');
    expect(find({ thoigiancapnhat: '2025-01-01 10:00:00' }, 'thoigiancapnhat')).toBe('DICT_TIMESTAMP');
    expect(find({ thoigiancapnhat: '2025-01-01T10:00:00' }, 'thoigiancapnhat')).toBeUndefined();
    expect(find({ namhoc: '2024-2026' }, 'namhoc')).toBe('DICT_FORMAT');
  });

  it('validates child rows against their own table', () => {
    const t = getDictionaryTable('thongtinsohocbasothcsthpt');
    const errors = validateAgainstTable(
      t,
      { bangdiem: [{ mamonhoc: 'TOA', tenmonhoc: 'Toán', gvbm: 'X', soddcngvbm: '001' }, { mamonhoc: 'TOAN' }] },
      { skipRequired: false },
    ).filter((e) => e.field.startsWith('data.bangdiem'));
    expect(errors).toContainEqual(expect.objectContaining({ field: 'data.bangdiem[1].mamonhoc', code: 'DICT_TOO_LONG' }));
    expect(errors).toContainEqual(expect.objectContaining({ field: 'data.bangdiem[1].tenmonhoc', code: 'DICT_REQUIRED' }));
    expect(errors.some((e) => e.field.startsWith('data.bangdiem[0]'))).toBe(false);
  });

  it('rejects data that is not an object', () => {
    expect(validateAgainstTable(table, null)[0]).toMatchObject({ field: 'data', code: 'DICT_TYPE' });
  });
});
