/**
 * The poppler command-line tools as an independent referee of the PDF renditions: `pdftotext` reads
 * the text back the way a viewer extracts it, `pdfsig` checks a signature with NSS, not with the
 * library that made it. Debian package `poppler-utils`. The PDF goes through a private temporary file.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../src/core/errors.js';
import { certificatesOfAll } from '../pki/pem.js';

const execFileAsync = promisify(execFile);

/** True when `pdfsig` and `pdftotext` can be run. */
export function popplerAvailable(): boolean {
  return ['pdfsig', 'pdftotext'].every((tool) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined);
}

export interface PdfSignatureCheck {
  /** e.g. "Signature is Valid." */
  validation: string;
  valid: boolean;
  /** pdfsig's "Total document signed" line: the signature covers the whole file */
  totalDocumentSigned: boolean;
  /** e.g. "Certificate issuer isn't Trusted." or "Certificate is Trusted." */
  certificateValidation: string;
  signerCommonName: string;
  signatureType: string;
}

export interface PdfsigReport {
  signatures: PdfSignatureCheck[];
  /** pdfsig's own output, for a failing test's message */
  output: string;
}

async function withTempPdf<T>(pdf: Buffer, run: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lienthong-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf, { mode: 0o600 });
    return await run(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ExecFailure {
  code?: number | string;
  stdout?: string;
  stderr?: string;
}

async function runTool(tool: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileAsync(tool, [...args], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as ExecFailure;
    if (failure.code === 'ENOENT') {
      throw new ConfigError('POPPLER_MISSING', `${tool} is not installed (Debian package poppler-utils)`, { file: tool });
    }
    return { stdout: failure.stdout ?? '', stderr: failure.stderr ?? '', code: typeof failure.code === 'number' ? failure.code : 1 };
  }
}

/** The text of the PDF as `pdftotext` extracts it (UTF-8); `layout` keeps the columns of tables on one line. */
export async function pdfToText(pdf: Buffer, options: { layout?: boolean } = {}): Promise<string> {
  return withTempPdf(pdf, async (file) => {
    const result = await runTool('pdftotext', [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-']);
    if (result.code !== 0) throw new ConfigError('PDFTOTEXT_FAILED', `pdftotext exited with ${result.code}`, { file: 'pdftotext' });
    return result.stdout;
  });
}

/**
 * Runs `pdfsig` on the PDF and parses each signature's block. `nssDir` points pdfsig at an NSS database
 * (one that trusts the issuing CA, for a trust check); without it pdfsig uses its default database.
 * A file without signatures gives an empty list. `noOcsp` skips revocation checks; note that poppler
 * 22.12 then reports "Unknown issue with Certificate" even for a trusted chain, so certificate trust
 * is only meaningful without it (test certificates carry no OCSP address, so nothing is fetched).
 */
export async function checkPdfSignatures(pdf: Buffer, options: { nssDir?: string; noOcsp?: boolean } = {}): Promise<PdfsigReport> {
  return withTempPdf(pdf, async (file) => {
    const args = [...(options.nssDir ? ['-nssdir', options.nssDir] : []), ...(options.noOcsp ? ['-no-ocsp'] : []), file];
    const { stdout, stderr } = await runTool('pdfsig', args);
    const output = `${stdout}${stderr}`;
    return { signatures: parsePdfsigOutput(stdout), output };
  });
}

/** Splits pdfsig's output at each `Signature #n:` heading and reads the `- Key: value` lines under it. */
export function parsePdfsigOutput(output: string): PdfSignatureCheck[] {
  const blocks = output.split(/^Signature #\d+:\s*$/m).slice(1);
  return blocks.map((block) => {
    const field = (name: string): string => {
      const match = new RegExp(`^\\s*- ${name}:\\s*(.*)$`, 'm').exec(block);
      return match?.[1]?.trim() ?? '';
    };
    const validation = field('Signature Validation');
    return {
      validation,
      valid: validation === 'Signature is Valid.',
      totalDocumentSigned: /^\s*- Total document signed\s*$/m.test(block),
      certificateValidation: field('Certificate Validation'),
      signerCommonName: field('Signer Certificate Common Name'),
      signatureType: field('Signature Type'),
    };
  });
}

/** True when NSS's `certutil` (Debian `libnss3-tools`) can be run. */
export function certutilAvailable(): boolean {
  return spawnSync('certutil', ['-H'], { stdio: 'ignore' }).error === undefined;
}

/**
 * Runs `fn` with a throw-away NSS database that trusts every certificate of `caPems` for signatures
 * ("C,C,C": pdfsig checks the e-mail/document signing usage), then deletes it. A text may hold several
 * certificates (a chain or a bundle): each is imported. Pass the directory to `checkPdfSignatures` as
 * `nssDir` to have pdfsig check the chain, not only the signature.
 */
export async function withNssTrustStore<T>(caPems: string | readonly string[], fn: (nssDir: string) => Promise<T>): Promise<T> {
  const certificates = certificatesOfAll(typeof caPems === 'string' ? [caPems] : caPems);
  if (certificates.length === 0) throw new ConfigError('TRUSTED_CA_EMPTY', 'no trusted CA certificate to check the PDF signature chain with');
  const dir = await mkdtemp(join(tmpdir(), 'lienthong-nss-'));
  try {
    const db = `sql:${dir}`;
    const commands: string[][] = [['-N', '-d', db, '--empty-password']];
    for (const [i, pem] of certificates.entries()) {
      const caFile = join(dir, `ca-${i}.crt`);
      await writeFile(caFile, pem);
      commands.push(['-A', '-d', db, '-n', `trusted-ca-${i}`, '-t', 'C,C,C', '-i', caFile]);
    }
    for (const args of commands) {
      const result = await runTool('certutil', args);
      if (result.code !== 0) throw new ConfigError('NSS_DB_FAILED', `certutil ${args[0] ?? ''} exited with ${result.code}`, { file: 'certutil' });
    }
    return await fn(db);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
