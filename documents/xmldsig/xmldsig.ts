import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { childElements, isNamed, parseXmlStrict, XMLDSIG_NS } from '../hocba/dom.js';
import { isLeanElement, LeanElement, leanExclusiveCanonical, parseLeanDocument } from '../hocba/lean-dom.js';
import type { Signer } from './signer.js';

/** The one signature profile lienthong writes and accepts (docs/formats/hocba.md#signature-profile). */
export const DSIG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

/** What a signature covers and where it goes: everything but the key that signs it. */
export interface SignatureTemplate {
  /** Id of the new ds:Signature; its signing-time Object gets `<signatureId>-thoigian` */
  signatureId: string;
  /** the elements to sign, each by its Id (same-document references, no enveloped transform) */
  references: ReadonlyArray<{ id: string; element: Element }>;
  /** the element the signature is appended to */
  parent: Element;
  /** an existing (unsigned) signature of `parent` the new one takes the place of */
  replaces?: Element;
  /** the signing certificate, PEM, and its intermediates (leaf's issuer first), published in KeyInfo */
  certificatePem: string;
  chainPem?: readonly string[];
  signingTime: Date;
  /** namespace of the SigningTime element (and of the extra properties) */
  signingTimeNamespace: string;
  /**
   * Further signed statements of the signer, each written as its own SignatureProperty in the
   * signing-time Object: `<name xmlns="signingTimeNamespace">text</name>` (e.g. KyThay).
   */
  properties?: ReadonlyArray<{ name: string; text: string }>;
}

export interface AppendSignatureRequest extends Omit<SignatureTemplate, 'certificatePem' | 'chainPem'> {
  signer: Signer;
}

/** A ds:Signature placed in its document with an empty SignatureValue, waiting for the signer. */
export interface UnsignedSignature {
  /** the ds:Signature element, in the caller's document */
  signature: Element;
  /** the exclusive canonical SignedInfo octets: what RSA-SHA256 signs */
  signedInfoOctets: Buffer;
  /** SHA-256 of `signedInfoOctets`: what a remote signing service is sent (signHash) */
  digest: Buffer;
}

export function signingTimeObjectId(signatureId: string): string {
  return `${signatureId}-thoigian`;
}

/** xs:dateTime in UTC without fractions, e.g. 2025-05-31T03:00:00Z */
export function formatSigningTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * Appends one detached-by-Id XML signature to `request.parent`, in place, signed by `request.signer`:
 * the one-go path, which is exactly the two-phase path (appendUnsignedSignature, then the signer signs
 * the SignedInfo octets, then setSignatureValue) with no pause in between, so the private key never
 * has to be in this process and both paths write the same bytes.
 */
export async function appendSignature(request: AppendSignatureRequest): Promise<void> {
  const { signer, ...rest } = request;
  const template: SignatureTemplate = { ...rest, certificatePem: signer.certificatePem, ...(signer.chainPem ? { chainPem: signer.chainPem } : {}) };
  const unsigned = appendUnsignedSignature(template);
  setSignatureValue(unsigned.signature, Buffer.from(await signer.sign(unsigned.signedInfoOctets, 'RSA-SHA256')));
}

/**
 * Appends one ds:Signature to `template.parent` (or puts it in place of `template.replaces`) with an
 * empty SignatureValue: SignedInfo references each element by its Id plus the signature's own
 * ds:Object holding the signing time (so the time is signed too), KeyInfo carries the certificate (and
 * chain). Returns the SignedInfo octets and their SHA-256 digest, the one thing left to sign.
 *
 * The markup is unsignedSignatureMarkup's, put on the caller's DOM: the caller has already found the
 * elements by their position, so nothing is looked up by XPath, and a document signed by several
 * people is parsed and serialized once instead of at every signature.
 */
export function appendUnsignedSignature(template: SignatureTemplate): UnsignedSignature {
  const { parent } = template;
  const doc = parent.ownerDocument;
  if (!doc) throw new Error('the signature parent is not in a document');
  const unsigned = unsignedSignatureMarkup(template, template.references.map((r) => exclusiveDigestBase64(r.element)));
  const built = parseXmlStrict(unsigned.markup, 'signature').documentElement;
  if (!built) throw new Error('the signature markup did not parse');
  const signature = doc.importNode(built, true) as Element;
  if (template.replaces) parent.replaceChild(signature, template.replaces);
  else parent.appendChild(signature);
  return { signature, signedInfoOctets: unsigned.signedInfoOctets, digest: unsigned.digest };
}

/** A template's ds:Signature as text, SignatureValue empty, with what is left to sign. */
export interface UnsignedSignatureMarkup {
  /** the ds:Signature element's markup, with `<ds:SignatureValue></ds:SignatureValue>` empty */
  markup: string;
  /** the exclusive canonical SignedInfo octets: what RSA-SHA256 signs */
  signedInfoOctets: Buffer;
  /** SHA-256 of `signedInfoOctets`: what a remote signing service is sent (signHash) */
  digest: Buffer;
}

const EMPTY_SIGNATURE_VALUE = '<ds:SignatureValue></ds:SignatureValue>';

/**
 * The markup of a template's ds:Signature with an empty SignatureValue: SignedInfo references each
 * element by its Id (with `referenceDigests`, the base64 SHA-256 of each element's exclusive
 * canonical form, in the order of `template.references`) plus the signature's own ds:Object holding
 * the signing time (so the time is signed too); KeyInfo carries the certificate (and chain). The
 * markup is the one xml-crypto's `computeSignature` writes (same elements, same order, KeyInfo from
 * its `getKeyInfoContent`); the Object's digest and the SignedInfo octets are computed on the markup
 * itself, whose canonical form does not depend on where it is put (every namespace it uses is
 * declared in it).
 */
export function unsignedSignatureMarkup(template: SignatureTemplate, referenceDigests: readonly string[]): UnsignedSignatureMarkup {
  const { signatureId } = template;
  const objectId = signingTimeObjectId(signatureId);
  const time = formatSigningTime(template.signingTime);
  const ns = template.signingTimeNamespace;
  const reference = (id: string, digest: string): string =>
    `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="${DSIG.excC14n}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${DSIG.sha256}"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  const property = (content: string): string => `<ds:SignatureProperty Target="#${signatureId}">${content}</ds:SignatureProperty>`;
  const keyInfoContent = keyInfoContentOf([template.certificatePem, ...(template.chainPem ?? [])].join('\n'));
  const object =
    `<ds:Object Id="${objectId}"><ds:SignatureProperties>` +
    property(`<SigningTime xmlns="${ns}">${time}</SigningTime>`) +
    (template.properties ?? []).map((p) => property(`<${p.name} xmlns="${ns}">${escapeText(p.text)}</${p.name}>`)).join('') +
    `</ds:SignatureProperties></ds:Object>`;
  // the Object's canonical form, then the SignedInfo's, on the markup as written (the lean parser:
  // lienthong wrote it; its canonical form is xml-crypto's, documents/hocba/lean-dom.ts)
  const objectDigest = sha256Base64(leanExclusiveCanonical(leanRoot(`<ds:Signature xmlns:ds="${XMLDSIG_NS}">${object}</ds:Signature>`, 'Object')));
  const signedInfo =
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${DSIG.excC14n}"/><ds:SignatureMethod Algorithm="${DSIG.rsaSha256}"/>` +
    template.references.map((r, i) => reference(r.id, referenceDigests[i] ?? '')).join('') +
    reference(objectId, objectDigest) +
    `</ds:SignedInfo>`;
  if (referenceDigests.length !== template.references.length) throw new Error('one digest per reference');
  const signedInfoOctets = Buffer.from(leanExclusiveCanonical(leanRoot(`<ds:Signature xmlns:ds="${XMLDSIG_NS}">${signedInfo}</ds:Signature>`, 'SignedInfo')), 'utf8');
  const markup =
    `<ds:Signature Id="${signatureId}" xmlns:ds="${XMLDSIG_NS}">` +
    signedInfo +
    EMPTY_SIGNATURE_VALUE +
    (keyInfoContent ? `<ds:KeyInfo>${keyInfoContent}</ds:KeyInfo>` : '') +
    object +
    `</ds:Signature>`;
  return { markup, signedInfoOctets, digest: createHash('sha256').update(signedInfoOctets).digest() };
}

const keyInfoContents = new Map<string, string | null>();

/**
 * xml-crypto's KeyInfo content (X509Data) for a certificate and its chain, remembered by their text:
 * it parses every certificate, and the same few certificates sign a whole school's records.
 */
function keyInfoContentOf(publicCert: string): string | null {
  let content = keyInfoContents.get(publicCert);
  if (content === undefined) {
    content = SignedXml.getKeyInfoContent({ publicCert, prefix: 'ds' });
    if (keyInfoContents.size >= 2_000) keyInfoContents.clear();
    keyInfoContents.set(publicCert, content);
  }
  return content;
}

/** The markup of an unsigned signature with its value written in. */
export function withSignatureValue(markup: string, value: Buffer): string {
  const at = markup.indexOf(EMPTY_SIGNATURE_VALUE);
  if (at === -1) throw new Error('the signature markup has no empty SignatureValue');
  return `${markup.slice(0, at)}<ds:SignatureValue>${value.toString('base64')}</ds:SignatureValue>${markup.slice(at + EMPTY_SIGNATURE_VALUE.length)}`;
}

/** The one ds child `localName` of the ds:Signature wrapper markup, read by the lean parser. */
function leanRoot(markup: string, localName: string): LeanElement {
  const child = parseLeanDocument(markup).documentElement.firstChild;
  if (!(child instanceof LeanElement) || child.localName !== localName) throw new Error(`the signature markup has no ${localName}`);
  return child;
}

/** Writes the signer's raw signature value into the (empty) SignatureValue of `signature`. */
export function setSignatureValue(signature: Element, value: Buffer): void {
  const valueEl = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'SignatureValue'));
  const doc = signature.ownerDocument;
  if (!valueEl || !doc) throw new Error('the signature has no SignatureValue');
  while (valueEl.firstChild) valueEl.removeChild(valueEl.firstChild);
  valueEl.appendChild(doc.createTextNode(value.toString('base64')));
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A document as xml-crypto's `getSignedXml` serializes it (a carriage return is kept as a reference). */
export function serializeSignedXml(doc: Document): string {
  return new XMLSerializer().serializeToString(doc).replace(/\r/g, '&#xD;');
}

/** Base64 SHA-256 of an element's exclusive canonical form: a reference's DigestValue. */
export function exclusiveDigestBase64(el: Element): string {
  return sha256Base64(exclusiveCanonical(el));
}

/**
 * SHA-256 of an element's exclusive canonical form, remembered in `digests` for the element: on one
 * tree that does not change, the seal and the verification of the sealed document canonicalize
 * DuLieuHocBa, GVBM and GVCN once between them.
 */
export function elementDigest(el: Element, digests: Map<Element, Buffer>): Buffer {
  let digest = digests.get(el);
  if (!digest) {
    digest = createHash('sha256').update(exclusiveCanonical(el), 'utf8').digest();
    digests.set(el, digest);
  }
  return digest;
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

type CanonInput = Parameters<ExclusiveCanonicalization['process']>[0];

const canonicalizer = new ExclusiveCanonicalization();

/**
 * Exclusive XML canonicalization (without comments) of one element, as xml-crypto computes it for a
 * reference digest and for SignedInfo, with the `ds` prefix bound as xml-crypto binds it. On the element
 * itself, not a deep copy: with no InclusiveNamespaces prefix list and no ancestor namespaces given,
 * xml-crypto's exclusive c14n only reads the tree (it never looks above the element either), and the
 * copy was a third of a verification's time (a whole DuLieuHocBa cloned per reference).
 */
export function exclusiveCanonical(el: Element): string {
  if (isLeanElement(el)) return leanExclusiveCanonical(el, { ds: XMLDSIG_NS });
  return String(canonicalizer.process(el as unknown as CanonInput, { defaultNsForPrefix: { ds: XMLDSIG_NS } }));
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
