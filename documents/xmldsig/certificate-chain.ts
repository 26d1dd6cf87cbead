import forge from 'node-forge';
import { certificatesOfAll } from '../pki/pem.js';

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
  return new CertificateChainChecker(trustedCaPems, at).check(leafPem, intermediatePems);
}

/**
 * `checkCertificateChain` for many signatures of one document: the trusted CAs are parsed once, and a
 * chain already checked (one teacher signs several subjects, the same intermediates come with every
 * signature) is answered from memory. The result depends only on the certificates, the trusted CAs
 * and `at`, which are fixed per checker, so the memo gives the same answer the full check would.
 */
export class CertificateChainChecker {
  readonly #trustedCaPems: readonly string[];
  readonly #at: Date;
  #store: forge.pki.CAStore | 'unreadable' | undefined;
  readonly #results = new Map<string, ChainCheck>();

  /**
   * `trustedCaPems`: PEM texts; a text holding several certificates (a chain or a bundle, in any
   * order) trusts every one of them. A text holding none makes the trust store unreadable: a file
   * that was meant to add a CA must not silently add nothing.
   */
  constructor(trustedCaPems: readonly string[], at: Date) {
    const certificates = certificatesOfAll(trustedCaPems);
    const empty = trustedCaPems.some((pem) => certificatesOfAll([pem]).length === 0);
    this.#trustedCaPems = empty ? [] : certificates;
    this.#at = new Date(at.getTime());
  }

  check(leafPem: string, intermediatePems: readonly string[]): ChainCheck {
    const key = [leafPem, ...intermediatePems].join('\u0000');
    const known = this.#results.get(key);
    if (known) return known;
    const result = this.#checkUncached(leafPem, intermediatePems);
    this.#results.set(key, result);
    return result;
  }

  #caStore(): forge.pki.CAStore | 'unreadable' {
    if (this.#store === undefined) {
      try {
        if (this.#trustedCaPems.length === 0) throw new Error('no trusted certificate');
        this.#store = forge.pki.createCaStore(this.#trustedCaPems.map((pem) => forge.pki.certificateFromPem(pem)));
      } catch {
        this.#store = 'unreadable';
      }
    }
    return this.#store;
  }

  #checkUncached(leafPem: string, intermediatePems: readonly string[]): ChainCheck {
    const at = this.#at;
    let leaf: forge.pki.Certificate;
    let intermediates: forge.pki.Certificate[];
    try {
      leaf = forge.pki.certificateFromPem(leafPem);
      intermediates = intermediatePems.map((pem) => forge.pki.certificateFromPem(pem));
    } catch {
      return { ok: false, error: 'the certificate in KeyInfo cannot be read (only RSA certificates are supported)' };
    }
    const store = this.#caStore();
    if (store === 'unreadable') return { ok: false, error: 'a trusted CA certificate cannot be read' };

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
}
