import { describe, expect, it } from 'vitest';
import type { RecordVerificationFields } from '../core/mapping.js';
import { verificationSummaryOf } from './verification-summary.js';

const DIPLOMA: RecordVerificationFields = { kind: 'diploma', numberField: 'sohieu', decisionField: 'soquyetdinhtn', issueDateFields: ['ngaycap_ngaythangnam', 'ngaycap_thangnam', 'ngaycap_nam'], holderField: 'hovaten' };

describe('verificationSummaryOf', () => {
  it('keeps the number, decision, issue date and the masked name, and nothing else of the record', () => {
    const data = { sohieu: 'LT2026000123', soquyetdinhtn: '1234/QĐ-ĐHLT', ngaycap_ngaythangnam: '2026-07-15', hovaten: 'Nguyễn Thị Minh Anh', sodinhdanh: '079203000002', ngaythangnamsinh: '2003-04-05', xeploaitn: 'Giỏi' };
    const json = verificationSummaryOf(DIPLOMA, data, 'NEW') ?? '';
    expect(JSON.parse(json)).toEqual({ kind: 'diploma', number: 'LT2026000123', decisionNo: '1234/QĐ-ĐHLT', issuedOn: '2026-07-15', holder: 'N. T. M. Anh', revoked: false });
    for (const personal of ['079203000002', '2003-04-05', 'Nguyễn', 'Giỏi']) expect(json).not.toContain(personal);
  });

  it('takes the issue date known only to its month, marks a CANCEL revoked, and makes none without fields', () => {
    expect(JSON.parse(verificationSummaryOf(DIPLOMA, { sohieu: 'S', ngaycap_thangnam: '2026-07', hovaten: 'Lê Văn Bình' }, 'CANCEL') ?? '')).toMatchObject({ issuedOn: '2026-07', decisionNo: null, holder: 'L. V. Bình', revoked: true });
    expect(verificationSummaryOf(undefined, { sohieu: 'S' }, 'NEW')).toBeNull();
  });
});
