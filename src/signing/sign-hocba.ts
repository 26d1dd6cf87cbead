import { DataError } from '../core/errors.js';
import { parseXmlStrict } from '../hocba/dom.js';
import { validateHocBaXml } from '../hocba/validate.js';
import { HOCBA_IDS, HOCBA_NS, subjectElementId, type SignatureRole } from '../hocba/xml.js';
import { duplicateIds, LayoutError, readHocBaLayout, referencedIds, signaturesIn, type HocBaLayout } from './hocba-layout.js';
import type { Signer } from './signer.js';
import { appendSignature } from './xmldsig.js';

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

const ROLE_XPATH: Record<SignatureRole, string> = {
  gvbm: roleXPath('GVBM'),
  gvcn: roleXPath('GVCN'),
  hieutruong: roleXPath('HieuTruong'),
  donvi: roleXPath('DonVi'),
};

function roleXPath(element: string): string {
  const n = (name: string): string => `*[local-name(.)='${name}' and namespace-uri(.)='${HOCBA_NS}']`;
  return `/${n('HocBa')}/${n('DSCKS')}/${n(element)}`;
}

/**
 * Signs a học bạ document in the order of formats.md: each subject teacher (`#mon-<mamonhoc>`, in
 * GVBM), the homeroom teacher (`#ketqua`, in GVCN), the principal (`#dulieu #cks-gvbm #cks-gvcn`, in
 * HieuTruong), then the school seal (`#dulieu #cks-gvbm #cks-gvcn #cks-ht`, in DonVi). The document is
 * validated against the XSD first. In real use the steps run at different times on different machines
 * (each person's token): the step functions below are the same operations one at a time.
 */
export async function signHocBa(xml: string, signers: HocBaSigners, signingTime: Date, options: { schemaValidated?: boolean } = {}): Promise<string> {
  let out = xml;
  // The XSD is checked once, here (or by the caller): each step only adds a signature inside the
  // DSCKS lists, which the schema leaves open, and xmllint costs far more than a signature.
  const layout = await checkedLayout(out, !options.schemaValidated);
  for (const mamonhoc of layout.subjects.keys()) {
    const signer = signers.subjectTeachers[mamonhoc];
    if (!signer) throw new DataError('HOCBA_SIGNER_MISSING', `no signer for the teacher of subject ${mamonhoc}`, { field: `bangdiem.${mamonhoc}` });
    out = await subjectStep(out, mamonhoc, signer, signingTime, false);
  }
  out = await homeroomStep(out, signers.homeroom, signingTime, false);
  out = await principalStep(out, signers.principal, signingTime, false);
  return sealStep(out, signers.school, signingTime, false);
}

/** Step 1: the subject teacher signs `#mon-<mamonhoc>`; the signature goes in GVBM. */
export function signSubject(xml: string, mamonhoc: string, signer: Signer, signingTime: Date): Promise<string> {
  return subjectStep(xml, mamonhoc, signer, signingTime, true);
}

async function subjectStep(xml: string, mamonhoc: string, signer: Signer, signingTime: Date, withSchema: boolean): Promise<string> {
  const layout = await checkedLayout(xml, withSchema);
  if (!layout.subjects.has(mamonhoc)) throw stepError(`the document has no subject ${mamonhoc}`);
  if (signedSubjects(layout).has(mamonhoc)) throw stepError(`subject ${mamonhoc} is already signed`);
  requireUnsigned(layout, 'hieutruong', 'a subject teacher cannot sign after the principal');
  return appendSignature(xml, request(SIGNATURE_IDS.subject(mamonhoc), [subjectElementId(mamonhoc)], 'gvbm', signer, signingTime));
}

/** Step 2: the homeroom teacher signs `#ketqua`; the signature goes in GVCN. */
export function signHomeroom(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  return homeroomStep(xml, signer, signingTime, true);
}

async function homeroomStep(xml: string, signer: Signer, signingTime: Date, withSchema: boolean): Promise<string> {
  const layout = await checkedLayout(xml, withSchema);
  requireUnsigned(layout, 'gvcn', 'the homeroom teacher has already signed');
  requireUnsigned(layout, 'hieutruong', 'the homeroom teacher cannot sign after the principal');
  return appendSignature(xml, request(SIGNATURE_IDS.gvcn, [HOCBA_IDS.ketqua], 'gvcn', signer, signingTime));
}

/** Step 3: the principal signs the data and the earlier signatures; the signature goes in HieuTruong. */
export function signPrincipal(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  return principalStep(xml, signer, signingTime, true);
}

async function principalStep(xml: string, signer: Signer, signingTime: Date, withSchema: boolean): Promise<string> {
  const layout = await checkedLayout(xml, withSchema);
  const signed = signedSubjects(layout);
  const unsigned = [...layout.subjects.keys()].filter((m) => !signed.has(m));
  if (unsigned.length > 0) throw stepError(`the principal cannot sign before every subject teacher: ${unsigned.join(', ')} not signed`);
  if (signaturesIn(layout.roles.gvcn).length === 0) throw stepError('the principal cannot sign before the homeroom teacher');
  requireUnsigned(layout, 'hieutruong', 'the principal has already signed');
  return appendSignature(
    xml,
    request(SIGNATURE_IDS.hieutruong, [HOCBA_IDS.dulieu, HOCBA_IDS.gvbm, HOCBA_IDS.gvcn], 'hieutruong', signer, signingTime),
  );
}

/** Step 4: the school's organisation certificate seals everything before it; the signature goes in DonVi. */
export function sealSchool(xml: string, signer: Signer, signingTime: Date): Promise<string> {
  return sealStep(xml, signer, signingTime, true);
}

async function sealStep(xml: string, signer: Signer, signingTime: Date, withSchema: boolean): Promise<string> {
  const layout = await checkedLayout(xml, withSchema);
  if (signaturesIn(layout.roles.hieutruong).length === 0) throw stepError('the school cannot seal before the principal signs');
  requireUnsigned(layout, 'donvi', 'the school has already sealed');
  return appendSignature(
    xml,
    request(SIGNATURE_IDS.donvi, [HOCBA_IDS.dulieu, HOCBA_IDS.gvbm, HOCBA_IDS.gvcn, HOCBA_IDS.hieuTruong], 'donvi', signer, signingTime),
  );
}

function request(signatureId: string, referenceIds: string[], role: SignatureRole, signer: Signer, signingTime: Date) {
  return { signatureId, referenceIds, parentXPath: ROLE_XPATH[role], signer, signingTime, signingTimeNamespace: HOCBA_NS };
}

/** Validates the document (XSD, unique Ids, fixed layout) before anyone signs it. */
async function checkedLayout(xml: string, withSchema: boolean): Promise<HocBaLayout> {
  if (withSchema) {
    const schema = await validateHocBaXml(xml);
    if (!schema.valid) {
      throw new DataError('HOCBA_SCHEMA', `the document does not match the học bạ XSD: ${schema.errors.slice(0, 3).join('; ')}`);
    }
  }
  const doc = parseXmlStrict(xml, 'học bạ document');
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
