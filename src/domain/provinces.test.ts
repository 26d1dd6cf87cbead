import { describe, expect, it } from 'vitest';
import {
  CURRENT_PROVINCES,
  LEGACY_PROVINCES,
  crosswalkDataVersion,
  getCurrentProvince,
  getLegacyProvince,
  isCurrentProvinceCode,
  isCurrentWardCode,
  isLegacyProvinceCode,
  provinceNameKey,
  resolveProvinceCode,
  translateLegacyAddress,
} from './provinces.js';

describe('province code tables', () => {
  it('has 34 current and 63 legacy codes, all distinct', () => {
    expect(new Set(CURRENT_PROVINCES.map((p) => p.code)).size).toBe(34);
    expect(new Set(LEGACY_PROVINCES.map((p) => p.code)).size).toBe(63);
  });

  it('knows which codes disappeared and which changed meaning', () => {
    for (const gone of ['10', '27', '72', '87', '89', '26']) {
      expect(isLegacyProvinceCode(gone)).toBe(true);
      expect(isCurrentProvinceCode(gone)).toBe(false);
    }
    expect(getLegacyProvince('15')?.name).toBe('Yên Bái');
    expect(getCurrentProvince('15')?.name).toBe('Lào Cai');
    expect(getLegacyProvince('91')?.name).toBe('Kiên Giang');
    expect(getCurrentProvince('91')?.name).toBe('An Giang');
    expect(isLegacyProvinceCode('99')).toBe(false);
  });

  it('matches province names whatever the tone placement or prefix', () => {
    expect(provinceNameKey('Tỉnh Hoà Bình')).toBe(provinceNameKey('Hòa Bình'));
    expect(provinceNameKey('Thành phố Huế')).toBe(provinceNameKey('Thừa Thiên Huế'));
  });
});

describe('translateLegacyAddress', () => {
  it('reads the crosswalk from the installed package', () => {
    expect(crosswalkDataVersion()).toBe('1.1');
  });

  it('translates a whole-province merger without a ward', () => {
    expect(translateLegacyAddress({ provinceCode: '26' })).toEqual({ ok: true, matinh: '25' }); // Vĩnh Phúc → Phú Thọ
    expect(translateLegacyAddress({ provinceCode: '24' })).toEqual({ ok: true, matinh: '24' }); // Bắc Giang → Bắc Ninh (same digits)
    expect(translateLegacyAddress({ provinceCode: '27' })).toEqual({ ok: true, matinh: '24' }); // Bắc Ninh → Bắc Ninh
    expect(translateLegacyAddress({ provinceCode: '15' })).toEqual({ ok: true, matinh: '15' }); // Yên Bái → Lào Cai
    expect(translateLegacyAddress({ provinceCode: '10' })).toEqual({ ok: true, matinh: '15' }); // Lào Cai → Lào Cai
    expect(translateLegacyAddress({ provinceCode: '44' })).toEqual({ ok: true, matinh: '44' }); // Quảng Bình → Quảng Trị
    expect(translateLegacyAddress({ provinceCode: '45' })).toEqual({ ok: true, matinh: '44' });
    expect(translateLegacyAddress({ provinceCode: '46' })).toEqual({ ok: true, matinh: '46' });
    expect(translateLegacyAddress({ provinceCode: '89' })).toEqual({ ok: true, matinh: '91' });
    expect(translateLegacyAddress({ provinceCode: '91' })).toEqual({ ok: true, matinh: '91' });
  });

  it('translates every legacy province to exactly one current one', () => {
    for (const p of LEGACY_PROVINCES) {
      const r = translateLegacyAddress({ provinceCode: p.code });
      expect(r.ok, p.code).toBe(true);
      if (r.ok) expect(isCurrentProvinceCode(r.matinh)).toBe(true);
    }
  });

  it('translates at ward level', () => {
    // Phường Hai Bà Trưng, TP Phúc Yên, Vĩnh Phúc → Phường Phúc Yên, Phú Thọ
    expect(translateLegacyAddress({ provinceCode: '26', wardCode: '08740' })).toEqual({ ok: true, matinh: '25', maxa: '08740' });
    expect(translateLegacyAddress({ provinceCode: '26', wardCode: '08743' })).toEqual({ ok: true, matinh: '25', maxa: '08740' });
  });

  it('reports instead of guessing', () => {
    expect(translateLegacyAddress({ provinceCode: '99' })).toMatchObject({ ok: false, code: 'PROVINCE_UNKNOWN' });
    expect(translateLegacyAddress({ provinceCode: '1' })).toMatchObject({ ok: false, code: 'PROVINCE_CODE_FORMAT' });
    expect(translateLegacyAddress({ provinceCode: '24', wardCode: '08740' })).toMatchObject({
      ok: false,
      code: 'WARD_PROVINCE_MISMATCH',
    });
    expect(translateLegacyAddress({ provinceCode: '26', wardCode: '99999' })).toMatchObject({ ok: false, code: 'WARD_UNKNOWN' });
    expect(translateLegacyAddress({ provinceCode: '26', wardCode: 'ab' })).toMatchObject({ ok: false, code: 'WARD_CODE_FORMAT' });
  });
});

describe('resolveProvinceCode', () => {
  it('passes 2025 codes through and checks their ward', () => {
    expect(resolveProvinceCode({ provinceCode: '25', wardCode: '08740' }, '2025')).toEqual({ ok: true, matinh: '25', maxa: '08740' });
    expect(resolveProvinceCode({ provinceCode: '26' }, '2025')).toMatchObject({ ok: false, code: 'PROVINCE_UNKNOWN' });
    expect(resolveProvinceCode({ provinceCode: '01', wardCode: '08740' }, '2025')).toMatchObject({ ok: false, code: 'WARD_UNKNOWN' });
    expect(isCurrentWardCode('00004', '01')).toBe(true);
  });

  it('translates pre-2025 codes', () => {
    expect(resolveProvinceCode({ provinceCode: '26' }, 'pre2025')).toEqual({ ok: true, matinh: '25' });
  });
});
