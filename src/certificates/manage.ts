import { DataError } from '../core/errors.js';
import type { AuditInput } from '../store/console-store.js';
import type { CertificateReportRow, IssuedCertificate } from '../store/certificate-store.js';
import type { StateStore } from '../store/store.js';
import { normalizeVerificationCode } from './codes.js';

/**
 * What anyone may learn of a certificate from its code (the verify page): genuine, type, number,
 * issue date, the holder's name partly masked, the PDF's SHA-256, revoked or not. Nothing else
 * personal: no birth date, no student id, no grade.
 */
export interface CertificateVerification {
  genuine: true;
  certificateNo: string;
  templateCode: string;
  title: { vi: string; en: string };
  language: 'vi' | 'en';
  issuedAt: string;
  holder: string;
  sha256: string;
  revoked: boolean;
  revokedAt: string | null;
}

/** null for a code that is not a certificate's (or not even a code's shape). */
export async function verifyCertificateCode(
  store: StateStore,
  code: string,
  titleOf: (templateCode: string) => { vi: string; en: string } | undefined,
): Promise<CertificateVerification | null> {
  const normalized = normalizeVerificationCode(code);
  if (normalized === null) return null;
  const c = await store.certificateByCode(normalized);
  if (c === null) return null;
  return {
    genuine: true,
    certificateNo: c.certificateNo,
    templateCode: c.templateCode,
    title: titleOf(c.templateCode) ?? { vi: c.templateCode, en: c.templateCode },
    language: c.language,
    issuedAt: c.issuedAt,
    holder: c.holderMasked,
    sha256: c.sha256,
    revoked: c.revokedAt !== null,
    revokedAt: c.revokedAt,
  };
}

/**
 * Revokes a certificate (CLI or console, audited by the caller's `audit`): its verify page says
 * revoked from then on. An unknown number is CIM_CERTIFICATE_NOT_FOUND; one revoked already,
 * CIM_CERTIFICATE_REVOKED.
 */
export async function revokeCertificate(
  store: StateStore,
  certificateNo: string,
  reason: string,
  actor: string,
  audit: (entry: Pick<AuditInput, 'action' | 'subject' | 'detail' | 'outcome'>) => Promise<void>,
): Promise<IssuedCertificate> {
  if (reason.trim() === '') throw new DataError('CIM_REVOKE_REASON', 'a revocation needs a reason (--reason)', { field: 'reason' });
  const c = await store.certificateByNumber(certificateNo);
  if (c === null || c.state !== 'issued') throw new DataError('CIM_CERTIFICATE_NOT_FOUND', `no certificate ${certificateNo}`, { record: certificateNo });
  if (c.revokedAt !== null) throw new DataError('CIM_CERTIFICATE_REVOKED', `certificate ${certificateNo} was revoked already (${c.revokedAt})`, { record: certificateNo });
  const done = await store.revokeCertificate(certificateNo, actor, reason.trim());
  if (!done) throw new DataError('CIM_CERTIFICATE_REVOKED', `certificate ${certificateNo} was revoked already`, { record: certificateNo });
  await audit({ action: 'certificate.revoke', subject: certificateNo, detail: { reason: reason.trim(), template: c.templateCode }, outcome: 'ok' });
  return (await store.certificateByNumber(certificateNo)) ?? c;
}

export interface CertificateReport {
  month: string | null;
  rows: CertificateReportRow[];
  totals: { certificates: number; copies: number; feeVnd: number; revoked: number };
}

/** Certificates issued per template, unit, language and month, with fees (all months, or one). */
export async function certificateReport(store: StateStore, month?: string): Promise<CertificateReport> {
  if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new DataError('CIM_REPORT_MONTH', 'the month is YYYY-MM, e.g. 2026-12', { field: 'month' });
  const rows = await store.certificateReport(month === undefined ? {} : { month });
  const totals = rows.reduce((t, r) => ({ certificates: t.certificates + r.certificates, copies: t.copies + r.copies, feeVnd: t.feeVnd + r.feeVnd, revoked: t.revoked + r.revoked }), {
    certificates: 0,
    copies: 0,
    feeVnd: 0,
    revoked: 0,
  });
  return { month: month ?? null, rows, totals };
}

/** The report as CSV (RFC 4180, UTF-8, a header line). */
export function certificateReportCsv(report: CertificateReport): string {
  const quote = (v: string | number): string => (typeof v === 'number' || !/[",\n\r]/.test(v) ? String(v) : `"${v.replace(/"/g, '""')}"`);
  const lines = [['month', 'template', 'unit', 'language', 'certificates', 'copies', 'fee_vnd', 'revoked'].join(',')];
  for (const r of report.rows) lines.push([r.month, r.templateCode, r.ownerUnit, r.language, r.certificates, r.copies, r.feeVnd, r.revoked].map(quote).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
