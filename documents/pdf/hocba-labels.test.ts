import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dejavuFontPath } from './fonts.js';
import { birthDateText, countryName, ethnicityName, genderName, levelName, placeAndDate, promotionText, recordStatusName, schoolLevelTitle, withPlaceCodes, yesNo } from './hocba-labels.js';

describe('fonts', () => {
  it('finds the DejaVu Sans faces in the dejavu-fonts-ttf package', () => {
    for (const style of ['regular', 'bold', 'italic'] as const) {
      const file = dejavuFontPath(style);
      expect(file).toMatch(/dejavu-fonts-ttf[\\/]ttf[\\/]DejaVuSans/);
      expect(existsSync(file)).toBe(true);
    }
  });
});

describe('hocba labels', () => {
  it('spells result and conduct levels out', () => {
    expect(['T', 'K', 'Đ', 'CĐ'].map((c) => levelName(c, 'HB-1', 'canam'))).toEqual(['Tốt', 'Khá', 'Đạt', 'Chưa đạt']);
    expect(levelName(undefined, 'HB-1', 'kqhoctaplai')).toBe('');
  });

  it('rejects other level values, naming record and field but not the value', () => {
    for (const bad of ['Tốt', '1', 'X']) {
      expect(() => levelName(bad, 'HB-1', 'hocky1')).toThrow(expect.objectContaining({ code: 'PDF_UNKNOWN_LEVEL', context: expect.objectContaining({ record: 'HB-1', field: 'hocky1' }) }));
    }
  });

  it('writes dates the Vietnamese way at the precision the record holds', () => {
    expect(birthDateText({ ngaythangnamsinh: '2009-03-14' })).toBe('14/03/2009');
    expect(birthDateText({ thangnamsinh: '2009-03' })).toBe('03/2009');
    expect(birthDateText({ namsinh: '2009' })).toBe('2009');
    expect(placeAndDate('Hà Nội', '2025-05-31')).toBe('Hà Nội, ngày 31 tháng 05 năm 2025');
  });

  it('names codes and keeps unknown ones as they are', () => {
    expect([genderName('1'), genderName('2'), genderName('0')]).toEqual(['Nam', 'Nữ', 'Chưa có thông tin']);
    expect([ethnicityName('01'), ethnicityName('001'), ethnicityName('99')]).toEqual(['Kinh', 'Kinh', '99']);
    expect([countryName('VN'), countryName('ZZ')]).toEqual(['Việt Nam', 'ZZ']);
    expect([schoolLevelTitle('9'), schoolLevelTitle('12'), schoolLevelTitle('5')]).toEqual(['TRUNG HỌC CƠ SỞ', 'TRUNG HỌC PHỔ THÔNG', '']);
  });

  it('states the promotion once, with the record’s own wording when it adds something', () => {
    expect(promotionText(1, 'Được lên lớp')).toBe('Được lên lớp');
    expect(promotionText(1, 'Lên lớp thẳng')).toBe('Được lên lớp (Lên lớp thẳng)');
    expect(promotionText(0, 'Ở lại lớp')).toBe('Không được lên lớp (Ở lại lớp)');
  });

  it('keeps a less precise birth field that disagrees with the precise one', () => {
    expect(birthDateText({ ngaythangnamsinh: '2009-03-14', thangnamsinh: '2009-03', namsinh: '2009' })).toBe('14/03/2009');
    expect(birthDateText({ ngaythangnamsinh: '2009-03-14', namsinh: '2010' })).toBe('14/03/2009 (2010)');
  });

  it('spells record status and flags, and puts place codes after the place name', () => {
    expect([recordStatusName('1'), recordStatusName('2'), recordStatusName('9')]).toEqual(['Có hiệu lực', 'Thu hồi', '9']);
    expect([yesNo(0), yesNo(1)]).toEqual(['Không', 'Có']);
    expect(withPlaceCodes('Phường Ba Đình, Hà Nội', '00004', '01')).toBe('Phường Ba Đình, Hà Nội (mã xã 00004, mã tỉnh 01)');
    expect(withPlaceCodes('Hà Nội', undefined, '01')).toBe('Hà Nội (mã tỉnh 01)');
    expect(withPlaceCodes('Hà Nội', ' ', undefined)).toBe('Hà Nội');
  });
});
