/** A small report that exercises every part of the writers: escaping, masking, CSV quoting. */
import type { ReconciliationReport } from '../../types.js';

/** A whole 12-digit personal id and a 9-digit old id, as a careless message might quote them. */
export const CCCD = '079203001234';
export const CMND = '123456789';

export function sampleReport(): ReconciliationReport {
  return {
    job: 'hocba-2025',
    dataset: 'hocbaso-thcsthpt',
    unitCode: '79000701',
    generatedAt: '2026-06-20T10:15:00+07:00',
    totals: {
      source: 1250,
      accepted: 1180,
      rejected: 4,
      pending: 3,
      dead: 1,
      conflicts: 1,
      missingAtHub: 1,
      extraAtHub: 1,
      mismatched: 2,
    },
    statusCounts: { pending: 2, sent: 1, accepted: 1180, stale: 1, rejected: 4, dead: 1 },
    missingAtHub: [{ idbanghi: 'hb-0001', sourceKey: 'HS001', status: 'sent' }],
    extraAtHub: [{ idbanghi: 'hb-9999', phienban: 3 }],
    mismatched: [
      {
        idbanghi: 'hb-0002',
        sourceKey: 'HS002',
        ledgerPhienban: 2,
        hubPhienban: 5,
        ledgerHash: 'a'.repeat(64),
        hubHash: 'b'.repeat(64),
        kind: 'version',
      },
      {
        idbanghi: 'hb-0003',
        ledgerPhienban: 4,
        hubPhienban: 4,
        ledgerHash: 'c'.repeat(64),
        hubHash: 'd'.repeat(64),
        kind: 'hash',
      },
    ],
    rejectedByCode: [
      {
        code: 'REQUIRED',
        count: 2,
        examples: [
          { idbanghi: 'hb-0010', sourceKey: 'HS010', stage: 'mapping', code: 'REQUIRED', field: 'data.hovaten', message: 'Thiếu họ và tên' },
        ],
      },
      {
        code: 'CCCD_CHECK',
        count: 1,
        examples: [
          {
            idbanghi: 'hb-0011',
            stage: 'mapping',
            code: 'CCCD_CHECK',
            field: 'data.sodinhdanh',
            message: `Số định danh ${CCCD} không khớp năm sinh`,
          },
        ],
      },
      { code: 'WEIRD_HUB_CODE', count: 1, examples: [] },
    ],
    issues: [
      { idbanghi: 'hb-0010', sourceKey: 'HS010', stage: 'mapping', code: 'REQUIRED', field: 'data.hovaten', message: 'Thiếu họ và tên' },
      {
        idbanghi: 'hb-0011',
        stage: 'mapping',
        code: 'CCCD_CHECK',
        field: 'data.sodinhdanh',
        message: `Số định danh ${CCCD} không khớp năm sinh; CMND cũ ${CMND}`,
      },
      {
        idbanghi: 'hb-0012',
        sourceKey: '+84901',
        stage: 'hub',
        code: 'WEIRD_HUB_CODE',
        message: '<script>alert("xss")</script>',
      },
      {
        idbanghi: 'hb-0013',
        sourceKey: 'HS013',
        stage: 'delivery',
        code: 'VERSION_CONFLICT',
        message: '=HYPERLINK("http://evil.example","bấm vào")',
      },
      {
        stage: 'mapping',
        code: 'REQUIRED',
        field: '@field',
        message: 'Dòng 1, "có dấu phẩy"\ndòng 2',
      },
    ],
    deadlines: [
      { name: 'Học kỳ II', date: '2026-06-30', daysLeft: 10, accepted: 1180, pending: 3, rejected: 4 },
      { name: 'Cả năm <b>', date: '2026-06-15', daysLeft: -5, accepted: 1000, pending: 0, rejected: 2 },
    ],
  };
}
