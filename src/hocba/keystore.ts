/**
 * Where the signing keys of the people who sign a học bạ come from. The transformer only asks a
 * KeyStore for "the signer of this personal id" and "the school's seal", so a folder of PKCS#12 files
 * (DirectoryKeyStore, below), a USB token (PKCS#11) or a remote signing service can stand behind it.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, type ErrorContext } from '../core/errors.js';
import { maskPersonalId } from '../core/redact.js';
import { Pkcs12Signer } from '../signing/pkcs12-signer.js';
import type { Signer } from '../signing/signer.js';

/** Where a key is needed: names the record field the personal id came from, for the error. */
export interface KeyRequestContext {
  /** e.g. `data.bangdiem[TOA].soddcngvbm` */
  field?: string;
  /** the record's idbanghi or source key; never a personal id */
  record?: string;
}

export interface KeyStore {
  /** The signer holding `personalId`'s key; DataError SIGNING_KEY_MISSING when the store has none. */
  signerFor(personalId: string, context?: KeyRequestContext): Promise<Signer>;
  /** The school's organisation (seal) certificate. */
  schoolSigner(): Promise<Signer>;
  /**
   * Present when the keys are PKCS#12 files that another thread may open itself (the signing pool's
   * workers, the PDF seal). A token or a remote service leaves it out and signs in this thread.
   */
  readonly files?: Pkcs12KeyFiles;
}

export interface Pkcs12KeyFiles {
  /** path of `personalId`'s PKCS#12 file; DataError SIGNING_KEY_MISSING when there is none */
  pathFor(personalId: string, context?: KeyRequestContext): Promise<string>;
  schoolPath(): Promise<string>;
  /** the one password of every file (an already resolved secret) */
  readonly password: string;
}

export interface DirectoryKeyStoreOptions {
  /** folder holding `<soddcn>.p12` per person and `school.p12` */
  dir: string;
  /** the PKCS#12 password, already resolved from its env:/file: reference */
  password: string;
}

export const SCHOOL_KEY_FILE = 'school.p12';
const PERSONAL_ID = /^\d{12}$/;

/**
 * A folder of PKCS#12 files named by the holder's 12-digit personal id (`<soddcn>.p12`) plus
 * `school.p12`, all under one password. Opened signers are cached (opening a PKCS#12 file with
 * node-forge costs tens of milliseconds); a missing key is looked for again on the next request, so
 * a key added while the process runs is picked up.
 */
export class DirectoryKeyStore implements KeyStore, Pkcs12KeyFiles {
  readonly dir: string;
  readonly password: string;
  readonly #signers = new Map<string, Promise<Signer>>();

  constructor(options: DirectoryKeyStoreOptions) {
    this.dir = options.dir;
    this.password = options.password;
  }

  get files(): Pkcs12KeyFiles {
    return this;
  }

  async pathFor(personalId: string, context: KeyRequestContext = {}): Promise<string> {
    // Only 12 digits reach the file system: nothing else can name (or climb out of) the folder.
    if (!PERSONAL_ID.test(personalId)) {
      throw new DataError('SIGNING_KEY_ID_INVALID', `the signer's personal id ${maskPersonalId(personalId)} is not 12 digits`, errorContext(context));
    }
    const path = join(this.dir, `${personalId}.p12`);
    if (!(await readable(path))) {
      throw new DataError('SIGNING_KEY_MISSING', `no signing key for ${maskPersonalId(personalId)} in the key store`, errorContext(context));
    }
    return path;
  }

  async schoolPath(): Promise<string> {
    const path = join(this.dir, SCHOOL_KEY_FILE);
    if (!(await readable(path))) {
      throw new DataError('SIGNING_KEY_MISSING', `no school seal key (${SCHOOL_KEY_FILE}) in the key store`);
    }
    return path;
  }

  signerFor(personalId: string, context: KeyRequestContext = {}): Promise<Signer> {
    return this.#cached(personalId, async () => Pkcs12Signer.fromFile(await this.pathFor(personalId, context), this.password));
  }

  schoolSigner(): Promise<Signer> {
    return this.#cached(SCHOOL_KEY_FILE, async () => Pkcs12Signer.fromFile(await this.schoolPath(), this.password));
  }

  #cached(key: string, open: () => Promise<Signer>): Promise<Signer> {
    let signer = this.#signers.get(key);
    if (!signer) {
      signer = open();
      this.#signers.set(key, signer);
      // a failure is not cached: the key may be added (or the file fixed) while the process runs
      signer.catch(() => this.#signers.delete(key));
    }
    return signer;
  }
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function errorContext(context: KeyRequestContext): ErrorContext {
  const out: ErrorContext = {};
  if (context.field !== undefined) out.field = context.field;
  if (context.record !== undefined) out.record = context.record;
  return out;
}
