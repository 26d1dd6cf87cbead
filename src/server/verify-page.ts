import type { CertificateVerification } from '../certificates/manage.js';

/**
 * The public verify page (`GET /verify/:code`): a small HTML page, Vietnamese by default with a
 * link to the English one (`?lang=en`). No script, no inline style (the console's CSP), nothing
 * personal beyond the masked name.
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function vietnamDay(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

export function verifyPageHtml(found: CertificateVerification | null, code: string, lang: 'vi' | 'en'): string {
  const t = TEXT[lang];
  const otherLang = lang === 'vi' ? 'en' : 'vi';
  const shownCode = escapeHtml(code.slice(0, 64));
  let body: string;
  if (found === null) {
    body = `<p class="verdict unknown">${t.unknown}</p><p>${t.code}: <code>${shownCode}</code></p>`;
  } else {
    const rows: [string, string][] = [
      [t.type, escapeHtml(found.title[lang])],
      [t.number, escapeHtml(found.certificateNo)],
      [t.issued, vietnamDay(found.issuedAt)],
      [t.holder, escapeHtml(found.holder)],
      [t.sha256, `<code>${found.sha256}</code>`],
    ];
    if (found.revokedAt !== null) rows.push([t.revokedAt, vietnamDay(found.revokedAt)]);
    body = `<p class="verdict ${found.revoked ? 'revoked' : 'genuine'}">${found.revoked ? t.revoked : t.genuine}</p>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<p class="hint">${t.hint}</p>`;
  }
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
