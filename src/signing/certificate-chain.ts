import forge from 'node-forge';

export interface ChainCheck {
  ok: boolean;
  /** why the chain was refused; no personal data */
  error?: string;
  leaf?: forge.pki.Certificate;
}

/**
 * Checks that `leafPem` chains to one of `trustedCaPems` through the (untrusted) intermediates, with
 * every certificate valid at `at`, CA flags and key usages as RFC 5280 wants (node-forge's path
 * validation), and that the leaf may sign documents (digitalSignature or nonRepudiation, when it says).
 * Revocation (CRL/OCSP) is not checked.
 */
export function checkCertificateChain(leafPem: string, intermediatePems: readonly string[], trustedCaPems: readonly string[], at: Date): ChainCheck {
  let leaf: forge.pki.Certificate;
  let intermediates: forge.pki.Certificate[];
  let store: forge.pki.CAStore;
  try {
    leaf = forge.pki.certificateFromPem(leafPem);
    intermediates = intermediatePems.map((pem) => forge.pki.certificateFromPem(pem));
  } catch {
    return { ok: false, error: 'the certificate in KeyInfo cannot be read (only RSA certificates are supported)' };
  }
  try {
    store = forge.pki.createCaStore(trustedCaPems.map((pem) => forge.pki.certificateFromPem(pem)));
  } catch {
    return { ok: false, error: 'a trusted CA certificate cannot be read' };
  }

  // Order the path leaf → … → last intermediate; certificates that are not on the path are ignored.
  const chain = [leaf];
  const pool = [...intermediates];
  for (;;) {
    const current = chain[chain.length - 1] as forge.pki.Certificate;
    if (store.hasCertificate(current) || current.isIssuer(current)) break;
    // forge: a.isIssuer(b) is true when b's subject is a's issuer
    const i = pool.findIndex((candidate) => current.isIssuer(candidate));
    if (i < 0) break;
    chain.push(...pool.splice(i, 1));
  }

  try {
    forge.pki.verifyCertificateChain(store, chain, { validityCheckDate: at });
  } catch (err) {
    const message = typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : 'path validation failed';
    return { ok: false, error: `certificate chain not trusted: ${message}`, leaf };
  }

  const keyUsage = leaf.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (keyUsage && !keyUsage.digitalSignature && !keyUsage.nonRepudiation) {
    return { ok: false, error: 'the signing certificate is not allowed to sign (key usage)', leaf };
  }
  return { ok: true, leaf };
}
