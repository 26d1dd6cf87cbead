import type { Document, Element } from '@xmldom/xmldom';
import { allElements, childElements, isNamed, textOf, XMLDSIG_NS } from '../hocba/dom.js';
import { HOCBA_IDS, HOCBA_NS, SIGNATURE_ROLES, subjectElementId, type SignatureRole } from '../hocba/xml.js';

/**
 * The elements of a học bạ document at the positions the application reads them from. Signing and
 * verification both go through this, so that a signature is only ever checked against — and data only
 * ever read from — `/HocBa/DuLieuHocBa[@Id='dulieu']` and its direct children, never an element with the
 * right Id somewhere else (signature wrapping).
 */
export interface HocBaLayout {
  root: Element;
  duLieu: Element;
  /** BangDiem elements by mamonhoc, in document order */
  subjects: Map<string, Element>;
  ketQua: Element;
  dscks: Element;
  roles: Record<SignatureRole, Element>;
}

export class LayoutError extends Error {}

/** Reads the fixed layout; any deviation is a LayoutError (the messages name elements, never values). */
export function readHocBaLayout(doc: Document): HocBaLayout {
  const root = doc.documentElement;
  if (!root || !isNamed(root, HOCBA_NS, 'HocBa')) throw new LayoutError(`the root element is not HocBa in ${HOCBA_NS}`);
  const top = childElements(root);
  const [duLieu, dscks] = top;
  if (top.length !== 2 || !duLieu || !dscks || !isNamed(duLieu, HOCBA_NS, 'DuLieuHocBa') || !isNamed(dscks, HOCBA_NS, 'DSCKS')) {
    throw new LayoutError('HocBa must hold exactly DuLieuHocBa then DSCKS');
  }
  expectId(duLieu, HOCBA_IDS.dulieu);

  const subjects = new Map<string, Element>();
  const ketQuas: Element[] = [];
  for (const el of childElements(duLieu)) {
    if (isNamed(el, HOCBA_NS, 'BangDiem')) {
      const code = childElements(el).find((c) => isNamed(c, HOCBA_NS, 'mamonhoc'));
      const mamonhoc = code ? textOf(code) : '';
      if (mamonhoc === '') throw new LayoutError('a BangDiem has no mamonhoc');
      expectId(el, subjectElementId(mamonhoc));
      if (subjects.has(mamonhoc)) throw new LayoutError(`subject ${mamonhoc} appears twice`);
      subjects.set(mamonhoc, el);
    } else if (isNamed(el, HOCBA_NS, 'KetQua')) {
      ketQuas.push(el);
    }
  }
  if (subjects.size === 0) throw new LayoutError('DuLieuHocBa holds no BangDiem');
  const [ketQua] = ketQuas;
  if (ketQuas.length !== 1 || !ketQua) throw new LayoutError('DuLieuHocBa must hold exactly one KetQua');
  expectId(ketQua, HOCBA_IDS.ketqua);

  const roleElements = childElements(dscks);
  if (roleElements.length !== SIGNATURE_ROLES.length) throw new LayoutError('DSCKS must hold exactly GVBM, GVCN, HieuTruong, DonVi');
  const roles = {} as Record<SignatureRole, Element>;
  SIGNATURE_ROLES.forEach((role, i) => {
    const el = roleElements[i];
    if (!el || !isNamed(el, HOCBA_NS, role.element)) throw new LayoutError('DSCKS must hold exactly GVBM, GVCN, HieuTruong, DonVi');
    expectId(el, role.id);
    roles[role.role] = el;
  });
  return { root, duLieu, subjects, ketQua, dscks, roles };
}

function expectId(el: Element, id: string): void {
  const actual = el.getAttribute('Id');
  if (actual !== id) throw new LayoutError(`${el.localName ?? '?'} must carry Id="${id}"`);
}

/**
 * Id values carried by more than one element. Every attribute named Id, ID or id counts, in any
 * namespace: that is what XML signature libraries (xml-crypto, and xmlsec1 with --id-attr) resolve.
 */
export function duplicateIds(doc: Document): string[] {
  const root = doc.documentElement;
  if (!root) return [];
  const seen = new Map<string, number>();
  for (const el of allElements(root)) {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const attr = attrs.item(i);
      const local = attr?.localName ?? attr?.name ?? '';
      if (attr && (local === 'Id' || local === 'ID' || local === 'id')) seen.set(attr.value, (seen.get(attr.value) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

/** The ds:Signature elements placed directly in a DSCKS role element. */
export function signaturesIn(roleElement: Element): Element[] {
  return childElements(roleElement).filter((el) => isNamed(el, XMLDSIG_NS, 'Signature'));
}

/** The same-document Reference URIs (without '#') of a signature's SignedInfo. */
export function referencedIds(signature: Element): string[] {
  const signedInfo = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'SignedInfo'));
  if (!signedInfo) return [];
  return childElements(signedInfo)
    .filter((el) => isNamed(el, XMLDSIG_NS, 'Reference'))
    .map((el) => el.getAttribute('URI') ?? '')
    .map((uri) => (uri.startsWith('#') ? uri.slice(1) : uri));
}

/** The signature with this Id among the signatures of the DSCKS role elements, with its role. */
export function findSignature(layout: HocBaLayout, signatureId: string): { role: SignatureRole; signature: Element } | undefined {
  for (const { role } of SIGNATURE_ROLES) {
    const signature = signaturesIn(layout.roles[role]).find((sig) => sig.getAttribute('Id') === signatureId);
    if (signature) return { role, signature };
  }
  return undefined;
}

/** Whether the signature is still waiting for its value (prepared, sent to the signer, not returned). */
export function awaitsValue(signature: Element): boolean {
  const value = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'SignatureValue'));
  return !value || textOf(value).trim() === '';
}

/**
 * A signed statement of the signature's signing-time Object (`<signatureId>-thoigian`):
 * SignatureProperties/SignatureProperty[@Target='#<signatureId>']/<name> in the học bạ namespace.
 */
export function signatureProperty(signature: Element, name: string): string | undefined {
  const signatureId = signature.getAttribute('Id') ?? '';
  const object = childElements(signature).find((el) => isNamed(el, XMLDSIG_NS, 'Object') && el.getAttribute('Id') === `${signatureId}-thoigian`);
  const props = object ? childElements(object).find((el) => isNamed(el, XMLDSIG_NS, 'SignatureProperties')) : undefined;
  if (!props) return undefined;
  for (const prop of childElements(props).filter((el) => isNamed(el, XMLDSIG_NS, 'SignatureProperty'))) {
    if (prop.getAttribute('Target') !== `#${signatureId}`) continue;
    const found = childElements(prop).find((el) => isNamed(el, HOCBA_NS, name));
    if (found) return textOf(found).trim();
  }
  return undefined;
}

/**
 * The element each same-document reference of a signature must resolve to: the fixed elements at
 * their positions, and the signature's own ds:Objects. Never an Id lookup (signature wrapping).
 */
export function positionalTargets(layout: HocBaLayout, signature: Element): Map<string, Element> {
  const targets = new Map<string, Element>([
    [HOCBA_IDS.dulieu, layout.duLieu],
    [HOCBA_IDS.ketqua, layout.ketQua],
  ]);
  for (const [mamonhoc, el] of layout.subjects) targets.set(subjectElementId(mamonhoc), el);
  for (const { role, id } of SIGNATURE_ROLES) targets.set(id, layout.roles[role]);
  for (const object of childElements(signature).filter((el) => isNamed(el, XMLDSIG_NS, 'Object'))) {
    const id = object.getAttribute('Id');
    if (id) targets.set(id, object);
  }
  return targets;
}
