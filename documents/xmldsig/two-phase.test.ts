import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { childElements, isNamed, parseXmlStrict, XMLDSIG_NS } from '../hocba/dom.js';
import type { HocBaThcsThpt } from '../hocba/fields.js';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { buildHocBaXml } from '../hocba/xml.js';
import { createHocBaTestPki, type HocBaTestPki } from '../pki/test-pki.js';
import { signersFromTestPki } from '../pki/testing/signers.js';
import { findSignature, readHocBaLayout } from './hocba-layout.js';
import { carryOverSignatures, signaturesAffectedByChange } from './invalidation.js';
import type { HocBaSigningStep } from './hocba-steps.js';
import { signHocBa } from './sign-hocba.js';
import type { Signer } from './signer.js';
import { LATER_STEPS, prepareAndComplete, signerFor, signHashAsService, signRemaining, subjectSteps } from './testing/two-phase-fixtures.js';
import { hasXmlsec1, xmlsec1Verdicts } from './testing/xmlsec1.js';
import { completeSignature, completeSignatureBatch, hashRequests, prepareSignature, prepareSignatureBatch, SignatureValueError } from './two-phase.js';
import { verifyHocBa } from './verify-hocba.js';
import { exclusiveCanonical } from './xmldsig.js';

const ALL = ['sig-gvbm-TOA', 'sig-gvbm-VAN', 'sig-gvbm-GDT', 'sig-gvcn', 'sig-ht', 'sig-dv'];
const SUBJECTS = ['TOA', 'VAN', 'GDT'];
const MINUTE = 60_000;

let dir: string;
let record: HocBaThcsThpt;
let pki: HocBaTestPki;
let unsigned: string;
/** an hour ago, to the second: test certificates are valid from yesterday, and every step is later */
let start: Date;
let trusted: { trustedCaPems: string[] };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-two-phase-'));
  record = sampleHocBaRecord();
  pki = createHocBaTestPki(record, { dir: join(dir, 'pki') });
  unsigned = buildHocBaXml(record);
  start = new Date(Math.floor(Date.now() / 1000) * 1000 - 60 * MINUTE);
  trusted = { trustedCaPems: [pki.ca.certPem] };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (minutes: number): Date => new Date(start.getTime() + minutes * MINUTE);
const referee = (xml: string, signatureIds: readonly string[] = ALL): Record<string, boolean> => xmlsec1Verdicts(xml, { dir, caPath: pki.caPath ?? '', signatureIds });
const allTrue = (ids: readonly string[]): Record<string, boolean> => Object.fromEntries(ids.map((id) => [id, true]));

/** The SHA-256 of the canonical SignedInfo of a signature in `xml`, computed here from the serialized document. */
function signedInfoDigest(xml: string, signatureId: string): Buffer {
  const found = findSignature(readHocBaLayout(parseXmlStrict(xml)), signatureId);
  const signedInfo = found ? childElements(found.signature).find((el) => isNamed(el, XMLDSIG_NS, 'SignedInfo')) : undefined;
  if (!signedInfo) throw new Error(`no SignedInfo in ${signatureId}`);
  return createHash('sha256').update(exclusiveCanonical(signedInfo), 'utf8').digest();
}

async function fullySigned(xml: string): Promise<string> {
  return signRemaining(xml, pki, [...subjectSteps(SUBJECTS), ...LATER_STEPS], start);
}

describe('prepare and complete, step by step', () => {
  it('prepares each signature with an empty value and the digest of its canonical SignedInfo, completes it, and the result verifies (lienthong and xmlsec1)', async () => {
    let xml = unsigned;
    const steps: HocBaSigningStep[] = [...subjectSteps(SUBJECTS), ...LATER_STEPS];
    for (const [i, step] of steps.entries()) {
      const signer = signerFor(pki, step);
      const prepared = await prepareSignature(xml, step, { certificatePem: signer.certPem, chainPem: [pki.ca.certPem], signingTime: at(i) });
      expect(prepared.signatureId).toBe(ALL[i]);
      expect(prepared.xml).toMatch(new RegExp(`<ds:Signature Id="${prepared.signatureId}"[^]*?<ds:SignatureValue/>`));
      // the digest is what the serialized, persisted document gives: it survives a restart
      expect(prepared.digest.equals(signedInfoDigest(prepared.xml, prepared.signatureId))).toBe(true);
      xml = await completeSignature(prepared.xml, prepared.signatureId, signHashAsService(signer.keyPem, prepared.digest));
    }
    const result = await verifyHocBa(xml, trusted);
    expect(result.errors).toEqual([]);
    expect(result.signatures.map((s) => [s.signatureId, s.signedAt])).toEqual(ALL.map((id, i) => [id, at(i).toISOString().replace('.000Z', 'Z')]));
    if (hasXmlsec1) expect(referee(xml)).toEqual(allTrue(ALL));
  });

  it('the one-go path is prepare + sign + complete: the same bytes for the same signing time', async () => {
    const t = at(5);
    const oneGo = await signHocBa(unsigned, signersFromTestPki(pki), t);
    let twoPhase = unsigned;
    for (const step of [...subjectSteps(SUBJECTS), ...LATER_STEPS]) twoPhase = await prepareAndComplete(twoPhase, step, pki, t);
    expect(twoPhase).toBe(oneGo);
  });

  it('refuses a wrong signature value with a typed error naming the signature, and leaves the prepared document usable', async () => {
    const toa = signerFor(pki, { role: 'subject', mamonhoc: 'TOA' });
    const prepared = await prepareSignature(unsigned, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(0) });
    const otherKey = signHashAsService(signerFor(pki, { role: 'subject', mamonhoc: 'VAN' }).keyPem, prepared.digest);
    const otherHash = signHashAsService(toa.keyPem, createHash('sha256').update('something else').digest());
    for (const wrong of [otherKey, otherHash, Buffer.alloc(0)]) {
      const err = await completeSignature(prepared.xml, prepared.signatureId, wrong).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignatureValueError);
      expect((err as SignatureValueError).code).toBe('HOCBA_SIGNATURE_VALUE_INVALID');
      expect((err as SignatureValueError).signatureId).toBe('sig-gvbm-TOA');
      expect((err as SignatureValueError).message).toContain('sig-gvbm-TOA');
    }
    const done = await completeSignature(prepared.xml, prepared.signatureId, signHashAsService(toa.keyPem, prepared.digest));
    // a value is written once: completing again, or a signature never prepared, is refused
    await expect(completeSignature(done, 'sig-gvbm-TOA', Buffer.from('x'))).rejects.toThrow(/already has its value/);
    await expect(completeSignature(done, 'sig-gvcn', Buffer.from('x'))).rejects.toThrow(/no prepared signature sig-gvcn/);
  });

  it("refuses to prepare with a certificate of someone the record does not name for the step", async () => {
    const van = signerFor(pki, { role: 'subject', mamonhoc: 'VAN' });
    await expect(prepareSignature(unsigned, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: van.certPem, signingTime: at(0) })).rejects.toThrow(
      /certificate for sig-gvbm-TOA belongs to \*{8}0004, the record names \*{8}0003/,
    );
    await expect(prepareSignature(unsigned, { role: 'homeroom' }, { certificatePem: pki.principal.certPem, signingTime: at(0) })).rejects.toThrow(/sig-gvcn/);
  });

  it('refuses a value when the prepared document was changed since', async () => {
    const toa = signerFor(pki, { role: 'subject', mamonhoc: 'TOA' });
    const prepared = await prepareSignature(unsigned, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(0) });
    const changed = prepared.xml.replace('<diemcanam>8.8</diemcanam>', '<diemcanam>9.8</diemcanam>');
    expect(changed).not.toBe(prepared.xml);
    await expect(completeSignature(changed, prepared.signatureId, signHashAsService(toa.keyPem, prepared.digest))).rejects.toThrow(/content of mon-TOA changed/);
  });

  it('re-prepares a signature whose request expired (new time, new digest, one signature), and the principal waits for every value', async () => {
    const toa = signerFor(pki, { role: 'subject', mamonhoc: 'TOA' });
    let xml = await signRemaining(unsigned, pki, subjectSteps(['VAN', 'GDT']), start);
    xml = await prepareAndComplete(xml, { role: 'homeroom' }, pki, at(1));
    const first = await prepareSignature(xml, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(0) });
    await expect(prepareSignature(first.xml, { role: 'principal' }, { certificatePem: pki.principal.certPem, signingTime: at(2) })).rejects.toThrow(
      /before every subject teacher: TOA not signed/,
    );
    const again = await prepareSignature(first.xml, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(1) });
    expect(again.digest.equals(first.digest)).toBe(false);
    expect(again.xml.match(/Id="sig-gvbm-TOA"/g)).toHaveLength(1);
    // the expired request's value no longer fits
    await expect(completeSignature(again.xml, 'sig-gvbm-TOA', signHashAsService(toa.keyPem, first.digest))).rejects.toThrow(SignatureValueError);
    xml = await completeSignature(again.xml, 'sig-gvbm-TOA', signHashAsService(toa.keyPem, again.digest));
    xml = await signRemaining(xml, pki, [{ role: 'principal' }, { role: 'seal' }], at(1));
    expect((await verifyHocBa(xml, trusted)).errors).toEqual([]);
  });
});

describe('a batch of documents for one signer', () => {
  it('prepares the same step for 3 documents: digests in order, split into requests, completed with the values in order', async () => {
    const names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Châu'];
    const scores = ['8.8', '9.1', '6.4'];
    const xmls = names.map((hovaten, i) => {
      const r = { ...sampleHocBaRecord(), hovaten };
      r.bangdiem = r.bangdiem.map((b) => (b.mamonhoc === 'TOA' ? { ...b, diemcanam: scores[i] as string } : b));
      return buildHocBaXml(r);
    });
    const toa = signerFor(pki, { role: 'subject', mamonhoc: 'TOA' });
    const prepared = await prepareSignatureBatch(xmls, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(0) });
    expect(prepared.map((p) => p.signatureId)).toEqual(['sig-gvbm-TOA', 'sig-gvbm-TOA', 'sig-gvbm-TOA']);
    prepared.forEach((p, i) => expect(p.xml).toContain(names[i]));
    // the teacher signs only their subject: the digests differ because the maths scores do (with the
    // same scores they would be equal; the principal's and the seal's signatures bind the pupil)
    expect(new Set(prepared.map((p) => p.digest.toString('hex'))).size).toBe(3);
    const requests = hashRequests(prepared, 2);
    expect(requests.map((r) => r.length)).toEqual([2, 1]);
    expect(requests.flat()).toEqual(prepared.map((p) => p.digest));
    expect(hashRequests(prepared)).toHaveLength(1);
    expect(() => hashRequests(prepared, 501)).toThrow(RangeError);
    expect(() => hashRequests(prepared, 0)).toThrow(RangeError);

    const values = requests.flat().map((digest) => signHashAsService(toa.keyPem, digest));
    await expect(completeSignatureBatch(prepared, values.slice(0, 2))).rejects.toThrow(/2 signature values returned for 3/);
    // values in the wrong order are refused, naming the signature
    await expect(completeSignatureBatch(prepared, [values[1], values[0], values[2]] as Buffer[])).rejects.toThrow(/sig-gvbm-TOA/);
    const completed = await completeSignatureBatch(prepared, values);
    for (const xml of completed) {
      const done = await signRemaining(xml, pki, [...subjectSteps(['VAN', 'GDT']), ...LATER_STEPS], start);
      expect((await verifyHocBa(done, trusted)).errors).toEqual([]);
    }
  });
});

describe('signing times', () => {
  it('refuses a time earlier than a signature the step covers or follows, and a time later than one that follows it', async () => {
    const subjectsAt10 = await signRemaining(unsigned, pki, subjectSteps(SUBJECTS), at(10));
    const homeroomEarly = await prepareSignature(subjectsAt10, { role: 'homeroom' }, { certificatePem: pki.homeroom.certPem, signingTime: at(9) }).catch((e: unknown) => e);
    expect(homeroomEarly).toBeInstanceOf(DataError);
    expect((homeroomEarly as DataError).code).toBe('HOCBA_SIGNING_TIME_ORDER');
    expect((homeroomEarly as DataError).message).toMatch(/of sig-gvcn is earlier than .* of sig-gvbm-/);

    const withHomeroom = await prepareAndComplete(subjectsAt10, { role: 'homeroom' }, pki, at(10)); // equal times are in order
    await expect(prepareSignature(withHomeroom, { role: 'principal' }, { certificatePem: pki.principal.certPem, signingTime: at(8) })).rejects.toThrow(
      /of sig-ht is earlier than/,
    );
    const withPrincipal = await prepareAndComplete(withHomeroom, { role: 'principal' }, pki, at(12));
    await expect(prepareSignature(withPrincipal, { role: 'seal' }, { certificatePem: pki.school.certPem, signingTime: at(11) })).rejects.toThrow(/of sig-dv is earlier than/);

    // a subject teacher after the homeroom teacher signed (a subject added late) may not sign later than them
    const homeroomFirst = await prepareAndComplete(unsigned, { role: 'homeroom' }, pki, at(5));
    const toa = signerFor(pki, { role: 'subject', mamonhoc: 'TOA' });
    await expect(prepareSignature(homeroomFirst, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(6) })).rejects.toThrow(
      /of sig-gvbm-TOA is later than .* of sig-gvcn/,
    );
  });

  it('verifyHocBa refuses times out of order (signatures made elsewhere) and a signature still waiting for its value', async () => {
    // the homeroom teacher's signature made at 0 on another copy, moved next to subject signatures made at 10:
    // each signature is intact, only the order of the times is wrong
    const subjects = await signRemaining(unsigned, pki, subjectSteps(SUBJECTS), at(10));
    const homeroomAlone = await prepareAndComplete(unsigned, { role: 'homeroom' }, pki, at(0));
    const homeroomSig = homeroomAlone.match(/<ds:Signature Id="sig-gvcn"[^]*?<\/ds:Signature>/)?.[0] ?? '';
    const mixed = subjects.replace(/<GVCN Id="cks-gvcn"\/>/, `<GVCN Id="cks-gvcn">${homeroomSig}</GVCN>`);
    expect(mixed).toContain('Id="sig-gvcn"');
    const result = await verifyHocBa(mixed, trusted);
    expect(result.signatures.every((s) => s.valid)).toBe(true);
    expect(result.errors).toContain(`signing times out of order: sig-gvcn (${at(0).toISOString().replace('.000Z', 'Z')}) is earlier than sig-gvbm-TOA (${at(10).toISOString().replace('.000Z', 'Z')})`);

    const toa = signerFor(pki, { role: 'subject', mamonhoc: 'TOA' });
    const waiting = await prepareSignature(unsigned, { role: 'subject', mamonhoc: 'TOA' }, { certificatePem: toa.certPem, signingTime: at(0) });
    const pending = await verifyHocBa(waiting.xml, trusted);
    expect(pending.signatures.find((s) => s.signatureId === 'sig-gvbm-TOA')?.error).toBe('the signature has no value yet (prepared, awaiting the signer)');
  });

  it('verifyHocBa reports each signer its own time, in order', async () => {
    const xml = await fullySigned(unsigned);
    const result = await verifyHocBa(xml, trusted);
    expect(result.valid).toBe(true);
    expect(new Set(result.signatures.map((s) => s.signedAt)).size).toBe(4);
  });
});

describe('a change after some signatures', () => {
  let signed: string;
  beforeAll(async () => {
    signed = await fullySigned(unsigned);
  });

  const changed = (edit: (r: HocBaThcsThpt) => void): string => {
    const r = sampleHocBaRecord();
    edit(r);
    return buildHocBaXml(r);
  };

  it('finds the signatures that no longer stand from the digests of what they cover', async () => {
    const maths = changed((r) => {
      const toa = r.bangdiem.find((b) => b.mamonhoc === 'TOA');
      if (toa) toa.diemcanam = '9.8';
    });
    expect(await signaturesAffectedByChange(signed, maths)).toEqual(['sig-gvbm-TOA', 'sig-gvcn', 'sig-ht', 'sig-dv']);
    expect(await signaturesAffectedByChange(signed, changed((r) => (r.hovaten = 'Nguyễn Minh Anh')))).toEqual(['sig-ht', 'sig-dv']);
    expect(await signaturesAffectedByChange(signed, changed((r) => (r.nxetgvcn = 'Chăm ngoan.')))).toEqual(['sig-gvcn', 'sig-ht', 'sig-dv']);
    expect(await signaturesAffectedByChange(signed, unsigned)).toEqual([]);
    // a subject added: its teacher must sign, after which the homeroom teacher, principal and seal sign again
    const added = changed((r) => r.bangdiem.push({ mamonhoc: 'LIS', tenmonhoc: 'Lịch sử', diemcanam: '7.0', gvbm: 'Phan Văn Sử', soddcngvbm: '001090000009' }));
    expect(await signaturesAffectedByChange(signed, added)).toEqual(['sig-gvcn', 'sig-ht', 'sig-dv']);
  });

  it('carries the standing signatures into the rebuilt document; only the maths teacher, homeroom, principal and seal sign again', async () => {
    const r = sampleHocBaRecord();
    const toa = r.bangdiem.find((b) => b.mamonhoc === 'TOA');
    if (toa) toa.diemcanam = '9.8';
    const carried = await carryOverSignatures(signed, buildHocBaXml(r));
    const kept = ['sig-gvbm-VAN', 'sig-gvbm-GDT'];
    expect(carried.match(/<ds:Signature Id="[^"]+"/g)).toEqual(kept.map((id) => `<ds:Signature Id="${id}"`));
    if (hasXmlsec1) expect(referee(carried, kept)).toEqual(allTrue(kept));
    // the old signatures are the same bytes: nobody re-signed them
    for (const id of kept) expect(carried).toContain(signed.match(new RegExp(`<ds:Signature Id="${id}"[^]*?</ds:Signature>`))?.[0]);

    const resigned = await signRemaining(carried, pki, [...subjectSteps(['TOA']), ...LATER_STEPS], at(30));
    const result = await verifyHocBa(resigned, trusted);
    expect(result.errors).toEqual([]);
    expect(result.data?.bangdiem.find((b) => b.mamonhoc === 'TOA')?.diemcanam).toBe('9.8');
    if (hasXmlsec1) expect(referee(resigned)).toEqual(allTrue(ALL));
    await expect(carryOverSignatures(signed, signed)).rejects.toThrow(/already holds signatures/);
  });
});

describe('a change while a request is pending', () => {
  it('carries the pending signature, and the value the signer returns for the old request still completes it', async () => {
    let xml = await signRemaining(unsigned, pki, subjectSteps(['TOA', 'VAN']), start);
    const gdt = signerFor(pki, { role: 'subject', mamonhoc: 'GDT' });
    const pending = await prepareSignature(xml, { role: 'subject', mamonhoc: 'GDT' }, { certificatePem: gdt.certPem, signingTime: at(0) });
    const r = sampleHocBaRecord();
    const toa = r.bangdiem.find((b) => b.mamonhoc === 'TOA');
    if (toa) toa.diemcanam = '9.8';
    const rebuilt = buildHocBaXml(r);
    expect(await signaturesAffectedByChange(pending.xml, rebuilt)).toEqual(['sig-gvbm-TOA']);
    const carried = await carryOverSignatures(pending.xml, rebuilt);
    xml = await completeSignature(carried, 'sig-gvbm-GDT', signHashAsService(gdt.keyPem, pending.digest));
    xml = await signRemaining(xml, pki, [...subjectSteps(['TOA']), ...LATER_STEPS], at(1));
    expect((await verifyHocBa(xml, trusted)).errors).toEqual([]);
  });
});

describe('a subject whose teacher has left, signed by the principal', () => {
  it('says so in the signature (KyThay), verifies against the principal, and is refused without the statement', async () => {
    const steps: HocBaSigningStep[] = [{ role: 'subject', mamonhoc: 'TOA' }, { role: 'subject', mamonhoc: 'VAN' }, { role: 'subject', mamonhoc: 'GDT', signedBy: 'principal' }, ...LATER_STEPS];
    const xml = await signRemaining(unsigned, pki, steps, start);
    expect(xml).toContain('<ds:SignatureProperty Target="#sig-gvbm-GDT"><KyThay xmlns="urn:vn:moet:hocbaso:thcsthpt:1">hieutruong</KyThay>');
    const result = await verifyHocBa(xml, trusted);
    expect(result.errors).toEqual([]);
    const gdt = result.signatures.find((s) => s.mamonhoc === 'GDT');
    expect([gdt?.signer, gdt?.signedInPlaceBy]).toEqual([record.tengiamhieu, 'hieutruong']);
    expect(result.signatures.filter((s) => s.signedInPlaceBy).map((s) => s.signatureId)).toEqual(['sig-gvbm-GDT']);
    if (hasXmlsec1) expect(referee(xml)).toEqual(allTrue(ALL));

    // the one-go path says the same
    const oneGo = await signHocBa(unsigned, { ...signersFromTestPki(pki), subjectsSignedByPrincipal: ['GDT'] }, at(0));
    const oneGoResult = await verifyHocBa(oneGo, trusted);
    expect(oneGoResult.errors).toEqual([]);
    expect(oneGoResult.signatures.find((s) => s.mamonhoc === 'GDT')?.signedInPlaceBy).toBe('hieutruong');

    // the principal's certificate on a subject without the statement: the record names another teacher
    const unstated = await signHocBa(unsigned, { ...signersFromTestPki(pki), subjectTeachers: { ...signersFromTestPki(pki).subjectTeachers, GDT: signersFromTestPki(pki).principal as Signer } }, at(0));
    const refused = await verifyHocBa(unstated, trusted);
    expect(refused.valid).toBe(false);
    expect(refused.signatures.find((s) => s.mamonhoc === 'GDT')?.error).toMatch(/the certificate belongs to .* the record names/);
    // and the statement with a teacher's certificate is refused before any hash is sent: only the principal signs in place
    const van = signerFor(pki, { role: 'subject', mamonhoc: 'VAN' });
    const err = await prepareSignature(unsigned, { role: 'subject', mamonhoc: 'GDT', signedBy: 'principal' }, { certificatePem: van.certPem, signingTime: at(0) }).catch(
      (e: unknown) => e,
    );
    expect((err as DataError).code).toBe('HOCBA_SIGNER_MISMATCH');
    expect((err as DataError).message).toMatch(/^the certificate for sig-gvbm-GDT belongs to \*{8}0004, the record names \*{8}0001$/);
  });
});
