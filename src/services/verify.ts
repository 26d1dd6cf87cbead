import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { supersededVersionOf, type SupersededInfo } from '../../transforms/hocba-sign/documents.js';
import { certutilAvailable, checkPdfSignatures, pdfToText, popplerAvailable, withNssTrustStore } from '../../documents/pdf/poppler.js';
import { certificatesOfAll } from '../../documents/pki/pem.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { readCaFile } from '../config/load.js';
import type { CertificateStore } from '../store/certificate-store.js';

export interface DocumentVerdict {
  file: string;
  kind: 'xml' | 'pdf';
  valid: boolean;
  /** one line per signature: who signed what, when */
  signatures: string[];
  problems: string[];
  /**
   * set when the manifest beside the file (`<idbanghi>.versions.json`) lists it as an earlier version:
   * its signatures may be valid, but version `latest` replaces it. `problems` says so too.
   */
  superseded?: SupersededInfo;
}

/**
 * `lienthong verify`: checks the signatures of signed documents against the trusted CA
 * certificates (`caPems`: PEM texts, each may hold several certificates, all trusted). XML school records are verified by lienthong's own verifier (every role, every
 * subject, the chain, no wrapping); PDFs by poppler's pdfsig, which must find the signature valid,
 * covering the whole file, and (given the CA) trusted.
 */
export async function verifyDocuments(files: string[], caTexts: string[], register?: CertificateRegister): Promise<DocumentVerdict[]> {
  if (caTexts.length === 0) throw new ConfigError('NO_TRUSTED_CA', 'no trusted CA certificate: pass --ca FILE or set trust.caFiles in the configuration');
  if (caTexts.some((text) => certificatesOfAll([text]).length === 0)) {
    throw new ConfigError('TRUSTED_CA_EMPTY', 'a trusted CA file (--ca or trust.caFiles) holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  const caPems = certificatesOfAll(caTexts);
  const verdicts: DocumentVerdict[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    const isPdf = extname(file).toLowerCase() === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    const verdict = isPdf ? await verifyPdf(file, bytes, caPems) : await verifyXml(file, bytes, caPems);
    if (isPdf && register !== undefined) await checkAgainstRegister(verdict, bytes, register);
    const superseded = supersededVersionOf(file, bytes);
    if (superseded) {
      verdict.superseded = superseded;
      verdict.problems.push(`superseded: this is version ${superseded.phienban} of the record, superseded by version ${superseded.latest} (${superseded.manifest})`);
    }
    verdicts.push(verdict);
  }
  return verdicts;
}

async function verifyXml(file: string, bytes: Buffer, caPems: string[]): Promise<DocumentVerdict> {
  const r = await verifyHocBa(bytes.toString('utf8'), { trustedCaPems: caPems });
  return {
    file,
    kind: 'xml',
    valid: r.valid,
    signatures: r.signatures.map((s) => `${s.valid ? 'ok ' : 'BAD'} ${s.role}${s.mamonhoc ? ` (${s.mamonhoc})` : ''}: ${s.signer}${s.signedAt ? ` at ${s.signedAt}` : ''} over ${s.references.map((x) => `#${x}`).join(', ')}${s.error ? ` — ${s.error}` : ''}`),
    problems: r.errors,
  };
}

async function verifyPdf(file: string, bytes: Buffer, cas: string[]): Promise<DocumentVerdict> {
  if (!popplerAvailable()) throw new ConfigError('PDFSIG_MISSING', 'verifying a PDF needs pdfsig (Debian package poppler-utils)');
  // pdfsig checks the chain against an NSS database: one is made that trusts every given CA
  const trustChecked = certutilAvailable() && cas.length > 0;
  const report = trustChecked ? await withNssTrustStore(cas, (nss) => checkPdfSignatures(bytes, { nssDir: nss })) : await checkPdfSignatures(bytes);
  const problems: string[] = [];
  if (report.signatures.length === 0) problems.push('the PDF carries no signature');
  for (const s of report.signatures) {
    if (!s.valid) problems.push(`signature of ${s.signerCommonName}: ${s.validation}`);
    if (!s.totalDocumentSigned) problems.push(`signature of ${s.signerCommonName} does not cover the whole document`);
    if (trustChecked && !/is Trusted/i.test(s.certificateValidation)) problems.push(`certificate of ${s.signerCommonName}: ${s.certificateValidation}`);
  }
  if (!trustChecked) problems.push('the certificate chain was not checked (certutil, Debian package libnss3-tools, is missing)');
  return {
    file,
    kind: 'pdf',
    valid: problems.length === 0,
    signatures: report.signatures.map((s) => `${s.valid ? 'ok ' : 'BAD'} ${s.signerCommonName}: ${s.validation} ${s.certificateValidation}${s.totalDocumentSigned ? ' (whole document)' : ''}`),
    problems,
  };
}

/** The register of CIM certificates issued (the state store), when `verify` runs next to it. */
export type CertificateRegister = Pick<CertificateStore, 'certificateByCode'>;

/**
 * A CIM certificate PDF against the register: the verification code printed on it must be a
 * certificate's, the file must be the one issued (its SHA-256), and not revoked. A PDF with no
 * code on it is not a CIM certificate and is left as it is.
 */
async function checkAgainstRegister(verdict: DocumentVerdict, bytes: Buffer, register: CertificateRegister): Promise<void> {
  const text = await pdfToText(bytes);
  const code = /[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4}/.exec(text)?.[0];
  if (code === undefined) return;
  const issued = await register.certificateByCode(code);
  if (issued === null) {
    verdict.problems.push(`verification code ${code}: no certificate of this register has it`);
  } else {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    verdict.signatures.push(`register: certificate ${issued.certificateNo} (${issued.templateCode}, ${issued.language}) issued ${issued.issuedAt} to ${issued.holderMasked}`);
    if (sha256 !== issued.sha256) verdict.problems.push(`certificate ${issued.certificateNo}: this file is not the one issued (SHA-256 ${sha256.slice(0, 16)}…, issued ${issued.sha256.slice(0, 16)}…)`);
    if (issued.revokedAt !== null) verdict.problems.push(`certificate ${issued.certificateNo} was revoked at ${issued.revokedAt}: ${issued.revokeReason ?? ''}`);
  }
  verdict.valid = verdict.problems.length === 0;
}

/**
 * `verifyDocuments` with the trusted CAs given as files (`--ca`), or, when none is given, the
 * configuration's `trust.caFiles`.
 */
export async function verifyDocumentFiles(files: string[], caFiles: readonly string[], register?: CertificateRegister): Promise<DocumentVerdict[]> {
  // read as trust.caFiles are: an unreadable file or one with no certificate is a configuration error naming it
  return verifyDocuments(files, caFiles.flatMap((f) => readCaFile(f)), register);
}
