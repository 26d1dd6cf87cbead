import { ConfigError, DataError, LienthongError, TransientError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { canonicalJson, sha256Hex } from '../core/hash.js';
import { subjectHash } from '../core/subject-hash.js';
import type { CertificateDataSource, IssuedCertificate } from '../store/certificate-store.js';
import type { StateStore } from '../store/store.js';
import { renderCertificatePdf } from './pdf.js';
import { signPdf } from '../../documents/pdf/sign-pdf.js';
import { maskHolderName, newVerificationCode } from './codes.js';
import type { CertificatesConfig } from '../config/certificates.js';
import type { CertificateLanguage, CertificateTemplate, StudentRecord } from './content.js';
import { isUisUnreachable, type StudentDataReader } from './uis-reader.js';

/** `POST /cim/v1/certificates` as the contract has it (docs/contracts/cim.md). */
export interface CertificateRequest {
  kioskId: string;
  requestId: string;
  studentId: string;
  templateCode: string;
  language: CertificateLanguage;
  copies: number;
  paymentRef: string;
}

export interface CertificateAnswer {
  requestId: string;
  certificateNo: string;
  verificationCode: string;
  feeVnd: number;
  /** the signed PDF, base64 */
  pdf: string;
  sha256: string;
}

/** The templates the service may issue: the registry (config/templates/), or a test's own. */
export type TemplateLookup = (templateCode: string) => CertificateTemplate | undefined;

export interface CertificateServiceDeps {
  store: StateStore;
  logger: Logger;
  config: CertificatesConfig;
  /** the university's PKCS#12 file and its passphrase (resolved) */
  seal: { p12: Buffer; password: string };
  reader: StudentDataReader;
  templates: TemplateLookup;
  now?: () => Date;
}

/** The data a certificate is made from, and where it came from. */
interface StudentData {
  student: StudentRecord;
  source: CertificateDataSource;
  readAt: string;
}

/**
 * Issues certificates (docs/cim.md#certificates): reads the student from the UIS (the last data
 * read when the UIS cannot be reached, and says so), reserves the number and the verification
 * code, renders, signs with the university's certificate, records. Idempotent by the kiosk's
 * requestId: the same request answers the same certificate and fee; the same requestId with
 * another body is a 409. Requests of one requestId in flight at once are made one after the other.
 */
export class CertificateService {
  private readonly inFlight = new Map<string, Promise<CertificateAnswer>>();
  private readonly now: () => Date;

  constructor(private readonly deps: CertificateServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async issue(request: CertificateRequest): Promise<CertificateAnswer> {
    const key = `${request.kioskId}\u0000${request.requestId}`;
    const running = this.inFlight.get(key);
    if (running) {
      await running.catch(() => undefined);
      return this.issue(request);
    }
    const work = this.issueOnce(request).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async issueOnce(request: CertificateRequest): Promise<CertificateAnswer> {
    const { store, config } = this.deps;
    const context = { record: request.requestId, kiosk: request.kioskId };
    const requestHash = sha256Hex(canonicalJson(request as unknown as Parameters<typeof canonicalJson>[0]));
    const earlier = await store.certificateByRequest(request.kioskId, request.requestId);
    if (earlier) return this.replay(earlier, requestHash);

    const template = this.deps.templates(request.templateCode);
    if (template === undefined || !template.active) {
      throw new DataError('CIM_TEMPLATE_NOT_FOUND', `no active certificate template "${request.templateCode}"`, { ...context, field: 'templateCode' });
    }
    if (!template.languages.includes(request.language)) {
      throw new DataError('CIM_LANGUAGE_UNSUPPORTED', `template ${template.templateCode} is issued in ${template.languages.join(', ')}, not ${request.language}`, { ...context, field: 'language' });
    }
    const data = await this.studentData(request);
    const issuedAt = this.now();
    const verificationCode = newVerificationCode();
    const { created, certificate } = await store.reserveCertificate(config.numberPrefix, vietnamYear(issuedAt), {
      kioskId: request.kioskId,
      requestId: request.requestId,
      requestHash,
      templateCode: template.templateCode,
      ownerUnit: template.ownerUnit,
      language: request.language,
      copies: request.copies,
      feeVnd: template.feeVnd,
      paymentRef: request.paymentRef,
      studentKey: await this.studentKey(request.studentId),
      holderMasked: maskHolderName(data.student.fullName),
      verificationCode,
      dataSource: data.source,
      dataReadAt: data.readAt,
      issuedAt: issuedAt.toISOString(),
    });
    // another process took this requestId between the look-up and the reservation
    if (!created) return this.replay(certificate, requestHash);

    try {
      const pdf = await this.render(certificate, template, data, issuedAt);
      const sha256 = sha256Hex(pdf);
      await store.completeCertificate(certificate.certificateNo, sha256, pdf);
      this.deps.logger.info('certificate issued', {
        certificate: certificate.certificateNo,
        template: template.templateCode,
        language: request.language,
        kiosk: request.kioskId,
        feeVnd: template.feeVnd,
        dataSource: data.source,
      });
      return { requestId: request.requestId, certificateNo: certificate.certificateNo, verificationCode, feeVnd: template.feeVnd, pdf: pdf.toString('base64'), sha256 };
    } catch (err) {
      await store.abandonCertificate(certificate.certificateNo);
      throw err;
    }
  }

  /** The same certificate again; another body under the same requestId is refused. */
  private async replay(earlier: IssuedCertificate, requestHash: string): Promise<CertificateAnswer> {
    const context = { record: earlier.requestId, kiosk: earlier.kioskId };
    if (earlier.requestHash !== requestHash) {
      throw new DataError('CIM_REQUEST_CONFLICT', `requestId ${earlier.requestId} was already used for another request (certificate ${earlier.certificateNo}); a new request needs a new requestId`, context);
    }
    if (earlier.state !== 'issued') {
      throw new TransientError('CIM_REQUEST_IN_PROGRESS', `the certificate of requestId ${earlier.requestId} is still being made; ask again in a moment`, context, { retryAfterMs: 2000 });
    }
    const pdf = await this.deps.store.certificatePdf(earlier.certificateNo);
    if (pdf === null) throw new TransientError('CIM_REQUEST_IN_PROGRESS', `the certificate of requestId ${earlier.requestId} is still being made`, context, { retryAfterMs: 2000 });
    return { requestId: earlier.requestId, certificateNo: earlier.certificateNo, verificationCode: earlier.verificationCode, feeVnd: earlier.feeVnd, pdf: pdf.toString('base64'), sha256: earlier.sha256 };
  }

  /** From the UIS; when it cannot be reached, the last data read for the student (and the certificate says so). */
  private async studentData(request: CertificateRequest): Promise<StudentData> {
    const key = await this.studentKey(request.studentId);
    const context = { record: request.requestId, kiosk: request.kioskId };
    let student: StudentRecord | null;
    try {
      student = await this.deps.reader.read(request.studentId);
    } catch (err) {
      if (!isUisUnreachable(err)) throw err;
      const kept = await this.deps.store.studentSnapshot(key);
      if (kept === null) {
        throw new TransientError('CIM_UIS_UNAVAILABLE', 'the UIS cannot be reached and no earlier data of this student is kept; ask again later', context, { cause: err, retryAfterMs: 60_000 });
      }
      this.deps.logger.warn('UIS unreachable: certificate made from the last data read', { kiosk: request.kioskId, request: request.requestId, readAt: kept.readAt, error: err instanceof LienthongError ? err.code : 'UNEXPECTED' });
      return { student: JSON.parse(kept.json) as StudentRecord, source: 'snapshot', readAt: kept.readAt };
    }
    if (student === null) throw new DataError('CIM_STUDENT_NOT_FOUND', 'the UIS has no such student', { ...context, field: 'studentId' });
    const readAt = this.now().toISOString();
    await this.deps.store.putStudentSnapshot(key, JSON.stringify(student), readAt);
    return { student, source: 'uis', readAt };
  }

  private async studentKey(studentId: string): Promise<string> {
    return subjectHash(await this.deps.store.subjectKey(), `cim-student:${studentId.trim()}`);
  }

  private async render(certificate: IssuedCertificate, template: CertificateTemplate, data: StudentData, issuedAt: Date): Promise<Buffer> {
    const { config, seal } = this.deps;
    const unsigned = await renderCertificatePdf({
      certificateNo: certificate.certificateNo,
      template,
      language: certificate.language,
      student: data.student,
      issuer: { university: config.university, place: config.place, signer: config.signer },
      issuedAt,
      verificationCode: certificate.verificationCode,
      verifyUrl: verifyUrlOf(config, certificate.verificationCode),
      dataFromSnapshotAt: data.source === 'snapshot' ? vietnamTime(data.readAt) : null,
    });
    try {
      return await signPdf(unsigned, {
        p12: seal.p12,
        passphrase: seal.password,
        reason: `${template.title.vi} ${certificate.certificateNo}`,
        location: config.place.vi,
        name: config.university.vi,
        signingTime: issuedAt,
        documentKey: certificate.certificateNo,
      });
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(err.code, `certificates.seal: ${err.message}`, { ...err.context, path: 'certificates.seal' }, { cause: err });
      throw err;
    }
  }
}

export function verifyUrlOf(config: Pick<CertificatesConfig, 'publicBaseUrl'>, code: string): string {
  return `${config.publicBaseUrl}/verify/${code}`;
}

/** The year in Viet Nam (UTC+7): certificate numbers run per calendar year there. */
function vietnamYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
}

/** `2026-12-01 14:05` in Viet Nam time. */
export function vietnamTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
