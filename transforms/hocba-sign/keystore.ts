/**
 * Where the signing keys of the people who sign a học bạ come from. The transformer only asks a
 * KeyStore for "the signer of this personal id" and "the school's seal", so a folder of PKCS#12 files
 * (DirectoryKeyStore, below), a USB token (PKCS#11) or a remote signing service can stand behind it.
 */
import { access, constants } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError, DataError, LienthongError, type ErrorContext } from '../../src/core/errors.js';
import { maskPersonalId } from '../../src/core/redact.js';
import { SCHOOL_KEY_FILE } from '../../documents/pki/key-folder.js';
import { Pkcs12Signer } from '../../documents/xmldsig/pkcs12-signer.js';
import type { Signer } from '../../documents/xmldsig/signer.js';

/** Where a key is needed: names the record field the personal id came from, for the error. */
export interface KeyRequestContext {
  /** e.g. `data.bangdiem[TOA].soddcngvbm` */
  field?: string;
  /** the record's idbanghi or source key; never a personal id */
  record?: string;
  /** who signs with this key, for the operator: e.g. `the teacher of subject TOA`, `the principal` */
  role?: string;
}

/**
 * A missing key or a wrong key password is a configuration problem, not bad data: every record that
 * person signs would fail the same way, and the record itself is right. These are ConfigErrors (exit 2):
 * - SIGNING_KEY_MISSING: the store has no key for this signer (no `<personal id>.p12`, no `school.p12`);
 * - SIGNING_KEY_PASSWORD: the key is there but the password does not open it;
 * - SIGNING_KEY_INVALID: the file is there but is not a usable PKCS#12 file.
 * Their messages name the signer's role, the masked personal id and the key folder; never the full id.
 * A personal id that is not 12 digits is the record's problem: DataError SIGNING_KEY_ID_INVALID.
 */
export interface KeyStore {
  /** The signer holding `personalId`'s key; ConfigError SIGNING_KEY_MISSING when the store has none. */
  signerFor(personalId: string, context?: KeyRequestContext): Promise<Signer>;
  /** The school's organisation (seal) certificate. */
  schoolSigner(): Promise<Signer>;
  /**
   * Present when the keys are PKCS#12 files that another thread may open itself (the signing pool's
   * workers, the PDF seal). A token or a remote service leaves it out and signs in this thread.
   */
  readonly files?: Pkcs12KeyFiles;
  /** Lets go of what the store holds open (a token session); the transformer calls it when it closes. */
  close?(): Promise<void>;
}

export interface Pkcs12KeyFiles {
  /** path of `personalId`'s PKCS#12 file; ConfigError SIGNING_KEY_MISSING when there is none */
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
  /** the school's seal file when it is not `school.p12` in `dir` (transform option `seal.pkcs12.file`) */
  schoolFile?: string;
}

export { SCHOOL_KEY_FILE };
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
  readonly schoolFile: string | undefined;
  readonly #signers = new Map<string, Promise<Signer>>();

  constructor(options: DirectoryKeyStoreOptions) {
    this.dir = options.dir;
    this.password = options.password;
    this.schoolFile = options.schoolFile;
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
    if (!(await readable(path))) throw signingKeyMissing({ role: context.role ?? 'a signer', personalId }, this.dir, context);
    return path;
  }

  async schoolPath(): Promise<string> {
    const path = this.schoolFile ?? join(this.dir, SCHOOL_KEY_FILE);
    if (!(await readable(path))) throw signingKeyMissing(this.schoolFile === undefined ? SCHOOL_SIGNER : { ...SCHOOL_SIGNER, fileName: basename(path) }, dirname(path));
    return path;
  }

  signerFor(personalId: string, context: KeyRequestContext = {}): Promise<Signer> {
    const who = { role: context.role ?? 'a signer', personalId };
    return this.#cached(personalId, async () => openPkcs12(await this.pathFor(personalId, context), this.password, who, context));
  }

  schoolSigner(): Promise<Signer> {
    return this.#cached(SCHOOL_KEY_FILE, async () => openPkcs12(await this.schoolPath(), this.password, SCHOOL_SIGNER));
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

/** Who a key belongs to, as the operator is told: a role and, for a person, the personal id (shown masked). */
export interface KeyHolder {
  role: string;
  personalId?: string;
  /** the key file's name, when it is not the usual one */
  fileName?: string;
}

export const SCHOOL_SIGNER: KeyHolder = { role: "the school's seal" };

function holderText(who: KeyHolder): string {
  return who.personalId === undefined ? who.role : `${who.role} (personal id ${maskPersonalId(who.personalId)})`;
}

function keyFileName(who: KeyHolder): string {
  if (who.fileName !== undefined) return who.fileName;
  return who.personalId === undefined ? SCHOOL_KEY_FILE : `${maskPersonalId(who.personalId)}.p12`;
}

/** ConfigError SIGNING_KEY_MISSING: no key file for this signer in `dir`. */
export function signingKeyMissing(who: KeyHolder, dir: string, context: KeyRequestContext = {}): ConfigError {
  return new ConfigError(
    'SIGNING_KEY_MISSING',
    `no signing key for ${holderText(who)} in the key folder ${dir} (expected ${keyFileName(who)}); add it and run again: the record is held back until it is signed`,
    { ...errorContext(context), path: dir },
  );
}

/**
 * The ConfigError for a key file that does not open: SIGNING_KEY_PASSWORD for a wrong password,
 * SIGNING_KEY_INVALID for a file that is not a usable PKCS#12 file. Anything else passes unchanged.
 * Used by the key store and by the signing pool's workers, which open the files themselves.
 */
export function signingKeyOpenError(err: unknown, who: KeyHolder, path: string, context: KeyRequestContext = {}): unknown {
  if (!(err instanceof LienthongError) || err.kind !== 'config' || !err.code.startsWith('P12_')) return err;
  const dir = dirname(path);
  const ctx = { ...errorContext(context), path: dir };
  if (err.code === 'P12_INVALID' && err.context.reason === 'password') {
    return new ConfigError('SIGNING_KEY_PASSWORD', `the key password (transform.keyPassword) does not open the signing key of ${holderText(who)} in the key folder ${dir}`, ctx, { cause: err });
  }
  return new ConfigError('SIGNING_KEY_INVALID', `the signing key of ${holderText(who)} in the key folder ${dir} cannot be used: ${err.message}`, ctx, { cause: err });
}

async function openPkcs12(path: string, password: string, who: KeyHolder, context: KeyRequestContext = {}): Promise<Signer> {
  try {
    return await Pkcs12Signer.fromFile(path, password);
  } catch (err) {
    throw signingKeyOpenError(err, who, path, context);
  }
}

function errorContext(context: KeyRequestContext): ErrorContext {
  const out: ErrorContext = {};
  if (context.field !== undefined) out.field = context.field;
  if (context.record !== undefined) out.record = context.record;
  return out;
}
