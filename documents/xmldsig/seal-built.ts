/**
 * The school's seal on a document lienthong built and every person has signed, and the verification
 * of the sealed document, on one lean DOM of its text (documents/hocba/lean-dom.ts): the seal's plan
 * (planStep: layout, unique Ids, order, signing times) and digests are computed on that tree, the
 * seal's ds:Signature is written as text, put into DonVi both in the text (a splice: nothing else of
 * the document is rewritten) and in the tree, and the tree is then verified as verifyHocBa verifies a
 * document (every signature's references, digests, value, certificate chain, signer, signing time;
 * completeness and order), sharing the digests the seal computed (DuLieuHocBa, GVBM, GVCN).
 *
 * It is the one-go seal step (sign-hocba.ts `sealSchool`) followed by `verifyHocBa(…, { builtHere })`
 * without xmldom's parse and serialization and without canonicalizing the same elements twice, which
 * were most of the time; a document the lean parser does not read goes that way instead.
 */
import { verify as cryptoVerify } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { LeanElement, LeanXmlUnsupported, parseLeanDocument } from '../hocba/lean-dom.js';
import { publicKeyOfCertificate } from './certificate-chain.js';
import { planStep } from './hocba-steps.js';
import { signOneStep } from './sign-hocba.js';
import type { Signer } from './signer.js';
import { SignatureValueError } from './two-phase.js';
import { verifyHocBa, verifyHocBaDocument, type VerifyHocBaResult } from './verify-hocba.js';
import { elementDigest, unsignedSignatureMarkup, withSignatureValue } from './xmldsig.js';

export interface SealedHocBa {
  /** the sealed document's text */
  xml: string;
  /** its verification against `trustedCaPems` at the signing time; `data` is read from the verified element */
  verified: VerifyHocBaResult;
}

/**
 * Seals `xml` (a học bạ document lienthong built from data that passed the XSD, with every person's
 * signature in) with the school's `signer` at `signingTime`, and verifies the sealed document against
 * `trustedCaPems` at that time. Refuses as `sealSchool` refuses (HOCBA_SIGNING_ORDER,
 * HOCBA_STRUCTURE, HOCBA_DUPLICATE_ID, HOCBA_SIGNING_TIME_ORDER), and with
 * HOCBA_SIGNATURE_VALUE_INVALID when the key's value does not verify with the seal's certificate; a
 * document that does not verify comes back with `verified.valid` false and the reasons.
 */
export async function sealAndVerifyBuiltHocBa(xml: string, signer: Signer, signingTime: Date, trustedCaPems: readonly string[]): Promise<SealedHocBa> {
  const options = { trustedCaPems, at: signingTime, builtHere: true };
  let doc;
  try {
    doc = parseLeanDocument(xml);
  } catch (err) {
    if (!(err instanceof LeanXmlUnsupported)) throw err;
    const sealed = await signOneStep(xml, { role: 'seal' }, signer, signingTime, { schemaValidated: true });
    return { xml: sealed, verified: await verifyHocBa(sealed, options) };
  }
  const tree = doc as unknown as Document;
  const plan = planStep(tree, { role: 'seal' }, signingTime);
  const digests = new Map<Element, Buffer>();
  const unsigned = unsignedSignatureMarkup(
    { ...plan, certificatePem: signer.certificatePem, ...(signer.chainPem ? { chainPem: signer.chainPem } : {}) },
    plan.references.map((r) => elementDigest(r.element, digests).toString('base64')),
  );
  const value = Buffer.from(await signer.sign(unsigned.signedInfoOctets, 'RSA-SHA256'));
  if (value.length === 0 || !cryptoVerify('sha256', unsigned.signedInfoOctets, publicKeyOfCertificate(signer.certificatePem), value)) {
    throw new SignatureValueError('HOCBA_SIGNATURE_VALUE_INVALID', plan.signatureId, `the seal's key returned a value for ${plan.signatureId} that does not verify with its certificate`);
  }
  const markup = withSignatureValue(unsigned.markup, value);

  const parent = plan.parent as unknown as LeanElement;
  const replaces = plan.replaces as unknown as LeanElement | undefined;
  const text = doc.source;
  let sealed: string;
  if (replaces) sealed = text.slice(0, replaces.start) + markup + text.slice(replaces.end);
  else if (!parent.selfClosing) sealed = text.slice(0, parent.contentEnd) + markup + text.slice(parent.contentEnd);
  else sealed = `${text.slice(0, parent.start)}${text.slice(parent.start, parent.startTagEnd).replace(/\s*\/>$/, '>')}${markup}</${parent.tagName}>${text.slice(parent.end)}`;
  // the same signature in the same place in the tree: what is verified is what the text now says
  // (the seal's references do not cover DonVi, so the digests computed above still hold)
  parent.adopt(parseLeanDocument(markup).documentElement, replaces);
  return { xml: sealed, verified: await verifyHocBaDocument(tree, options, digests) };
}
