/**
 * Two-phase signing of a học bạ document, for signers whose key lienthong never holds (a remote
 * signing service approved on the signer's phone, hours later, maybe after a restart): prepare the
 * step's ds:Signature with an empty SignatureValue and compute the SHA-256 digest of its canonical
 * SignedInfo (what `signHash` is sent), keep the prepared document, and complete it when the value
 * comes back. The signing time is fixed at prepare time, inside the signed Object. The one-go path
 * (sign-hocba.ts) is the same plan and the same markup with no pause in between.
 */
import type { Element } from '@xmldom/xmldom';
import forge from 'node-forge';
import { DataError, LienthongError } from '../../src/core/errors.js';
import { maskPersonalId } from '../../src/core/redact.js';
import { childElements, isNamed, textOf } from '../hocba/dom.js';
import { HOCBA_NS } from '../hocba/xml.js';
import { subjectPersonalId } from './certificate-name.js';
import { awaitsValue, findSignature, type HocBaLayout } from './hocba-layout.js';
import { checkedDocument, checkedLayout, planStep, signatureIdOf, type HocBaSigningStep } from './hocba-steps.js';
import { referencesProblem, valueProblem } from './signature-check.js';
import { appendUnsignedSignature, serializeSignedXml, setSignatureValue } from './xmldsig.js';

/** What a remote signing service takes in one signHash request (docs/contracts/remote-signing.md). */
export const MAX_HASHES_PER_REQUEST = 500;

export interface PrepareOptions {
  /** the signer's certificate (PEM), as the signing service published it */
  certificatePem: string;
  /** its intermediates, leaf's issuer first */
  chainPem?: readonly string[];
  /** the signer's signing time, fixed now and signed inside the signature */
  signingTime: Date;
  /** the caller already validated the document against the XSD (a batch built by lienthong) */
  schemaValidated?: boolean;
}

export interface PreparedSignature {
  /** the document with this step's ds:Signature, SignatureValue empty: keep it until the value comes */
  xml: string;
  signatureId: string;
  /** SHA-256 of the exclusive canonical SignedInfo octets: the hash the signer's service signs */
  digest: Buffer;
}

/** A returned signature value that does not verify, or cannot go where it was sent for. */
export class SignatureValueError extends LienthongError {
  readonly signatureId: string;
  constructor(code: string, signatureId: string, message: string) {
    super(code, 'rejected', message, { dataset: 'thongtinsohocbasothcsthpt', signatureId });
    this.signatureId = signatureId;
  }
}

/**
 * Phase 1: adds `step`'s signature to the document with an empty value, after the same checks as the
 * one-go step (layout, unique Ids, order, signing times), and returns the digest to have signed.
 */
export async function prepareSignature(xml: string, step: HocBaSigningStep, options: PrepareOptions): Promise<PreparedSignature> {
  const doc = await checkedDocument(xml, !options.schemaValidated);
  const plan = planStep(doc, step, options.signingTime);
  checkSignerIsNamed(checkedLayout(doc), step, plan.signatureId, options.certificatePem);
  const unsigned = appendUnsignedSignature({ ...plan, certificatePem: options.certificatePem, ...(options.chainPem ? { chainPem: options.chainPem } : {}) });
  return { xml: serializeSignedXml(doc), signatureId: plan.signatureId, digest: unsigned.digest };
}

/**
 * Prepares the same step (one signer, one role: e.g. a teacher's subject in every record of a class)
 * for many documents. The digests are in the order of `xmls`, which is the order the signing service
 * returns the values in; `hashRequests` splits them into requests the service accepts.
 */
export async function prepareSignatureBatch(xmls: readonly string[], step: HocBaSigningStep, options: PrepareOptions): Promise<PreparedSignature[]> {
  const prepared: PreparedSignature[] = [];
  for (const xml of xmls) prepared.push(await prepareSignature(xml, step, options));
  return prepared;
}

/** The digests of a batch in signHash requests of at most `MAX_HASHES_PER_REQUEST`, in order. */
export function hashRequests(prepared: readonly PreparedSignature[], maxPerRequest = MAX_HASHES_PER_REQUEST): Buffer[][] {
  if (!Number.isInteger(maxPerRequest) || maxPerRequest < 1 || maxPerRequest > MAX_HASHES_PER_REQUEST) {
    throw new RangeError(`a signHash request carries 1 to ${MAX_HASHES_PER_REQUEST} hashes`);
  }
  const requests: Buffer[][] = [];
  for (let i = 0; i < prepared.length; i += maxPerRequest) requests.push(prepared.slice(i, i + maxPerRequest).map((p) => p.digest));
  return requests;
}

/**
 * Phase 2: writes the returned signature value into the prepared signature and verifies it: every
 * reference of the signature must still match its element at its fixed position (the document has not
 * changed since it was prepared) and the value must verify, over the canonical SignedInfo, with the key
 * of the certificate in that signature's KeyInfo. Anything else is a SignatureValueError naming the
 * signature: a wrong value never enters the document. (Trust in the certificate is the signing
 * client's check before it sends the hash, and verifyHocBa's on the finished document.)
 */
export async function completeSignature(xml: string, signatureId: string, signatureValue: Buffer): Promise<string> {
  const doc = await checkedDocument(xml, false);
  const layout = checkedLayout(doc);
  const found = findSignature(layout, signatureId);
  if (!found) throw new SignatureValueError('HOCBA_SIGNATURE_NOT_PREPARED', signatureId, `the document has no prepared signature ${signatureId}`);
  const { signature } = found;
  if (!awaitsValue(signature)) throw new SignatureValueError('HOCBA_SIGNATURE_NOT_PREPARED', signatureId, `signature ${signatureId} already has its value`);
  const problem = referencesProblem(signature, layout) ?? valueProblem(signature, signatureValue);
  if (problem) throw new SignatureValueError('HOCBA_SIGNATURE_VALUE_INVALID', signatureId, `the signature value returned for ${signatureId} is refused: ${problem}`);
  setSignatureValue(signature, signatureValue);
  return serializeSignedXml(doc);
}

/**
 * Writes every returned value whose signature still waits for one, in one parse: the values a
 * document missed while it was returned to the school (another signer's request was approved
 * meanwhile, and a returned document is not written to) go in when it is asked again. Each value is
 * checked as completeSignature checks it; a signature that already has its value is left as it is.
 */
export async function completeWaitingSignatures(xml: string, values: ReadonlyArray<{ signatureId: string; value: Buffer }>): Promise<string> {
  const doc = await checkedDocument(xml, false);
  const layout = checkedLayout(doc);
  let written = 0;
  for (const { signatureId, value } of values) {
    const found = findSignature(layout, signatureId);
    if (!found || !awaitsValue(found.signature)) continue;
    const problem = referencesProblem(found.signature, layout) ?? valueProblem(found.signature, value);
    if (problem) throw new SignatureValueError('HOCBA_SIGNATURE_VALUE_INVALID', signatureId, `the signature value returned for ${signatureId} is refused: ${problem}`);
    setSignatureValue(found.signature, value);
    written++;
  }
  return written === 0 ? xml : serializeSignedXml(doc);
}

/** Completes a batch prepared by prepareSignatureBatch with the values in the same order. */
export async function completeSignatureBatch(prepared: readonly PreparedSignature[], values: readonly Buffer[]): Promise<string[]> {
  if (values.length !== prepared.length) {
    throw new DataError('HOCBA_SIGNATURE_COUNT', `${values.length} signature values returned for ${prepared.length} prepared signatures`);
  }
  const out: string[] = [];
  for (const [i, p] of prepared.entries()) out.push(await completeSignature(p.xml, p.signatureId, values[i] as Buffer));
  return out;
}

/**
 * The certificate must belong to the person the record names for the step (when it carries a personal
 * id), checked before a hash goes to a signer's phone: verifyHocBa would refuse the finished document.
 */
function checkSignerIsNamed(layout: HocBaLayout, step: HocBaSigningStep, signatureId: string, certificatePem: string): void {
  const field = (parent: Element, name: string): string | undefined => {
    const el = childElements(parent).find((c) => isNamed(c, HOCBA_NS, name));
    return el ? textOf(el).trim() : undefined;
  };
  let expected: string | undefined;
  if (step.role === 'subject' && step.signedBy !== 'principal') {
    const subject = layout.subjects.get(step.mamonhoc);
    expected = subject ? field(subject, 'soddcngvbm') : undefined;
  } else if (step.role === 'homeroom') expected = field(layout.duLieu, 'soddcngvcn');
  else if (step.role !== 'seal') expected = field(layout.duLieu, 'soddcngiamhieu');
  const actual = subjectPersonalId(forge.pki.certificateFromPem(certificatePem));
  if (expected === undefined || actual === undefined || actual === expected) return;
  throw new DataError('HOCBA_SIGNER_MISMATCH', `the certificate for ${signatureId} belongs to ${maskPersonalId(actual)}, the record names ${maskPersonalId(expected)}`, {
    dataset: 'thongtinsohocbasothcsthpt',
    signatureId,
  });
}

/** The signature Id a step prepares (e.g. to find the prepared signature again after a restart). */
export { signatureIdOf };
