import { describe, expect, it } from 'vitest';
import { maskBirthDate, maskName, maskPersonalData, maskPersonalIdKeepingEnds } from './console-mask.js';

describe('masking a record for the console', () => {
  it('keeps the first 3 and last 2 digits of a personal id, the initials of a name, the year of a birth date', () => {
    expect(maskPersonalIdKeepingEnds('044213458201')).toBe('044*******01');
    expect(maskPersonalIdKeepingEnds('123456789')).toBe('123****89');
    expect(maskName('Lê Thế  Duy')).toBe('L. T. D.');
    expect(maskBirthDate('2013-05-18')).toBe('2013');
    expect(maskBirthDate('18/05/2013')).toBe('2013');
    expect(maskBirthDate('May')).toBe('***');
  });

  it('masks the national formats fields by name, nested ones too, and personal ids in free text; leaves the rest', () => {
    const envelope = {
      idbanghi: 'cec4120d-154e-50fe-94d0-e56340a4fcb6',
      data: {
        madinhdanhhocba: 'cec4120d-154e-50fe-94d0-e56340a4fcb6',
        hovaten: 'Lê Thế Duy',
        sodinhdanh: '044213458201',
        ngaythangnamsinh: '2013-05-18',
        noisinh_diachichitiet: 'Xã Cự Nẫm, Huyện Bố Trạch',
        hotencha: 'Lê Hoàng Hiển',
        tengiamhieu: 'Nguyễn Kim Hoa',
        soddcngiamhieu: '001177952850',
        tentruong: 'Trường THCS Thực Hành',
        namhoc: '2025-2026',
        ghichu: 'đối chiếu với 044213458201',
        cacmon: [{ tenmon: 'Toán', diem: 8.5 }],
      },
    };
    const masked = maskPersonalData(envelope) as { idbanghi: string; data: Record<string, unknown> };
    expect(masked.idbanghi).toBe(envelope.idbanghi);
    expect(masked.data).toEqual({
      madinhdanhhocba: 'cec4120d-154e-50fe-94d0-e56340a4fcb6',
      hovaten: 'L. T. D.',
      sodinhdanh: '044*******01',
      ngaythangnamsinh: '2013',
      noisinh_diachichitiet: '***',
      hotencha: 'L. H. H.',
      tengiamhieu: 'N. K. H.',
      soddcngiamhieu: '001*******50',
      tentruong: 'Trường THCS Thực Hành',
      namhoc: '2025-2026',
      ghichu: 'đối chiếu với 044*******01',
      cacmon: [{ tenmon: 'Toán', diem: 8.5 }],
    });
    expect(JSON.stringify(masked)).not.toContain('044213458201');
    // the input is not changed
    expect(envelope.data.hovaten).toBe('Lê Thế Duy');
  });
});
