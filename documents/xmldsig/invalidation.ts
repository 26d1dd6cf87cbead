/**
 * A record changed after some signatures were made: which of them still stand, and a rebuilt document
 * that keeps them, so that only the affected signers are asked again
 * (docs/formats/hocba.md#changes-during-signing). Decided from the bytes: the canonical digest of every element a signature references
 * in the new document is compared with the digest the signature holds, never guessed from field names.
 */
import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { DataError } from '../../src/core/errors.js';
import { childElements, isNamed, textOf, XMLDSIG_NS } from '../hocba/dom.js';
import { SIGNATURE_ROLES, type SignatureRole } from '../hocba/xml.js';
import { awaitsValue, positionalTargets, referencedIds, signaturesIn, type HocBaLayout } from './hocba-layout.js';
import { checkedDocument, checkedLayout, ROLE_RANK } from './hocba-steps.js';
import { referencesProblem, valueProblem } from './signature-check.js';
import { exclusiveCanonical, serializeSignedXml } from './xmldsig.js';

/** The Ids of the DSCKS role elements: what a later signature covers of earlier ones. */
const SIGNATURE_LIST_IDS: ReadonlySet<string> = new Set(SIGNATURE_ROLES.map((r) => r.id));

/**
 * The signature Ids of `oldXml` (signed, perhaps partly, perhaps with signatures still waiting for
 * their value) that do not stand on `newXml`, in document order: every signature a data element it
 * references changed for (its digest in the new document differs from the signed one, or the element
 * is gone), and every signature after the earliest of those in the signing order, whose signer signed
 * the changed signatures or must sign after their new signing time. A subject added in `newXml` needs
 * its teacher's signature, which counts as a changed subject signature. Subject teachers' signatures
 * do not depend on each other: a changed maths score gives `sig-gvbm-<maths>`, `sig-gvcn`, `sig-ht`,
 * `sig-dv`, and the other subjects' signatures stand.
 */
export async function signaturesAffectedByChange(oldXml: string, newXml: string): Promise<string[]> {
  const oldLayout = checkedLayout(await checkedDocument(oldXml, false));
  const newLayout = checkedLayout(await checkedDocument(newXml, false));
  return affected(oldLayout, newLayout).map((sig) => sig.getAttribute('Id') ?? '');
}

/**
 * `newXml` (an unsigned rebuild of the record) with every signature of `oldSignedXml` that still
 * stands copied into it, in its role element and order, so only the affected signers are asked again.
 * The result is checked: each copied signature's references match their elements at their positions
 * in the new document and each copied value verifies with its certificate; a signature still waiting
 * for its value is copied too (its SignedInfo, hence its digest, is unchanged: the value the signer
 * returns for the pending request still fits).
 */
export async function carryOverSignatures(oldSignedXml: string, newXml: string): Promise<string> {
  const oldLayout = checkedLayout(await checkedDocument(oldSignedXml, false));
  const newDoc = await checkedDocument(newXml, true);
  const newLayout = checkedLayout(newDoc);
  if (SIGNATURE_ROLES.some(({ role }) => signaturesIn(newLayout.roles[role]).length > 0)) {
    throw new DataError('HOCBA_CARRY_OVER', 'the new document already holds signatures: carry over into an unsigned rebuild');
  }
  const dropped = new Set(affected(oldLayout, newLayout));
  for (const { role } of SIGNATURE_ROLES) {
    for (const sig of signaturesIn(oldLayout.roles[role])) {
      if (dropped.has(sig)) continue;
      newLayout.roles[role].appendChild(newDoc.importNode(sig, true));
    }
  }
  for (const { role } of SIGNATURE_ROLES) {
    for (const sig of signaturesIn(newLayout.roles[role])) {
      const problem = referencesProblem(sig, newLayout) ?? (awaitsValue(sig) ? undefined : valueProblem(sig, signatureValueOf(sig)));
      if (problem) {
        const signatureId = sig.getAttribute('Id') ?? '(no Id)';
        throw new DataError('HOCBA_CARRY_OVER', `signature ${signatureId} does not stand in the new document: ${problem}`, { signatureId });
      }
    }
  }
  return serializeSignedXml(newDoc);
}

function affected(oldLayout: HocBaLayout, newLayout: HocBaLayout): Element[] {
  const all: Array<{ role: SignatureRole; sig: Element }> = SIGNATURE_ROLES.flatMap(({ role }) => signaturesIn(oldLayout.roles[role]).map((sig) => ({ role, sig })));
  let earliest = Number.POSITIVE_INFINITY;
  const direct = new Set<Element>();
  for (const { role, sig } of all) {
    if (dataChanged(sig, newLayout)) {
      direct.add(sig);
      earliest = Math.min(earliest, ROLE_RANK[role]);
    }
  }
  const signedSubjects = new Set(all.filter((s) => s.role === 'gvbm').flatMap((s) => referencedIds(s.sig)));
  if ([...newLayout.subjects.keys()].some((m) => !signedSubjects.has(`mon-${m}`))) earliest = Math.min(earliest, ROLE_RANK.gvbm);
  return all.filter(({ role, sig }) => direct.has(sig) || ROLE_RANK[role] > earliest).map((s) => s.sig);
}

/** Whether a data element the signature references is gone from, or different in, the new document. */
function dataChanged(sig: Element, newLayout: HocBaLayout): boolean {
  const targets = positionalTargets(newLayout, sig);
  const ownObjects = new Set(childElements(sig).filter((el) => isNamed(el, XMLDSIG_NS, 'Object')).map((el) => el.getAttribute('Id')));
  const signedInfo = childElements(sig).find((el) => isNamed(el, XMLDSIG_NS, 'SignedInfo'));
  const references = signedInfo ? childElements(signedInfo).filter((el) => isNamed(el, XMLDSIG_NS, 'Reference')) : [];
  const ids = referencedIds(sig);
  return references.some((ref, i) => {
    const id = ids[i] ?? '';
    // a signature list is judged by the signatures in it (the signing order above), its own Object is unchanged
    if (SIGNATURE_LIST_IDS.has(id) || ownObjects.has(id)) return false;
    const target = targets.get(id);
    const digestValue = childElements(ref).find((el) => isNamed(el, XMLDSIG_NS, 'DigestValue'));
    if (!target || !digestValue) return true;
    return createHash('sha256').update(exclusiveCanonical(target), 'utf8').digest('base64') !== textOf(digestValue).trim();
  });
}

function signatureValueOf(sig: Element): Buffer {
  const el = childElements(sig).find((c) => isNamed(c, XMLDSIG_NS, 'SignatureValue'));
  return Buffer.from(el ? textOf(el).replace(/\s+/g, '') : '', 'base64');
}
