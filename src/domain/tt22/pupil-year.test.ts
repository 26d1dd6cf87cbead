import { describe, expect, it } from 'vitest';
import { compareStoredResults } from './compare.js';
import { computePupilYear, type SubjectYearInput } from './pupil-year.js';

/** A term where every score is x: the average is x. */
const flat = (x: string, n: number) => ({ regular: Array.from({ length: n }, () => x), midterm: x, final: x });

/**
 * Worked case (per subject: HK1, HK2, year):
 *   TOA  (105 periods, 4 tx): 71/9 = 7.9 ; 80/9 = 8.9 ; (7.9 + 17.8)/3 = 8.566… → 8.6
 *   LSD  (70 periods, 3 tx):  51.6/8 = 6.45 → 6.5 ; 51.3/8 = 6.4125 → 6.4 ; 19.3/3 → 6.4
 *   VAN 8.0, NN1 8.5, GDC 9.0, KHT 8.0, CNG 7.0, TIN 8.2 (flat)
 *   GDTC Đ/Đ, HĐTN-HN Đ/Đ, Âm nhạc exempt (M)
 * HK1: all ≥ 6.5 (LSD exactly 6.5), only five ≥ 8.0 (VAN NN1 GDC KHT TIN) → Khá
 * HK2: LSD 6.4 < 6.5, six ≥ 8.0 → Khá; without LSD's minimum → Tốt, one level: no raise
 * Year: as HK2 → Khá; no title.
 */
function subjects(lsdHk2Final: string): SubjectYearInput[] {
  return [
    { subject: 'TOA', name: 'Toán', periodsPerYear: 105, hk1: { regular: [8, 9, 7, 8], midterm: '7.5', final: '8.0' }, hk2: { regular: [9, 9, 8, 10], midterm: '8.5', final: '9.0' } },
    { subject: 'LSD', name: 'Lịch sử và Địa lí', periodsPerYear: 70, hk1: { regular: ['6.0', '6.0', '6.0'], midterm: '6.3', final: '7.0' }, hk2: { regular: [6, 6, 6], midterm: '6.0', final: lsdHk2Final } },
    { subject: 'VAN', name: 'Ngữ văn', hk1: flat('8.0', 4), hk2: flat('8.0', 4) },
    { subject: 'NN1', name: 'Tiếng Anh', hk1: flat('8.5', 4), hk2: flat('8.5', 4) },
    { subject: 'GDC', name: 'Giáo dục công dân', hk1: flat('9.0', 2), hk2: flat('9.0', 2) },
    { subject: 'KHT', name: 'Khoa học tự nhiên', hk1: flat('8.0', 4), hk2: flat('8.0', 4) },
    { subject: 'CNG', name: 'Công nghệ', hk1: flat('7.0', 2), hk2: flat('7.0', 2) },
    { subject: 'TIN', name: 'Tin học', hk1: flat('8.2', 2), hk2: flat('8.2', 2) },
    { subject: 'GDTC', name: 'Giáo dục thể chất', hk1: 'Đ', hk2: 'Đ' },
    { subject: 'HDT', name: 'Hoạt động trải nghiệm, hướng nghiệp', hk1: 'Đ', hk2: 'Đ' },
    { subject: 'AMN', name: 'Âm nhạc', exempt: true },
  ];
}

describe('computePupilYear — worked cases', () => {
  it('16. Khá/Khá/Khá with the 6.45 → 6.5 boundary in term I', () => {
    const r = computePupilYear({ subjects: subjects('7.1'), conduct: { year: 'T' } });
    expect(r.problems).toEqual([]);
    const bySubject = Object.fromEntries(r.subjects.map((s) => [s.subject, s]));
    expect(bySubject.TOA).toEqual({ subject: 'TOA', kind: 'scored', hk1: '7.9', hk2: '8.9', year: '8.6' });
    expect(bySubject.LSD).toEqual({ subject: 'LSD', kind: 'scored', hk1: '6.5', hk2: '6.4', year: '6.4' });
    expect(bySubject.GDTC).toEqual({ subject: 'GDTC', kind: 'comment', hk1: 'Đ', hk2: 'Đ', year: 'Đ' });
    expect(bySubject.AMN).toEqual({ subject: 'AMN', kind: 'exempt', hk1: 'M', hk2: 'M', year: 'M' });
    expect([r.hk1?.level.code, r.hk2?.level.code, r.year?.level.code]).toEqual(['K', 'K', 'K']);
    expect(r.year?.raised).toBe(false);
    expect(r.title).toBeUndefined();
  });

  it('17. LSD term II 51.6/8 = 6.45 → 6.5 makes term II and the year Tốt: Học sinh Giỏi (only GDC ≥ 9.0)', () => {
    const r = computePupilYear({ subjects: subjects('7.2'), conduct: { year: 'Tốt' } });
    const lsd = r.subjects.find((s) => s.subject === 'LSD');
    expect(lsd).toMatchObject({ hk2: '6.5', year: '6.5' }); // (6.5 + 13.0) / 3 = 6.5
    expect([r.hk1?.level.code, r.hk2?.level.code, r.year?.level.code]).toEqual(['K', 'T', 'T']);
    expect(r.title).toBe('Học sinh Giỏi');
  });

  it('18. A comment subject with CĐ in term II is CĐ for the year and, alone, pulls Tốt down to Đạt → raised to Khá', () => {
    const input = subjects('7.2').map((s) => (s.subject === 'GDTC' ? { ...s, hk2: 'CĐ' } : s));
    const r = computePupilYear({ subjects: input, conduct: { year: 'T' } });
    expect(r.subjects.find((s) => s.subject === 'GDTC')).toMatchObject({ hk1: 'Đ', hk2: 'CĐ', year: 'CĐ' });
    expect(r.year).toMatchObject({ level: { code: 'K' }, baseLevel: { code: 'Đ' }, raised: true, soleSubject: 'GDTC' });
    expect(r.title).toBeUndefined();
  });

  it('reports problems (wrong tx count, scores for a comment subject, missing term) and skips levels it cannot compute', () => {
    const input = subjects('7.1').map((s) => {
      if (s.subject === 'TOA') return { ...s, hk1: { regular: [8, 9, 7], midterm: '7.5', final: '8.0' } };
      if (s.subject === 'GDTC') return { ...s, hk1: flat('8.0', 2) };
      if (s.subject === 'TIN') return { subject: 'TIN', name: 'Tin học', hk1: flat('8.2', 2) };
      return s;
    });
    const r = computePupilYear({ subjects: input });
    expect(r.problems.map((p) => `${p.subject}:${p.code}`)).toEqual([
      'TOA:REGULAR_TEST_COUNT_MISMATCH',
      'GDTC:ASSESSMENT_KIND_MISMATCH',
      'TIN:LEVEL_NOT_COMPUTED',
      'TIN:LEVEL_NOT_COMPUTED',
    ]);
    expect(r.hk1).toBeDefined();
    expect(r.hk2).toBeUndefined();
    expect(r.year).toBeUndefined();
  });
});

describe('compareStoredResults', () => {
  it('returns a line for each stored value that disagrees, and none for equal values written differently', () => {
    const computed = computePupilYear({ subjects: subjects('7.1'), conduct: { year: 'T' } });
    const lines = compareStoredResults(
      {
        subjects: [
          { subject: 'TOA', diemhocky1: '7.9', diemhocky2: '8,9', diemcanam: '8.5' },
          { subject: 'VAN', diemhocky1: '8', diemhocky2: 8, diemcanam: '8.0' },
          { subject: 'GDTC', diemhocky1: 'Đ', diemhocky2: 'Đ', diemcanam: 'Đ' },
          { subject: 'AMN', diemhocky1: 'M', diemhocky2: 'M', diemcanam: 'M' },
          { subject: 'LSD', diemhocky1: '6.4', diemhocky2: '6.4', diemcanam: null },
        ],
        hocky1: 'T',
        hocky2: 'Khá',
        canam: 'K',
      },
      computed,
    );
    expect(lines).toEqual([
      { subject: 'TOA', field: 'diemcanam', stored: '8.5', computed: '8.6', code: 'STORED_RESULT_DISAGREES' },
      { subject: 'LSD', field: 'diemhocky1', stored: '6.4', computed: '6.5', code: 'STORED_RESULT_DISAGREES' },
      { subject: 'LSD', field: 'diemcanam', stored: null, computed: '6.4', code: 'STORED_RESULT_DISAGREES' },
      { field: 'hocky1', stored: 'T', computed: 'K', code: 'STORED_RESULT_DISAGREES' },
    ]);
  });
});
