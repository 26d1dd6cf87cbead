/**
 * The school's seal on a PKCS#11 token, against a real token: SoftHSM2 (Debian's softhsm2), a fresh
 * token per run in a temporary folder. Without SoftHSM2 the tests are skipped with the reason, except
 * under CI (CI=true), where a missing SoftHSM2 is a failure: .ci/run installs it.
 */
import { spawnSync } from 'node:child_process';
import { verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LienthongError } from '../../src/core/errors.js';
import { explainCode } from '../../src/domain/error-codes.js';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { buildHocBaXml, HOCBA_NS } from '../hocba/xml.js';
import { createHocBaTestPki, createTestIntermediateCa, issueTestCertificate, type HocBaTestPki } from '../pki/test-pki.js';
import { signersFromTestPki } from '../pki/testing/signers.js';
import { sealSchool, signHomeroom, signPrincipal, signSubject } from '../xmldsig/sign-hocba.js';
import { nowToTheSecond } from '../xmldsig/testing/fixtures.js';
import { verifyHocBa } from '../xmldsig/verify-hocba.js';
import { Pkcs11Signer, type Pkcs11SignerOptions } from './pkcs11-signer.js';
import { makeSoftHsmToken, softHsmModule, type SoftHsmToken } from './testing/softhsm.js';

const module = softHsmModule();
const inCi = process.env.CI === 'true';
if (!module && !inCi) console.warn('SoftHSM2 not installed: skipping the PKCS#11 seal tests (apt-get install softhsm2)');
const hasXmlsec1 = spawnSync('xmlsec1', ['--version']).status === 0;

const PIN = '7315-2904';

/** the same certificates in the same order, whatever the PEM line endings */
function sameCertificates(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((pem, i) => new X509Certificate(pem).raw.equals(new X509Certificate(b[i]!).raw));
}
const TOKEN = 'lienthong-seal';

it('every PKCS11_ code the signer can throw is explained in the vi/en catalogue', () => {
  // the catalogue's own test scans src/, connectors/ and mappings/, not documents/
  const source = ['pkcs11-signer.ts', 'module.ts'].map((f) => readFileSync(join(import.meta.dirname, f), 'utf8')).join('\n');
  const codes = new Set([...source.matchAll(/'(PKCS11_[A-Z_]+)'/g)].map((m) => m[1]!));
  expect(codes.size).toBeGreaterThanOrEqual(12);
  for (const code of codes) {
    expect(explainCode(code)?.vi, code).toBeTruthy();
    expect(explainCode(code)?.en, code).toBeTruthy();
  }
});

it.runIf(inCi)('SoftHSM2 is installed under CI (.ci/run installs softhsm2)', () => {
  expect(module, 'libsofthsm2.so and softhsm2-util').toBeDefined();
});

describe.skipIf(!module)('Pkcs11Signer on a SoftHSM2 token', () => {
  const record = sampleHocBaRecord();
  let pki: HocBaTestPki;
  let token: SoftHsmToken;
  /** a key whose certificate (from an intermediate CA) is only in a PEM file, not on the token */
  let fileOnly: { certPem: string; intermediatePem: string; certificateFile: string };
  const opened: Pkcs11Signer[] = [];

  const options = (more: Partial<Pkcs11SignerOptions> = {}): Pkcs11SignerOptions => ({ module: module as string, tokenLabel: TOKEN, pin: PIN, keyLabel: 'seal', ...more });
  const open = async (more: Partial<Pkcs11SignerOptions> = {}): Promise<Pkcs11Signer> => {
    const signer = await Pkcs11Signer.open(options(more));
    opened.push(signer);
    return signer;
  };
  /** the error `open` throws, with everything a log or report could show of it */
  const openError = async (more: Partial<Pkcs11SignerOptions>): Promise<{ error: LienthongError; shown: string }> => {
    const error = await Pkcs11Signer.open(options(more)).then(
      () => expect.unreachable('the signer opened'),
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(LienthongError);
    const e = error as LienthongError;
    const cause = e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ''}` : String(e.cause);
    return { error: e, shown: `${e.message} ${e.stack ?? ''} ${JSON.stringify(e.context)} ${cause}` };
  };

  beforeAll(async () => {
    pki = createHocBaTestPki(record);
    const intermediate = createTestIntermediateCa(pki.ca);
    const other = issueTestCertificate(intermediate, { commonName: record.tentruong, organization: record.tentruong });
    token = await makeSoftHsmToken(module as string, TOKEN, PIN, [
      { label: 'seal', id: '01', keyPem: pki.school.keyPem, certPem: pki.school.certPem },
      { label: 'root', id: 'ca', certPem: pki.ca.certPem },
      { label: 'file-only', id: '02', keyPem: other.keyPem },
    ]);
    const certificateFile = join(token.dir, 'seal-chain.pem');
    writeFileSync(certificateFile, [other.certPem, intermediate.certPem, pki.ca.certPem].join(''));
    fileOnly = { certPem: other.certPem, intermediatePem: intermediate.certPem, certificateFile };
  });
  afterAll(async () => {
    for (const signer of opened) await signer.close();
    token?.cleanup();
  });

  it('signs with the key on the token: RSA-SHA256 that node:crypto verifies against the certificate', async () => {
    const signer = await open();
    expect(sameCertificates([signer.certificatePem], [pki.school.certPem])).toBe(true);
    expect(signer.chainPem).toEqual([]); // the root on the token is a trust anchor, not published
    expect(signer.subject).toBe(record.tentruong);
    const data = Buffer.from('<ds:SignedInfo>canonical octets</ds:SignedInfo>');
    const signature = await signer.sign(data, 'RSA-SHA256');
    expect(signature.length).toBe(256);
    expect(cryptoVerify('sha256', data, signer.certificatePem, signature)).toBe(true);
    expect(cryptoVerify('sha256', Buffer.from('other octets'), signer.certificatePem, signature)).toBe(false);
    // concurrent signatures share one session: each waits for the one before
    const many = await Promise.all([1, 2, 3, 4].map((n) => signer.sign(Buffer.from(`doc ${n}`), 'RSA-SHA256')));
    many.forEach((s, n) => expect(cryptoVerify('sha256', Buffer.from(`doc ${n + 1}`), signer.certificatePem, s)).toBe(true));
  });

  it('finds the key by id alone, and two signers of one process share the token', async () => {
    const [a, b] = await Promise.all([open({ keyLabel: undefined, keyId: '01' }), open()]);
    expect(a.certificatePem).toBe(b.certificatePem);
    await a.close();
    // closing one signer neither logs the other out nor unloads the module under it
    const signature = await b.sign(Buffer.from('still here'), 'RSA-SHA256');
    expect(cryptoVerify('sha256', Buffer.from('still here'), b.certificatePem, signature)).toBe(true);
    await b.close();
    await expect(b.sign(Buffer.from('x'), 'RSA-SHA256')).rejects.toMatchObject({ code: 'PKCS11_SIGNER_CLOSED' });
  });

  it('takes a certificate the token does not hold from certificateFile, and its chain issuer first without the root', async () => {
    const signer = await open({ keyLabel: 'file-only', certificateFile: fileOnly.certificateFile });
    expect(sameCertificates([signer.certificatePem, ...signer.chainPem], [fileOnly.certPem, fileOnly.intermediatePem])).toBe(true);
    const signature = await signer.sign(Buffer.from('x'), 'RSA-SHA256');
    expect(cryptoVerify('sha256', Buffer.from('x'), signer.certificatePem, signature)).toBe(true);
    const { error } = await openError({ keyLabel: 'file-only' });
    expect(error.code).toBe('PKCS11_CERT_NOT_FOUND');
  });

  describe('a học bạ sealed on the token', () => {
    let signedXml: string;
    beforeAll(async () => {
      const people = signersFromTestPki(pki);
      const signingTime = nowToTheSecond();
      let xml = buildHocBaXml(record);
      for (const subject of record.bangdiem) xml = await signSubject(xml, subject.mamonhoc, people.subjectTeachers[subject.mamonhoc]!, signingTime);
      xml = await signHomeroom(xml, people.homeroom, signingTime);
      xml = await signPrincipal(xml, people.principal, signingTime);
      signedXml = await sealSchool(xml, await open(), signingTime);
    });

    it("verifies with lienthong's verifier", async () => {
      const result = await verifyHocBa(signedXml, { trustedCaPems: [pki.ca.certPem] });
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.signatures.find((s) => s.role === 'donvi')).toMatchObject({ valid: true, signer: record.tentruong });
    });

    it.skipIf(!hasXmlsec1)('verifies with xmlsec1 (the seal signature, against the test CA)', () => {
      const file = join(token.dir, 'sealed.xml');
      const caFile = join(token.dir, 'ca.crt');
      writeFileSync(file, signedXml);
      writeFileSync(caFile, pki.ca.certPem);
      const idAttrs = ['DuLieuHocBa', 'BangDiem', 'KetQua', 'GVBM', 'GVCN', 'HieuTruong', 'DonVi'].flatMap((name) => ['--id-attr:Id', `${HOCBA_NS}:${name}`]);
      const run = spawnSync('xmlsec1', ['--verify', '--trusted-pem', caFile, ...idAttrs, '--node-xpath', "//*[local-name()='Signature'][@Id='sig-dv']", file]);
      expect(run.stderr.toString()).toMatch(/^OK\n/);
      expect(run.status).toBe(0);
    });
  });

  it('a wrong PIN: PKCS11_PIN_INCORRECT, and the PIN is nowhere in the error', async () => {
    const wrongPin = '0000-9999';
    // the token itself says CKR_PIN_INCORRECT (no signer of this process is logged in)
    for (const signer of opened.splice(0)) await signer.close();
    const fromToken = await openError({ pin: wrongPin });
    expect(fromToken.error.code).toBe('PKCS11_PIN_INCORRECT');
    expect(fromToken.error.kind).toBe('config');
    expect(fromToken.error.message).toContain(TOKEN);
    expect(String((fromToken.error.cause as Error).message)).toContain('CKR_PIN_INCORRECT');
    expect(fromToken.shown).not.toContain(wrongPin);
    // while another signer is logged in, the token answers CKR_USER_ALREADY_LOGGED_IN to any PIN:
    // the wrong one must still be refused
    await open();
    const whileLoggedIn = await openError({ pin: wrongPin });
    expect(whileLoggedIn.error.code).toBe('PKCS11_PIN_INCORRECT');
    expect(whileLoggedIn.shown).not.toContain(wrongPin);
    expect(whileLoggedIn.shown).not.toContain(PIN);
  });

  it('an unknown token label: PKCS11_TOKEN_NOT_FOUND naming the tokens present', async () => {
    const { error, shown } = await openError({ tokenLabel: 'no-such-token' });
    expect(error.code).toBe('PKCS11_TOKEN_NOT_FOUND');
    expect(error.message).toContain(`"${TOKEN}"`);
    expect(shown).not.toContain(PIN);
  });

  it('a key that is not on the token: PKCS11_KEY_NOT_FOUND', async () => {
    const { error } = await openError({ keyLabel: 'no-such-key' });
    expect(error.code).toBe('PKCS11_KEY_NOT_FOUND');
    expect(error.message).toContain('no-such-key');
  });

  it('a module that is not there: PKCS11_MODULE', async () => {
    const { error } = await openError({ module: join(token.dir, 'missing-pkcs11.so') });
    expect(error.code).toBe('PKCS11_MODULE');
    expect(error.message).toContain('missing-pkcs11.so');
  });
});
