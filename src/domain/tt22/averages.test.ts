import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { termAverage, yearAverage } from './averages.js';
import { formatScore, parseScore, type Tt22Problem } from './scores.js';
import { expectedRegularTestCount, isCommentAssessedSubject } from './subjects.js';

const avg = (regular: (string | number)[], midterm: string | number, final: string | number, periodsPerYear?: number) =>
  termAverage({ regular, midterm, final }, { subject: 'TOA', term: 'hk1', ...(periodsPerYear === undefined ? {} : { periodsPerYear }) });

describe('termAverage (ĐTBmhk)', () => {
  it('computes (Σtx + 2·gk + 3·ck)/(n + 5), rounded half up to one decimal', () => {
    // (8 + 9 + 7 + 8 + 2·7.5 + 3·8.0) / 9 = 71 / 9 = 7.888… → 7.9
    expect(formatScore(avg([8, 9, 7, 8], '7.5', '8.0', 105).average ?? new Decimal(-1))).toBe('7.9');
    // (9 + 9 + 8 + 10 + 17 + 27) / 9 = 80 / 9 = 8.888… → 8.9
    expect(formatScore(avg([9, 9, 8, 10], 8.5, 9, 105).average ?? new Decimal(-1))).toBe('8.9');
  });

  it('rounds 6.45 up to 6.5 (exactly where binary floats go wrong)', () => {
    // (6 + 6 + 6 + 2·6.3 + 3·7.0) / 8 = 51.6 / 8 = 6.45 → 6.5
    const result = avg(['6.0', '6.0', '6.0'], '6.3', '7.0', 70);
    expect(result.problems).toEqual([]);
    expect(formatScore(result.average ?? new Decimal(-1))).toBe('6.5');
    // (18 + 12 + 21.3) / 8 = 6.4125 → 6.4
    expect(formatScore(avg([6, 6, 6], 6, '7.1', 70).average ?? new Decimal(-1))).toBe('6.4');
  });

  it('formats 10 as "10.0" (4 characters, fits varchar(4)) and 0 as "0.0"', () => {
    expect(formatScore(avg([10, 10], 10, 10, 35).average ?? new Decimal(-1))).toBe('10.0');
    expect(formatScore(avg([0, 0], 0, 0, 35).average ?? new Decimal(-1))).toBe('0.0');
  });

  it('reports a wrong number of regular scores (Đ6.2b) but still computes', () => {
    // 105 periods/year asks for 4; with 3: (8 + 9 + 7 + 15 + 24) / 8 = 7.875 → 7.9
    const result = avg([8, 9, 7], '7.5', '8.0', 105);
    expect(formatScore(result.average ?? new Decimal(-1))).toBe('7.9');
    expect(result.problems).toEqual([expect.objectContaining({ subject: 'TOA', field: 'hk1.regular', code: 'REGULAR_TEST_COUNT_MISMATCH' })]);
  });

  it('accepts a decimal comma', () => {
    // (7.5 + 8 + 2·8 + 3·8) / 7 = 55.5 / 7 = 7.928… → 7.9
    expect(formatScore(avg(['7,5', '8'], '8', '8', 35).average ?? new Decimal(-1))).toBe('7.9');
  });

  it('reports scores with two decimals, out of range or not numbers, and gives no average', () => {
    const result = avg(['7.25', 11, 'abc'], 8, 8, 70);
    expect(result.average).toBeUndefined();
    expect(result.problems.map((p) => p.code)).toEqual(['SCORE_TOO_MANY_DECIMALS', 'SCORE_OUT_OF_RANGE', 'SCORE_NOT_A_NUMBER']);
    for (const p of result.problems) expect(p.message).not.toMatch(/7\.25|11|abc/);
  });

  it('reports a term with no regular score', () => {
    expect(avg([], 8, 8).problems.map((p) => p.code)).toEqual(['REGULAR_TESTS_MISSING']);
  });
});

describe('yearAverage (ĐTBmcn)', () => {
  it.each([
    ['7.9', '8.9', '8.6'], // 25.7 / 3 = 8.566…
    ['6.4', '6.5', '6.5'], // 19.4 / 3 = 6.466…
    ['6.3', '6.6', '6.5'], // 19.5 / 3 = 6.5
    ['6.5', '6.4', '6.4'], // 19.3 / 3 = 6.433…
    ['10.0', '10.0', '10.0'],
    ['4.9', '5.0', '5.0'], // 14.9 / 3 = 4.966…
  ])('(%s + 2·%s)/3 = %s', (hk1, hk2, expected) => {
    expect(formatScore(yearAverage(hk1, hk2))).toBe(expected);
  });
});

describe('subjects', () => {
  it('expects 2, 3 or 4 regular scores for ≤35, ≤70, >70 periods per year', () => {
    expect([35, 36, 70, 71, 105].map(expectedRegularTestCount)).toEqual([2, 3, 3, 4, 4]);
  });

  it('recognises the comment-assessed subjects by name or abbreviation', () => {
    for (const name of ['Giáo dục thể chất', 'Thể dục', 'GDTC', 'Nghệ thuật', 'Âm nhạc', 'Mĩ thuật', 'Mỹ thuật', 'Nội dung giáo dục địa phương', 'GDĐP', 'Hoạt động trải nghiệm, hướng nghiệp', 'HĐTN-HN']) {
      expect(isCommentAssessedSubject(name), name).toBe(true);
    }
    for (const name of ['Toán', 'Ngữ văn', 'Lịch sử và Địa lí', 'Giáo dục công dân', 'Tin học']) expect(isCommentAssessedSubject(name), name).toBe(false);
  });

  it('parseScore keeps one-decimal scores exact', () => {
    const problems: Tt22Problem[] = [];
    expect(parseScore('6.5', 'x', problems)?.toString()).toBe('6.5');
    expect(parseScore(10, 'x', problems)?.toString()).toBe('10');
    expect(problems).toEqual([]);
  });
});
