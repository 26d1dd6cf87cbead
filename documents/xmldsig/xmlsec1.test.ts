/**
 * Independent referee: xmlsec1 (libxmlsec1 + OpenSSL) must agree with lienthong's verifier — it accepts
 * the untouched document and rejects every tampering it can see. xmlsec1 checks one signature per run
 * (`--node-xpath`), each against the trusted CA only; it knows nothing about the học bạ rules, so
 * application-level attacks (a missing role, a signed element moved away from where the data is read)
 * are asserted against lienthong alone, with the reason next to each.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { buildHocBaXml } from '../hocba/xml.js';
import { createHocBaTestPki, createTestCa } from '../pki/test-pki.js';
import { signersFromTestPki } from '../pki/testing/signers.js';
import { signHocBa } from './sign-hocba.js';
import { makeSignedFixture, nowToTheSecond, tamper, type SignedFixture } from './testing/fixtures.js';
import { hasXmlsec1, XMLSEC1_ID_ATTRS, xmlsec1Verdicts as verdictsOf } from './testing/xmlsec1.js';
import { verifyHocBa } from './verify-hocba.js';

if (!hasXmlsec1) console.warn('xmlsec1 not installed: skipping the referee tests (apt-get install xmlsec1)');

const ID_ATTRS = XMLSEC1_ID_ATTRS;

const ALL_SIGNATURES = ['sig-gvbm-TOA', 'sig-gvbm-VAN', 'sig-gvbm-GDT', 'sig-gvcn', 'sig-ht', 'sig-dv'];

describe.skipIf(!hasXmlsec1)('xmlsec1 as an independent verifier', () => {
  let fx: SignedFixture;
  let caPath: string;

  beforeAll(async () => {
    fx = await makeSignedFixture();
    caPath = fx.pki.caPath ?? '';
  });
  afterAll(() => fx.cleanup());

  /** xmlsec1's verdict for each signature present in `xml`: true = verified. */
  function xmlsec1Verdicts(xml: string, signatureIds: readonly string[] = ALL_SIGNATURES, messages: string[] = []): Record<string, boolean> {
    return verdictsOf(xml, { dir: fx.dir, caPath, signatureIds, messages });
  }

  const allValid = Object.fromEntries(ALL_SIGNATURES.map((id) => [id, true]));
  const trusted = (): { trustedCaPems: string[] } => ({ trustedCaPems: [fx.pki.ca.certPem] });

  it('accepts every signature of the untouched document, as lienthong does', async () => {
    expect(xmlsec1Verdicts(fx.signedXml)).toEqual(allValid);
    expect((await verifyHocBa(fx.signedXml, trusted())).valid).toBe(true);
    // sanity check of the referee itself: it reports OK on stdout/stderr
    const file = join(fx.dir, 'plain.xml');
    writeFileSync(file, fx.signedXml);
    const run = spawnSync('xmlsec1', ['--verify', '--trusted-pem', caPath, ...ID_ATTRS, '--node-xpath', "//*[@Id='sig-dv']", file]);
    expect(run.stderr.toString()).toMatch(/^OK\nSignedInfo References \(ok\/all\): 5\/5/);
  });

  it('a changed score: both reject (teacher, principal and seal signatures break)', async () => {
    const xml = tamper.subjectField(fx.signedXml, 'TOA', 'diemcanam', '9.8');
    expect(xmlsec1Verdicts(xml)).toEqual({ ...allValid, 'sig-gvbm-TOA': false, 'sig-ht': false, 'sig-dv': false });
    expect((await verifyHocBa(xml, trusted())).valid).toBe(false);
  });

  it('a changed name: both reject (principal and seal signatures break)', async () => {
    const xml = tamper.recordField(fx.signedXml, 'hovaten', 'Nguyễn Minh Anh');
    expect(xmlsec1Verdicts(xml)).toEqual({ ...allValid, 'sig-ht': false, 'sig-dv': false });
    expect((await verifyHocBa(xml, trusted())).valid).toBe(false);
  });

  it('two subjects swapped: both reject', async () => {
    const xml = tamper.swapSubjects(fx.signedXml, 'TOA', 'VAN');
    expect(xmlsec1Verdicts(xml)).toEqual({ ...allValid, 'sig-ht': false, 'sig-dv': false });
    expect((await verifyHocBa(xml, trusted())).valid).toBe(false);
  });

  it("a subject teacher's signature removed: both reject (the principal and the seal signed the GVBM list)", async () => {
    const xml = tamper.removeSignature(fx.signedXml, 'sig-gvbm-VAN');
    const { 'sig-gvbm-VAN': _removed, ...rest } = allValid;
    expect(xmlsec1Verdicts(xml, Object.keys(rest))).toEqual({ ...rest, 'sig-ht': false, 'sig-dv': false });
    expect((await verifyHocBa(xml, trusted())).valid).toBe(false);
  });

  it('the seal removed: only lienthong rejects', async () => {
    // Nothing signs DonVi (the seal is last), so every remaining signature is still cryptographically
    // valid and xmlsec1 accepts each of them. "All four roles present" is a học bạ rule that only the
    // application knows.
    const xml = tamper.removeSignature(fx.signedXml, 'sig-dv');
    const { 'sig-dv': _removed, ...rest } = allValid;
    expect(xmlsec1Verdicts(xml, Object.keys(rest))).toEqual(rest);
    const result = await verifyHocBa(xml, trusted());
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('role donvi must have exactly one signature, found 0');
  });

  it('a document forged and re-signed with keys from another CA: both reject', async () => {
    const record = sampleHocBaRecord();
    const toa = record.bangdiem[0];
    if (toa) toa.diemcanam = '9.8';
    // same CA name as the real one: only the key tells them apart
    const attacker = createHocBaTestPki(record, { ca: createTestCa({ commonName: fx.pki.ca.commonName }) });
    const forged = await signHocBa(buildHocBaXml(record), signersFromTestPki(attacker), nowToTheSecond());
    const messages: string[] = [];
    expect(xmlsec1Verdicts(forged, ALL_SIGNATURES, messages)).toEqual(Object.fromEntries(ALL_SIGNATURES.map((id) => [id, false])));
    // refused for the certificate, not for some other reason
    for (const m of messages) expect(m).toMatch(/certificate/i);
    expect((await verifyHocBa(forged, trusted())).valid).toBe(false);
  });

  it('wrapping with a duplicated Id: both reject', async () => {
    const xml = tamper.wrapWithDuplicateId(fx.signedXml, 'TOA', 'diemcanam', '9.8');
    const messages: string[] = [];
    const verdicts = xmlsec1Verdicts(xml, ALL_SIGNATURES, messages);
    // xmlsec1 registers the Ids named by --id-attr and refuses to load a document that defines one twice.
    expect(verdicts).toEqual(Object.fromEntries(ALL_SIGNATURES.map((id) => [id, false])));
    for (const m of messages) expect(m).toMatch(/duplicate ID attribute "dulieu"/);
    const result = await verifyHocBa(xml, trusted());
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/signature-wrapping attack/);
  });

  it('wrapping that moves the signed original out of the read position: only lienthong rejects', async () => {
    // Every Id is unique and every reference resolves to the untouched original, now hidden in an
    // unreferenced ds:Object of the seal: each signature is cryptographically valid, so xmlsec1 accepts
    // them all. It cannot know that an application reads /HocBa/DuLieuHocBa, where the forged copy sits.
    // lienthong checks each reference against the element at its expected position, and rejects.
    const xml = tamper.wrapMovingOriginal(fx.signedXml, 'TOA', 'diemcanam', '9.8');
    expect(xmlsec1Verdicts(xml)).toEqual(allValid);
    const result = await verifyHocBa(xml, trusted());
    expect(result.valid).toBe(false);
    expect(result.data).toBeUndefined();
  });
});
