/**
 * Whoever holds a signing key. The XML signing code only needs the certificate to publish and a way to
 * sign bytes, so a PKCS#12 file, a USB token (PKCS#11) or a remote signing service can all implement
 * this; none of them has to hand out its private key.
 */
export type SignatureAlgorithmName = 'RSA-SHA256';

export interface Signer {
  /** the signing certificate, PEM */
  readonly certificatePem: string;
  /** intermediate certificates (PEM, leaf's issuer first), published in KeyInfo after the leaf; no root needed */
  readonly chainPem?: readonly string[];
  /** a label for reports and errors: the certificate subject's common name */
  readonly subject: string;
  /**
   * Signs `data` (the canonical SignedInfo octets) — for RSA-SHA256: SHA-256 digest, PKCS#1 v1.5 padding —
   * and returns the raw signature value. May be asynchronous (a token asks for a PIN, a service answers
   * over the network).
   */
  sign(data: Buffer, algorithm: SignatureAlgorithmName): Promise<Buffer> | Buffer;
}
