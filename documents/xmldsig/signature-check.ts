/**
 * The cryptographic checks of one signature on its document, without the học bạ rules (trust, roles,
 * completeness: verify-hocba.ts): used where lienthong writes a signature value it did not compute
 * (a remote signer's) and where it copies signatures into a rebuilt document.
 */
import { createHash } from 'node:crypto';
import { pemOfBase64, publicKeyOfCertificate } from './certificate-chain.js';
import type { Element } from '@xmldom/xmldom';
import { childElements, isNamed, textOf, XMLDSIG_NS } from '../hocba/dom.js';
import { positionalTargets, referencedIds, type HocBaLayout } from './hocba-layout.js';
import { exclusiveCanonical, signedInfoSignatureMatches } from './xmldsig.js';

/** Why a reference of the signature does not match its element at its fixed position, if one does not. */
export function referencesProblem(signature: Element, layout: HocBaLayout): string | undefined {
  const targets = positionalTargets(layout, signature);
  const signedInfo = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'SignedInfo'));
  if (!signedInfo) return 'the signature has no SignedInfo';
  const ids = referencedIds(signature);
  for (const [i, ref] of childElements(signedInfo).filter((el) => isNamed(el, XMLDSIG_NS, 'Reference')).entries()) {
    const id = ids[i] ?? '';
    const target = targets.get(id);
    const digestValue = childElements(ref).find((el) => isNamed(el, XMLDSIG_NS, 'DigestValue'));
    if (!target || !digestValue) return `reference #${id} does not resolve`;
    const actual = createHash('sha256').update(exclusiveCanonical(target), 'utf8').digest('base64');
    if (actual !== textOf(digestValue).trim()) return `the content of ${id} changed since the signature was made`;
  }
  return undefined;
}

/** Why `value` is not the signature of the SignedInfo under the key of the certificate in KeyInfo, if it is not. */
export function valueProblem(signature: Element, value: Buffer): string | undefined {
  if (value.length === 0) return 'the value is empty';
  const signedInfo = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'SignedInfo'));
  const keyInfo = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'KeyInfo'));
  const x509Data = keyInfo ? childElements(keyInfo).find((el) => isNamed(el, XMLDSIG_NS, 'X509Data')) : undefined;
  const leaf = x509Data ? childElements(x509Data).find((el) => isNamed(el, XMLDSIG_NS, 'X509Certificate')) : undefined;
  if (!signedInfo || !leaf) return 'the prepared signature carries no certificate';
  try {
    const publicKey = publicKeyOfCertificate(pemOfBase64(textOf(leaf)));
    if (!signedInfoSignatureMatches(signedInfo, value.toString('base64'), publicKey)) return 'it does not verify with the certificate in its KeyInfo';
  } catch {
    return 'it does not verify with the certificate in its KeyInfo';
  }
  return undefined;
}
