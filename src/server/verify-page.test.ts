import { describe, expect, it } from 'vitest';
import type { RecordVerification } from '../verification/record-verification.js';
import { recordVerifyPageHtml } from './verify-page.js';

const record: RecordVerification = {
  genuine: true,
  idbanghi: '621e88c8-5307-5f24-bd27-e776164f4c56',
  kind: 'school-record',
  number: '275/<b>2025</b>',
  decisionNo: null,
  issuedOn: '2026-05',
  holder: 'T. V. Bình',
  sha256: 'ab'.repeat(32),
  phienban: 3,
  revoked: false,
  acceptedAt: '2026-06-01T02:00:00.000Z',
};

describe('recordVerifyPageHtml', () => {
  it('shows a school record: its kind, number escaped, a date known to its month as it is, the version; no decision row', () => {
    const html = recordVerifyPageHtml(record, record.idbanghi, 'vi');
    expect(html).toContain('<dt>Loại</dt><dd>Học bạ</dd>');
    expect(html).toContain('275/&lt;b&gt;2025&lt;/b&gt;');
    expect(html).not.toContain('<b>2025');
    expect(html).toContain('<dt>Ngày cấp</dt><dd>05/2026</dd>');
    expect(html).toContain('<dt>Phiên bản</dt><dd>3</dd>');
    expect(html).not.toContain('Số quyết định');
    expect(html).not.toContain('Thu hồi lúc');
    expect(html).toContain('class="verdict genuine"');
  });

  it('says revoked with the time the hub accepted the cancellation, in English too; unknown ids escaped', () => {
    const html = recordVerifyPageHtml({ ...record, kind: 'diploma', decisionNo: '12/QĐ', issuedOn: '2026-05-31', revoked: true }, record.idbanghi, 'en');
    expect(html).toContain('This diploma / school record has been REVOKED or CANCELLED');
    expect(html).toContain('<dt>Issued on</dt><dd>31/05/2026</dd>');
    expect(html).toContain('<dt>Revoked at</dt><dd>01/06/2026</dd>');
    expect(html).toContain('href="?lang=vi"');
    const unknown = recordVerifyPageHtml(null, '<script>x</script>', 'vi');
    expect(unknown).toContain('class="verdict unknown"');
    expect(unknown).toContain('&lt;script&gt;');
    expect(unknown).not.toContain('<script>');
  });
});
