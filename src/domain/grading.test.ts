import { describe, expect, it } from 'vitest';
import { DataError } from '../core/errors.js';
import { classify, GRADING_SCALES, letterGrade, parseTt22Level, toFourPoint, TT22_CONDUCT_LEVELS, TT22_RESULT_LEVELS } from './grading.js';

describe('letterGrade / toFourPoint (TT 08/2021)', () => {
  it.each([
    [10, 'A', '4.0'],
    ['8.5', 'A', '4.0'],
    [8.45, 'A', '4.0'], // rounded half up to 8.5 first
    [8.44, 'B+', '3.5'],
    ['8.0', 'B+', '3.5'],
    [7.95, 'B+', '3.5'],
    [7.9, 'B', '3.0'],
    [6.95, 'B', '3.0'],
    [6.5, 'C+', '2.5'],
    [6.4, 'C', '2.0'],
    [5.5, 'C', '2.0'],
    [5.45, 'C', '2.0'],
    [5.44, 'D+', '1.5'],
    [5, 'D+', '1.5'],
    [4.9, 'D', '1.0'],
    [3.95, 'D', '1.0'],
    [3.94, 'F', '0.0'],
    [0, 'F', '0.0'],
  ] as const)('%s → %s / %s', (score, letter, point4) => {
    expect(letterGrade(score)).toBe(letter);
    expect(toFourPoint(score)).toBe(point4);
  });

  it('is not thrown off by float noise in number input (0.1 + 8.35 = 8.450000000000001)', () => {
    expect(letterGrade(0.1 + 8.35)).toBe('A');
  });

  it('rejects scores outside 0–10 without putting the score in the message', () => {
    expect(() => letterGrade(10.05)).toThrow(DataError);
    expect(() => letterGrade(-1)).toThrow(/outside 0–10/);
    try {
      letterGrade('12.5');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('12.5');
    }
    expect(() => letterGrade('abc')).toThrow(DataError);
  });

  it('reads the older scale version without the + letters', () => {
    expect(letterGrade(8.2, 'qd43-2007')).toBe('B');
    expect(toFourPoint(6.7, 'qd43-2007')).toBe('2.0');
    expect(letterGrade(5.4, 'qd43-2007')).toBe('D');
  });

  it('every table states its source and version', () => {
    for (const [key, scale] of Object.entries(GRADING_SCALES)) {
      expect(scale.version).toBe(key);
      expect(scale.source.length).toBeGreaterThan(10);
      expect(scale.letters.at(-1)?.min10).toBe('0');
    }
  });
});

describe('classify', () => {
  it.each([
    ['4.0', 'Xuất sắc'],
    ['3.6', 'Xuất sắc'],
    ['3.595', 'Xuất sắc'], // GPA rounded half up to two decimals: 3.60
    ['3.594', 'Giỏi'],
    ['3.2', 'Giỏi'],
    ['3.19', 'Khá'],
    ['2.5', 'Khá'],
    ['2.49', 'Trung bình'],
    ['2.0', 'Trung bình'],
    ['1.99', 'Yếu'],
    ['1.0', 'Yếu'],
    ['0.99', 'Kém'],
  ] as const)('gpa4 %s → %s', (gpa4, expected) => {
    expect(classify({ gpa4 }).classification).toBe(expected);
  });

  it.each([
    ['9.0', 'Xuất sắc', 'Xuất sắc'],
    ['8.99', 'Giỏi', 'Giỏi'],
    ['7.0', 'Khá', 'Khá'],
    ['6.5', 'Trung bình', 'Trung bình khá'],
    ['6.0', 'Trung bình', 'Trung bình khá'],
    ['5.99', 'Trung bình', 'Trung bình'],
    ['4.0', 'Yếu', 'Yếu'],
    ['3.99', 'Kém', 'Kém'],
  ] as const)('gpa10 %s → %s (tt08-2021) / %s (qd43-2007)', (gpa10, current, older) => {
    expect(classify({ gpa10 }, 'tt08-2021').classification).toBe(current);
    expect(classify({ gpa10 }, 'qd43-2007').classification).toBe(older);
  });

  it('prefers the 4-point GPA when both are given', () => {
    const result = classify({ gpa4: '3.7', gpa10: '7.5' });
    expect(result).toMatchObject({ classification: 'Xuất sắc', basedOn: 'gpa4', scaleVersion: 'tt08-2021' });
  });

  it('drops Xuất sắc and Giỏi one level for retaken credits above 5%', () => {
    expect(classify({ gpa4: '3.8', retakenCreditRatio: '0.05' })).toMatchObject({ classification: 'Xuất sắc', dropped: false });
    expect(classify({ gpa4: '3.8', retakenCreditRatio: '0.0501' })).toMatchObject({ classification: 'Giỏi', baseClassification: 'Xuất sắc', dropped: true });
    expect(classify({ gpa4: '3.3', retakenCreditRatio: 0.06 })).toMatchObject({ classification: 'Khá', dropped: true });
    expect(classify({ gpa4: '3.0', retakenCreditRatio: 0.5 })).toMatchObject({ classification: 'Khá', dropped: false });
  });

  it('drops one level for discipline from the scale threshold up', () => {
    expect(classify({ gpa4: '3.8', discipline: 'khien-trach' }).classification).toBe('Giỏi');
    expect(classify({ gpa4: '3.8', discipline: 'none' }).classification).toBe('Xuất sắc');
    expect(classify({ gpa4: '3.8', disciplined: true }).classification).toBe('Giỏi');
    // the older regulation dropped from cảnh cáo, not khiển trách
    expect(classify({ gpa4: '3.8', discipline: 'khien-trach' }, 'qd43-2007').classification).toBe('Xuất sắc');
    expect(classify({ gpa4: '3.8', discipline: 'canh-cao' }, 'qd43-2007').classification).toBe('Giỏi');
    expect(classify({ gpa10: '8.2', discipline: 'canh-cao' }, 'qd43-2007').classification).toBe('Khá');
  });

  it('reports a missing or impossible GPA as a data error', () => {
    expect(() => classify({})).toThrow(DataError);
    expect(() => classify({ gpa4: '4.2' })).toThrow(/outside 0–4/);
  });
});

describe('TT22 level tables', () => {
  it('lists T/K/Đ/CĐ with their names and legacy codes', () => {
    expect(TT22_RESULT_LEVELS.map((l) => `${l.code}=${l.name}=${l.legacyCode}`)).toEqual(['T=Tốt=1', 'K=Khá=2', 'Đ=Đạt=3', 'CĐ=Chưa đạt=4']);
    expect(TT22_CONDUCT_LEVELS.map((l) => l.code)).toEqual(['T', 'K', 'Đ', 'CĐ']);
  });

  it('parses stored level values leniently', () => {
    expect(parseTt22Level('Khá')?.code).toBe('K');
    expect(parseTt22Level('chưa đạt')?.code).toBe('CĐ');
    expect(parseTt22Level('C\u0110')?.code).toBe('CĐ');
    expect(parseTt22Level('Đạt'.normalize('NFD'))?.code).toBe('Đ');
    expect(parseTt22Level('1')?.code).toBe('T');
    expect(parseTt22Level('X')).toBeUndefined();
  });
});
