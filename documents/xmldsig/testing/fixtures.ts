/**
 * Shared by the signing tests (lienthong's own verifier and the xmlsec1 referee): a signed sample
 * document with its test PKI on disk, and the tamperings an attacker would try. Test support only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { childElements, isNamed, parseXmlStrict, XMLDSIG_NS, allElements } from '../../hocba/dom.js';
import type { HocBaThcsThpt } from '../../hocba/fields.js';
import { sampleHocBaRecord } from '../../hocba/sample-record.js';
import { buildHocBaXml, HOCBA_NS } from '../../hocba/xml.js';
import { createHocBaTestPki, type HocBaTestPki } from '../../pki/test-pki.js';
import { signersFromTestPki } from '../../pki/testing/signers.js';
import { signHocBa, type HocBaSigners } from '../sign-hocba.js';

export interface SignedFixture {
  dir: string;
  record: HocBaThcsThpt;
  pki: HocBaTestPki;
  signers: HocBaSigners;
  unsignedXml: string;
  signedXml: string;
  signingTime: Date;
  cleanup(): void;
}

/** Now, to the second: test certificates are issued "from yesterday", so the signing time must be recent. */
export function nowToTheSecond(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

export async function makeSignedFixture(record: HocBaThcsThpt = sampleHocBaRecord()): Promise<SignedFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-hocba-'));
  const pki = createHocBaTestPki(record, { dir: join(dir, 'pki') });
  const signers = signersFromTestPki(pki);
  const unsignedXml = buildHocBaXml(record);
  const signingTime = nowToTheSecond();
  const signedXml = await signHocBa(unsignedXml, signers, signingTime);
  return { dir, record, pki, signers, unsignedXml, signedXml, signingTime, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Edits a document through the DOM and serializes it back (what an attacker's tool would do). */
export function editXml(xml: string, edit: (root: Element) => void): string {
  const doc = parseXmlStrict(xml);
  const root = doc.documentElement;
  if (!root) throw new Error('no root');
  edit(root);
  return new XMLSerializer().serializeToString(doc);
}

export function find(root: Element, predicate: (el: Element) => boolean): Element {
  const el = allElements(root).find(predicate);
  if (!el) throw new Error('element not found');
  return el;
}

export function byId(root: Element, id: string): Element {
  return find(root, (el) => el.getAttribute('Id') === id);
}

export function hocbaChild(parent: Element, localName: string): Element {
  const el = childElements(parent).find((c) => isNamed(c, HOCBA_NS, localName));
  if (!el) throw new Error(`no ${localName}`);
  return el;
}

function ownerOf(el: Element): Document {
  if (!el.ownerDocument) throw new Error('detached element');
  return el.ownerDocument;
}

export const tamper = {
  /** sets a text field of a subject (e.g. its year score) */
  subjectField(xml: string, mamonhoc: string, field: string, value: string): string {
    return editXml(xml, (root) => {
      const el = hocbaChild(byId(root, `mon-${mamonhoc}`), field);
      el.textContent = value;
    });
  },
  /** sets a text field directly in DuLieuHocBa (e.g. the pupil's name) */
  recordField(xml: string, field: string, value: string): string {
    return editXml(xml, (root) => {
      hocbaChild(byId(root, 'dulieu'), field).textContent = value;
    });
  },
  /** exchanges the positions of two subjects' BangDiem elements (each keeps its Id and content) */
  swapSubjects(xml: string, a: string, b: string): string {
    return editXml(xml, (root) => {
      const first = byId(root, `mon-${a}`);
      const second = byId(root, `mon-${b}`);
      const parent = first.parentNode;
      if (!parent) throw new Error('detached');
      const marker = ownerOf(first).createComment('swap');
      parent.replaceChild(marker, first);
      parent.replaceChild(first, second);
      parent.replaceChild(second, marker);
    });
  },
  /** removes one ds:Signature by its Id */
  removeSignature(xml: string, signatureId: string): string {
    return editXml(xml, (root) => {
      const sig = find(root, (el) => isNamed(el, XMLDSIG_NS, 'Signature') && el.getAttribute('Id') === signatureId);
      sig.parentNode?.removeChild(sig);
    });
  },
  /**
   * Wrapping with a duplicated Id: a forged copy of DuLieuHocBa (changed score) replaces the original at
   * its position, and the original — still carrying Id="dulieu" — is kept inside a new ds:Object of the
   * seal signature, where an Id-resolving verifier may find it.
   */
  wrapWithDuplicateId(xml: string, mamonhoc: string, field: string, value: string): string {
    return editXml(xml, (root) => {
      const original = byId(root, 'dulieu');
      const forged = original.cloneNode(true) as Element;
      hocbaChild(find(forged, (el) => el.getAttribute('Id') === `mon-${mamonhoc}`), field).textContent = value;
      root.replaceChild(forged, original);
      const seal = find(root, (el) => isNamed(el, XMLDSIG_NS, 'Signature') && el.getAttribute('Id') === 'sig-dv');
      const holder = ownerOf(root).createElementNS(XMLDSIG_NS, 'ds:Object');
      holder.appendChild(original);
      seal.appendChild(holder);
    });
  },
  /**
   * Wrapping without a duplicated Id: as above, but the forged DuLieuHocBa at the read position and its
   * subjects lose their Ids, so every Id in the document is still unique and every reference resolves
   * to the untouched original, now hidden in an unreferenced ds:Object of the seal.
   */
  wrapMovingOriginal(xml: string, mamonhoc: string, field: string, value: string): string {
    return editXml(xml, (root) => {
      const original = byId(root, 'dulieu');
      const forged = original.cloneNode(true) as Element;
      for (const el of allElements(forged)) el.removeAttribute('Id');
      const subject = childElements(forged).find(
        (el) => isNamed(el, HOCBA_NS, 'BangDiem') && childElements(el).some((c) => isNamed(c, HOCBA_NS, 'mamonhoc') && c.textContent === mamonhoc),
      );
      if (!subject) throw new Error('no subject');
      hocbaChild(subject, field).textContent = value;
      root.replaceChild(forged, original);
      const seal = find(root, (el) => isNamed(el, XMLDSIG_NS, 'Signature') && el.getAttribute('Id') === 'sig-dv');
      const holder = ownerOf(root).createElementNS(XMLDSIG_NS, 'ds:Object');
      holder.appendChild(original);
      seal.appendChild(holder);
    });
  },
};
