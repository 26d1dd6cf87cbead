/**
 * Golden cases for Đ9.2 / Đ9.3 / Đ15, worked by hand. Eight scored subjects (THCS: Toán, Ngữ văn,
 * Ngoại ngữ 1, GDCD, KHTN, Lịch sử và Địa lí, Công nghệ, Tin học) and comment subjects (GDTC,
 * Nghệ thuật, HĐTN-HN, GDĐP).
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { levelWithRaise, yearTitle, type SubjectOutcome } from './result-level.js';

const SCORED = ['TOA', 'VAN', 'NN1', 'GDC', 'KHT', 'LSD', 'CNG', 'TIN'];
const COMMENT = ['GDTC', 'NT', 'HDT', 'GDP'];

function pupil(scores: string[], comments: ('Đ' | 'CĐ' | 'M')[] = ['Đ', 'Đ', 'Đ', 'Đ']): SubjectOutcome[] {
  const scored = scores.map((s, i): SubjectOutcome => (s === 'M' ? { subject: SCORED[i] ?? `S${i}`, kind: 'exempt' } : { subject: SCORED[i] ?? `S${i}`, kind: 'scored', average: new Decimal(s) }));
  const comment = comments.map((c, i): SubjectOutcome => (c === 'M' ? { subject: COMMENT[i] ?? `C${i}`, kind: 'exempt' } : { subject: COMMENT[i] ?? `C${i}`, kind: 'comment', result: c }));
  return [...scored, ...comment];
}

describe('levelWithRaise — golden cases', () => {
  it('1. Tốt: all ≥ 6.5 (one exactly 6.5), exactly six ≥ 8.0, comments Đ', () => {
    const r = levelWithRaise(pupil(['9.0', '8.5', '8.0', '8.2', '8.0', '8.1', '7.0', '6.5']));
    expect(r).toMatchObject({ level: { code: 'T' }, raised: false });
  });

  it('2. Khá: one subject at 6.4 (just below 6.5) — one level down only, so no raise', () => {
    const r = levelWithRaise(pupil(['9.0', '8.5', '8.0', '8.2', '8.0', '8.1', '7.0', '6.4']));
    expect(r).toMatchObject({ level: { code: 'K' }, baseLevel: { code: 'K' }, raised: false });
  });

  it('3. Khá: all ≥ 6.5 but only five ≥ 8.0', () => {
    expect(levelWithRaise(pupil(['9.0', '8.5', '8.0', '8.2', '8.0', '7.9', '7.0', '6.5'])).level.code).toBe('K');
  });

  it('4. Đạt: one comment subject CĐ, six ≥ 5.0, lowest exactly 3.5', () => {
    const r = levelWithRaise(pupil(['7.0', '6.0', '5.5', '5.0', '5.0', '5.0', '4.0', '3.5'], ['CĐ', 'Đ', 'Đ', 'Đ']));
    expect(r).toMatchObject({ level: { code: 'Đ' }, raised: false });
  });

  it('5. Chưa đạt: only five ≥ 5.0 and one below 3.5 — two shortfalls, no raise', () => {
    const r = levelWithRaise(pupil(['7.0', '6.0', '5.5', '5.0', '5.0', '4.9', '4.0', '3.4']));
    expect(r).toMatchObject({ level: { code: 'CĐ' }, raised: false });
  });

  it('6. Raise: would be Tốt, falls to Chưa đạt only because Tin học is 3.2 → Đạt', () => {
    const r = levelWithRaise(pupil(['9.0', '9.0', '8.5', '8.5', '8.0', '8.0', '7.0', '3.2']));
    expect(r).toMatchObject({ level: { code: 'Đ' }, baseLevel: { code: 'CĐ' }, raised: true, soleSubject: 'TIN' });
  });

  it('7. Raise: would be Tốt, falls to Đạt only because GDTC is Chưa đạt → Khá', () => {
    const r = levelWithRaise(pupil(['9.0', '9.0', '8.5', '8.5', '8.0', '8.0', '7.0', '7.0'], ['CĐ', 'Đ', 'Đ', 'Đ']));
    expect(r).toMatchObject({ level: { code: 'K' }, baseLevel: { code: 'Đ' }, raised: true, soleSubject: 'GDTC' });
  });

  it('8. No raise: two subjects below 3.5 hold the pupil back', () => {
    const r = levelWithRaise(pupil(['9.0', '9.0', '8.5', '8.5', '8.0', '8.0', '3.0', '3.2']));
    expect(r).toMatchObject({ level: { code: 'CĐ' }, raised: false });
  });

  it('9. Raise: would be Khá, falls to Chưa đạt only because of a 3.0 → Đạt', () => {
    const r = levelWithRaise(pupil(['7.0', '7.0', '7.0', '7.0', '7.0', '7.0', '6.0', '3.0']));
    expect(r).toMatchObject({ level: { code: 'Đ' }, baseLevel: { code: 'CĐ' }, raised: true, soleSubject: 'TIN' });
  });

  it('10. No raise: two comment subjects CĐ give Chưa đạt; exempting one only reaches Đạt (one level)', () => {
    const r = levelWithRaise(pupil(['9.0', '9.0', '8.5', '8.5', '8.0', '8.0', '8.0', '8.0'], ['CĐ', 'CĐ', 'Đ', 'Đ']));
    expect(r).toMatchObject({ level: { code: 'CĐ' }, raised: false });
  });

  it('11. Raise measured against the level reached without that subject minimum: 3.4 with five ≥ 8.0, then 4.0', () => {
    // Exempting the 3.4 from the minimums gives Khá (five ≥ 8.0 is not Tốt): two levels above CĐ → raise to Đạt.
    const r = levelWithRaise(pupil(['9.0', '9.0', '8.5', '8.5', '8.0', '7.5', '7.0', '3.4']));
    expect(r).toMatchObject({ level: { code: 'Đ' }, baseLevel: { code: 'CĐ' }, raised: true });
    // With a 4.0 instead, the pupil is Đạt; exempting it gives Khá, one level: no raise.
    expect(levelWithRaise(pupil(['9.0', '9.0', '8.5', '8.5', '8.0', '7.5', '7.0', '4.0']))).toMatchObject({ level: { code: 'Đ' }, raised: false });
  });

  it('12. Exempt subjects (M) take no part: Tốt with GDTC and Công nghệ exempt', () => {
    const r = levelWithRaise(pupil(['9.0', '8.5', '8.0', '8.2', '8.0', '8.1', 'M', '6.5'], ['M', 'Đ', 'Đ', 'Đ']));
    expect(r.level.code).toBe('T');
    // exempting a subject does not lower the bar: five remaining ≥ 8.0 is not enough for Tốt
    expect(levelWithRaise(pupil(['9.0', '8.5', '8.0', '8.2', '8.0', 'M', '7.0', '6.5'])).level.code).toBe('K');
  });
});

describe('yearTitle — golden cases', () => {
  const excellent = pupil(['9.0', '9.2', '9.5', '9.0', '9.1', '9.0', '8.0', '7.5']);

  it('13. Học sinh Xuất sắc: conduct Tốt, learning Tốt, six subjects ≥ 9.0', () => {
    expect(levelWithRaise(excellent).level.code).toBe('T');
    expect(yearTitle('T', 'T', excellent)).toBe('Học sinh Xuất sắc');
  });

  it('14. Học sinh Giỏi: one of the six at 8.9 leaves only five ≥ 9.0', () => {
    const good = pupil(['9.0', '9.2', '9.5', '9.0', '9.1', '8.9', '8.0', '7.5']);
    expect(yearTitle('T', 'T', good)).toBe('Học sinh Giỏi');
  });

  it('15. No title without conduct Tốt or learning Tốt', () => {
    expect(yearTitle('K', 'T', excellent)).toBeUndefined();
    expect(yearTitle('T', 'K', excellent)).toBeUndefined();
    expect(yearTitle(undefined, 'T', excellent)).toBeUndefined();
  });
});
