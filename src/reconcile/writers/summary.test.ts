import { describe, expect, it } from 'vitest';
import { renderReconciliationSummary } from './summary.js';
import { sampleReport } from './test/sample-report.js';

describe('renderReconciliationSummary', () => {
  it('lists the totals, deadlines and top codes in Vietnamese', () => {
    const text = renderReconciliationSummary(sampleReport(), 'vi');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Đối soát: hocba-2025');
    expect(lines[1]).toContain('Tập dữ liệu: hocbaso-thcsthpt');
    expect(lines).toContain('  Nguồn         1.250');
    expect(lines).toContain('  Thiếu ở trục      1');
    expect(text).toContain('Học kỳ II (30/06/2026, còn 10 ngày): Đã nhận 1.180, Đang chờ 3, Bị từ chối 4');
    expect(text).toContain('quá hạn 5 ngày');
    expect(text).toMatch(/^ {2}REQUIRED {8}2 {2}Thiếu trường bắt buộc/m);
    expect(text).toMatch(/^ {2}WEIRD_HUB_CODE {2}1$/m);
    expect(lines.at(-1)).toContain('reconciliation.html');
  });

  it('speaks English when asked', () => {
    const text = renderReconciliationSummary(sampleReport(), 'en');
    expect(text.split('\n')[0]).toBe('Reconciliation: hocba-2025');
    expect(text).toContain('  Source          1,250');
    expect(text).toContain('Học kỳ II (2026-06-30, 10 days left)');
    expect(text).toContain('5 days overdue');
    expect(text).toContain('A field the national data dictionary requires is empty.');
  });

  it('shows the five most frequent codes and counts the rest', () => {
    const report = sampleReport();
    report.rejectedByCode = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((code, k) => ({ code, count: k + 1, examples: [] }));
    const text = renderReconciliationSummary(report, 'vi');
    expect(text).toMatch(/G +7\n {2}F +6\n {2}E +5\n {2}D +4\n {2}C +3\n/);
    expect(text).not.toMatch(/^ {2}[AB] /m);
    expect(text).toContain('… và 2 mã khác');
  });

  it('says all is clear for a clean report and strips terminal control characters', () => {
    const report = {
      ...sampleReport(),
      job: 'job\u001b[31mred',
      issues: [],
      missingAtHub: [],
      extraAtHub: [],
      mismatched: [],
      rejectedByCode: [],
    };
    const text = renderReconciliationSummary(report, 'vi');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Không có sai lệch nào');
  });
});
