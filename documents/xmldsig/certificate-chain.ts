import forge from 'node-forge';
import { X509Certificate, type KeyObject } from 'node:crypto';
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
 * What the path validation of one chain said, whatever the time: the time-independent checks
 * (issuers, signatures, CA flags, key usages) and the window in which every certificate of the path
 * is valid. A verdict at a time is this plus "is the time inside the window".
 */
interface ChainVerdict {
  ok: boolean;
  error?: string;
  leaf?: forge.pki.Certificate;
  /** the latest notBefore and the earliest notAfter of the certificates on the path */
  validFrom?: Date;
  validUntil?: Date;
}

/**
 * Verdicts by trusted-CA set and chain (the PEM texts themselves are the key: two texts that differ
 * in one byte are two chains). The same few certificates sign a whole school's records (six per
 * class), so across documents and runs a chain is validated once per process, not at every signature:
 * node-forge's path validation is pure-JavaScript RSA and was most of a verification's time.
 * Bounded: past MAX_VERDICTS the memo starts again (a school has a few hundred signers).
 */
const verdicts = new Map<string, ChainVerdict>();
const MAX_VERDICTS = 2_000;

/** Forgets every remembered verdict (tests that replace a CA file under the same text use it). */
export function forgetChainVerdicts(): void {
  verdicts.clear();
}

const trustedSets = new Map<string, string[]>();

/**
 * The certificates of trusted-CA texts, none when one of the texts holds none (see the constructor
 * below); remembered by the texts, which every document of a run verifies against.
 */
function trustedCertificates(texts: readonly string[]): string[] {
  const key = texts.join('\u0000');
  let certificates = trustedSets.get(key);
  if (!certificates) {
    const empty = texts.some((pem) => certificatesOfAll([pem]).length === 0);
    certificates = empty ? [] : certificatesOfAll(texts);
    if (trustedSets.size >= 100) trustedSets.clear();
    trustedSets.set(key, certificates);
  }
  return certificates;
}

/**
 * `checkCertificateChain` for many signatures: the trusted CAs are parsed once per checker, and a
 * chain already validated (by this checker or any other with the same trusted CAs: one teacher signs
 * several subjects and every pupil of the class) is answered from memory, its validity window checked
 * against this checker's `at`. The verdict depends only on the certificates, the trusted CAs and the
 * time, so the memo gives the same answer the full check would.
 */
export class CertificateChainChecker {
  readonly #trustedCaPems: readonly string[];
  readonly #trustKey: string;
  readonly #at: Date;
  #store: forge.pki.CAStore | 'unreadable' | undefined;

  /**
   * `trustedCaPems`: PEM texts; a text holding several certificates (a chain or a bundle, in any
   * order) trusts every one of them. A text holding none makes the trust store unreadable: a file
   * that was meant to add a CA must not silently add nothing.
   */
  constructor(trustedCaPems: readonly string[], at: Date) {
    this.#trustedCaPems = trustedCertificates(trustedCaPems);
    this.#trustKey = this.#trustedCaPems.join('');
    this.#at = new Date(at.getTime());
  }

  check(leafPem: string, intermediatePems: readonly string[]): ChainCheck {
    const key = [this.#trustKey, leafPem, ...intermediatePems].join('\u0000');
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = this.#validate(leafPem, intermediatePems);
      if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return atTime(verdict, this.#at);
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

  /** The time-independent verdict of a chain, with its validity window. */
  #validate(leafPem: string, intermediatePems: readonly string[]): ChainVerdict {
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

    // The path's validity window: forge checks each certificate of the path (and the trusted CA it
    // ends at) against the time; the window is where all of them are valid.
    const path = [...chain];
    const last = chain[chain.length - 1] as forge.pki.Certificate;
    const anchor = issuingAnchor(store, last);
    if (anchor && anchor !== last) path.push(anchor);
    const validFrom = new Date(Math.max(...path.map((c) => c.validity.notBefore.getTime())));
    const validUntil = new Date(Math.min(...path.map((c) => c.validity.notAfter.getTime())));

    try {
      // validityCheckDate null: the window above stands for the time check
      forge.pki.verifyCertificateChain(store, chain, { validityCheckDate: null as unknown as Date });
    } catch (err) {
      const message = typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : 'path validation failed';
      return { ok: false, error: `certificate chain not trusted: ${message}`, leaf };
    }

    const keyUsage = leaf.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
    if (keyUsage && !keyUsage.digitalSignature && !keyUsage.nonRepudiation) {
      return { ok: false, error: 'the signing certificate is not allowed to sign (key usage)', leaf };
    }
    return { ok: true, leaf, validFrom, validUntil };
  }
}

/**
 * The trusted certificate that issued `cert`: forge's store answers an array when it holds several
 * certificates of one subject (a bundle listing a CA twice, or a renewed CA beside the old one), so
 * the one whose key signed `cert` is picked.
 */
function issuingAnchor(store: forge.pki.CAStore, cert: forge.pki.Certificate): forge.pki.Certificate | null {
  const found = store.getIssuer(cert) as forge.pki.Certificate | forge.pki.Certificate[] | null;
  if (found === null || found === undefined) return null;
  const candidates = Array.isArray(found) ? found : [found];
  return (
    candidates.find((candidate) => {
      try {
        return candidate === cert || candidate.verify(cert);
      } catch {
        return false;
      }
    }) ?? null
  );
}

function atTime(verdict: ChainVerdict, at: Date): ChainCheck {
  const { ok, error, leaf, validFrom, validUntil } = verdict;
  if (!ok || !validFrom || !validUntil) return { ok: false, ...(error !== undefined ? { error } : {}), ...(leaf ? { leaf } : {}) };
  if (at < validFrom || at > validUntil) {
    // forge's own wording, as the uncached check reported it
    return { ok: false, error: 'certificate chain not trusted: Certificate is not valid yet or has expired.', ...(leaf ? { leaf } : {}) };
  }
  return { ok: true, ...(leaf ? { leaf } : {}) };
}

const publicKeys = new Map<string, KeyObject>();

/**
 * The public key of a PEM certificate, parsed once per certificate (node:crypto's X.509 parsing was a
 * tenth of a verification when done at every signature). Throws as `new X509Certificate` does.
 */
export function publicKeyOfCertificate(pem: string): KeyObject {
  let key = publicKeys.get(pem);
  if (!key) {
    key = new X509Certificate(pem).publicKey;
    if (publicKeys.size >= MAX_VERDICTS) publicKeys.clear();
    publicKeys.set(pem, key);
  }
  return key;
}

/** A PEM certificate from the base64 of an X509Certificate element (whitespace anywhere). */
export function pemOfBase64(base64: string): string {
  const body = base64.replace(/\s+/g, '').match(/.{1,64}/g)?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
