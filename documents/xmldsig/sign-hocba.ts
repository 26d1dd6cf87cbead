import type { Document, Element } from '@xmldom/xmldom';
import { DataError } from '../../src/core/errors.js';
import { parseXmlStrict } from '../hocba/dom.js';
import { validateHocBaXml } from '../hocba/validate.js';
import { HOCBA_IDS, HOCBA_NS, subjectElementId, type SignatureRole } from '../hocba/xml.js';
import { duplicateIds, LayoutError, readHocBaLayout, referencedIds, signaturesIn, type HocBaLayout } from './hocba-layout.js';
import type { Signer } from './signer.js';
import { appendSignature, serializeSignedXml, type AppendSignatureRequest } from './xmldsig.js';

export interface HocBaSigners {
  /** the teacher of each subject, by mamonhoc */
  subjectTeachers: Record<string, Signer>;
  homeroom: Signer;
  principal: Signer;
  school: Signer;
}

/** Signature Ids: unique in the document, stable, and free of personal data. */
export const SIGNATURE_IDS = {
  subject: (mamonhoc: string): string => `sig-gvbm-${mamonhoc}`,
  gvcn: 'sig-gvcn',
  hieutruong: 'sig-ht',
  donvi: 'sig-dv',
} as const;

/**
 * Signs a học bạ document in the order of docs/formats/hocba.md#signing-order: each subject
 * teacher (`#mon-<mamonhoc>`, in GVBM), the homeroom teacher (`#ketqua`, in GVCN), the principal
 * (`#dulieu #cks-gvbm #cks-gvcn`, in HieuTruong), then the school seal (`#dulieu #cks-gvbm #cks-gvcn
 * #cks-ht`, in DonVi). The document is validated against the XSD first. In real use the steps run at different times on different machines
 * (each person's token): the step functions below are the same operations one at a time. Here the
 * document is parsed once and every step signs the same DOM (each step still re-checks the Ids, the
 * layout and the order on it), then it is serialized once: the output is the one the steps give.
 */
export async function signHocBa(xml: string, signers: HocBaSigners, signingTime: Date, options: { schemaValidated?: boolean } = {}): Promise<string> {
  // The XSD is checked once, here (or by the caller): each step only adds a signature inside the
  // DSCKS lists, which the schema leaves open, and xmllint costs far more than a signature.
  const doc = await checkedDocument(xml, !options.schemaValidated);
  const layout = checkedLayout(doc);
  for (const mamonhoc of layout.subjects.keys()) {
    const signer = signers.subjectTeachers[mamonhoc];
    if (!signer) throw new DataError('HOCBA_SIGNER_MISSING', `no signer for the teacher of subject ${mamonhoc}`, { field: `bangdiem.${mamonhoc}` });
    await subjectStep(doc, mamonhoc, signer, signingTime);
  }
  await homeroomStep(doc, signers.homeroom, signingTime);
  await principalStep(doc, signers.principal, signingTime);
  await sealStep(doc, signers.school, signingTime);
  return serializeSignedXml(doc);
}

/** Step 1: the subject teacher signs `#mon-<mamonhoc>`; the signature goes in GVBM. */
export async function signSubject(xml: string, mamonhoc: string, signer: Signer, signingTime: Date): Promise<string> {
  const doc = await checkedDocument(xml, true);
  await subjectStep(doc, mamonhoc, signer, signingTime);
  return serializeSignedXml(doc);
}

async function subjectStep(doc: Document, mamonhoc: string, signer: Signer, signingTime: Date): Promise<void> {
  const layout = checkedLayout(doc);
  const subject = layout.subjects.get(mamonhoc);
  if (!subject) throw stepError(`the document has no subject ${mamonhoc}`);
  if (signedSubjects(layout).has(mamonhoc)) throw stepError(`subject ${mamonhoc} is already signed`);
  requireUnsigned(layout, 'hieutruong', 'a subject teacher cannot sign after the principal');
  await appendSignature(request(SIGNATURE_IDS.subject(mamonhoc), [[subjectElementId(mamonhoc), subject]], layout.roles.gvbm, signer, signingTime));
}

/** Step 2: the homeroom teacher signs `#ketqua`; the signature goes in GVCN. */
export async function signHomeroom(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  const doc = await checkedDocument(xml, true);
  await homeroomStep(doc, signer, signingTime);
  return serializeSignedXml(doc);
}

async function homeroomStep(doc: Document, signer: Signer, signingTime: Date): Promise<void> {
  const layout = checkedLayout(doc);
  requireUnsigned(layout, 'gvcn', 'the homeroom teacher has already signed');
  requireUnsigned(layout, 'hieutruong', 'the homeroom teacher cannot sign after the principal');
  await appendSignature(request(SIGNATURE_IDS.gvcn, [[HOCBA_IDS.ketqua, layout.ketQua]], layout.roles.gvcn, signer, signingTime));
}

/** Step 3: the principal signs the data and the earlier signatures; the signature goes in HieuTruong. */
export async function signPrincipal(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  const doc = await checkedDocument(xml, true);
  await principalStep(doc, signer, signingTime);
  return serializeSignedXml(doc);
}

async function principalStep(doc: Document, signer: Signer, signingTime: Date): Promise<void> {
  const layout = checkedLayout(doc);
  const signed = signedSubjects(layout);
  const unsigned = [...layout.subjects.keys()].filter((m) => !signed.has(m));
  if (unsigned.length > 0) throw stepError(`the principal cannot sign before every subject teacher: ${unsigned.join(', ')} not signed`);
  if (signaturesIn(layout.roles.gvcn).length === 0) throw stepError('the principal cannot sign before the homeroom teacher');
  requireUnsigned(layout, 'hieutruong', 'the principal has already signed');
  const targets: Array<[string, Element]> = [
    [HOCBA_IDS.dulieu, layout.duLieu],
    [HOCBA_IDS.gvbm, layout.roles.gvbm],
    [HOCBA_IDS.gvcn, layout.roles.gvcn],
  ];
  await appendSignature(request(SIGNATURE_IDS.hieutruong, targets, layout.roles.hieutruong, signer, signingTime));
}

/** Step 4: the school's organisation certificate seals everything before it; the signature goes in DonVi. */
export async function sealSchool(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  const doc = await checkedDocument(xml, true);
  await sealStep(doc, signer, signingTime);
  return serializeSignedXml(doc);
}

async function sealStep(doc: Document, signer: Signer, signingTime: Date): Promise<void> {
  const layout = checkedLayout(doc);
  if (signaturesIn(layout.roles.hieutruong).length === 0) throw stepError('the school cannot seal before the principal signs');
  requireUnsigned(layout, 'donvi', 'the school has already sealed');
  const targets: Array<[string, Element]> = [
    [HOCBA_IDS.dulieu, layout.duLieu],
    [HOCBA_IDS.gvbm, layout.roles.gvbm],
    [HOCBA_IDS.gvcn, layout.roles.gvcn],
    [HOCBA_IDS.hieuTruong, layout.roles.hieutruong],
  ];
  await appendSignature(request(SIGNATURE_IDS.donvi, targets, layout.roles.donvi, signer, signingTime));
}

/**
 * The elements to sign come from the checked layout: each is the element at its fixed position, and
 * carries the Id its reference names (readHocBaLayout checks that, and checkedLayout that no other
 * element has it), so the element an Id lookup would find is the one that gets digested.
 */
function request(signatureId: string, targets: ReadonlyArray<[string, Element]>, parent: Element, signer: Signer, signingTime: Date): AppendSignatureRequest {
  return { signatureId, references: targets.map(([id, element]) => ({ id, element })), parent, signer, signingTime, signingTimeNamespace: HOCBA_NS };
}

/** Validates the document against the XSD (when asked) and parses it strictly. */
async function checkedDocument(xml: string, withSchema: boolean): Promise<Document> {
  if (withSchema) {
    const schema = await validateHocBaXml(xml);
    if (!schema.valid) {
      throw new DataError('HOCBA_SCHEMA', `the document does not match the học bạ XSD: ${schema.errors.slice(0, 3).join('; ')}`);
    }
  }
  return parseXmlStrict(xml, 'học bạ document');
}

/** Checks unique Ids and the fixed layout before anyone signs; run again before every step. */
function checkedLayout(doc: Document): HocBaLayout {
  const duplicates = duplicateIds(doc);
  if (duplicates.length > 0) {
    throw new DataError('HOCBA_DUPLICATE_ID', `Id used more than once: ${duplicates.join(', ')}`, { dataset: 'thongtinsohocbasothcsthpt' });
  }
  try {
    return readHocBaLayout(doc);
  } catch (err) {
    if (err instanceof LayoutError) throw new DataError('HOCBA_STRUCTURE', err.message, { dataset: 'thongtinsohocbasothcsthpt' });
    throw err;
  }
}

function signedSubjects(layout: HocBaLayout): Set<string> {
  const signed = new Set<string>();
  for (const sig of signaturesIn(layout.roles.gvbm)) {
    for (const id of referencedIds(sig)) if (id.startsWith('mon-')) signed.add(id.slice('mon-'.length));
  }
  return signed;
}

function requireUnsigned(layout: HocBaLayout, role: SignatureRole, message: string): void {
  if (signaturesIn(layout.roles[role]).length > 0) throw stepError(message);
}

function stepError(message: string): DataError {
  return new DataError('HOCBA_SIGNING_ORDER', message, { dataset: 'thongtinsohocbasothcsthpt' });
}
