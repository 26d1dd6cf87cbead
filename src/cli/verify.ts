import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { certutilAvailable, checkPdfSignatures, popplerAvailable, withNssTrustStore } from '../pdf/poppler.js';
import { verifyHocBa } from '../signing/verify-hocba.js';

export interface DocumentVerdict {
  file: string;
  kind: 'xml' | 'pdf';
  valid: boolean;
  /** one line per signature: who signed what, when */
  signatures: string[];
  problems: string[];
}

/**
 * `lienthong verify`: checks the signatures of signed documents against the trusted CA
 * certificates. XML school records are verified by lienthong's own verifier (every role, every
 * subject, the chain, no wrapping); PDFs by poppler's pdfsig, which must find the signature valid,
 * covering the whole file, and (given the CA) trusted.
 */
export async function verifyDocuments(files: string[], caPems: string[]): Promise<DocumentVerdict[]> {
  if (caPems.length === 0) throw new ConfigError('NO_TRUSTED_CA', 'no trusted CA certificate: pass --ca FILE or set trust.caFiles in the configuration');
  const verdicts: DocumentVerdict[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    const isPdf = extname(file).toLowerCase() === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    verdicts.push(isPdf ? await verifyPdf(file, bytes, caPems) : await verifyXml(file, bytes));
  }
  return verdicts;

  async function verifyXml(file: string, bytes: Buffer): Promise<DocumentVerdict> {
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
    // pdfsig checks the chain against an NSS database: one is made that trusts the first CA
    const trustChecked = certutilAvailable() && cas[0] !== undefined;
    const report = trustChecked ? await withNssTrustStore(cas[0] ?? '', (nss) => checkPdfSignatures(bytes, { nssDir: nss })) : await checkPdfSignatures(bytes);
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
}
