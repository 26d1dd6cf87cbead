import {
  SignerCertificateError,
  checkSignerCertificate,
  maskSignerId,
  type CheckedSignerCertificate,
  type SignerCertificateOptions,
} from '../../documents/xmldsig/signer-certificate.js';
import type { CredentialInfo } from './client.js';

/**
 * Whether a credential the service describes (`credentialInfo`) may sign for `personalId` at
 * `at`: the service's own word first (a disabled key, SIGNER_KEY_DISABLED; a certificate it calls
 * revoked or expired, SIGNER_CERT_REVOKED / SIGNER_CERT_EXPIRED: lienthong checks no CRL itself,
 * so the service's "revoked" is the revocation check there is), then `checkSignerCertificate` on
 * the chain. Answers the checked leaf, whose PEM `verifySignatureValues` takes.
 */
export function checkCredential(info: CredentialInfo, options: SignerCertificateOptions): CheckedSignerCertificate {
  const signer = maskSignerId(options.personalId);
  const refuse = (code: 'SIGNER_KEY_DISABLED' | 'SIGNER_CERT_REVOKED' | 'SIGNER_CERT_EXPIRED', reason: string): SignerCertificateError =>
    new SignerCertificateError(code, `the credential of signer ${signer} cannot be used: ${reason}`, { signer, credential: info.credentialId });
  if (info.keyStatus !== 'enabled') throw refuse('SIGNER_KEY_DISABLED', 'the signing service says the key is disabled');
  if (info.certStatus === 'revoked') throw refuse('SIGNER_CERT_REVOKED', 'the signing service says the certificate is revoked');
  if (info.certStatus === 'expired') throw refuse('SIGNER_CERT_EXPIRED', 'the signing service says the certificate has expired');
  return checkSignerCertificate(info.chainPem, options);
}
