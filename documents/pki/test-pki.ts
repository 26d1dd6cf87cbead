/**
 * A throw-away PKI for tests and the demo: a root CA and certificates (with PKCS#12 files) for the
 * people who sign a học bạ — each subject teacher, the homeroom teacher, the principal — and the
 * school's organisation (seal) certificate. Never for production: keys are generated on the spot and
 * the PKCS#12 password is whatever the caller passes.
 *
 * Keys come from Node's crypto (fast, native); node-forge builds the certificates and PKCS#12 files.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import type { HocBaThcsThpt } from '../hocba/fields.js';

const { pki, asn1 } = forge;

export interface NameAttribute {
  name: string;
  value: string;
}

export interface TestCa {
  commonName: string;
  certPem: string;
  keyPem: string;
  /** the subject as it was built: reused as the issuer of every certificate the CA signs */
  readonly subject: readonly NameAttribute[];
}

export interface TestCredential {
  commonName: string;
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  commonName: string;
  /** 12-digit personal id, written as `serialNumber=CCCD:<id>` the way Vietnamese personal certificates carry it */
  personalId?: string;
  organization?: string;
  validFrom?: Date;
  validTo?: Date;
  /** the leaf's key usage; default digitalSignature + nonRepudiation (tests of refused certificates change it) */
  keyUsage?: { digitalSignature?: boolean; nonRepudiation?: boolean; keyEncipherment?: boolean };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    privateKey: pki.privateKeyFromPem(keyPem),
    publicKey: pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    keyPem,
  };
}

/** Attributes RFC 5280 wants as PrintableString; the rest are UTF8String so that Vietnamese names survive. */
const PRINTABLE_ATTRIBUTES = new Set(['countryName', 'serialNumber']);

function toForgeAttributes(attrs: readonly NameAttribute[]): forge.pki.CertificateField[] {
  // forge encodes the JS string to UTF-8 itself when the tag is UTF8String.
  return attrs.map((a) => ({
    name: a.name,
    value: a.value,
    valueTagClass: (PRINTABLE_ATTRIBUTES.has(a.name) ? asn1.Type.PRINTABLESTRING : asn1.Type.UTF8) as unknown as forge.asn1.Class,
  }));
}

function serialNumber(): string {
  // positive, 16 bytes
  return `01${randomBytes(15).toString('hex')}`;
}

export function createTestCa(options: { commonName?: string; validFrom?: Date; validTo?: Date } = {}): TestCa {
  const commonName = options.commonName ?? 'lienthong Test Root CA';
  const subject: NameAttribute[] = [
    { name: 'countryName', value: 'VN' },
    { name: 'organizationName', value: 'lienthong test PKI (not for production)' },
    { name: 'commonName', value: commonName },
  ];
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = options.validFrom ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = options.validTo ?? new Date(Date.now() + 10 * 365 * DAY_MS);
  cert.setSubject(toForgeAttributes(subject));
  cert.setIssuer(toForgeAttributes(subject));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { commonName, certPem: pki.certificateToPem(cert), keyPem: keys.keyPem, subject };
}

/**
 * An intermediate CA issued by `parent` (a chain root → intermediate → signers, as national CAs issue
 * personal certificates). It is a TestCa: issueTestCertificate issues from it like from a root.
 */
export function createTestIntermediateCa(parent: TestCa, options: { commonName?: string } = {}): TestCa {
  const commonName = options.commonName ?? 'lienthong Test Intermediate CA';
  const subject: NameAttribute[] = [
    { name: 'countryName', value: 'VN' },
    { name: 'organizationName', value: 'lienthong test PKI (not for production)' },
    { name: 'commonName', value: commonName },
  ];
  const parentCert = pki.certificateFromPem(parent.certPem);
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * DAY_MS);
  cert.setSubject(toForgeAttributes(subject));
  cert.setIssuer(toForgeAttributes(parent.subject));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: parentCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(pki.privateKeyFromPem(parent.keyPem), forge.md.sha256.create());
  return { commonName, certPem: pki.certificateToPem(cert), keyPem: keys.keyPem, subject };
}

/** Issues an end-entity signing certificate (digitalSignature + nonRepudiation) from a test CA. */
export function issueTestCertificate(ca: TestCa, options: IssueOptions): TestCredential {
  const caCert = pki.certificateFromPem(ca.certPem);
  const caKey = pki.privateKeyFromPem(ca.keyPem);
  const keys = newKeyPair();
  const subject: NameAttribute[] = [{ name: 'countryName', value: 'VN' }];
  if (options.organization) subject.push({ name: 'organizationName', value: options.organization });
  subject.push({ name: 'commonName', value: options.commonName });
  if (options.personalId) subject.push({ name: 'serialNumber', value: `CCCD:${options.personalId}` });

  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = options.validFrom ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = options.validTo ?? new Date(Date.now() + 2 * 365 * DAY_MS);
  cert.setSubject(toForgeAttributes(subject));
  cert.setIssuer(toForgeAttributes(ca.subject));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', ...(options.keyUsage ?? { digitalSignature: true, nonRepudiation: true }), critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { commonName: options.commonName, certPem: pki.certificateToPem(cert), keyPem: keys.keyPem };
}

/** A PKCS#12 (.p12) file holding the key, its certificate and the chain, protected by `password`. */
export function toPkcs12(credential: TestCredential, chainPems: readonly string[], password: string): Buffer {
  const key = pki.privateKeyFromPem(credential.keyPem);
  const certs = [credential.certPem, ...chainPems].map((pem) => pki.certificateFromPem(pem));
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: 'aes256', friendlyName: 'signing' });
  return Buffer.from(asn1.toDer(p12Asn1).getBytes(), 'binary');
}

export interface TestSignerFile extends TestCredential {
  p12: Buffer;
  /** set when the PKI was written to a directory */
  p12Path?: string;
  password: string;
}

export interface HocBaTestPki {
  ca: TestCa;
  caPath?: string;
  subjectTeachers: Record<string, TestSignerFile>;
  homeroom: TestSignerFile;
  principal: TestSignerFile;
  school: TestSignerFile;
}

/**
 * Certificates for everyone who signs `record`: one per subject teacher (keyed by `mamonhoc`), the
 * homeroom teacher, the principal and the school. With `dir`, writes `ca.crt`, `ca.key` and one
 * `.p12` per signer there (the demo and the xmlsec1 tests need files).
 */
export function createHocBaTestPki(record: HocBaThcsThpt, options: { dir?: string; password?: string; ca?: TestCa } = {}): HocBaTestPki {
  const password = options.password ?? 'lienthong-test';
  const ca = options.ca ?? createTestCa();
  const school = record.tentruong;
  if (options.dir) mkdirSync(options.dir, { recursive: true });

  const make = (fileBase: string, issue: IssueOptions): TestSignerFile => {
    const credential = issueTestCertificate(ca, issue);
    const p12 = toPkcs12(credential, [ca.certPem], password);
    const out: TestSignerFile = { ...credential, p12, password };
    if (options.dir) {
      out.p12Path = join(options.dir, `${fileBase}.p12`);
      writeFileSync(out.p12Path, p12, { mode: 0o600 });
    }
    return out;
  };

  const subjectTeachers: Record<string, TestSignerFile> = {};
  for (const subject of record.bangdiem) {
    subjectTeachers[subject.mamonhoc] = make(`gvbm-${subject.mamonhoc}`, {
      commonName: subject.gvbm,
      personalId: subject.soddcngvbm,
      organization: school,
    });
  }
  const result: HocBaTestPki = {
    ca,
    subjectTeachers,
    homeroom: make('gvcn', { commonName: record.tengvcn, personalId: record.soddcngvcn, organization: school }),
    principal: make('hieutruong', { commonName: record.tengiamhieu, personalId: record.soddcngiamhieu, organization: school }),
    school: make('donvi', { commonName: school, organization: school }),
  };
  if (options.dir) {
    result.caPath = join(options.dir, 'ca.crt');
    writeFileSync(result.caPath, ca.certPem);
    writeFileSync(join(options.dir, 'ca.key'), ca.keyPem, { mode: 0o600 });
  }
  return result;
}
