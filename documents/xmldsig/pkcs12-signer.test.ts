import { verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { createHocBaTestPki, issueTestCertificate, type HocBaTestPki, type TestCa } from '../pki/test-pki.js';
import { subjectPersonalId } from './certificate-name.js';
import { checkCertificateChain } from './certificate-chain.js';
import { Pkcs12Signer } from './pkcs12-signer.js';

let dir: string;
let pki: HocBaTestPki;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-p12-'));
  pki = createHocBaTestPki(sampleHocBaRecord(), { dir, password: 'mật-khẩu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Pkcs12Signer', () => {
  it('opens a .p12 file and signs with its key (RSA-SHA256, PKCS#1 v1.5)', async () => {
    const signer = await Pkcs12Signer.fromFile(pki.principal.p12Path ?? '', 'mật-khẩu');
    expect(signer.subject).toBe('Lê Văn Hiệu');
    expect(signer.certificatePem).toBe(pki.principal.certPem);
    expect(signer.chainPem).toEqual([]); // the self-signed root is left out of the chain
    const data = Buffer.from('<ds:SignedInfo/>');
    const signature = await signer.sign(data, 'RSA-SHA256');
    expect(cryptoVerify('sha256', data, new X509Certificate(signer.certificatePem).publicKey, signature)).toBe(true);
    expect(cryptoVerify('sha256', Buffer.from('other'), new X509Certificate(signer.certificatePem).publicKey, signature)).toBe(false);
  });

  it('refuses a wrong password without echoing it', async () => {
    const err = await Pkcs12Signer.fromFile(pki.principal.p12Path ?? '', 'sai-mat-khau').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('P12_INVALID');
    expect((err as ConfigError).message).not.toContain('sai-mat-khau');
    await expect(Pkcs12Signer.fromFile(join(dir, 'missing.p12'), 'x')).rejects.toMatchObject({ code: 'P12_UNREADABLE' });
  });
});

describe('test PKI certificates', () => {
  it('carry the personal id as serialNumber=CCCD:<id> and chain to the CA', () => {
    const cert = forge.pki.certificateFromPem(pki.subjectTeachers['TOA']?.certPem ?? '');
    expect(subjectPersonalId(cert)).toBe('001082000003');
    expect(checkCertificateChain(pki.subjectTeachers['TOA']?.certPem ?? '', [], [pki.ca.certPem], new Date()).ok).toBe(true);
    // the school seal is an organisation certificate: no personal id
    expect(subjectPersonalId(forge.pki.certificateFromPem(pki.school.certPem))).toBeUndefined();
  });

  it('a certificate does not chain to an unrelated CA, nor outside its validity', () => {
    const other = createHocBaTestPki(sampleHocBaRecord());
    expect(checkCertificateChain(pki.homeroom.certPem, [], [other.ca.certPem], new Date())).toMatchObject({ ok: false });
    expect(checkCertificateChain(pki.homeroom.certPem, [], [pki.ca.certPem], new Date(Date.now() - 7 * 24 * 3600 * 1000))).toMatchObject({ ok: false });
  });

  it('a leaf certificate cannot act as a CA', () => {
    // the homeroom teacher's key issues a certificate: refused, her certificate has basicConstraints cA=false
    const record = sampleHocBaRecord();
    const teacherAsCa: TestCa = {
      commonName: pki.homeroom.commonName,
      certPem: pki.homeroom.certPem,
      keyPem: pki.homeroom.keyPem,
      subject: [
        { name: 'countryName', value: 'VN' },
        { name: 'organizationName', value: record.tentruong },
        { name: 'commonName', value: record.tengvcn },
        { name: 'serialNumber', value: `CCCD:${record.soddcngvcn ?? ''}` },
      ],
    };
    const mallory = issueTestCertificate(teacherAsCa, { commonName: 'Mallory' });
    // the issuer name matches, so the refusal is about the CA flag, not a broken path
    expect(forge.pki.certificateFromPem(pki.homeroom.certPem).issued(forge.pki.certificateFromPem(mallory.certPem))).toBe(true);
    const result = checkCertificateChain(mallory.certPem, [pki.homeroom.certPem], [pki.ca.certPem], new Date());
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/not a CA|basicConstraints|keyUsage/i);
  });
});
