/**
 * What the CIM certificate service keeps in the state store (docs/cim.md#certificates): the kiosks'
 * tokens (hashed), every certificate issued (the university's register of issued certificates:
 * number, template, language, fee, payment reference, SHA-256, kiosk, time, the holder's name masked,
 * the verification code and the signed PDF, so that the same request answers the same certificate),
 * and per student the last data read from the UIS (the fallback while the UIS is down).
 * A part of the StateStore contract in its own file, like ConsoleStore: the engine never uses it.
 */

/** where the data of a certificate came from: the UIS itself, or the last data read while it was down */
export type CertificateDataSource = 'uis' | 'snapshot';

export interface IssuedCertificate {
  certificateNo: string;
  kioskId: string;
  requestId: string;
  /** SHA-256 (hex) of the request's canonical body: the same requestId with another body is a conflict */
  requestHash: string;
  templateCode: string;
  /** the template's owner unit (training office, a faculty…), for the fees report */
  ownerUnit: string;
  language: 'vi' | 'en';
  copies: number;
  feeVnd: number;
  paymentRef: string;
  /** the keyed hash of the student id (never the id itself) */
  studentKey: string;
  /** the holder's name partly masked, as the verify page shows it */
  holderMasked: string;
  /** the verification code printed on the certificate (text and QR) */
  verificationCode: string;
  /** SHA-256 (hex) of the signed PDF; '' while the certificate is being made */
  sha256: string;
  dataSource: CertificateDataSource;
  /** when the data was read (the snapshot's time when dataSource is `snapshot`) */
  dataReadAt: string;
  issuedAt: string;
  /** `issuing` between the reservation of its number and its PDF; `issued` after */
  state: 'issuing' | 'issued';
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** A certificate reserved before its PDF is made (its number and code are printed on it). */
export type CertificateReservation = Omit<IssuedCertificate, 'certificateNo' | 'sha256' | 'state' | 'revokedAt' | 'revokedBy' | 'revokeReason'>;

/** One line of the fees report: certificates issued per template, unit, language and month. */
export interface CertificateReportRow {
  /** YYYY-MM, Viet Nam time */
  month: string;
  templateCode: string;
  ownerUnit: string;
  language: 'vi' | 'en';
  certificates: number;
  copies: number;
  feeVnd: number;
  revoked: number;
}

export interface CertificateFilter {
  /** YYYY-MM */
  month?: string;
  limit?: number;
}

export interface CertificateStore {
  /** creates or replaces the kiosk's token hash (one token per kiosk: a new one retires the old) */
  putKioskToken(kioskId: string, tokenHash: string, createdBy: string): Promise<void>;
  /** the kiosk a token hash belongs to, or null; marks it used */
  kioskOfToken(tokenHash: string): Promise<string | null>;
  /**
   * Reserves the next certificate number of the year (`<prefix>-<year>-<seq>`) for a new request
   * in one transaction. When the kiosk already sent this requestId, answers the existing row
   * instead (`created: false`), whatever its state.
   */
  reserveCertificate(prefix: string, year: number, reservation: CertificateReservation): Promise<{ created: boolean; certificate: IssuedCertificate }>;
  /** stores the signed PDF of a reserved certificate and marks it issued */
  completeCertificate(certificateNo: string, sha256: string, pdf: Buffer): Promise<void>;
  /** forgets a reservation whose PDF could not be made (its number is not reused: the sequence only grows) */
  abandonCertificate(certificateNo: string): Promise<void>;
  certificateByRequest(kioskId: string, requestId: string): Promise<IssuedCertificate | null>;
  certificateByNumber(certificateNo: string): Promise<IssuedCertificate | null>;
  certificateByCode(verificationCode: string): Promise<IssuedCertificate | null>;
  /** the signed PDF of an issued certificate */
  certificatePdf(certificateNo: string): Promise<Buffer | null>;
  /** marks it revoked; false when there is no such issued certificate or it is revoked already */
  revokeCertificate(certificateNo: string, by: string, reason: string): Promise<boolean>;
  /** issued certificates, newest first */
  listCertificates(filter?: CertificateFilter): Promise<IssuedCertificate[]>;
  certificateReport(filter?: CertificateFilter): Promise<CertificateReportRow[]>;
  /** keeps the last data read from the UIS for a student (JSON), for when the UIS is down */
  putStudentSnapshot(studentKey: string, json: string, readAt: string): Promise<void>;
  studentSnapshot(studentKey: string): Promise<{ json: string; readAt: string } | null>;
}
