/**
 * The signers of the remote signing service as lienthong uses them: a personal id → the credential
 * and the certificate the service holds for that person, checked (the service's own status, the
 * chain to a trusted CA, validity now, key usage, and the personal id in the certificate equal to
 * the one the record names) before any hash of theirs is prepared or sent. Cached for a while: one
 * teacher signs a whole class, and the certificate does not change between two records.
 */
import { ConfigError, LienthongError } from '../../src/core/errors.js';
import { checkCredential, maskSignerId, type RemoteSigningClient } from '../../connectors/remote-signing/index.js';

export interface RemoteSigner {
  personalId: string;
  credentialId: string;
  certificatePem: string;
  /** intermediates, leaf's issuer first */
  chainPem: string[];
}

/** the time a looked-up signer is kept before the service is asked again */
const SIGNER_TTL_MS = 5 * 60_000;

export class RemoteSigners {
  readonly #cache = new Map<string, { at: number; signer: Promise<RemoteSigner> }>();

  constructor(
    readonly client: RemoteSigningClient,
    private readonly trustedCaPems: readonly string[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The checked signer; a LienthongError (kind data) naming the signer masked when the service has
   * no key for them or their certificate is refused (SIGNER_CERT_*): the record's problem, reported.
   */
  signerFor(personalId: string): Promise<RemoteSigner> {
    const t = this.now().getTime();
    const cached = this.#cache.get(personalId);
    if (cached && t - cached.at < SIGNER_TTL_MS) return cached.signer;
    const signer = this.#lookUp(personalId);
    this.#cache.set(personalId, { at: t, signer });
    // a failure is asked again next time (a certificate renewed, a key enabled)
    signer.catch(() => this.#cache.delete(personalId));
    return signer;
  }

  async #lookUp(personalId: string): Promise<RemoteSigner> {
    const [credentialId] = await this.client.listCredentials(personalId);
    if (credentialId === undefined) {
      throw new LienthongError('SIGNER_NO_REMOTE_KEY', 'data', `the signing service holds no key for signer ${maskSignerId(personalId)}`, { signer: maskSignerId(personalId) });
    }
    const info = await this.client.credentialInfo(credentialId);
    const checked = checkCredential(info, { trustedCaPems: this.trustedCaPems, personalId, at: this.now() });
    return { personalId, credentialId, certificatePem: checked.certificatePem, chainPem: checked.intermediatePems };
  }
}

/** `trust` must name the signing service's CA: without it no signer's certificate can be checked. */
export function requireSigningTrust(trustedCaPems: readonly string[]): readonly string[] {
  if (trustedCaPems.length === 0) throw new ConfigError('HOCBA_SIGN_NO_TRUST', 'remote signing needs the CA certificates of the signing service (trust.caFiles)');
  return trustedCaPems;
}
