/**
 * The four signing steps of a học bạ document (docs/formats/hocba.md#signing-order) as plans: which
 * elements a step signs, where its signature goes, and whether it may run now. The one-go path
 * (sign-hocba.ts) and the two-phase path (two-phase.ts) both build every signature from these plans,
 * so they cannot drift apart.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { DataError } from '../../src/core/errors.js';
import { parseXmlStrict } from '../hocba/dom.js';
import { validateHocBaXml } from '../hocba/validate.js';
import { HOCBA_IDS, HOCBA_NS, subjectElementId, type SignatureRole } from '../hocba/xml.js';
import {
  awaitsValue,
  duplicateIds,
  LayoutError,
  readHocBaLayout,
  referencedIds,
  signatureProperty,
  signaturesIn,
  type HocBaLayout,
} from './hocba-layout.js';
import { formatSigningTime, type SignatureTemplate } from './xmldsig.js';

const DATASET = 'thongtinsohocbasothcsthpt';

/** Signature Ids: unique in the document, stable, and free of personal data. */
export const SIGNATURE_IDS = {
  subject: (mamonhoc: string): string => `sig-gvbm-${mamonhoc}`,
  gvcn: 'sig-gvcn',
  hieutruong: 'sig-ht',
  donvi: 'sig-dv',
} as const;

/**
 * The signed statement that a subject's signature was made by the principal because the subject's
 * teacher has left (docs/formats/hocba.md#a-subject-signed-by-the-principal): a SignatureProperty
 * `<KyThay>hieutruong</KyThay>` next to the signing time.
 */
export const SIGNED_IN_PLACE = { property: 'KyThay', principal: 'hieutruong' } as const;

/** One signing step. `signedBy: 'principal'`: the subject's teacher has left, the principal signs it. */
export type HocBaSigningStep =
  | { role: 'subject'; mamonhoc: string; signedBy?: 'principal' }
  | { role: 'homeroom' }
  | { role: 'principal' }
  | { role: 'seal' };

/** Position of each role in the signing order; signing times must not go down along it. */
export const ROLE_RANK: Record<SignatureRole, number> = { gvbm: 0, gvcn: 1, hieutruong: 2, donvi: 3 };

export function signatureIdOf(step: HocBaSigningStep): string {
  switch (step.role) {
    case 'subject':
      return SIGNATURE_IDS.subject(step.mamonhoc);
    case 'homeroom':
      return SIGNATURE_IDS.gvcn;
    case 'principal':
      return SIGNATURE_IDS.hieutruong;
    case 'seal':
      return SIGNATURE_IDS.donvi;
  }
}

/** A step's signature, everything but the signer's certificate. */
export type PlannedSignature = Omit<SignatureTemplate, 'certificatePem' | 'chainPem'>;

/**
 * Checks that `step` may run on `doc` now and says what it signs. A signature of this step that is
 * still waiting for its value (its request expired or was rejected) is replaced; one with a value is
 * "already signed". The principal and the seal sign earlier signatures, so those must have their
 * values: a value written after the principal signed would break the principal's signature.
 */
export function planStep(doc: Document, step: HocBaSigningStep, signingTime: Date): PlannedSignature {
  const layout = checkedLayout(doc);
  const signatureId = signatureIdOf(step);
  const plan = (role: SignatureRole, targets: ReadonlyArray<[string, Element]>, properties?: PlannedSignature['properties']): PlannedSignature => {
    const parent = layout.roles[role];
    const replaces = signaturesIn(parent).find((sig) => sig.getAttribute('Id') === signatureId);
    checkSigningTime(layout, role, signatureId, signingTime);
    return {
      signatureId,
      references: targets.map(([id, element]) => ({ id, element })),
      parent,
      ...(replaces ? { replaces } : {}),
      signingTime,
      signingTimeNamespace: HOCBA_NS,
      ...(properties ? { properties } : {}),
    };
  };
  switch (step.role) {
    case 'subject': {
      const subject = layout.subjects.get(step.mamonhoc);
      if (!subject) throw stepError(`the document has no subject ${step.mamonhoc}`);
      const existing = signaturesIn(layout.roles.gvbm).filter((sig) => referencedIds(sig).includes(subjectElementId(step.mamonhoc)));
      if (existing.some((sig) => !awaitsValue(sig) || sig.getAttribute('Id') !== signatureId)) throw stepError(`subject ${step.mamonhoc} is already signed`);
      requireAbsent(layout, 'hieutruong', 'a subject teacher cannot sign after the principal');
      const properties = step.signedBy === 'principal' ? [{ name: SIGNED_IN_PLACE.property, text: SIGNED_IN_PLACE.principal }] : undefined;
      return plan('gvbm', [[subjectElementId(step.mamonhoc), subject]], properties);
    }
    case 'homeroom':
      requireNoValue(layout, 'gvcn', 'the homeroom teacher has already signed');
      requireAbsent(layout, 'hieutruong', 'the homeroom teacher cannot sign after the principal');
      return plan('gvcn', [[HOCBA_IDS.ketqua, layout.ketQua]]);
    case 'principal': {
      const signed = completedSubjects(layout);
      const unsigned = [...layout.subjects.keys()].filter((m) => !signed.has(m));
      if (unsigned.length > 0) throw stepError(`the principal cannot sign before every subject teacher: ${unsigned.join(', ')} not signed`);
      const homeroom = signaturesIn(layout.roles.gvcn);
      if (homeroom.length === 0 || homeroom.some(awaitsValue)) throw stepError('the principal cannot sign before the homeroom teacher');
      requireNoValue(layout, 'hieutruong', 'the principal has already signed');
      requireAbsent(layout, 'donvi', 'the principal cannot sign after the seal');
      return plan('hieutruong', [
        [HOCBA_IDS.dulieu, layout.duLieu],
        [HOCBA_IDS.gvbm, layout.roles.gvbm],
        [HOCBA_IDS.gvcn, layout.roles.gvcn],
      ]);
    }
    case 'seal': {
      const principal = signaturesIn(layout.roles.hieutruong);
      if (principal.length === 0 || principal.some(awaitsValue)) throw stepError('the school cannot seal before the principal signs');
      requireNoValue(layout, 'donvi', 'the school has already sealed');
      return plan('donvi', [
        [HOCBA_IDS.dulieu, layout.duLieu],
        [HOCBA_IDS.gvbm, layout.roles.gvbm],
        [HOCBA_IDS.gvcn, layout.roles.gvcn],
        [HOCBA_IDS.hieuTruong, layout.roles.hieutruong],
      ]);
    }
  }
}

/**
 * Subject teachers ≤ homeroom teacher ≤ principal ≤ seal (docs/formats/hocba.md#signing-times): a
 * signing time earlier than a signature before it in the order (which the later signer covers or
 * follows), or later than one after it, is refused. Subject teachers are not ordered among themselves.
 */
function checkSigningTime(layout: HocBaLayout, role: SignatureRole, signatureId: string, signingTime: Date): void {
  const time = formatSigningTime(signingTime);
  for (const [otherRole, roleElement] of Object.entries(layout.roles) as Array<[SignatureRole, Element]>) {
    const rank = ROLE_RANK[otherRole] - ROLE_RANK[role];
    if (rank === 0) continue;
    for (const sig of signaturesIn(roleElement)) {
      const otherId = sig.getAttribute('Id') ?? '(no Id)';
      const other = signatureProperty(sig, 'SigningTime');
      if (other === undefined) continue; // not a signature lienthong wrote; verification reports it
      const otherTime = new Date(other).getTime();
      if (Number.isNaN(otherTime)) continue;
      const at = signingTime.getTime();
      if ((rank < 0 && at < otherTime) || (rank > 0 && at > otherTime)) {
        throw new DataError(
          'HOCBA_SIGNING_TIME_ORDER',
          `signing time ${time} of ${signatureId} is ${rank < 0 ? 'earlier' : 'later'} than ${other} of ${otherId}, which comes ${rank < 0 ? 'before' : 'after'} it in the signing order`,
          { dataset: DATASET, signatureId },
        );
      }
    }
  }
}

/** Validates the document against the XSD (when asked) and parses it strictly. */
export async function checkedDocument(xml: string, withSchema: boolean): Promise<Document> {
  if (withSchema) {
    const schema = await validateHocBaXml(xml);
    if (!schema.valid) {
      throw new DataError('HOCBA_SCHEMA', `the document does not match the học bạ XSD: ${schema.errors.slice(0, 3).join('; ')}`);
    }
  }
  return parseXmlStrict(xml, 'học bạ document');
}

/** Checks unique Ids and the fixed layout before anyone signs; run again before every step. */
export function checkedLayout(doc: Document): HocBaLayout {
  const duplicates = duplicateIds(doc);
  if (duplicates.length > 0) {
    throw new DataError('HOCBA_DUPLICATE_ID', `Id used more than once: ${duplicates.join(', ')}`, { dataset: DATASET });
  }
  try {
    return readHocBaLayout(doc);
  } catch (err) {
    if (err instanceof LayoutError) throw new DataError('HOCBA_STRUCTURE', err.message, { dataset: DATASET });
    throw err;
  }
}

/** Subjects whose teacher's signature is there with its value. */
function completedSubjects(layout: HocBaLayout): Set<string> {
  const signed = new Set<string>();
  for (const sig of signaturesIn(layout.roles.gvbm)) {
    if (awaitsValue(sig)) continue;
    for (const id of referencedIds(sig)) if (id.startsWith('mon-')) signed.add(id.slice('mon-'.length));
  }
  return signed;
}

/** No signature of `role` at all, prepared or complete. */
function requireAbsent(layout: HocBaLayout, role: SignatureRole, message: string): void {
  if (signaturesIn(layout.roles[role]).length > 0) throw stepError(message);
}

/** No signature of `role` with a value (one still waiting is replaced). */
function requireNoValue(layout: HocBaLayout, role: SignatureRole, message: string): void {
  if (signaturesIn(layout.roles[role]).some((sig) => !awaitsValue(sig))) throw stepError(message);
}

function stepError(message: string): DataError {
  return new DataError('HOCBA_SIGNING_ORDER', message, { dataset: DATASET });
}
