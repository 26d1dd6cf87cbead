import { describe, expect, it } from 'vitest';
import { ETHNICITIES, ETHNICITY_ALIASES, parseEthnicity } from './ethnicity.js';
import { parseGender } from './gender.js';
import { parseCountry } from './nationality.js';
import { parseSchoolLevel, schoolLevelOfGrade } from './school-levels.js';
import { searchKey } from './names.js';

const eth = (s: unknown): string => {
  const r = parseEthnicity(s);
  return r.ok ? r.code : r.code;
};

describe('ethnicity', () => {
  it('has 54 groups with codes 01..54', () => {
    expect(ETHNICITIES).toHaveLength(54);
    expect(ETHNICITIES[0]).toEqual({ code: '01', name: 'Kinh' });
    expect(ETHNICITIES[53]).toEqual({ code: '54', name: 'Rơ-măm' });
  });

  it('matches spellings ignoring case, spaces, hyphens and tone placement', () => {
    expect(eth('Kinh')).toBe('01');
    expect(eth('kinh ')).toBe('01');
    expect(eth('Tày')).toBe('02');
    expect(eth('Thái')).toBe('03');
    for (const s of ['Khơ-me', 'Khơ Me', 'khơme', 'Khmer', 'KHMER']) expect(eth(s), s).toBe('05');
    for (const s of ['HMông', 'H\'Mông', 'Hmong', 'Mèo', 'Mông', 'H Mông']) expect(eth(s), s).toBe('08');
    for (const s of ['Ê Đê', 'Ê-đê', 'ê đê', 'Êđê']) expect(eth(s), s).toBe('12');
    expect(eth('Mường'.normalize('NFD'))).toBe('06');
    expect(eth('Thổ')).toBe('24');
    expect(eth('Xtiêng')).toBe('22');
    expect(eth('Bru-Vân Kiều')).toBe('23');
    expect(eth('Ơ Đu')).toBe('53');
  });

  it('accepts codes with or without the leading zero', () => {
    expect(eth('01')).toBe('01');
    expect(eth('5')).toBe('05');
    expect(eth(8)).toBe('08');
    expect(eth('99')).toBe('ETHNICITY_UNKNOWN');
  });

  it('accepts unique diacritic-free spellings and rejects unknown names', () => {
    expect(eth('Tay')).toBe('02');
    expect(eth('Muong')).toBe('06');
    expect(eth('Klingon')).toBe('ETHNICITY_UNKNOWN');
    expect(eth('')).toBe('ETHNICITY_UNKNOWN');
  });

  it('every alias points at an existing group and official names have distinct keys', () => {
    for (const code of Object.values(ETHNICITY_ALIASES)) expect(Number(code)).toBeLessThanOrEqual(54);
    const keys = ETHNICITIES.map((e) => searchKey(e.name).replace(/[^a-z]/g, ''));
    expect(new Set(keys).size).toBe(54);
  });
});

describe('gender', () => {
  it.each([
    ['Nam', '1'], ['nam', '1'], ['M', '1'], ['1', '1'], [1, '1'], ['Male', '1'],
    ['Nữ', '2'], ['nữ'.normalize('NFD'), '2'], ['NU', '2'], ['F', '2'], ['2', '2'], ['female', '2'],
    ['0', '0'], ['Khác', '0'],
  ])('%s → %s', (input, code) => {
    expect(parseGender(input)).toEqual({ ok: true, code });
  });
  it('rejects unknown values', () => {
    expect(parseGender('X')).toMatchObject({ ok: false, code: 'GENDER_UNKNOWN' });
    expect(parseGender(undefined)).toMatchObject({ ok: false, code: 'GENDER_UNKNOWN' });
    expect(parseGender('3')).toMatchObject({ ok: false });
  });
});

describe('nationality', () => {
  it('resolves codes and names', () => {
    for (const s of ['VN', 'vn', 'VNM', 'Việt Nam', 'Viet Nam', 'Vietnam']) {
      const r = parseCountry(s);
      expect(r.ok && [r.country.alpha2, r.country.alpha3]).toEqual(['VN', 'VNM']);
    }
    const la = parseCountry('Lào');
    expect(la.ok && la.country.alpha3).toBe('LAO');
    expect(parseCountry('ZZ')).toMatchObject({ ok: false, code: 'NATIONALITY_UNKNOWN' });
    expect(parseCountry('')).toMatchObject({ ok: false });
  });
});

describe('school levels', () => {
  it('resolves codes, names and everyday names', () => {
    const code = (s: unknown): string | undefined => {
      const r = parseSchoolLevel(s);
      return r.ok ? r.level.code : undefined;
    };
    expect(code('01')).toBe('01');
    expect(code('Tiểu học')).toBe('02');
    expect(code('THCS')).toBe('03');
    expect(code('cấp 3')).toBe('04');
    expect(code(5)).toBe('05');
    expect(code('Thường xuyên')).toBe('05');
    expect(code('cấp 4')).toBeUndefined();
    expect(schoolLevelOfGrade(7)?.code).toBe('03');
    expect(schoolLevelOfGrade(13)).toBeUndefined();
  });
});
