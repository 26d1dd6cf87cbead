/**
 * Checks for a signer whose key lives elsewhere (a remote signing service, a USB token): before
 * lienthong uses what such a signer sends back, the certificate must be one the school may rely on
 * for THIS signer, and every signature value must be the signer's over the hash that was asked.
 */
import { constants, createPublicKey, publicDecrypt, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { LienthongError, type ErrorContext } from '../../src/core/errors.js';
import { splitPemCertificates } from '../pki/pem.js';
import { CertificateChainChecker } from './certificate-chain.js';
import { subjectAttribute, subjectPersonalId } from './certificate-name.js';

/** Why a signer's certificate or signature was refused; `context.signer` is the masked personal id. */
export type SignerCertificateCode =
  | 'SIGNER_CERT_UNREADABLE'
  | 'SIGNER_CERT_NOT_YET_VALID'
  | 'SIGNER_CERT_EXPIRED'
  | 'SIGNER_CERT_KEY_USAGE'
  | 'SIGNER_CERT_UNTRUSTED'
  | 'SIGNER_CERT_NO_PERSONAL_ID'
  | 'SIGNER_CERT_PERSON_MISMATCH'
  /** the signing service's own word on the credential (connectors/remote-signing checkCredential) */
  | 'SIGNER_CERT_REVOKED'
  | 'SIGNER_KEY_DISABLED'
  | 'SIGNATURE_COUNT_MISMATCH'
  | 'SIGNATURE_VALUE_INVALID';

/**
 * A signer's certificate or signature that cannot be accepted. Kind `data`: it concerns one signer
 * of one record (their certificate, or the signer the record names), not the whole run.
 */
export class SignerCertificateError extends LienthongError {
  constructor(code: SignerCertificateCode, message: string, context: ErrorContext = {}) {
    super(code, 'data', message, context);
  }
}

/** A personal id for messages: the first 3 and last 2 digits (`001*******45`). */
export function maskSignerId(id: string): string {
  if (id.length <= 5) return '*'.repeat(id.length);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 5)}${id.slice(-2)}`;
}

export interface SignerCertificateOptions {
  /** PEM texts of the CAs signers' certificates may chain to (bundles allowed) */
  trustedCaPems: readonly string[];
  /** the signer's 12-digit personal id as the record names them */
  personalId: string;
  /** when the signature is made (or was approved): the certificate must be valid then */
  at: Date;
}

export interface CheckedSignerCertificate {
  /** the leaf certificate, PEM */
  certificatePem: string;
  /** the intermediates that came with it, PEM, leaf's issuer first */
  intermediatePems: string[];
  /** the subject's common name, for reports */
  commonName: string;
  notAfter: Date;
}

/**
 * Accepts `chainPem` (leaf first, as a list or one PEM text) as the certificate of the signer
 * `personalId` at `at`, or throws a SignerCertificateError saying why, one code per reason: the
 * leaf not valid at `at` (SIGNER_CERT_NOT_YET_VALID, SIGNER_CERT_EXPIRED), a key usage that does
 * not allow signing (SIGNER_CERT_KEY_USAGE: a keyUsage extension without digitalSignature or
 * nonRepudiation), no path to a trusted CA (SIGNER_CERT_UNTRUSTED), no `CCCD:<12 digits>` in the
 * subject's serialNumber or UID (SIGNER_CERT_NO_PERSONAL_ID), or another person's
 * (SIGNER_CERT_PERSON_MISMATCH). Revocation (CRL/OCSP) is not checked here.
 */
export function checkSignerCertificate(chainPem: string | readonly string[], options: SignerCertificateOptions): CheckedSignerCertificate {
  const signer = maskSignerId(options.personalId);
  const context: ErrorContext = { signer };
  const fail = (code: SignerCertificateCode, reason: string): SignerCertificateError =>
    new SignerCertificateError(code, `the certificate of signer ${signer} cannot be used: ${reason}`, context);

  const pems = typeof chainPem === 'string' ? splitPemCertificates(chainPem) : chainPem.flatMap((p) => splitPemCertificates(p));
  const [leafPem, ...intermediatePems] = pems;
  let leaf: forge.pki.Certificate;
  try {
    if (leafPem === undefined) throw new Error('no certificate');
    leaf = forge.pki.certificateFromPem(leafPem);
  } catch {
    throw fail('SIGNER_CERT_UNREADABLE', 'no readable RSA certificate in the chain');
  }
  const at = options.at;
  if (leaf.validity.notBefore.getTime() > at.getTime()) {
    throw fail('SIGNER_CERT_NOT_YET_VALID', `it is valid only from ${leaf.validity.notBefore.toISOString()} (signing at ${at.toISOString()})`);
  }
  if (leaf.validity.notAfter.getTime() < at.getTime()) {
    throw fail('SIGNER_CERT_EXPIRED', `it expired on ${leaf.validity.notAfter.toISOString()} (signing at ${at.toISOString()})`);
  }
  const keyUsage = leaf.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (keyUsage && !keyUsage.digitalSignature && !keyUsage.nonRepudiation) {
    throw fail('SIGNER_CERT_KEY_USAGE', 'its key usage allows neither digitalSignature nor nonRepudiation');
  }
  const chain = new CertificateChainChecker(options.trustedCaPems, at).check(leafPem, intermediatePems);
  if (!chain.ok) throw fail('SIGNER_CERT_UNTRUSTED', chain.error ?? 'it does not chain to a trusted CA');

  const idInCertificate = subjectPersonalId(leaf);
  if (idInCertificate === undefined) throw fail('SIGNER_CERT_NO_PERSONAL_ID', 'its subject carries no CCCD:<12 digits> in serialNumber or UID');
  if (idInCertificate !== options.personalId) {
    throw fail('SIGNER_CERT_PERSON_MISMATCH', `it belongs to another person (${maskSignerId(idInCertificate)})`);
  }
  return { certificatePem: leafPem, intermediatePems, commonName: subjectAttribute(leaf, 'CN') ?? '(no common name)', notAfter: leaf.validity.notAfter };
}

/** DER of DigestInfo { sha256, NULL } up to the digest (RFC 8017 §9.2, note 1) */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Whether `signature` is an RSASSA-PKCS1-v1_5 signature over the SHA-256 `digest` by the key of
 * `certificatePem`. node:crypto's `verify` hashes its input itself, so for a digest computed
 * elsewhere the signature is opened with the public key (`publicDecrypt`, which checks the type-1
 * padding) and the DigestInfo inside compared with the one expected, byte for byte.
 */
export function verifyDigestSignature(certificatePem: string, digest: Buffer, signature: Buffer): boolean {
  if (digest.length !== 32) return false;
  const key = createPublicKey(certificatePem);
  const modulusBytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (key.asymmetricKeyType !== 'rsa' || signature.length !== modulusBytes) return false;
  let opened: Buffer;
  try {
    opened = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  const expected = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
  return opened.length === expected.length && timingSafeEqual(opened, expected);
}

/**
 * Accepts `signatures` as the signer's, one per digest in the same order, or throws
 * (SIGNATURE_COUNT_MISMATCH, SIGNATURE_VALUE_INVALID naming the first bad position).
 */
export function verifySignatureValues(certificatePem: string, digests: readonly Buffer[], signatures: readonly Buffer[], personalId: string): void {
  const signer = maskSignerId(personalId);
  if (signatures.length !== digests.length) {
    throw new SignerCertificateError(
      'SIGNATURE_COUNT_MISMATCH',
      `signer ${signer}: the signing service sent ${signatures.length} signatures for ${digests.length} hashes`,
      { signer },
    );
  }
  for (let i = 0; i < digests.length; i++) {
    if (!verifyDigestSignature(certificatePem, digests[i] as Buffer, signatures[i] as Buffer)) {
      throw new SignerCertificateError(
        'SIGNATURE_VALUE_INVALID',
        `signer ${signer}: signature ${i + 1} of ${digests.length} is not a valid signature of its hash by the signer's certificate`,
        { signer, position: i },
      );
    }
  }
}
