import { describe, expect, it } from 'vitest';
import { canonicalToneSyllable, nameMatchKey, normalizePersonName, normalizeText, sameName, searchKey } from './names.js';

describe('normalizePersonName', () => {
  it('fixes NFD, spacing and case, keeping the tone where the source put it', () => {
    expect(normalizePersonName('  nguyễn   VĂN  an ')).toBe('Nguyễn Văn An');
    expect(normalizePersonName('Nguyễn Văn Hoà'.normalize('NFD'))).toBe('Nguyễn Văn Hoà');
    expect(normalizePersonName('ĐẶNG THỊ THỦY')).toBe('Đặng Thị Thủy');
    expect(normalizePersonName('Lê\u00A0Thị\tÁnh')).toBe('Lê Thị Ánh');
    expect(normalizePersonName('đỗ ánh')).toBe('Đỗ Ánh');
  });
  it('output is NFC', () => {
    const out = normalizePersonName('Trần Thị Hằng'.normalize('NFD'));
    expect(out).toBe(out.normalize('NFC'));
    expect(out.length).toBe('Trần Thị Hằng'.length);
  });
});

describe('normalizeText', () => {
  it('removes control characters and collapses spaces', () => {
    expect(normalizeText('Phúc\u0000 Yên\r\n Vĩnh  Phúc ')).toBe('Phúc Yên Vĩnh Phúc');
  });
});

describe('canonical tone placement', () => {
  it.each([
    ['hòa', 'hoà'],
    ['hoà', 'hoà'],
    ['thủy', 'thuỷ'],
    ['khỏe', 'khoẻ'],
    ['hoàng', 'hoàng'],
    ['quý', 'quý'],
    ['quỳnh', 'quỳnh'],
    ['già', 'già'],
    ['gì', 'gì'],
    ['mùa', 'mùa'],
    ['người', 'người'],
    ['nguyễn', 'nguyễn'],
    ['thuở', 'thuở'],
    ['khuỷu', 'khuỷu'],
    ['ngoài', 'ngoài'],
    ['toán', 'toán'],
    ['tuấn', 'tuấn'],
    ['an', 'an'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalToneSyllable(input)).toBe(expected);
  });
});

describe('name keys', () => {
  it('match across tone placement, case, spacing and NFD', () => {
    expect(sameName('Nguyễn Văn Hòa', 'nguyễn  văn hoà')).toBe(true);
    expect(sameName('Lê Thị Thủy', 'LÊ THỊ THUỶ'.normalize('NFD'))).toBe(true);
    expect(sameName('Hòa', 'Hoa')).toBe(false);
    expect(nameMatchKey('Khánh Hòa')).toBe('khánh hoà');
  });
  it('searchKey drops diacritics', () => {
    expect(searchKey('Đặng Thị Hòa')).toBe('dang thi hoa');
  });
});

describe('normalizeText fast path', () => {
  it('gives the same result as the full normalisation on tidy and untidy text', () => {
    // eslint-disable-next-line no-control-regex -- the full normalisation removes control characters
    const full = (t: string): string => t.normalize('NFC').replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200D\uFEFF]/gu, ' ').replace(/\s+/gu, ' ').trim();
    const samples = ['Nguyễn Văn An', 'Nguye\u0302\u0303n', ' lead', 'trail ', 'two  spaces', 'tab\there', 'nb\u00a0sp', 'zw\u200bsp', 'bom\ufeff', 'ctl\u0007x', 'line\nbreak', '', ' ', 'Hoà', 'x\u2028y'];
    for (const s of samples) expect(normalizeText(s), JSON.stringify(s)).toBe(full(s));
  });
});
