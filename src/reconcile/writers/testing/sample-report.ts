/**
 * A small report that exercises every part of the writers: every category of the partition, every
 * check against the hub, warnings, escaping, masking, CSV quoting. Its counts add up: the lists
 * hold exactly the records the totals count (accepted records are counted, not listed).
 */
import { groupByCode } from '../../partition.js';
import { codeGlossary } from '../../report-codes.js';
import type { ReconciliationReport, ReportIssue, ReportWarning } from '../../types.js';

/** A whole 12-digit personal id and a 9-digit old id, as a careless message might quote them. */
export const CCCD = '079203001234';
export const CMND = '123456789';

export function sampleIssues(): ReportIssue[] {
  return [
    { category: 'heldBack', idbanghi: 'hb-0010', sourceKey: 'HS010', code: 'REQUIRED', field: 'data.hovaten', message: 'Thiếu họ và tên' },
    {
      category: 'heldBack',
      idbanghi: 'hb-0011',
      sourceKey: 'HS011',
      code: 'CCCD_CHECK',
      field: 'data.sodinhdanh',
      message: `Số định danh ${CCCD} không khớp năm sinh; CMND cũ ${CMND}`,
      hubPhienban: 2,
    },
    { category: 'heldBack', sourceKey: 'HS015', code: 'REQUIRED', field: '@field', message: 'Dòng 1, "có dấu phẩy"\ndòng 2' },
    { category: 'heldBack', idbanghi: 'hb-0020', sourceKey: 'HS020', code: 'DUPLICATE_IDBANGHI', field: 'idbanghi', message: 'other source records (HS021) map to the same national record id', otherSourceKeys: ['HS021'], hubPhienban: 1 },
    { category: 'heldBack', idbanghi: 'hb-0020', sourceKey: 'HS021', code: 'DUPLICATE_IDBANGHI', field: 'idbanghi', message: 'other source records (HS020) map to the same national record id', otherSourceKeys: ['HS020'], hubPhienban: 1 },
    { category: 'rejectedByHub', idbanghi: 'hb-0012', sourceKey: '+84901', code: 'WEIRD_HUB_CODE', message: '<script>alert("xss")</script>' },
    { category: 'dead', idbanghi: 'hb-0014', sourceKey: 'HS014', code: 'DEAD', message: 'delivery gave up' },
    { category: 'conflicts', idbanghi: 'hb-0013', sourceKey: 'HS013', code: 'VERSION_CONFLICT', message: '=HYPERLINK("http://evil.example","bấm vào")' },
  ];
}

export function sampleWarnings(): ReportWarning[] {
  return [
    { sourceKey: 'HS030', idbanghi: 'hb-0030', code: 'DATE_RANGE', field: 'data.ngaysinh', message: 'tuổi khi tốt nghiệp 61: hãy kiểm tra' },
    { sourceKey: 'HS031', idbanghi: 'hb-0031', code: 'DATE_RANGE', field: 'data.ngaysinh', message: 'tuổi khi tốt nghiệp 15: hãy kiểm tra' },
  ];
}

export function sampleReport(): ReconciliationReport {
  const issues = sampleIssues();
  const warnings = sampleWarnings();
  const lists = {
    issues,
    warnings,
    missingAtHub: [{ idbanghi: 'hb-0001', sourceKey: 'HS001', ledgerPhienban: 1 }],
    mismatched: [
      { idbanghi: 'hb-0002', sourceKey: 'HS002', ledgerPhienban: 3, hubPhienban: 2, ledgerHash: 'a'.repeat(64), hubHash: 'b'.repeat(64), kind: 'older' as const },
      { idbanghi: 'hb-0003', ledgerPhienban: 4, hubPhienban: 4, ledgerHash: 'c'.repeat(64), hubHash: 'd'.repeat(64), kind: 'content' as const },
      { idbanghi: 'hb-0004', sourceKey: 'HS004', ledgerPhienban: 1, hubPhienban: 5, ledgerHash: 'e'.repeat(64), hubHash: 'f'.repeat(64), kind: 'newer' as const },
    ],
    goneFromSource: [{ idbanghi: 'hb-0040', sourceKey: 'HS040', ledgerStatus: 'accepted' as const, hubPhienban: 1 }],
    extraAtHub: [{ idbanghi: 'hb-9999', phienban: 3 }],
  };
  return {
    job: 'hocba-2025',
    dataset: 'hocbaso-thcsthpt',
    unitCode: '79000701',
    generatedAt: '2026-06-20T10:15:00+07:00',
    totals: {
      source: 1250,
      accepted: 1239,
      pending: 2,
      unsent: 1,
      rejectedByHub: 1,
      dead: 1,
      conflicts: 1,
      heldBack: 5,
      missingAtHub: 1,
      mismatched: 3,
      goneFromSource: 1,
      extraAtHub: 1,
      warnings: 2,
    },
    statusCounts: { pending: 1, sent: 1, accepted: 1240, stale: 1, rejected: 1, dead: 1 },
    byCode: groupByCode(issues, warnings),
    waiting: [
      { idbanghi: 'hb-0050', sourceKey: 'HS050', category: 'pending', ledgerStatus: 'pending' },
      { idbanghi: 'hb-0051', sourceKey: 'HS051', category: 'pending', ledgerStatus: 'sent' },
      { idbanghi: 'hb-0052', sourceKey: 'HS052', category: 'unsent' },
    ],
    ...lists,
    codes: codeGlossary(lists),
    deadlines: [
      { name: 'Học kỳ II', date: '2026-06-30', daysLeft: 10, accepted: 1239, waiting: 3, failed: 3, heldBack: 5 },
      { name: 'Cả năm <b>', date: '2026-06-15', daysLeft: -5, accepted: 1239, waiting: 3, failed: 3, heldBack: 5 },
    ],
  };
}
