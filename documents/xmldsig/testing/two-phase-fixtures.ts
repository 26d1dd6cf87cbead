/**
 * Test support for the two-phase signing tests: a signer who signs a SHA-256 hash the way a remote
 * signing service does (RSASSA-PKCS1-v1_5 over the DigestInfo of the hash it is sent: the service never
 * sees the document), and a walk through every step with each signer's own signing time.
 */
import { constants, privateEncrypt } from 'node:crypto';
import type { HocBaTestPki, TestSignerFile } from '../../pki/test-pki.js';
import type { HocBaSigningStep } from '../hocba-steps.js';
import { completeSignature, prepareSignature } from '../two-phase.js';

/** DER prefix of DigestInfo { sha256, NULL } (RFC 8017 §9.2): what PKCS#1 v1.5 pads around the hash. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** What a signHash service returns for one hash, with the signer's private key. */
export function signHashAsService(keyPem: string, digest: Buffer): Buffer {
  if (digest.length !== 32) throw new Error('a SHA-256 hash has 32 bytes');
  return privateEncrypt({ key: keyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
}

/** The signer the test PKI has for a step (the principal for a subject they sign in place of its teacher). */
export function signerFor(pki: HocBaTestPki, step: HocBaSigningStep): TestSignerFile {
  switch (step.role) {
    case 'subject': {
      if (step.signedBy === 'principal') return pki.principal;
      const teacher = pki.subjectTeachers[step.mamonhoc];
      if (!teacher) throw new Error(`no test signer for ${step.mamonhoc}`);
      return teacher;
    }
    case 'homeroom':
      return pki.homeroom;
    case 'principal':
      return pki.principal;
    case 'seal':
      return pki.school;
  }
}

/** Prepares a step, has the "service" sign its digest, completes it. */
export async function prepareAndComplete(xml: string, step: HocBaSigningStep, pki: HocBaTestPki, signingTime: Date): Promise<string> {
  const signer = signerFor(pki, step);
  const prepared = await prepareSignature(xml, step, { certificatePem: signer.certPem, signingTime });
  return completeSignature(prepared.xml, prepared.signatureId, signHashAsService(signer.keyPem, prepared.digest));
}

/**
 * Every step of `subjects` then homeroom, principal and seal, each signer a minute after the one
 * before (subject teachers all at `start`), starting from `xml` (which may already hold signatures).
 */
export async function signRemaining(xml: string, pki: HocBaTestPki, steps: readonly HocBaSigningStep[], start: Date): Promise<string> {
  let out = xml;
  let minute = 0;
  for (const step of steps) {
    if (step.role !== 'subject') minute++;
    out = await prepareAndComplete(out, step, pki, new Date(start.getTime() + minute * 60_000));
  }
  return out;
}

export const LATER_STEPS: readonly HocBaSigningStep[] = [{ role: 'homeroom' }, { role: 'principal' }, { role: 'seal' }];

export function subjectSteps(codes: readonly string[]): HocBaSigningStep[] {
  return codes.map((mamonhoc) => ({ role: 'subject', mamonhoc }));
}
