/**
 * The signature value is checked by lienthong itself (exclusive c14n of SignedInfo + RSA-SHA256 with the
 * certificate's key), no longer by xml-crypto's checkSignature: these tamperings touch only what that
 * check covers, so each must break exactly the signature it touches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNamed, XMLDSIG_NS } from '../hocba/dom.js';
import { X509Certificate } from 'node:crypto';
import { CertificateChainChecker, checkCertificateChain, forgetChainVerdicts } from './certificate-chain.js';
import { editXml, find, makeSignedFixture, type SignedFixture } from './testing/fixtures.js';
import { verifyHocBa } from './verify-hocba.js';

let fx: SignedFixture;
let trusted: { trustedCaPems: string[] };

beforeAll(async () => {
  fx = await makeSignedFixture();
  trusted = { trustedCaPems: [fx.pki.ca.certPem] };
});
afterAll(() => fx.cleanup());

function dsChild(xml: string, signatureId: string, localName: string, edit: (el: import('@xmldom/xmldom').Element) => void): string {
  return editXml(xml, (root) => {
    const sig = find(root, (el) => isNamed(el, XMLDSIG_NS, 'Signature') && el.getAttribute('Id') === signatureId);
    edit(find(sig, (el) => isNamed(el, XMLDSIG_NS, localName)));
  });
}

describe('signature value', () => {
  it('rejects a changed SignatureValue, and only for that signature', async () => {
    const xml = dsChild(fx.signedXml, 'sig-gvcn', 'SignatureValue', (el) => {
      const value = Buffer.from(el.textContent ?? '', 'base64');
      value[10] = (value[10] ?? 0) ^ 0x01;
      el.textContent = value.toString('base64');
    });
    const result = await verifyHocBa(xml, trusted);
    expect(result.valid).toBe(false);
    // the principal and the seal signed the GVCN list, which holds the changed value
    expect(result.signatures.filter((s) => !s.valid).map((s) => [s.signatureId, s.error])).toEqual([
      ['sig-gvcn', 'the signature value does not verify'],
      ['sig-ht', 'the content of cks-gvcn does not match its signed digest'],
      ['sig-dv', 'the content of cks-gvcn does not match its signed digest'],
    ]);
  });

  it("rejects a signature whose value was copied from another signer's signature", async () => {
    let other = '';
    editXml(fx.signedXml, (root) => {
      const sig = find(root, (el) => isNamed(el, XMLDSIG_NS, 'Signature') && el.getAttribute('Id') === 'sig-gvbm-VAN');
      other = find(sig, (el) => isNamed(el, XMLDSIG_NS, 'SignatureValue')).textContent ?? '';
    });
    const xml = dsChild(fx.signedXml, 'sig-gvbm-TOA', 'SignatureValue', (el) => {
      el.textContent = other;
    });
    const toa = (await verifyHocBa(xml, trusted)).signatures.find((s) => s.signatureId === 'sig-gvbm-TOA');
    expect(toa).toMatchObject({ valid: false, error: 'the signature value does not verify' });
  });

  it('rejects an InclusiveNamespaces parameter added to the SignedInfo canonicalization', async () => {
    const xml = dsChild(fx.signedXml, 'sig-gvcn', 'CanonicalizationMethod', (el) => {
      const inc = el.ownerDocument?.createElementNS('http://www.w3.org/2001/10/xml-exc-c14n#', 'InclusiveNamespaces');
      if (!inc) throw new Error('detached');
      inc.setAttribute('PrefixList', 'ds');
      el.appendChild(inc);
    });
    const gvcn = (await verifyHocBa(xml, trusted)).signatures.find((s) => s.signatureId === 'sig-gvcn');
    expect(gvcn?.valid).toBe(false);
  });

  it('rejects a signature with two SignatureValue elements', async () => {
    const xml = dsChild(fx.signedXml, 'sig-ht', 'SignatureValue', (el) => {
      el.parentNode?.insertBefore(el.cloneNode(true), el);
    });
    const ht = (await verifyHocBa(xml, trusted)).signatures.find((s) => s.signatureId === 'sig-ht');
    expect(ht).toMatchObject({ valid: false, error: 'the signature must hold exactly one SignatureValue' });
  });
});

describe('CertificateChainChecker', () => {
  it('answers a repeated chain as the full check does, for trusted and untrusted certificates alike', () => {
    const at = new Date();
    const checker = new CertificateChainChecker([fx.pki.ca.certPem], at);
    const teacher = fx.pki.subjectTeachers['TOA']?.certPem ?? '';
    for (let i = 0; i < 2; i++) expect(checker.check(teacher, []).ok).toBe(true);
    const late = new CertificateChainChecker([fx.pki.ca.certPem], new Date(at.getTime() + 3 * 365 * 24 * 3600 * 1000));
    for (let i = 0; i < 2; i++) expect(late.check(teacher, []).ok).toBe(false);
    expect(checkCertificateChain(teacher, [], [fx.pki.ca.certPem], at).ok).toBe(true);
    expect(new CertificateChainChecker(['not a certificate'], at).check(teacher, [])).toMatchObject({ ok: false, error: 'a trusted CA certificate cannot be read' });
  });

  it('keeps a verdict per trusted-CA set and chain across checkers, and checks each checker\'s time against the validity window', () => {
    forgetChainVerdicts();
    const teacher = fx.pki.subjectTeachers['TOA']?.certPem ?? '';
    const notBefore = new X509Certificate(teacher).validFrom;
    const before = new Date(new Date(notBefore).getTime() - 24 * 3600 * 1000);
    // first seen at a time before the certificate: refused for the time, not for the chain …
    expect(new CertificateChainChecker([fx.pki.ca.certPem], before).check(teacher, [])).toMatchObject({ ok: false, error: 'certificate chain not trusted: Certificate is not valid yet or has expired.' });
    // … so a later checker with the same CAs, at a time inside the window, trusts it from the memo
    expect(new CertificateChainChecker([fx.pki.ca.certPem], new Date()).check(teacher, []).ok).toBe(true);
    // another trusted set (here one whose text holds no certificate) has its own verdict
    const other = [fx.pki.ca.certPem.replace('BEGIN', 'BEGUN')];
    expect(new CertificateChainChecker(other, new Date()).check(teacher, []).ok).toBe(false);
    expect(new CertificateChainChecker([fx.pki.ca.certPem], new Date()).check(teacher, []).ok).toBe(true);
  });
});
