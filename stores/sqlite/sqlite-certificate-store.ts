import type {
  CertificateFilter,
  CertificateReportRow,
  CertificateReservation,
  CertificateStore,
  IssuedCertificate,
} from '../../src/store/certificate-store.js';
import * as SQL from './certificate-sql.js';
import { SqliteKioskStore } from './sqlite-kiosk-store.js';

interface CertificateDbRow {
  certificate_no: string;
  kiosk_id: string;
  request_id: string;
  request_hash: string;
  template_code: string;
  owner_unit: string;
  language: 'vi' | 'en';
  copies: number;
  fee_vnd: number;
  payment_ref: string;
  student_key: string;
  holder_masked: string;
  verification_code: string;
  sha256: string;
  data_source: 'uis' | 'snapshot';
  data_read_at: string;
  issued_at: string;
  state: 'issuing' | 'issued';
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

const toCertificate = (r: CertificateDbRow): IssuedCertificate => ({
  certificateNo: r.certificate_no,
  kioskId: r.kiosk_id,
  requestId: r.request_id,
  requestHash: r.request_hash,
  templateCode: r.template_code,
  ownerUnit: r.owner_unit,
  language: r.language,
  copies: r.copies,
  feeVnd: r.fee_vnd,
  paymentRef: r.payment_ref,
  studentKey: r.student_key,
  holderMasked: r.holder_masked,
  verificationCode: r.verification_code,
  sha256: r.sha256,
  dataSource: r.data_source,
  dataReadAt: r.data_read_at,
  issuedAt: r.issued_at,
  state: r.state,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  revokeReason: r.revoke_reason,
});

const now = (): string => new Date().toISOString();

/**
 * The CIM certificates' part of the SQLite state store (certificate-store.ts, migration 9; the lead may renumber).
 * It extends SqliteKioskStore and SqliteSigningStore extends it: one database, one connection. Certificates are issued one per
 * kiosk request, so statements are prepared where they are used.
 */
export class SqliteCertificateStore extends SqliteKioskStore implements CertificateStore {
  async putKioskToken(kioskId: string, tokenHash: string, createdBy: string): Promise<void> {
    this.db.prepare(SQL.PUT_KIOSK_TOKEN).run(kioskId, tokenHash, createdBy, now());
  }

  async kioskOfToken(tokenHash: string): Promise<string | null> {
    const row = this.db.prepare(SQL.USE_KIOSK_TOKEN).get(now(), tokenHash) as { kiosk_id: string } | undefined;
    return row?.kiosk_id ?? null;
  }

  async reserveCertificate(prefix: string, year: number, r: CertificateReservation): Promise<{ created: boolean; certificate: IssuedCertificate }> {
    return this.db.transaction(() => {
      const existing = this.db.prepare(SQL.CERTIFICATE_BY_REQUEST).get(r.kioskId, r.requestId) as CertificateDbRow | undefined;
      if (existing) return { created: false, certificate: toCertificate(existing) };
      const { last } = this.db.prepare(SQL.NEXT_SEQUENCE).get(year) as { last: number };
      const certificateNo = `${prefix}-${year}-${String(last).padStart(6, '0')}`;
      this.db
        .prepare(SQL.INSERT_CERTIFICATE)
        .run(
          certificateNo, r.kioskId, r.requestId, r.requestHash, r.templateCode, r.ownerUnit, r.language, r.copies, r.feeVnd, r.paymentRef,
          r.studentKey, r.holderMasked, r.verificationCode, r.dataSource, r.dataReadAt, r.issuedAt,
        );
      const row = this.db.prepare(SQL.CERTIFICATE_BY_NUMBER).get(certificateNo) as CertificateDbRow;
      return { created: true, certificate: toCertificate(row) };
    })();
  }

  async completeCertificate(certificateNo: string, sha256: string, pdf: Buffer): Promise<void> {
    // from the worker thread's messages a Buffer arrives as a plain Uint8Array, which SQLite will not bind
    this.db.prepare(SQL.COMPLETE_CERTIFICATE).run(sha256, Buffer.from(pdf), certificateNo);
  }

  async abandonCertificate(certificateNo: string): Promise<void> {
    this.db.prepare(SQL.ABANDON_CERTIFICATE).run(certificateNo);
  }

  async certificateByRequest(kioskId: string, requestId: string): Promise<IssuedCertificate | null> {
    const row = this.db.prepare(SQL.CERTIFICATE_BY_REQUEST).get(kioskId, requestId) as CertificateDbRow | undefined;
    return row ? toCertificate(row) : null;
  }

  async certificateByNumber(certificateNo: string): Promise<IssuedCertificate | null> {
    const row = this.db.prepare(SQL.CERTIFICATE_BY_NUMBER).get(certificateNo) as CertificateDbRow | undefined;
    return row ? toCertificate(row) : null;
  }

  async certificateByCode(verificationCode: string): Promise<IssuedCertificate | null> {
    const row = this.db.prepare(SQL.CERTIFICATE_BY_CODE).get(verificationCode) as CertificateDbRow | undefined;
    return row ? toCertificate(row) : null;
  }

  async certificatePdf(certificateNo: string): Promise<Buffer | null> {
    const row = this.db.prepare(SQL.CERTIFICATE_PDF).get(certificateNo) as { pdf: Buffer | null } | undefined;
    return row?.pdf ?? null;
  }

  async revokeCertificate(certificateNo: string, by: string, reason: string): Promise<boolean> {
    return this.db.prepare(SQL.REVOKE_CERTIFICATE).run(now(), by, reason, certificateNo).changes === 1;
  }

  async listCertificates(filter: CertificateFilter = {}): Promise<IssuedCertificate[]> {
    const rows = this.db.prepare(SQL.LIST_CERTIFICATES).all(filter.month ?? null, filter.month ?? null, filter.limit ?? 200) as CertificateDbRow[];
    return rows.map(toCertificate);
  }

  async certificateReport(filter: CertificateFilter = {}): Promise<CertificateReportRow[]> {
    return this.db.prepare(SQL.CERTIFICATE_REPORT).all(filter.month ?? null, filter.month ?? null) as CertificateReportRow[];
  }

  async putStudentSnapshot(studentKey: string, json: string, readAt: string): Promise<void> {
    this.db.prepare(SQL.PUT_STUDENT_SNAPSHOT).run(studentKey, json, readAt);
  }

  async studentSnapshot(studentKey: string): Promise<{ json: string; readAt: string } | null> {
    const row = this.db.prepare(SQL.STUDENT_SNAPSHOT).get(studentKey) as { data: string; read_at: string } | undefined;
    return row ? { json: row.data, readAt: row.read_at } : null;
  }
}
