import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { buildHocBaXml } from '../hocba/xml.js';
import { createHocBaTestPki, createTestCa } from '../pki/test-pki.js';
import { signersFromTestPki } from '../pki/testing/signers.js';
import { sealSchool, signHocBa, signHomeroom, signPrincipal, signSubject } from './sign-hocba.js';
import type { Signer } from './signer.js';
import { makeSignedFixture, nowToTheSecond, tamper, type SignedFixture } from './testing/fixtures.js';
import { verifyHocBa } from './verify-hocba.js';

let fx: SignedFixture;
let trusted: { trustedCaPems: string[] };

beforeAll(async () => {
  fx = await makeSignedFixture();
  trusted = { trustedCaPems: [fx.pki.ca.certPem] };
});
afterAll(() => fx.cleanup());

// the same verdicts whether the document is read by xmldom with the XSD, or by the lean DOM of
// documents lienthong built (builtHere: the signing transforms' own check before a document leaves)
describe.each([{ builtHere: false }, { builtHere: true }])('signHocBa + verifyHocBa (%o)', ({ builtHere }) => {
  const opts = (): { trustedCaPems: string[]; builtHere: boolean } => ({ ...trusted, builtHere });

  it('accepts the untouched document and returns the data of the verified element', async () => {
    const result = await verifyHocBa(fx.signedXml, opts());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.data).toEqual(fx.record);
    expect(result.signatures.map((s) => [s.role, s.mamonhoc ?? null, s.valid])).toEqual([
      ['gvbm', 'TOA', true],
      ['gvbm', 'VAN', true],
      ['gvbm', 'GDT', true],
      ['gvcn', null, true],
      ['hieutruong', null, true],
      ['donvi', null, true],
    ]);
    const principal = result.signatures.find((s) => s.role === 'hieutruong');
    expect(principal?.signer).toBe(fx.record.tengiamhieu);
    expect(principal?.references).toEqual(['dulieu', 'cks-gvbm', 'cks-gvcn', 'sig-ht-thoigian']);
    expect(principal?.signedAt).toBe(fx.signingTime.toISOString().replace('.000Z', 'Z'));
    expect(result.signatures.find((s) => s.role === 'donvi')?.references).toEqual(['dulieu', 'cks-gvbm', 'cks-gvcn', 'cks-ht', 'sig-dv-thoigian']);
  });

  it('writes RSA-SHA256, exclusive c14n, SHA-256, no enveloped transform, the certificate and a signed signing time', () => {
    const xml = fx.signedXml;
    expect(xml).toContain('<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(xml).toContain('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"');
    expect(xml).not.toContain('enveloped-signature');
    expect(xml).not.toContain('xmldsig#sha1');
    expect(xml.match(/<ds:X509Certificate>/g)).toHaveLength(6);
    expect(xml).toMatch(/<ds:Object Id="sig-gvcn-thoigian"><ds:SignatureProperties><ds:SignatureProperty Target="#sig-gvcn"><SigningTime xmlns="urn:vn:moet:hocbaso:thcsthpt:1">/);
  });

  it('rejects a changed score', async () => {
    const result = await verifyHocBa(tamper.subjectField(fx.signedXml, 'TOA', 'diemcanam', '9.8'), opts());
    expect(result.valid).toBe(false);
    expect(result.data).toBeUndefined();
    const broken = result.signatures.filter((s) => !s.valid).map((s) => s.signatureId);
    // the teacher's, the principal's and the seal's signatures all cover the subject
    expect(broken).toEqual(['sig-gvbm-TOA', 'sig-ht', 'sig-dv']);
    expect(result.errors.join('\n')).not.toContain('9.8');
  });

  it('rejects a changed name', async () => {
    const result = await verifyHocBa(tamper.recordField(fx.signedXml, 'hovaten', 'Nguyễn Minh Anh'), opts());
    expect(result.valid).toBe(false);
    expect(result.signatures.filter((s) => !s.valid).map((s) => s.signatureId)).toEqual(['sig-ht', 'sig-dv']);
    expect(result.errors.join('\n')).not.toMatch(/Nguyễn/);
  });

  it('rejects two subjects swapped', async () => {
    const result = await verifyHocBa(tamper.swapSubjects(fx.signedXml, 'TOA', 'VAN'), opts());
    expect(result.valid).toBe(false);
    expect(result.signatures.filter((s) => !s.valid).map((s) => s.signatureId)).toEqual(['sig-ht', 'sig-dv']);
  });

  it('rejects a document whose seal signature was removed (missing role)', async () => {
    const result = await verifyHocBa(tamper.removeSignature(fx.signedXml, 'sig-dv'), opts());
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('role donvi must have exactly one signature, found 0');
  });

  it("rejects a document whose subject teacher's signature was removed", async () => {
    const result = await verifyHocBa(tamper.removeSignature(fx.signedXml, 'sig-gvbm-VAN'), opts());
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('subject VAN has no teacher signature');
    expect(result.signatures.filter((s) => !s.valid).map((s) => s.signatureId)).toEqual(['sig-ht', 'sig-dv']);
  });

  it('rejects a document re-signed by keys that do not chain to the trusted CA', async () => {
    const forgedRecord = sampleHocBaRecord();
    const toa = forgedRecord.bangdiem[0];
    if (toa) toa.diemcanam = '9.8';
    const attackerPki = createHocBaTestPki(forgedRecord, { ca: createTestCa({ commonName: 'lienthong Test Root CA' }) });
    const forged = await signHocBa(buildHocBaXml(forgedRecord), signersFromTestPki(attackerPki), nowToTheSecond());
    const result = await verifyHocBa(forged, opts());
    expect(result.valid).toBe(false);
    expect(result.signatures.every((s) => !s.valid && /certificate chain not trusted/.test(s.error ?? ''))).toBe(true);
    // and the same forged document is fine for whoever trusts the attacker's CA: the failure is the trust
    expect((await verifyHocBa(forged, { trustedCaPems: [attackerPki.ca.certPem], builtHere })).valid).toBe(true);
  });

  it('rejects a wrapped document with a duplicated Id as an attack', async () => {
    const result = await verifyHocBa(tamper.wrapWithDuplicateId(fx.signedXml, 'TOA', 'diemcanam', '9.8'), opts());
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/signature-wrapping attack: Id used more than once: dulieu, mon-TOA/);
  });

  it('rejects a wrapped document whose signed original was moved out of the read position', async () => {
    const result = await verifyHocBa(tamper.wrapMovingOriginal(fx.signedXml, 'TOA', 'diemcanam', '9.8'), opts());
    expect(result.valid).toBe(false);
    expect(result.data).toBeUndefined();
    expect(result.errors.join('\n')).toMatch(/layout/);
  });

  it("rejects a subject signed with another teacher's certificate", async () => {
    const signers = { ...fx.signers, subjectTeachers: { ...fx.signers.subjectTeachers, TOA: fx.signers.subjectTeachers['VAN'] as Signer } };
    const signed = await signHocBa(fx.unsignedXml, signers, nowToTheSecond());
    const result = await verifyHocBa(signed, opts());
    expect(result.valid).toBe(false);
    const toa = result.signatures.find((s) => s.mamonhoc === 'TOA');
    expect(toa?.error).toMatch(/^the certificate belongs to \*{8}0004, the record names \*{8}0003/);
  });

  it('rejects certificates that are not valid at the verification time', async () => {
    const later = new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000);
    const result = await verifyHocBa(fx.signedXml, { ...opts(), at: later });
    expect(result.valid).toBe(false);
    expect(result.signatures[0]?.error).toMatch(/certificate chain not trusted/);
  });

  it('rejects an unsigned document and a malformed one', async () => {
    const unsigned = await verifyHocBa(fx.unsignedXml, opts());
    expect(unsigned.valid).toBe(false);
    expect(unsigned.errors).toContain('subject TOA has no teacher signature');
    const malformed = await verifyHocBa('<HocBa xmlns="urn:vn:moet:hocbaso:thcsthpt:1"><DuLieuHocBa>', opts());
    expect(malformed.valid).toBe(false);
    const doctype = await verifyHocBa(`<!DOCTYPE HocBa [<!ATTLIST DuLieuHocBa Id ID #IMPLIED>]>${fx.signedXml.replace(/^<\?xml[^>]*>\s*/, '')}`, opts());
    expect(doctype.errors[0]).toMatch(/DOCTYPE/);
  });
});

describe('signing steps', () => {
  it('signs through an asynchronous Signer (as a token or a remote service would)', async () => {
    const remote = (inner: Signer): Signer => ({
      certificatePem: inner.certificatePem,
      subject: inner.subject,
      sign: async (data, algorithm) => {
        await new Promise((resolve) => setImmediate(resolve));
        return inner.sign(data, algorithm);
      },
    });
    const s = fx.signers;
    const signers = {
      subjectTeachers: Object.fromEntries(Object.entries(s.subjectTeachers).map(([k, v]) => [k, remote(v)])),
      homeroom: remote(s.homeroom),
      principal: remote(s.principal),
      school: remote(s.school),
    };
    const signed = await signHocBa(fx.unsignedXml, signers, nowToTheSecond());
    expect((await verifyHocBa(signed, trusted)).valid).toBe(true);
  });

  it('enforces the signing order, so that a later signature never breaks an earlier one', async () => {
    const t = nowToTheSecond();
    const s = fx.signers;
    await expect(signPrincipal(fx.unsignedXml, s.principal, t)).rejects.toThrow(/before every subject teacher/);
    await expect(sealSchool(fx.unsignedXml, s.school, t)).rejects.toThrow(/before the principal/);
    let xml = fx.unsignedXml;
    for (const [mamonhoc, signer] of Object.entries(s.subjectTeachers)) xml = await signSubject(xml, mamonhoc, signer, t);
    await expect(signSubject(xml, 'TOA', s.subjectTeachers['TOA'] as Signer, t)).rejects.toThrow(/already signed/);
    await expect(signPrincipal(xml, s.principal, t)).rejects.toThrow(/before the homeroom teacher/);
    xml = await signHomeroom(xml, s.homeroom, t);
    xml = await signPrincipal(xml, s.principal, t);
    await expect(signHomeroom(xml, s.homeroom, t)).rejects.toThrow(/already signed/);
    await expect(signSubject(xml, 'TOA', s.subjectTeachers['TOA'] as Signer, t)).rejects.toThrow();
    xml = await sealSchool(xml, s.school, t);
    expect((await verifyHocBa(xml, trusted)).valid).toBe(true);
  });

  it('refuses to sign a document the XSD rejects', async () => {
    const bad = fx.unsignedXml.replace('<diemcanam>8.8</diemcanam>', '<diemcanam>88</diemcanam>');
    const err = await signSubject(bad, 'TOA', fx.signers.subjectTeachers['TOA'] as Signer, nowToTheSecond()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('HOCBA_SCHEMA');
    expect((err as DataError).message).not.toContain('88');
  });
});
