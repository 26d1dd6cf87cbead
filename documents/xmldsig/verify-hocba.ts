import { timingSafeEqual } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { maskPersonalId } from '../../src/core/redact.js';
import { allElements, childElements, isNamed, parseXmlStrict, textOf, XMLDSIG_NS } from '../hocba/dom.js';
import type { HocBaThcsThpt } from '../hocba/fields.js';
import { LeanXmlUnsupported, parseLeanXml } from '../hocba/lean-dom.js';
import { validateHocBaXml } from '../hocba/validate.js';
import { HOCBA_IDS, HOCBA_NS, hocBaDataFromElement, subjectElementId, type SignatureRole } from '../hocba/xml.js';
import { CertificateChainChecker, pemOfBase64, publicKeyOfCertificate } from './certificate-chain.js';
import { subjectAttribute, subjectPersonalId } from './certificate-name.js';
import { duplicateIds, LayoutError, readHocBaLayout, signatureProperty, signaturesIn, type HocBaLayout } from './hocba-layout.js';
import { ROLE_RANK, SIGNED_IN_PLACE } from './hocba-steps.js';
import { DSIG, elementDigest, signedInfoSignatureMatches } from './xmldsig.js';

export interface VerifyHocBaOptions {
  /** PEM certificates of the CAs whose certificates may sign (e.g. VGCA roots) */
  trustedCaPems: readonly string[];
  /** time at which certificates must be valid; default now */
  at?: Date;
  /**
   * The document was built in this process from data that passed the XSD, and only signatures went in
   * since (the signing transforms, which check it before it leaves): the XSD is not run again (the
   * DSCKS lists the signatures go in are open in the schema), and the text is read with the lean DOM
   * (documents/hocba/lean-dom.ts) when it holds only what lienthong writes. Never for a document from
   * elsewhere.
   */
  builtHere?: boolean;
}

export interface SignatureReport {
  role: SignatureRole;
  /** the subject, for a subject teacher's signature */
  mamonhoc?: string;
  signatureId: string;
  /** the certificate subject's common name */
  signer: string;
  /** the signed signing time (xs:dateTime) */
  signedAt?: string;
  /**
   * `hieutruong`: a subject's signature made by the principal because the subject's teacher has left
   * (the signed KyThay statement, docs/formats/hocba.md#a-subject-signed-by-the-principal)
   */
  signedInPlaceBy?: 'hieutruong';
  /** the Ids the signature references (data and its own signing-time Object) */
  references: string[];
  valid: boolean;
  error?: string;
}

export interface VerifyHocBaResult {
  valid: boolean;
  signatures: SignatureReport[];
  errors: string[];
  /** the record read from the verified DuLieuHocBa element; only when the document is valid */
  data?: HocBaThcsThpt;
}

/**
 * Verifies a signed học bạ document (docs/formats/hocba.md#verification): XSD, no duplicated Id, the
 * fixed layout, every signature (profile, references, digests, value, certificate chain, signing time
 * inside the certificate's validity, signer id matching the record), one teacher signature per subject
 * and all four roles. Safe against signature wrapping: each reference must name the element at its
 * expected position, whose digest is recomputed here from that positional element (not from whatever
 * an Id lookup finds), and the data returned is read from that same element.
 */
export async function verifyHocBa(xml: string, options: VerifyHocBaOptions): Promise<VerifyHocBaResult> {
  let doc: Document;
  try {
    doc = options.builtHere ? parseBuiltHere(xml) : parseXmlStrict(xml, 'học bạ document');
  } catch (err) {
    return { valid: false, signatures: [], errors: [err instanceof Error ? err.message : String(err)] };
  }
  // xmllint runs in a worker thread: start it once the layout is known (a document with the wrong
  // layout is not worth a schema run), let the validation batch go out (it leaves on the next turn of
  // the event loop), and check the signatures on this thread meanwhile.
  let schemaPending: Promise<{ valid: boolean; errors: string[] }> | undefined;
  const schema = options.builtHere
    ? undefined
    : async (): Promise<void> => {
        schemaPending = validateHocBaXml(xml);
        schemaPending.catch(() => undefined); // awaited below; this only keeps an early throw from leaving it unhandled
        await new Promise<void>((resolve) => setImmediate(resolve));
      };
  return verifyHocBaDocument(doc, options, new Map(), schema && { start: schema, result: () => schemaPending as Promise<{ valid: boolean; errors: string[] }> });
}

/**
 * verifyHocBa on a parsed document (xmldom's or the lean DOM's), with the digests of elements already
 * canonicalized on this same tree (`digests`, filled as it goes: sealing a document and verifying it
 * share them). `schema`, when given, is started once the layout is read and its errors come first.
 */
export async function verifyHocBaDocument(
  doc: Document,
  options: VerifyHocBaOptions,
  digests: Map<Element, Buffer>,
  schema?: { start(): Promise<void>; result(): Promise<{ valid: boolean; errors: string[] }> },
): Promise<VerifyHocBaResult> {
  const at = options.at ?? new Date();
  const errors: string[] = [];
  const fail = (): VerifyHocBaResult => ({ valid: false, signatures: [], errors });
  const duplicates = duplicateIds(doc);
  if (duplicates.length > 0) {
    // Two elements with one Id let a verifier check one and an application read the other.
    errors.push(`possible signature-wrapping attack: Id used more than once: ${duplicates.join(', ')}`);
    return fail();
  }
  let layout: HocBaLayout;
  try {
    layout = readHocBaLayout(doc);
  } catch (err) {
    if (!(err instanceof LayoutError)) throw err;
    errors.push(`unexpected document layout: ${err.message}`);
    return fail();
  }
  await schema?.start();

  const data = hocBaDataFromElement(layout.duLieu);
  const reports: SignatureReport[] = [];
  // One checker per document: the trusted CAs are read once and a certificate used for several
  // signatures (one teacher, several subjects) has its chain checked once.
  const chains = new CertificateChainChecker(options.trustedCaPems, at);
  // The principal's and the seal's signatures both reference DuLieuHocBa, GVBM and GVCN: each element
  // is canonicalized and digested once per tree (the tree does not change meanwhile).
  for (const [role, roleElement] of Object.entries(layout.roles) as Array<[SignatureRole, Element]>) {
    for (const sig of signaturesIn(roleElement)) {
      reports.push(verifySignature(sig, role, layout, data, chains, digests));
    }
  }

  if (schema) {
    const checked = await schema.result();
    if (!checked.valid) errors.push(...checked.errors.map((e) => `schema: ${e}`));
  }

  const roleOf = new Map<Element, SignatureRole>(Object.entries(layout.roles).map(([role, el]) => [el, role as SignatureRole]));
  for (const sig of allElements(layout.root).filter((el) => isNamed(el, XMLDSIG_NS, 'Signature'))) {
    const parent = sig.parentNode as Element | null;
    if (!parent || !roleOf.has(parent)) errors.push('a ds:Signature sits outside the DSCKS role elements');
  }

  // Completeness: one valid teacher signature per subject, and exactly one signature per other role.
  for (const mamonhoc of layout.subjects.keys()) {
    const count = reports.filter((r) => r.role === 'gvbm' && r.mamonhoc === mamonhoc).length;
    if (count === 0) errors.push(`subject ${mamonhoc} has no teacher signature`);
    if (count > 1) errors.push(`subject ${mamonhoc} has ${count} teacher signatures`);
  }
  for (const role of ['gvcn', 'hieutruong', 'donvi'] as const) {
    const count = reports.filter((r) => r.role === role).length;
    if (count !== 1) errors.push(`role ${role} must have exactly one signature, found ${count}`);
  }
  for (const r of reports) if (!r.valid) errors.push(`signature ${r.signatureId} (${r.role}) is invalid: ${r.error ?? 'unknown reason'}`);
  errors.push(...signingTimeOrderErrors(reports));

  const valid = errors.length === 0;
  return valid ? { valid, signatures: reports, errors, data } : { valid, signatures: reports, errors };
}

/** A document lienthong built, by the lean DOM; by xmldom when it holds anything else. */
function parseBuiltHere(xml: string): Document {
  try {
    return parseLeanXml(xml);
  } catch (err) {
    if (err instanceof LeanXmlUnsupported) return parseXmlStrict(xml, 'học bạ document');
    throw err;
  }
}

/** What each role must reference, as positional elements. */
function expectedTargets(role: SignatureRole, layout: HocBaLayout, referenced: readonly string[]): Map<string, Element> | string {
  const byId = new Map<string, Element>();
  switch (role) {
    case 'gvbm': {
      const subjectRefs = referenced.filter((id) => id.startsWith('mon-'));
      const [only] = subjectRefs;
      if (subjectRefs.length !== 1 || !only) return 'a subject teacher signature must reference exactly one subject';
      const mamonhoc = only.slice('mon-'.length);
      const el = layout.subjects.get(mamonhoc);
      if (!el) return `references a subject the document does not have`;
      byId.set(subjectElementId(mamonhoc), el);
      return byId;
    }
    case 'gvcn':
      byId.set(HOCBA_IDS.ketqua, layout.ketQua);
      return byId;
    case 'hieutruong':
    case 'donvi':
      byId.set(HOCBA_IDS.dulieu, layout.duLieu);
      byId.set(HOCBA_IDS.gvbm, layout.roles.gvbm);
      byId.set(HOCBA_IDS.gvcn, layout.roles.gvcn);
      if (role === 'donvi') byId.set(HOCBA_IDS.hieuTruong, layout.roles.hieutruong);
      return byId;
  }
}

interface ParsedReference {
  id: string;
  transforms: string[];
  digestMethod: string;
  digestValue: string;
}

function verifySignature(sig: Element, role: SignatureRole, layout: HocBaLayout, data: HocBaThcsThpt, chains: CertificateChainChecker, digests: Map<Element, Buffer>): SignatureReport {
  const signatureId = sig.getAttribute('Id') ?? '';
  const report: SignatureReport = { role, signatureId: signatureId || '(no Id)', signer: '(unknown)', references: [], valid: false };
  const invalid = (error: string): SignatureReport => ({ ...report, valid: false, error });

  if (!signatureId) return invalid('the signature has no Id');
  const signedInfo = onlyChild(sig, 'SignedInfo');
  if (!signedInfo) return invalid('the signature must hold exactly one SignedInfo');
  if (algorithmOf(signedInfo, 'CanonicalizationMethod') !== DSIG.excC14n) return invalid('SignedInfo must use exclusive canonicalization');
  if (algorithmOf(signedInfo, 'SignatureMethod') !== DSIG.rsaSha256) return invalid('the signature method must be RSA-SHA256');

  const references: ParsedReference[] = [];
  for (const ref of childElements(signedInfo).filter((el) => isNamed(el, XMLDSIG_NS, 'Reference'))) {
    const uri = ref.getAttribute('URI') ?? '';
    if (!/^#[A-Za-z_][\w.-]*$/.test(uri)) return invalid('every reference must be a same-document reference by Id');
    const transformsEl = onlyChild(ref, 'Transforms');
    const transforms = transformsEl ? childElements(transformsEl).map((t) => t.getAttribute('Algorithm') ?? '') : [];
    const digestValueEl = onlyChild(ref, 'DigestValue');
    references.push({ id: uri.slice(1), transforms, digestMethod: algorithmOf(ref, 'DigestMethod') ?? '', digestValue: digestValueEl ? textOf(digestValueEl).trim() : '' });
  }
  report.references = references.map((r) => r.id);
  if (new Set(report.references).size !== report.references.length) return invalid('a reference appears twice');

  const targets = expectedTargets(role, layout, report.references);
  if (typeof targets === 'string') return invalid(targets);
  if (role === 'gvbm') report.mamonhoc = [...targets.keys()][0]?.slice('mon-'.length);

  // The one reference that is not data must be this signature's own signing-time Object.
  const others = references.filter((r) => !targets.has(r.id));
  const [timeRef] = others;
  if (others.length !== 1 || !timeRef) return invalid(`the references must be exactly ${[...targets.keys()].join(', ')} and the signing-time Object`);
  const timeObject = childElements(sig).find((el) => isNamed(el, XMLDSIG_NS, 'Object') && el.getAttribute('Id') === timeRef.id);
  if (!timeObject) return invalid("the signing-time reference must point to a ds:Object of this signature");
  const signedAt = signingTimeOf(timeObject, signatureId);
  if (!signedAt) return invalid('the signing-time Object must hold SignatureProperties/SignatureProperty[@Target] with SigningTime');
  report.signedAt = signedAt;
  if (!targets.has(timeRef.id)) targets.set(timeRef.id, timeObject);
  if (targets.size !== references.length) return invalid('unexpected references');

  // Recompute each digest from the positional element: this is what ties the signature to the element
  // the application reads, whatever an Id lookup elsewhere would find.
  for (const ref of references) {
    if (ref.transforms.length !== 1 || ref.transforms[0] !== DSIG.excC14n) return invalid('each reference must have exactly the exclusive c14n transform');
    if (ref.digestMethod !== DSIG.sha256) return invalid('each reference must use SHA-256');
    const target = targets.get(ref.id);
    if (!target) return invalid('unexpected reference');
    if (!digestMatches(target, ref.digestValue, digests)) return invalid(`the content of ${ref.id} does not match its signed digest`);
  }

  // Certificate: the first X509Certificate signs; any others are (untrusted) intermediates.
  const keyInfo = onlyChild(sig, 'KeyInfo');
  const x509Data = keyInfo ? onlyChild(keyInfo, 'X509Data') : undefined;
  const certs = x509Data ? childElements(x509Data).filter((el) => isNamed(el, XMLDSIG_NS, 'X509Certificate')).map((el) => pemOfBase64(textOf(el))) : [];
  const [leafPem, ...intermediates] = certs;
  if (!leafPem) return invalid('KeyInfo must carry the X.509 certificate');
  const chain = chains.check(leafPem, intermediates);
  if (chain.leaf) report.signer = subjectAttribute(chain.leaf, 'CN') ?? '(no common name)';
  if (!chain.ok || !chain.leaf) return invalid(chain.error ?? 'certificate chain not trusted');
  const signedAtDate = new Date(signedAt);
  if (Number.isNaN(signedAtDate.getTime())) return invalid('the signing time is not a date-time');
  if (signedAtDate < chain.leaf.validity.notBefore || signedAtDate > chain.leaf.validity.notAfter) {
    return invalid('the signing time is outside the certificate validity');
  }
  const inPlace = signatureProperty(sig, SIGNED_IN_PLACE.property);
  if (inPlace !== undefined && (role !== 'gvbm' || inPlace !== SIGNED_IN_PLACE.principal)) {
    return invalid(`${SIGNED_IN_PLACE.property} is only for a subject signed by the principal (${SIGNED_IN_PLACE.principal})`);
  }
  if (inPlace !== undefined) report.signedInPlaceBy = SIGNED_IN_PLACE.principal;
  const idError = signerIdMismatch(role, report.mamonhoc, data, subjectPersonalId(chain.leaf), inPlace !== undefined);
  if (idError) return invalid(idError);

  // Finally the signature value over SignedInfo, with the already-trusted certificate's key. Every
  // reference SignedInfo names was checked above against its positional element (and every Id in the
  // document is unique), so only the value itself is left to check.
  const signatureValueEl = onlyChild(sig, 'SignatureValue');
  if (!signatureValueEl) return invalid('the signature must hold exactly one SignatureValue');
  if (childElements(signedInfo).some((el) => isNamed(el, XMLDSIG_NS, 'CanonicalizationMethod') && childElements(el).length > 0)) {
    return invalid('SignedInfo canonicalization must not carry InclusiveNamespaces or other parameters');
  }
  if (textOf(signatureValueEl).trim() === '') return invalid('the signature has no value yet (prepared, awaiting the signer)');
  try {
    const publicKey = publicKeyOfCertificate(leafPem);
    if (!signedInfoSignatureMatches(signedInfo, textOf(signatureValueEl), publicKey)) return invalid('the signature value does not verify');
  } catch (err) {
    return invalid(err instanceof Error ? firstSentence(err.message) : 'the signature value does not verify');
  }
  return { ...report, valid: true };
}

/** The signer's certificate must belong to the person the record names for that role, when it carries an id. */
function signerIdMismatch(role: SignatureRole, mamonhoc: string | undefined, data: HocBaThcsThpt, certId: string | undefined, byPrincipal: boolean): string | undefined {
  if (!certId) return undefined; // the certificate carries no personal id: nothing to compare
  let expected: string | undefined;
  if (role === 'gvbm' && byPrincipal) expected = data.soddcngiamhieu;
  else if (role === 'gvbm') expected = data.bangdiem.find((b) => b.mamonhoc === mamonhoc)?.soddcngvbm;
  else if (role === 'gvcn') expected = data.soddcngvcn;
  else if (role === 'hieutruong') expected = data.soddcngiamhieu;
  if (expected === undefined || expected === certId) return undefined;
  return `the certificate belongs to ${maskPersonalId(certId)}, the record names ${maskPersonalId(expected)} for this role`;
}

/**
 * Subject teachers ≤ homeroom teacher ≤ principal ≤ seal (docs/formats/hocba.md#signing-times): each
 * signing time must not be earlier than any signature of an earlier role.
 */
function signingTimeOrderErrors(reports: readonly SignatureReport[]): string[] {
  const errors: string[] = [];
  const timed = reports.flatMap((r) => {
    const at = r.signedAt === undefined ? Number.NaN : new Date(r.signedAt).getTime();
    return Number.isNaN(at) ? [] : [{ r, at }];
  });
  for (const later of timed) {
    const earlier = timed.find((e) => ROLE_RANK[e.r.role] < ROLE_RANK[later.r.role] && e.at > later.at);
    if (earlier) errors.push(`signing times out of order: ${later.r.signatureId} (${later.r.signedAt ?? ''}) is earlier than ${earlier.r.signatureId} (${earlier.r.signedAt ?? ''})`);
  }
  return errors;
}

function digestMatches(el: Element, expectedBase64: string, digests: Map<Element, Buffer>): boolean {
  const actual = elementDigest(el, digests);
  const expected = Buffer.from(expectedBase64, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function signingTimeOf(object: Element, signatureId: string): string | undefined {
  const props = onlyChild(object, 'SignatureProperties');
  if (!props) return undefined;
  for (const prop of childElements(props).filter((el) => isNamed(el, XMLDSIG_NS, 'SignatureProperty'))) {
    if (prop.getAttribute('Target') !== `#${signatureId}`) continue;
    const time = childElements(prop).find((el) => isNamed(el, HOCBA_NS, 'SigningTime'));
    if (time) return textOf(time).trim();
  }
  return undefined;
}

function onlyChild(parent: Element, localName: string): Element | undefined {
  const found = childElements(parent).filter((el) => isNamed(el, XMLDSIG_NS, localName));
  return found.length === 1 ? found[0] : undefined;
}

function algorithmOf(parent: Element, localName: string): string | undefined {
  return onlyChild(parent, localName)?.getAttribute('Algorithm') ?? undefined;
}

function firstSentence(message: string): string {
  // xml-crypto's messages may include digests or signature values; they are not personal data but are noise.
  return (message.split(/[:\n]/)[0] ?? message).slice(0, 120);
}
