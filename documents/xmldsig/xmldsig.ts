import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { childElements, isNamed, parseXmlStrict, XMLDSIG_NS } from '../hocba/dom.js';
import type { Signer } from './signer.js';

/** The one signature profile lienthong writes and accepts (docs/formats/hocba.md#signature-profile). */
export const DSIG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

export interface AppendSignatureRequest {
  /** Id of the new ds:Signature; its signing-time Object gets `<signatureId>-thoigian` */
  signatureId: string;
  /** the elements to sign, each by its Id (same-document references, no enveloped transform) */
  references: ReadonlyArray<{ id: string; element: Element }>;
  /** the element the signature is appended to */
  parent: Element;
  signer: Signer;
  signingTime: Date;
  /** namespace of the SigningTime element */
  signingTimeNamespace: string;
}

export function signingTimeObjectId(signatureId: string): string {
  return `${signatureId}-thoigian`;
}

/** xs:dateTime in UTC without fractions, e.g. 2025-05-31T03:00:00Z */
export function formatSigningTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * Appends one detached-by-Id XML signature to `request.parent`, in place: SignedInfo references each
 * element by its Id plus the signature's own ds:Object holding the signing time (so the time is signed
 * too), KeyInfo carries the certificate (and chain). The signature value comes from `request.signer`,
 * so the private key never has to be in this process.
 *
 * The ds:Signature is written exactly as xml-crypto's `computeSignature` writes it (same markup, same
 * order, digests and SignedInfo canonicalized by xml-crypto's exclusive c14n, KeyInfo from xml-crypto's
 * `getKeyInfoContent`), but on the caller's DOM: the caller has already found the elements by their
 * position, so nothing is looked up by XPath, and a document signed by several people is parsed and
 * serialized once instead of at every signature.
 */
export async function appendSignature(request: AppendSignatureRequest): Promise<void> {
  const { signatureId, signer, parent } = request;
  const doc = parent.ownerDocument;
  if (!doc) throw new Error('the signature parent is not in a document');
  const objectId = signingTimeObjectId(signatureId);
  const time = formatSigningTime(request.signingTime);

  const reference = (id: string, digest: string): string =>
    `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="${DSIG.excC14n}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${DSIG.sha256}"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  const keyInfoContent = SignedXml.getKeyInfoContent({ publicCert: [signer.certificatePem, ...(signer.chainPem ?? [])].join('\n'), prefix: 'ds' });
  const fragment =
    `<ds:Signature Id="${signatureId}" xmlns:ds="${XMLDSIG_NS}">` +
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${DSIG.excC14n}"/><ds:SignatureMethod Algorithm="${DSIG.rsaSha256}"/>` +
    request.references.map((r) => reference(r.id, sha256Base64(exclusiveCanonical(r.element)))).join('') +
    // the Object's digest is filled in below, from the parsed Object, as xml-crypto computes it
    reference(objectId, '') +
    `</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` +
    (keyInfoContent ? `<ds:KeyInfo>${keyInfoContent}</ds:KeyInfo>` : '') +
    `<ds:Object Id="${objectId}"><ds:SignatureProperties><ds:SignatureProperty Target="#${signatureId}">` +
    `<SigningTime xmlns="${request.signingTimeNamespace}">${time}</SigningTime>` +
    `</ds:SignatureProperty></ds:SignatureProperties></ds:Object></ds:Signature>`;
  const fragmentDoc = parseXmlStrict(fragment, 'signature');
  const signature = fragmentDoc.documentElement;
  if (!signature) throw new Error('the signature markup did not parse');
  const [signedInfo, signatureValue] = childElements(signature);
  const object = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'Object'));
  const objectDigestValue = signedInfo ? childElements(signedInfo).at(-1)?.lastChild : undefined;
  if (!signedInfo || !signatureValue || !object || !objectDigestValue) throw new Error('the signature markup is not as written');
  objectDigestValue.appendChild(fragmentDoc.createTextNode(sha256Base64(exclusiveCanonical(object))));

  const value = await signer.sign(Buffer.from(exclusiveCanonical(signedInfo), 'utf8'), 'RSA-SHA256');
  signatureValue.appendChild(fragmentDoc.createTextNode(Buffer.from(value).toString('base64')));
  parent.appendChild(doc.importNode(signature, true));
}

/** A document as xml-crypto's `getSignedXml` serializes it (a carriage return is kept as a reference). */
export function serializeSignedXml(doc: Document): string {
  return new XMLSerializer().serializeToString(doc).replace(/\r/g, '&#xD;');
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

type CanonInput = Parameters<ExclusiveCanonicalization['process']>[0];

/**
 * Exclusive XML canonicalization (without comments) of one element, as xml-crypto computes it for a
 * reference digest and for SignedInfo: on a deep copy, with the `ds` prefix bound as xml-crypto binds it.
 */
export function exclusiveCanonical(el: Element): string {
  return String(new ExclusiveCanonicalization().process(el.cloneNode(true) as unknown as CanonInput, { defaultNsForPrefix: { ds: XMLDSIG_NS } }));
}

/**
 * Whether `signatureValueBase64` is the RSA-SHA256 (PKCS#1 v1.5) signature of the exclusive canonical
 * form of `signedInfo` under `publicKey`: the same octets and the same check xml-crypto's
 * `checkSignature` runs, on the SignedInfo element the caller has already read its references from,
 * without xml-crypto re-parsing the whole document and looking every reference up by XPath again.
 */
export function signedInfoSignatureMatches(signedInfo: Element, signatureValueBase64: string, publicKey: KeyObject): boolean {
  const signature = Buffer.from(signatureValueBase64.replace(/\s+/g, ''), 'base64');
  if (signature.length === 0) return false;
  return cryptoVerify('sha256', Buffer.from(exclusiveCanonical(signedInfo), 'utf8'), publicKey, signature);
}
