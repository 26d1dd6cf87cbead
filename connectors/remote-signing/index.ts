/**
 * A client of the remote signing services that hold teachers' and principals' keys
 * (docs/contracts/remote-signing.md, this folder's README). In short:
 *
 *   const client = new RemoteSigningClient({ baseUrl, clientId, clientSecret });
 *   const [credentialId] = await client.listCredentials(personalId);
 *   const info = await client.credentialInfo(credentialId);
 *   const cert = checkCredential(info, { trustedCaPems, personalId, at: new Date() });  // service status + checkSignerCertificate
 *   const { transactionId } = await client.signHash({ credentialId, hashes, description, clientRequestId });
 *   const decision = await client.waitForDecision(transactionId, { signal });   // or status() between runs
 *   if (decision.status === 'APPROVED') verifySignatureValues(cert.certificatePem, hashes, decision.signatures, personalId);
 *
 * The certificate and signature checks live with the XML signature code
 * (documents/xmldsig/signer-certificate.ts) and are re-exported here.
 */
export {
  RemoteSigningClient,
  MAX_HASHES_PER_REQUEST,
  HASH_ALGORITHM_OID,
  SIGN_ALGORITHM_OID,
  SIGNING_ANSWER_BOUNDS,
  derBase64ToPem,
  type CredentialInfo,
  type RemoteSigningClientOptions,
  type SignHashRequest,
  type SignTransaction,
  type SignatureStatus,
  type WaitOptions,
} from './client.js';
export {
  DEFAULT_SIGNING_PATHS,
  checkTransport,
  parseRemoteSigningConfig,
  remoteSigningConfigSchema,
  remoteSigningConnectionSchema,
  type RemoteSigningConfig,
  type RemoteSigningConfigInput,
} from './config.js';
export { backoffDelay, type Timing } from './backoff.js';
export { checkCredential } from './credential-check.js';
export {
  SignerCertificateError,
  checkSignerCertificate,
  maskSignerId,
  verifyDigestSignature,
  verifySignatureValues,
  type CheckedSignerCertificate,
  type SignerCertificateCode,
  type SignerCertificateOptions,
} from '../../documents/xmldsig/signer-certificate.js';
