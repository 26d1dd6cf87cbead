import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { vanBangChungChiMapping } from '../../mappings/vanbangchungchi/2025/mapping.js';
import { hocBaThcsThptMapping } from '../../mappings/hocba-thcsthpt/2025/mapping.js';
import { hocBaThcsThptSignedMapping } from '../../mappings/hocba-thcsthpt-signed/2025/mapping.js';
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

/** a golden mapped record of the shipped mappings: the fields they declare are there, with those names */
function golden(path: string): { sukien: 'NEW' | 'UPDATE' | 'CANCEL'; data: Record<string, string> } {
  return JSON.parse(readFileSync(join(packageRoot(), path), 'utf8')) as { sukien: 'NEW' | 'UPDATE' | 'CANCEL'; data: Record<string, string> };
}

describe('the shipped mappings declare their verification fields', () => {
  it('a diploma: its serial, decision, issue date and masked name; a revoked one is revoked', () => {
    const g = golden('mappings/vanbangchungchi/2025/golden/cancel-revoked.expected.json');
    const s = JSON.parse(verificationSummaryOf(vanBangChungChiMapping.verification, g.data, g.sukien) ?? '{}');
    expect(s).toEqual({ kind: 'diploma', number: g.data.sohieu, decisionNo: g.data.soquyetdinhtn, issuedOn: g.data.ngaycap_ngaythangnam, holder: 'N. V. An', revoked: true });
  });

  it('a school record (both mappings): its register number, signing date and masked name', () => {
    const g = golden('mappings/hocba-thcsthpt/2025/golden/clean-decimal-comma.expected.json');
    for (const mapping of [hocBaThcsThptMapping, hocBaThcsThptSignedMapping]) {
      const s = JSON.parse(verificationSummaryOf(mapping.verification, g.data, g.sukien) ?? '{}');
      expect(s).toMatchObject({ kind: 'school-record', number: '275/2025', decisionNo: null, issuedOn: '2026-05-31', revoked: false });
      expect(s.holder).toMatch(/^(\S\. )+\S+$/u);
    }
  });
});
