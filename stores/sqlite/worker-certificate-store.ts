import type { CertificateFilter, CertificateReportRow, CertificateReservation, CertificateStore, IssuedCertificate } from '../../src/store/certificate-store.js';
import { WorkerKioskStore } from './worker-kiosk-store.js';

/**
 * The CIM certificates' part of the store on the worker thread (it extends WorkerKioskStore,
 * WorkerSigningStore extends it, and so on up to WorkerStateStore): each call travels as it is.
 */
export class WorkerCertificateStore extends WorkerKioskStore implements CertificateStore {
  putKioskToken(kioskId: string, tokenHash: string, createdBy: string): Promise<void> {
    return this.call('putKioskToken', kioskId, tokenHash, createdBy);
  }
  kioskOfToken(tokenHash: string): Promise<string | null> {
    return this.call('kioskOfToken', tokenHash);
  }
  reserveCertificate(prefix: string, year: number, reservation: CertificateReservation): Promise<{ created: boolean; certificate: IssuedCertificate }> {
    return this.call('reserveCertificate', prefix, year, reservation);
  }
  completeCertificate(certificateNo: string, sha256: string, pdf: Buffer): Promise<void> {
    return this.call('completeCertificate', certificateNo, sha256, pdf);
  }
  abandonCertificate(certificateNo: string): Promise<void> {
    return this.call('abandonCertificate', certificateNo);
  }
  certificateByRequest(kioskId: string, requestId: string): Promise<IssuedCertificate | null> {
    return this.call('certificateByRequest', kioskId, requestId);
  }
  certificateByNumber(certificateNo: string): Promise<IssuedCertificate | null> {
    return this.call('certificateByNumber', certificateNo);
  }
  certificateByCode(verificationCode: string): Promise<IssuedCertificate | null> {
    return this.call('certificateByCode', verificationCode);
  }
  async certificatePdf(certificateNo: string): Promise<Buffer | null> {
    // a Buffer crosses the thread as a plain Uint8Array
    const pdf = await this.call('certificatePdf', certificateNo);
    return pdf === null ? null : Buffer.from(pdf);
  }
  revokeCertificate(certificateNo: string, by: string, reason: string): Promise<boolean> {
    return this.call('revokeCertificate', certificateNo, by, reason);
  }
  listCertificates(filter?: CertificateFilter): Promise<IssuedCertificate[]> {
    return this.call('listCertificates', filter);
  }
  certificateReport(filter?: CertificateFilter): Promise<CertificateReportRow[]> {
    return this.call('certificateReport', filter);
  }
  putStudentSnapshot(studentKey: string, json: string, readAt: string): Promise<void> {
    return this.call('putStudentSnapshot', studentKey, json, readAt);
  }
  studentSnapshot(studentKey: string): Promise<{ json: string; readAt: string } | null> {
    return this.call('studentSnapshot', studentKey);
  }
}
