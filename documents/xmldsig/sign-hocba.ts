import type { Document } from '@xmldom/xmldom';
import { DataError } from '../../src/core/errors.js';
import { checkedDocument, checkedLayout, planStep, type HocBaSigningStep } from './hocba-steps.js';
import type { Signer } from './signer.js';
import { appendSignature, serializeSignedXml } from './xmldsig.js';

export { SIGNATURE_IDS } from './hocba-steps.js';

export interface HocBaSigners {
  /** the teacher of each subject, by mamonhoc */
  subjectTeachers: Record<string, Signer>;
  homeroom: Signer;
  principal: Signer;
  school: Signer;
  /**
   * Subjects whose teacher has left the school: the principal signs them in the teacher's place, and
   * the signature says so (KyThay, docs/formats/hocba.md#a-subject-signed-by-the-principal).
   */
  subjectsSignedByPrincipal?: readonly string[];
}

/**
 * Signs a học bạ document in the order of docs/formats/hocba.md#signing-order: each subject
 * teacher (`#mon-<mamonhoc>`, in GVBM), the homeroom teacher (`#ketqua`, in GVCN), the principal
 * (`#dulieu #cks-gvbm #cks-gvcn`, in HieuTruong), then the school seal (`#dulieu #cks-gvbm #cks-gvcn
 * #cks-ht`, in DonVi). The document is validated against the XSD first. In real use the steps run at
 * different times on different machines (each person's token, or a remote signing service: see
 * two-phase.ts): the step functions below are the same operations one at a time. Here the document is
 * parsed once and every step signs the same DOM (each step still re-checks the Ids, the layout, the
 * order and the signing times on it), then it is serialized once: the output is the one the steps give.
 */
export async function signHocBa(xml: string, signers: HocBaSigners, signingTime: Date, options: { schemaValidated?: boolean } = {}): Promise<string> {
  // The XSD is checked once, here (or by the caller): each step only adds a signature inside the
  // DSCKS lists, which the schema leaves open, and xmllint costs far more than a signature.
  const doc = await checkedDocument(xml, !options.schemaValidated);
  const layout = checkedLayout(doc);
  const byPrincipal = new Set(signers.subjectsSignedByPrincipal ?? []);
  for (const mamonhoc of layout.subjects.keys()) {
    if (byPrincipal.has(mamonhoc)) {
      await signStep(doc, { role: 'subject', mamonhoc, signedBy: 'principal' }, signers.principal, signingTime);
      continue;
    }
    const signer = signers.subjectTeachers[mamonhoc];
    if (!signer) throw new DataError('HOCBA_SIGNER_MISSING', `no signer for the teacher of subject ${mamonhoc}`, { field: `bangdiem.${mamonhoc}` });
    await signStep(doc, { role: 'subject', mamonhoc }, signer, signingTime);
  }
  await signStep(doc, { role: 'homeroom' }, signers.homeroom, signingTime);
  await signStep(doc, { role: 'principal' }, signers.principal, signingTime);
  await signStep(doc, { role: 'seal' }, signers.school, signingTime);
  return serializeSignedXml(doc);
}

/** Step 1: the subject teacher signs `#mon-<mamonhoc>`; the signature goes in GVBM. */
export async function signSubject(xml: string, mamonhoc: string, signer: Signer, signingTime: Date): Promise<string> {
  return signOneStep(xml, { role: 'subject', mamonhoc }, signer, signingTime);
}

/** Step 2: the homeroom teacher signs `#ketqua`; the signature goes in GVCN. */
export async function signHomeroom(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  return signOneStep(xml, { role: 'homeroom' }, signer, signingTime);
}

/** Step 3: the principal signs the data and the earlier signatures; the signature goes in HieuTruong. */
export async function signPrincipal(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  return signOneStep(xml, { role: 'principal' }, signer, signingTime);
}

/** Step 4: the school's organisation certificate seals everything before it; the signature goes in DonVi. */
export async function sealSchool(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  return signOneStep(xml, { role: 'seal' }, signer, signingTime);
}

/**
 * Any step, in one go, on a serialized document (validated against the XSD first, unless the caller
 * already did: signatures since then only went inside the DSCKS lists, which the schema leaves open).
 */
export async function signOneStep(xml: string, step: HocBaSigningStep, signer: Signer, signingTime: Date, options: { schemaValidated?: boolean } = {}): Promise<string> {
  const doc = await checkedDocument(xml, !options.schemaValidated);
  await signStep(doc, step, signer, signingTime);
  return serializeSignedXml(doc);
}

/**
 * The one-go step: the same plan the two-phase path prepares (planStep), signed here and now. The
 * elements to sign come from the checked layout: each is the element at its fixed position, and
 * carries the Id its reference names (readHocBaLayout checks that, and checkedLayout that no other
 * element has it), so the element an Id lookup would find is the one that gets digested.
 */
async function signStep(doc: Document, step: HocBaSigningStep, signer: Signer, signingTime: Date): Promise<void> {
  await appendSignature({ ...planStep(doc, step, signingTime), signer });
}
