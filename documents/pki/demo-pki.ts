/**
 * A demo key store on disk: a root CA (`ca.crt`, `ca.key`) and one PKCS#12 file per person who signs
 * (`keys/<personalId>.p12`) plus the school's seal (`keys/school.p12`), the layout DirectoryKeyStore
 * reads. Idempotent: what exists is kept, people not seen before get a key. Never for production —
 * the keys are made on the spot (see test-pki.ts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { ConfigError } from '../../src/core/errors.js';
import type { HocBaThcsThpt } from '../hocba/fields.js';
import { SCHOOL_KEY_FILE } from './key-folder.js';
import { createTestCa, issueTestCertificate, toPkcs12, type NameAttribute, type TestCa } from './test-pki.js';

export type DemoRole = 'gvbm' | 'gvcn' | 'hieutruong';

export interface DemoPerson {
  /** 12-digit personal id: the key file's name and the certificate's serialNumber (CCCD:<id>) */
  personalId: string;
  /** the certificate's common name */
  name: string;
  /** what the person signs; kept for the caller's lists, certificates do not carry a role */
  role: DemoRole;
}

export interface DemoPkiOptions {
  people: readonly DemoPerson[];
  schoolName: string;
  /** the password of every PKCS#12 file */
  password: string;
}

export interface DemoPki {
  caPemPath: string;
  keysDir: string;
  /** how many key files this call created (0 when everything existed) */
  issued: number;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const PERSONAL_ID = /^\d{12}$/;

export function ensureDemoPki(dir: string, options: DemoPkiOptions): DemoPki {
  const keysDir = join(dir, 'keys');
  mkdirSync(keysDir, { recursive: true });
  const caPemPath = join(dir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');

  const wanted: { file: string; issue: () => Parameters<typeof issueTestCertificate>[1] }[] = [];
  for (const person of options.people) {
    if (!PERSONAL_ID.test(person.personalId)) {
      throw new ConfigError('DEMO_PKI_PERSON_ID', `a demo signer's personal id must be 12 digits (${person.role})`);
    }
    const validity = leafValidity();
    wanted.push({
      file: join(keysDir, `${person.personalId}.p12`),
      issue: () => ({ commonName: person.name, personalId: person.personalId, organization: options.schoolName, ...validity }),
    });
  }
  wanted.push({ file: join(keysDir, SCHOOL_KEY_FILE), issue: () => ({ commonName: options.schoolName, organization: options.schoolName, ...leafValidity() }) });

  // one file per person, even when the list names someone twice (a teacher of two subjects)
  const missing = [...new Map(wanted.filter((w) => !existsSync(w.file)).map((w) => [w.file, w])).values()];
  if (missing.length === 0 && existsSync(caPemPath)) return { caPemPath, keysDir, issued: 0 };

  const ca = loadOrCreateCa(caPemPath, caKeyPath);
  for (const w of missing) {
    const credential = issueTestCertificate(ca, w.issue());
    writeAtomically(w.file, toPkcs12(credential, [ca.certPem], options.password), 0o600);
  }
  return { caPemPath, keysDir, issued: missing.length };
}

/** The people who sign `record`: each subject teacher, the homeroom teacher and the principal. */
export function demoPeopleFromRecord(record: HocBaThcsThpt): DemoPerson[] {
  const people: DemoPerson[] = record.bangdiem.map((b) => ({ personalId: b.soddcngvbm, name: b.gvbm, role: 'gvbm' }));
  if (record.soddcngvcn) people.push({ personalId: record.soddcngvcn, name: record.tengvcn, role: 'gvcn' });
  people.push({ personalId: record.soddcngiamhieu, name: record.tengiamhieu, role: 'hieutruong' });
  return people;
}

function leafValidity(): { validFrom: Date; validTo: Date } {
  const now = Date.now();
  return { validFrom: new Date(now - 24 * 60 * 60 * 1000), validTo: new Date(now + 10 * YEAR_MS) };
}

/** The CA of `certPath` + `keyPath`, or a new one written there (the signing simulator keeps its CA this way too). */
export function loadOrCreateCa(certPath: string, keyPath: string, commonName = 'lienthong Demo Root CA'): TestCa {
  if (existsSync(certPath)) {
    if (!existsSync(keyPath)) {
      throw new ConfigError('DEMO_PKI_CA_KEY_MISSING', 'the demo CA key (ca.key) is missing: new keys cannot be issued', { file: keyPath });
    }
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    const subject = subjectOf(forge.pki.certificateFromPem(certPem));
    return { commonName: subject.find((a) => a.name === 'commonName')?.value ?? '', certPem, keyPem, subject };
  }
  // the CA outlives every certificate it issues (10 years)
  const ca = createTestCa({ commonName, validTo: new Date(Date.now() + 20 * YEAR_MS) });
  writeAtomically(keyPath, ca.keyPem, 0o600);
  writeAtomically(certPath, ca.certPem, 0o644);
  return ca;
}

/**
 * The CA's subject as the attribute list test-pki.ts issues with; re-encoded the same way (UTF8String
 * but countryName/serialNumber), so the issuer name of a new certificate matches the CA's subject.
 */
function subjectOf(cert: forge.pki.Certificate): NameAttribute[] {
  const attrs = cert.subject.attributes as Array<{ name?: string; value?: unknown; valueTagClass?: unknown }>;
  return attrs.map((a) => {
    const raw = typeof a.value === 'string' ? a.value : '';
    const value = a.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(raw) : raw;
    return { name: a.name ?? '', value };
  });
}

function writeAtomically(path: string, content: string | Buffer, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
