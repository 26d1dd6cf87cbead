import type { CertificateVerification } from '../certificates/manage.js';
import type { RecordVerification } from '../verification/record-verification.js';

/**
 * The public verify pages: a certificate by its code (`GET /verify/:code`) and a diploma or school
 * record by its national id (`GET /verify/record/:idbanghi`). One small HTML page, Vietnamese by
 * default with a link to the English one (`?lang=en`). No script, no inline style (the console's
 * CSP), nothing personal beyond the masked name.
 */
const TEXT = {
  vi: {
    title: 'Xác thực giấy chứng nhận',
    genuine: 'Giấy chứng nhận hợp lệ do nhà trường cấp',
    revoked: 'Giấy chứng nhận này ĐÃ BỊ THU HỒI',
    unknown: 'Không tìm thấy giấy chứng nhận nào có mã xác thực này',
    type: 'Loại giấy',
    number: 'Số',
    issued: 'Ngày cấp',
    holder: 'Người được cấp',
    sha256: 'SHA-256 của bản PDF',
    revokedAt: 'Thu hồi lúc',
    code: 'Mã xác thực',
    hint: 'So sánh số giấy và SHA-256 với bản bạn đang giữ.',
    other: 'English',
  },
  en: {
    title: 'Certificate verification',
    genuine: 'Genuine certificate issued by the university',
    revoked: 'This certificate has been REVOKED',
    unknown: 'No certificate has this verification code',
    type: 'Type',
    number: 'Number',
    issued: 'Issued on',
    holder: 'Holder',
    sha256: 'SHA-256 of the PDF',
    revokedAt: 'Revoked at',
    code: 'Verification code',
    hint: 'Compare the number and the SHA-256 with the copy you hold.',
    other: 'Tiếng Việt',
  },
} as const;

/** The words of the record page: the same page, other labels. */
const RECORD_TEXT = {
  vi: {
    title: 'Xác thực văn bằng, học bạ',
    genuine: 'Bản ghi hợp lệ, đã được Trục dữ liệu Bộ GD&ĐT tiếp nhận',
    revoked: 'Văn bằng / học bạ này ĐÃ BỊ THU HỒI HOẶC HỦY',
    unknown: 'Không tìm thấy văn bằng hay học bạ nào đã được cấp với mã này',
    type: 'Loại',
    number: 'Số hiệu',
    decision: 'Số quyết định',
    issued: 'Ngày cấp',
    holder: 'Người được cấp',
    sha256: 'SHA-256 của dữ liệu trên Trục',
    version: 'Phiên bản',
    revokedAt: 'Thu hồi lúc',
    code: 'Mã bản ghi',
    hint: 'So sánh số hiệu và ngày cấp với bản bạn đang giữ.',
    other: 'English',
    kinds: { diploma: 'Văn bằng', 'school-record': 'Học bạ' },
  },
  en: {
    title: 'Diploma and school record verification',
    genuine: 'Genuine record, accepted by the ministry data hub',
    revoked: 'This diploma / school record has been REVOKED or CANCELLED',
    unknown: 'No issued diploma or school record has this id',
    type: 'Type',
    number: 'Serial number',
    decision: 'Decision number',
    issued: 'Issued on',
    holder: 'Holder',
    sha256: 'SHA-256 of the data at the hub',
    version: 'Version',
    revokedAt: 'Revoked at',
    code: 'Record id',
    hint: 'Compare the serial number and the issue date with the copy you hold.',
    other: 'Tiếng Việt',
    kinds: { diploma: 'Diploma', 'school-record': 'School record' },
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function vietnamDay(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

/** `2025-06-30` → `30/06/2025`; a month or a year alone as it is given (a day is never invented) */
function sourceDay(date: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date);
  if (m === null) return escapeHtml(date);
  return m[3] === undefined ? `${m[2]}/${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

/** What one verify page shows: its words, the id asked, and the verdict with its rows (values already HTML). */
interface VerifyPage {
  text: { title: string; genuine: string; revoked: string; unknown: string; code: string; hint: string; other: string };
  code: string;
  found: { revoked: boolean; rows: [string, string][] } | null;
}

function renderVerifyPage(page: VerifyPage, lang: 'vi' | 'en'): string {
  const t = page.text;
  const otherLang = lang === 'vi' ? 'en' : 'vi';
  const shownCode = escapeHtml(page.code.slice(0, 64));
  const found = page.found;
  const body =
    found === null
      ? `<p class="verdict unknown">${t.unknown}</p><p>${t.code}: <code>${shownCode}</code></p>`
      : `<p class="verdict ${found.revoked ? 'revoked' : 'genuine'}">${found.revoked ? t.revoked : t.genuine}</p>
<dl>${found.rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<p class="hint">${t.hint}</p>`;
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title>
<link rel="stylesheet" href="/static/verify.css"></head>
<body><main>
<nav><a href="?lang=${otherLang}">${t.other}</a></nav>
<h1>${t.title}</h1>
${body}
</main></body></html>
`;
}

/** The certificate page (`GET /verify/:code`). */
export function verifyPageHtml(found: CertificateVerification | null, code: string, lang: 'vi' | 'en'): string {
  const t = TEXT[lang];
  if (found === null) return renderVerifyPage({ text: t, code, found: null }, lang);
  const rows: [string, string][] = [
    [t.type, escapeHtml(found.title[lang])],
    [t.number, escapeHtml(found.certificateNo)],
    [t.issued, vietnamDay(found.issuedAt)],
    [t.holder, escapeHtml(found.holder)],
    [t.sha256, `<code>${found.sha256}</code>`],
  ];
  if (found.revokedAt !== null) rows.push([t.revokedAt, vietnamDay(found.revokedAt)]);
  return renderVerifyPage({ text: t, code, found: { revoked: found.revoked, rows } }, lang);
}

/** The diploma and school record page (`GET /verify/record/:idbanghi`). */
export function recordVerifyPageHtml(found: RecordVerification | null, idbanghi: string, lang: 'vi' | 'en'): string {
  const t = RECORD_TEXT[lang];
  if (found === null) return renderVerifyPage({ text: t, code: idbanghi, found: null }, lang);
  const rows: [string, string][] = [[t.type, t.kinds[found.kind]]];
  if (found.number !== null) rows.push([t.number, escapeHtml(found.number)]);
  if (found.decisionNo !== null) rows.push([t.decision, escapeHtml(found.decisionNo)]);
  if (found.issuedOn !== null) rows.push([t.issued, sourceDay(found.issuedOn)]);
  rows.push([t.holder, escapeHtml(found.holder)], [t.sha256, `<code>${escapeHtml(found.sha256)}</code>`], [t.version, String(found.phienban)], [t.code, `<code>${escapeHtml(found.idbanghi)}</code>`]);
  if (found.revoked && found.acceptedAt !== null) rows.push([t.revokedAt, vietnamDay(found.acceptedAt)]);
  return renderVerifyPage({ text: t, code: idbanghi, found: { revoked: found.revoked, rows } }, lang);
}
