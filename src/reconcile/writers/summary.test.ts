import { describe, expect, it } from 'vitest';
import { TOTAL_LABEL, labels } from '../i18n.js';
import { PARTITION_KEYS } from '../types.js';
import { renderReconciliationSummary } from './summary.js';
import { sampleReport } from './testing/sample-report.js';

/** The number printed after a label line of the summary (`  Label   1.234`). */
function printed(text: string, label: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`  ${label} `) && /\d$/.test(l));
  if (!line) throw new Error(`no line for ${label}`);
  return Number(line.slice(label.length + 2).trim().replace(/[.,]/g, ''));
}

describe('renderReconciliationSummary', () => {
  it('lists the partition, which adds up to the source, then the checks, in Vietnamese', () => {
    const text = renderReconciliationSummary(sampleReport(), 'vi');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Đối soát: hocba-2025');
    expect(lines[1]).toContain('Tập dữ liệu: hocbaso-thcsthpt');
    expect(lines).toContain('  Nguồn            1.250');
    expect(lines).toContain('  Giữ lại ở nguồn      5');
    expect(lines).toContain('  Bị trục từ chối      1');
    const sum = PARTITION_KEYS.reduce((s, k) => s + printed(text, labels.vi[TOTAL_LABEL[k]]), 0);
    expect(sum).toBe(printed(text, labels.vi.totalSource));
    expect(text).toContain('Cộng các cột: 1.250 = 1.250 bản ghi ở nguồn');
    expect(lines).toContain('  Có ở trục, không còn ở nguồn  1');
    expect(text).toContain('Học kỳ II (30/06/2026, còn 10 ngày): Đã nhận 1.239, Còn phải gửi 3, Cần xử lý 3, Giữ lại ở nguồn 5');
    expect(text).toContain('quá hạn 5 ngày');
    expect(lines.at(-1)).toContain('reconciliation.html');
  });

  it('shows codes held back at the source apart from codes the hub refused, each explained', () => {
    const text = renderReconciliationSummary(sampleReport(), 'vi');
    const held = text.indexOf('Giữ lại ở nguồn, theo mã:');
    const hub = text.indexOf('Bị trục từ chối, theo mã:');
    const warnings = text.indexOf('Có cảnh báo, theo mã:');
    expect(held).toBeGreaterThan(0);
    expect(hub).toBeGreaterThan(held);
    expect(warnings).toBeGreaterThan(hub);
    const heldPart = text.slice(held, hub);
    expect(heldPart).toMatch(/^ {2}DUPLICATE_IDBANGHI {2}2 {2}Hai bản ghi nguồn/m);
    expect(heldPart).toMatch(/^ {2}REQUIRED {12}2 {2}Thiếu trường bắt buộc/m);
    expect(heldPart).not.toContain('WEIRD_HUB_CODE');
    expect(text.slice(hub, warnings)).toMatch(/^ {2}WEIRD_HUB_CODE {2}1$/m);
    expect(text.slice(warnings)).toMatch(/^ {2}DATE_RANGE {2}2 {2}Năm nằm ngoài/m);
  });

  it('speaks English when asked', () => {
    const text = renderReconciliationSummary(sampleReport(), 'en');
    expect(text.split('\n')[0]).toBe('Reconciliation: hocba-2025');
    expect(text).toContain('  Source                   1,250');
    expect(text).toContain('  Held back at the source      5');
    expect(text).toContain('The columns add up: 1,250 = 1,250 source records');
    expect(text).toContain('  Held at the hub, gone from the source  1');
    expect(text).toContain('Học kỳ II (2026-06-30, 10 days left)');
    expect(text).toContain('5 days overdue');
    expect(text).toContain('A field the national data dictionary requires is empty.');
  });

  it('says so loudly when the partition does not add up', () => {
    const report = sampleReport();
    report.totals.accepted -= 1;
    expect(renderReconciliationSummary(report, 'en')).toContain('ERROR: the columns add up to 1,249, not the 1,250 source records');
  });

  it('shows the five most frequent codes of a kind and counts the rest', () => {
    const report = sampleReport();
    report.byCode = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((code, k) => ({ category: 'rejectedByHub' as const, code, records: k + 1, examples: [] }));
    const text = renderReconciliationSummary(report, 'vi');
    expect(text).toMatch(/G +7\n {2}F +6\n {2}E +5\n {2}D +4\n {2}C +3\n/);
    expect(text).not.toMatch(/^ {2}[AB] /m);
    expect(text).toContain('… và 2 mã khác');
  });

  it('says all is clear when every source record is accepted and the hub agrees, and strips terminal control characters', () => {
    const report = sampleReport();
    const clean = {
      ...report,
      job: 'job\u001b[31mred',
      totals: { ...report.totals, accepted: 1250, pending: 0, unsent: 0, rejectedByHub: 0, dead: 0, conflicts: 0, heldBack: 0, missingAtHub: 0, mismatched: 0, goneFromSource: 0, extraAtHub: 0 },
    };
    const text = renderReconciliationSummary(clean, 'vi');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Không có sai lệch nào');
    expect(renderReconciliationSummary(report, 'vi')).not.toContain('Không có sai lệch nào');
  });
});
