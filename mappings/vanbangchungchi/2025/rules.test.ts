import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/core/records.js';
import { checkDiplomaDates } from './rules.js';

const base: JsonObject = {
  ngaythangnamsinh: '2001-05-03',
  ngayquyetdinh_ngaythangnam: '2024-06-20',
  ngaycap_ngaythangnam: '2024-06-25',
  namtotnghiep: '2024',
};
const check = (patch: JsonObject, options: Record<string, unknown> = {}, reported: string[] = []): string[] => {
  const data: JsonObject = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete data[k];
    else data[k] = v;
  }
  return checkDiplomaDates(data, new Set(reported), options).map((e) => `${e.field}:${e.code}`);
};

describe('checkDiplomaDates', () => {
  it('accepts dates in order and a plausible age', () => {
    expect(check({})).toEqual([]);
    expect(check({ ngaycap_ngaythangnam: '2024-06-20' })).toEqual([]);
    expect(check({ namtotnghiep: '2023' })).toEqual([]);
  });

  it('wants the birth before the decision (or the issue, without a decision)', () => {
    expect(check({ ngaythangnamsinh: '2024-06-20' })).toEqual(['data.ngaythangnamsinh:DATES_OUT_OF_ORDER']);
    expect(check({ ngaythangnamsinh: '2025-01-01' })).toEqual(['data.ngaythangnamsinh:DATES_OUT_OF_ORDER']);
    expect(check({ ngaythangnamsinh: null, namsinh: '2025' })).toEqual(['data.namsinh:DATES_OUT_OF_ORDER']);
    expect(check({ ngayquyetdinh_ngaythangnam: null, ngaythangnamsinh: '2024-07-01' })).toEqual(['data.ngaythangnamsinh:DATES_OUT_OF_ORDER']);
  });

  it('wants the decision no later than the issue', () => {
    expect(check({ ngaycap_ngaythangnam: '2024-06-19' })).toEqual(['data.ngaycap_ngaythangnam:DATES_OUT_OF_ORDER']);
    expect(check({ ngaycap_ngaythangnam: null, ngaycap_thangnam: '2024-06' })).toEqual([]);
    expect(check({ ngaycap_ngaythangnam: null, ngaycap_thangnam: '2024-05' })).toEqual(['data.ngaycap_thangnam:DATES_OUT_OF_ORDER']);
  });

  it('wants the graduation year to be the decision year (or the year before) and not after the issue', () => {
    expect(check({ namtotnghiep: '2025' })).toEqual(['data.namtotnghiep:GRADUATION_YEAR_MISMATCH']);
    expect(check({ namtotnghiep: '2021' })).toEqual(['data.namtotnghiep:GRADUATION_YEAR_MISMATCH']);
    expect(check({ ngayquyetdinh_ngaythangnam: null, namtotnghiep: '2025' })).toEqual(['data.namtotnghiep:GRADUATION_YEAR_MISMATCH']);
  });

  it('finds implausible ages at graduation, at every precision', () => {
    expect(check({ ngaythangnamsinh: '2009-06-21' })).toEqual(['data.ngaythangnamsinh:AGE_IMPLAUSIBLE']);
    expect(check({ ngaythangnamsinh: '2009-06-20' })).toEqual([]);
    expect(check({ ngaythangnamsinh: null, namsinh: '2009' })).toEqual([]);
    expect(check({ ngaythangnamsinh: null, namsinh: '2010' })).toEqual(['data.namsinh:AGE_IMPLAUSIBLE']);
    expect(check({ ngaythangnamsinh: null, thangnamsinh: '2009-07' })).toEqual(['data.thangnamsinh:AGE_IMPLAUSIBLE']);
    expect(check({ ngaythangnamsinh: '1923-06-20' })).toEqual(['data.ngaythangnamsinh:AGE_IMPLAUSIBLE']);
    expect(check({ ngaythangnamsinh: '1923-06-21' })).toEqual([]);
    // only the graduation year known
    expect(check({ ngayquyetdinh_ngaythangnam: null, ngaycap_ngaythangnam: null, ngaythangnamsinh: '2012-01-01' })).toEqual([
      'data.ngaythangnamsinh:AGE_IMPLAUSIBLE',
    ]);
  });

  it('takes the age bounds from the mapping options', () => {
    expect(check({ ngaythangnamsinh: '2010-01-01' }, { minGraduationAge: 12 })).toEqual([]);
    expect(check({ ngaythangnamsinh: '1960-01-01' }, { maxGraduationAge: 60 })).toEqual(['data.ngaythangnamsinh:AGE_IMPLAUSIBLE']);
    expect(() => check({}, { minGraduationAge: '15' })).toThrow(/minGraduationAge/);
  });

  it('skips rules on a date that already has an error, and never quotes a date', () => {
    expect(check({ ngaythangnamsinh: '2030-01-01' }, {}, ['data.ngaythangnamsinh'])).toEqual([]);
    const errors = checkDiplomaDates({ ...base, ngaythangnamsinh: '2030-01-01' }, new Set(), {});
    expect(JSON.stringify(errors)).not.toContain('2030');
  });
});
