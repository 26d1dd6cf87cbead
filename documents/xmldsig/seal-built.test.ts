import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXmlStrict } from '../hocba/dom.js';
import { readHocBaLayout } from './hocba-layout.js';
import { sealAndVerifyBuiltHocBa } from './seal-built.js';
import { sealSchool } from './sign-hocba.js';
import type { Signer } from './signer.js';
import { makeSignedFixture, tamper, type SignedFixture } from './testing/fixtures.js';
import { hasXmlsec1, xmlsec1Verdicts } from './testing/xmlsec1.js';
import { verifyHocBa } from './verify-hocba.js';
import { serializeSignedXml } from './xmldsig.js';

const PERSONAL = ['sig-gvbm-TOA', 'sig-gvbm-VAN', 'sig-gvbm-GDT', 'sig-gvcn', 'sig-ht'];

/** The fixture's document as every person signed it, before the seal. */
function withoutSeal(signedXml: string): string {
  const doc = parseXmlStrict(signedXml);
  const donvi = readHocBaLayout(doc).roles.donvi;
  while (donvi.firstChild) donvi.removeChild(donvi.firstChild);
  return serializeSignedXml(doc);
}

describe('sealAndVerifyBuiltHocBa: the seal and the check of a document lienthong built, on its text', () => {
  let fx: SignedFixture;
  let personal: string;
  let trusted: string[];
  beforeAll(async () => {
    fx = await makeSignedFixture();
    personal = withoutSeal(fx.signedXml);
    trusted = [fx.pki.ca.certPem];
  });
  afterAll(() => fx?.cleanup());

  it('seals by adding one signature to DonVi, and verifies the document as verifyHocBa and xmlsec1 do', async () => {
    expect(personal).toContain('<DonVi Id="cks-dv"/>');
    const { xml, verified } = await sealAndVerifyBuiltHocBa(personal, fx.signers.school, fx.signingTime, trusted);
    expect(verified.errors).toEqual([]);
    expect(verified.valid).toBe(true);
    expect(verified.data).toEqual(fx.record);
    // nothing but the seal changed: the text before and after DonVi is the text that came in
    const [before, after] = personal.split('<DonVi Id="cks-dv"/>') as [string, string];
    expect(xml.startsWith(`${before}<DonVi Id="cks-dv"><ds:Signature Id="sig-dv"`)).toBe(true);
    expect(xml.endsWith(`</ds:Signature></DonVi>${after}`)).toBe(true);
    // the independent checks, each reading the sealed text afresh: xmldom with the XSD, and xmlsec1
    const full = await verifyHocBa(xml, { trustedCaPems: trusted, at: fx.signingTime });
    expect(full.errors).toEqual([]);
    expect(full.signatures.map((s) => [s.signatureId, s.valid])).toEqual(verified.signatures.map((s) => [s.signatureId, s.valid]));
    expect(full.signatures.find((s) => s.role === 'donvi')?.references).toEqual(['dulieu', 'cks-gvbm', 'cks-gvcn', 'cks-ht', 'sig-dv-thoigian']);
    if (hasXmlsec1) {
      const verdicts = xmlsec1Verdicts(xml, { dir: fx.dir, caPath: fx.pki.caPath ?? '', signatureIds: [...PERSONAL, 'sig-dv'] });
      expect(Object.values(verdicts).every(Boolean)).toBe(true);
    }
    // the same seal as the DOM path's, apart from the signature value's bytes (the same key, the same time: the same value)
    expect(xml).toBe(await sealSchool(personal, fx.signers.school, fx.signingTime));
  });

  it('reads CR LF line ends and a DonVi written with an end tag, and falls back to xmldom for what it does not read', async () => {
    const crlf = personal.replace(/\n/g, '\r\n').replace('<DonVi Id="cks-dv"/>', '<DonVi Id="cks-dv">\r\n    </DonVi>');
    const sealed = await sealAndVerifyBuiltHocBa(crlf, fx.signers.school, fx.signingTime, trusted);
    expect(sealed.verified.valid).toBe(true);
    expect((await verifyHocBa(sealed.xml, { trustedCaPems: trusted, at: fx.signingTime })).valid).toBe(true);
    // a comment: lienthong never writes one, so the lean DOM refuses it and xmldom's path seals it
    const commented = personal.replace('<DSCKS>', '<!-- chữ ký --><DSCKS>');
    const fallback = await sealAndVerifyBuiltHocBa(commented, fx.signers.school, fx.signingTime, trusted);
    expect(fallback.verified.valid).toBe(true);
    expect(fallback.xml).toContain('<!-- chữ ký -->');
  });

  it('refuses to seal before the principal, and a seal key whose value does not verify', async () => {
    const noPrincipal = tamper.removeSignature(personal, 'sig-ht');
    await expect(sealAndVerifyBuiltHocBa(noPrincipal, fx.signers.school, fx.signingTime, trusted)).rejects.toMatchObject({ code: 'HOCBA_SIGNING_ORDER' });
    const broken: Signer = { certificatePem: fx.signers.school.certificatePem, subject: 'broken token', sign: () => Buffer.alloc(256, 7) };
    await expect(sealAndVerifyBuiltHocBa(personal, broken, fx.signingTime, trusted)).rejects.toMatchObject({ code: 'HOCBA_SIGNATURE_VALUE_INVALID', signatureId: 'sig-dv' });
    // a seal earlier than the principal's signature breaks the signing order in time
    await expect(sealAndVerifyBuiltHocBa(personal, fx.signers.school, new Date(fx.signingTime.getTime() - 60_000), trusted)).rejects.toMatchObject({ code: 'HOCBA_SIGNING_TIME_ORDER' });
  });

  it('seals a document whose data changed after the people signed, and says which signatures no longer hold', async () => {
    const changed = tamper.subjectField(personal, 'TOA', 'diemcanam', '9.8');
    const { verified } = await sealAndVerifyBuiltHocBa(changed, fx.signers.school, fx.signingTime, trusted);
    expect(verified.valid).toBe(false);
    expect(verified.data).toBeUndefined();
    // the seal covers the changed data as it is now, so it holds; the people's signatures do not
    expect(verified.signatures.filter((s) => !s.valid).map((s) => s.signatureId)).toEqual(['sig-gvbm-TOA', 'sig-ht']);
  });

  it('refuses a certificate chain it does not trust, in the signatures it verifies', async () => {
    const { verified } = await sealAndVerifyBuiltHocBa(personal, fx.signers.school, fx.signingTime, [fx.pki.ca.certPem.replace(/[A-Z]{8}/, 'AAAAAAAA')]);
    expect(verified.valid).toBe(false);
    expect(verified.signatures.every((s) => !s.valid)).toBe(true);
  });
});
