/**
 * The school's organisation seal held on a PKCS#11 token (transform option `seal.pkcs11`), next to
 * the people's PKCS#12 files of the key folder. The token signs in this thread: it has no file a
 * signing worker could open, so the transformer runs without its pool, and no PDF can be sealed
 * (the PDF seal reads the school's PKCS#12 file).
 */
import { Pkcs11Signer, type Pkcs11SignerOptions } from '../../documents/pkcs11/pkcs11-signer.js';
import type { Signer } from '../../documents/xmldsig/signer.js';
import type { KeyRequestContext, KeyStore } from './keystore.js';

export class TokenSealKeyStore implements KeyStore {
  readonly #people: KeyStore;
  readonly #options: Pkcs11SignerOptions;
  #seal: Promise<Pkcs11Signer> | undefined;

  /** `people`: where the teachers' and the principal's keys are; `seal`: the token, its PIN already resolved */
  constructor(people: KeyStore, seal: Pkcs11SignerOptions) {
    this.#people = people;
    this.#options = seal;
  }

  signerFor(personalId: string, context?: KeyRequestContext): Promise<Signer> {
    return this.#people.signerFor(personalId, context);
  }

  schoolSigner(): Promise<Signer> {
    if (!this.#seal) {
      const opening = Pkcs11Signer.open(this.#options);
      this.#seal = opening;
      // a failure is not kept: the token may be plugged in (or the PIN fixed) while the process runs
      opening.catch(() => {
        if (this.#seal === opening) this.#seal = undefined;
      });
    }
    return this.#seal;
  }

  /** Logs out of the token and lets the module go. */
  async close(): Promise<void> {
    const seal = this.#seal;
    this.#seal = undefined;
    const signer = await seal?.catch(() => undefined);
    await signer?.close();
    await this.#people.close?.();
  }
}
