import { describe, expect, it } from 'vitest';
import { checkCccd, decodeCccd } from './cccd.js';
import { parseFlexibleDate, type PartialDate } from './dates.js';

const date = (s: string): PartialDate => {
  const r = parseFlexibleDate(s);
  if (!r.ok) throw new Error('bad test date');
  return r.value;
};
const codes = (id: unknown, birth?: string, gioitinh?: '0' | '1' | '2'): string[] =>
  checkCccd(id, { birthDate: birth === undefined ? undefined : date(birth), gioitinh }).map((e) => e.code);

describe('decodeCccd', () => {
  it('reads province, sex, century and year', () => {
    expect(decodeCccd('026201000123')).toEqual({ placeCode: '026', sex: '1', centuryStart: 2000, yearSuffix: '01' });
    expect(decodeCccd('079195000123')).toEqual({ placeCode: '079', sex: '2', centuryStart: 1900, yearSuffix: '95' });
    expect(decodeCccd('12345')).toBeUndefined();
  });
});

describe('checkCccd', () => {
  it('accepts ids consistent with birth date and sex', () => {
    expect(codes('026201000123', '2001-05-03', '1')).toEqual([]);
    expect(codes('001301000123', '2001-05-03', '2')).toEqual([]);
    expect(codes('079095000123', '1995-01-01', '1')).toEqual([]);
    expect(codes('079195000123', '1995', '2')).toEqual([]);
    expect(codes('079195000123', '05/1995', '2')).toEqual([]);
    expect(codes('079195000123')).toEqual([]);
    expect(codes('010201000123', '2001', '0')).toEqual([]); // 010 Lào Cai (pre-2025) stays valid
  });

  it('reports format errors', () => {
    expect(codes('02620100012')).toEqual(['CCCD_FORMAT']); // 11 digits
    expect(codes('02620100012A')).toEqual(['CCCD_FORMAT']);
    expect(codes('')).toEqual(['CCCD_MISSING']);
    expect(codes(null)).toEqual(['CCCD_MISSING']);
  });

  it('reports an unknown province prefix unless a country code is allowed', () => {
    expect(codes('099201000123', '2001')).toEqual(['CCCD_PROVINCE']);
    expect(codes('126201000123', '2001')).toEqual(['CCCD_PROVINCE']);
    expect(checkCccd('704201000123', { countryCodes: ['704'] })).toEqual([]);
  });

  it('reports sex/century and year disagreements', () => {
    expect(codes('026001000123', '2001-05-03', '1')).toEqual(['CCCD_SEX_CENTURY']); // century 1900
    expect(codes('026201000123', '2001-05-03', '2')).toEqual(['CCCD_SEX_CENTURY']); // male digit, female gioitinh
    expect(codes('026202000123', '2001-05-03', '1')).toEqual(['CCCD_BIRTH_YEAR']);
    expect(codes('026099000123', '2001', '2')).toEqual(['CCCD_SEX_CENTURY', 'CCCD_BIRTH_YEAR', 'CCCD_SEX_CENTURY']);
  });

  it('never puts the id in a message', () => {
    for (const e of checkCccd('026099000123', { birthDate: date('2001'), gioitinh: '2' })) {
      expect(e.message).not.toContain('026099000123');
      expect(e.field).toBe('data.sodinhdanh');
    }
    expect(checkCccd('02620100012')[0]?.message).not.toContain('02620100012');
  });

  it('reports on the given field', () => {
    expect(checkCccd('1', { field: 'data.soddcnnguoiky' })[0]?.field).toBe('data.soddcnnguoiky');
  });
});
