import { createHash, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import type { Attribute, Handle } from 'pkcs11js';
import { BugError, ConfigError, type ErrorContext } from '../../src/core/errors.js';
import { splitPemCertificates } from '../pki/pem.js';
import { subjectCommonName } from '../xmldsig/certificate-name.js';
import type { SignatureAlgorithmName, Signer } from '../xmldsig/signer.js';
import { acquireModule, ckrName, ckrOf, releaseModule, type LoadedModule } from './module.js';

export interface Pkcs11SignerOptions {
  /** path of the token vendor's PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so) */
  module: string;
  /** the token's label as it was initialised; or give `slotId` */
  tokenLabel?: string;
  /** the slot id, when the label does not single the token out */
  slotId?: number;
  /** the user PIN, already resolved from its secret reference; never shown */
  pin: string;
  /** the private key's CKA_LABEL; at least one of keyLabel and keyId */
  keyLabel?: string;
  /** the private key's CKA_ID, hexadecimal */
  keyId?: string;
  /**
   * PEM file with the certificates the token does not hold: the intermediates (leaf's issuer first or
   * in any order) and, when the token has no certificate object for the key, the signing certificate.
   */
  certificateFile?: string;
}

/**
 * A signer whose private key never leaves a PKCS#11 token: the school's organisation seal on a USB
 * token or an HSM. It logs in once with the user PIN, keeps one session, and signs SignedInfo octets
 * with CKM_SHA256_RSA_PKCS (the token hashes and pads). Call `close()` when done: it ends the session
 * and, for the last signer of the module in this process, finalises the module.
 *
 * Every failure is a ConfigError whose code says what to fix (PKCS11_MODULE, PKCS11_TOKEN_NOT_FOUND,
 * PKCS11_PIN_INCORRECT, PKCS11_PIN_LOCKED, PKCS11_KEY_NOT_FOUND, …). The PIN is in no message,
 * context or cause.
 */
export class Pkcs11Signer implements Signer {
  readonly certificatePem: string;
  readonly chainPem: readonly string[];
  readonly subject: string;
  readonly #module: LoadedModule;
  readonly #session: Handle;
  readonly #key: Handle;
  readonly #signatureLength: number;
  /** set when the key wants the PIN again for each signature (CKA_ALWAYS_AUTHENTICATE) */
  readonly #pinForEachSignature: string | undefined;
  readonly #where: ErrorContext;
  /** one operation at a time on a session: signatures wait for the one before */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(parts: { module: LoadedModule; session: Handle; key: Handle; signatureLength: number; pinForEachSignature?: string; certificatePem: string; chainPem: string[]; where: ErrorContext }) {
    this.#module = parts.module;
    this.#session = parts.session;
    this.#key = parts.key;
    this.#signatureLength = parts.signatureLength;
    this.#pinForEachSignature = parts.pinForEachSignature;
    this.#where = parts.where;
    this.certificatePem = parts.certificatePem;
    this.chainPem = parts.chainPem;
    this.subject = subjectCommonName(parts.certificatePem);
  }

  static async open(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
    if (options.keyLabel === undefined && options.keyId === undefined) {
      throw new ConfigError('PKCS11_KEY_NOT_FOUND', 'name the private key on the token by its label (keyLabel) or id (keyId)', { file: options.module });
    }
    const fileCertificates = options.certificateFile === undefined ? [] : await readCertificateFile(options.certificateFile);
    const module = await acquireModule(options.module);
    let session: Handle | undefined;
    try {
      const slot = findSlot(module, options);
      session = openSession(module, slot, options.pin, { file: options.module, token: tokenName(options) });
      const found = findKey(module, session, options);
      const leafAndChain = certificatesFor(found.publicKey, certificatesOnToken(module, session), fileCertificates, options);
      return new Pkcs11Signer({
        module,
        session,
        key: found.handle,
        signatureLength: found.modulusLength,
        ...(found.alwaysAuthenticate ? { pinForEachSignature: options.pin } : {}),
        ...leafAndChain,
        where: { file: options.module, token: tokenName(options) },
      });
    } catch (err) {
      if (session !== undefined) closeSessionQuietly(module, session);
      releaseModule(module);
      throw err;
    }
  }

  sign(data: Buffer, algorithm: SignatureAlgorithmName): Promise<Buffer> {
    if (algorithm !== 'RSA-SHA256') throw new ConfigError('SIGN_ALGORITHM', `unsupported signature algorithm ${String(algorithm)}`);
    const run = this.#queue.then(() => this.#signNow(data));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #signNow(data: Buffer): Promise<Buffer> {
    if (this.#closed) throw new BugError('PKCS11_SIGNER_CLOSED', 'the PKCS#11 signer was used after close()');
    const { lib, pkcs11 } = this.#module;
    try {
      pkcs11.C_SignInit(this.#session, { mechanism: lib.CKM_SHA256_RSA_PKCS }, this.#key);
      if (this.#pinForEachSignature !== undefined) pkcs11.C_Login(this.#session, lib.CKU_CONTEXT_SPECIFIC, this.#pinForEachSignature);
    } catch (cause) {
      throw this.#signFailed(cause);
    }
    // the callback form runs on libuv's pool: a hardware token's hundreds of milliseconds do not stall the loop
    return new Promise((resolve, reject) => {
      pkcs11.C_Sign(this.#session, data, Buffer.alloc(this.#signatureLength), (error, signature) => {
        if (error) reject(this.#signFailed(error));
        else resolve(Buffer.from(signature));
      });
    });
  }

  #signFailed(cause: unknown): ConfigError {
    return new ConfigError('PKCS11_SIGN_FAILED', `the token refused to sign (${ckrName(cause)})`, this.#where, { cause });
  }

  /** Ends the session (and the login with it); idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    // No C_Logout: a login belongs to the application, not the session, and another signer of this
    // process may still use the token; closing the last session ends the login anyway.
    closeSessionQuietly(this.#module, this.#session);
    releaseModule(this.#module);
  }
}

function tokenName(options: Pkcs11SignerOptions): string {
  return options.tokenLabel ?? `slot ${String(options.slotId)}`;
}

function handleNumber(handle: Handle): bigint {
  return handle.length >= 8 ? handle.readBigUInt64LE(0) : BigInt(handle.readUInt32LE(0));
}

function findSlot({ lib, pkcs11, path }: LoadedModule, options: Pkcs11SignerOptions): Handle {
  const slots = pkcs11.C_GetSlotList(true);
  const tokens = slots.map((slot) => ({ slot, id: handleNumber(slot), info: pkcs11.C_GetTokenInfo(slot) }));
  const wanted = tokens.filter((t) => (options.tokenLabel === undefined || t.info.label.trim() === options.tokenLabel) && (options.slotId === undefined || t.id === BigInt(options.slotId)));
  const where = { file: path, token: tokenName(options) };
  if (wanted.length === 0) {
    const present = tokens.map((t) => `"${t.info.label.trim()}" (slot ${t.id})`).join(', ') || 'none';
    throw new ConfigError('PKCS11_TOKEN_NOT_FOUND', `no token ${describeToken(options)} in the PKCS#11 module ${path}; tokens present: ${present}`, where);
  }
  if (wanted.length > 1) {
    throw new ConfigError('PKCS11_TOKEN_AMBIGUOUS', `${wanted.length} tokens are labelled "${options.tokenLabel ?? ''}" in ${path}: give slotId as well`, where);
  }
  const token = wanted[0]!;
  if ((token.info.flags & lib.CKF_USER_PIN_LOCKED) !== 0) throw pinLocked(where);
  return token.slot;
}

function describeToken(options: Pkcs11SignerOptions): string {
  const parts = [];
  if (options.tokenLabel !== undefined) parts.push(`labelled "${options.tokenLabel}"`);
  if (options.slotId !== undefined) parts.push(`in slot ${options.slotId}`);
  return parts.join(' ');
}

function pinLocked(where: ErrorContext): ConfigError {
  return new ConfigError('PKCS11_PIN_LOCKED', `the user PIN of token ${String(where.token)} is locked (too many wrong PINs): the token's security officer must unlock it`, where);
}

function openSession({ lib, pkcs11, logins }: LoadedModule, slot: Handle, pin: string, where: ErrorContext): Handle {
  let session: Handle;
  try {
    session = pkcs11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION);
  } catch (cause) {
    throw new ConfigError('PKCS11_SESSION', `cannot open a session on token ${String(where.token)} (${ckrName(cause)})`, where, { cause });
  }
  const slotKey = handleNumber(slot);
  const pinDigest = createHash('sha256').update(pin).digest();
  const fail = (error: ConfigError): never => {
    try {
      pkcs11.C_CloseSession(session);
    } catch {
      // the session is useless either way
    }
    throw error;
  };
  const pinIncorrect = (cause?: unknown): ConfigError => new ConfigError('PKCS11_PIN_INCORRECT', `the PIN does not open token ${String(where.token)}`, where, cause === undefined ? undefined : { cause });
  try {
    pkcs11.C_Login(session, lib.CKU_USER, pin);
    logins.set(slotKey, pinDigest);
  } catch (cause) {
    const ckr = ckrOf(cause);
    if (ckr === lib.CKR_USER_ALREADY_LOGGED_IN) {
      // another signer of this process is logged in to the token: the login is shared, the PIN must still be the right one
      const loggedInWith = logins.get(slotKey);
      if (loggedInWith === undefined) fail(new ConfigError('PKCS11_LOGIN_FAILED', `token ${String(where.token)} is already logged in by another part of this process`, where));
      else if (!timingSafeEqual(loggedInWith, pinDigest)) fail(pinIncorrect());
      return session;
    }
    // The cause is pkcs11js's error, which names the function and the CKR_ code, never the PIN.
    // a PIN of a length the token never accepts (or with characters it never accepts) is as wrong as any other
    if (ckr === lib.CKR_PIN_INCORRECT || ckr === lib.CKR_PIN_LEN_RANGE || ckr === lib.CKR_PIN_INVALID) fail(pinIncorrect(cause));
    if (ckr === lib.CKR_PIN_LOCKED) fail(pinLocked(where));
    fail(new ConfigError('PKCS11_LOGIN_FAILED', `cannot log in to token ${String(where.token)} (${ckrName(cause)})`, where, { cause }));
  }
  return session;
}

function closeSessionQuietly({ pkcs11 }: LoadedModule, session: Handle): void {
  try {
    pkcs11.C_CloseSession(session);
  } catch {
    // the token was pulled out or the module is gone: the session is closed either way
  }
}

function findObjects({ pkcs11 }: LoadedModule, session: Handle, template: Attribute[]): Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  try {
    const out: Handle[] = [];
    for (let batch = pkcs11.C_FindObjects(session, 32); batch.length > 0; batch = pkcs11.C_FindObjects(session, 32)) out.push(...batch);
    return out;
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
}

function attribute({ pkcs11 }: LoadedModule, session: Handle, object: Handle, type: number): Buffer | undefined {
  try {
    return pkcs11.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
  } catch {
    return undefined;
  }
}

interface FoundKey {
  handle: Handle;
  publicKey: KeyObject;
  modulusLength: number;
  alwaysAuthenticate: boolean;
}

function findKey(module: LoadedModule, session: Handle, options: Pkcs11SignerOptions): FoundKey {
  const { lib } = module;
  const template: Attribute[] = [
    { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
    { type: lib.CKA_KEY_TYPE, value: lib.CKK_RSA },
  ];
  if (options.keyLabel !== undefined) template.push({ type: lib.CKA_LABEL, value: options.keyLabel });
  if (options.keyId !== undefined) template.push({ type: lib.CKA_ID, value: Buffer.from(options.keyId, 'hex') });
  const where = { file: options.module, token: tokenName(options) };
  const wanted = [options.keyLabel !== undefined ? `label "${options.keyLabel}"` : '', options.keyId !== undefined ? `id ${options.keyId}` : ''].filter(Boolean).join(' and ');
  const keys = findObjects(module, session, template);
  if (keys.length === 0) throw new ConfigError('PKCS11_KEY_NOT_FOUND', `token ${tokenName(options)} holds no RSA private key with ${wanted}`, where);
  if (keys.length > 1) throw new ConfigError('PKCS11_KEY_AMBIGUOUS', `token ${tokenName(options)} holds ${keys.length} RSA private keys with ${wanted}: give keyId as well`, where);
  const handle = keys[0]!;
  const modulus = attribute(module, session, handle, lib.CKA_MODULUS);
  const exponent = attribute(module, session, handle, lib.CKA_PUBLIC_EXPONENT);
  if (!modulus || !exponent) throw new ConfigError('PKCS11_KEY_NOT_FOUND', `the private key with ${wanted} does not show its modulus: cannot match it to a certificate`, where);
  const publicKey = createPublicKey({ key: { kty: 'RSA', n: unsigned(modulus).toString('base64url'), e: unsigned(exponent).toString('base64url') }, format: 'jwk' });
  const alwaysAuthenticate = attribute(module, session, handle, lib.CKA_ALWAYS_AUTHENTICATE)?.[0] === 1;
  return { handle, publicKey, modulusLength: unsigned(modulus).length, alwaysAuthenticate };
}

/** big-endian integer without leading zero octets */
function unsigned(value: Buffer): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  return value.subarray(i);
}

function certificatesOnToken(module: LoadedModule, session: Handle): string[] {
  const { lib } = module;
  return findObjects(module, session, [
    { type: lib.CKA_CLASS, value: lib.CKO_CERTIFICATE },
    { type: lib.CKA_CERTIFICATE_TYPE, value: lib.CKC_X_509 },
  ])
    .map((handle) => attribute(module, session, handle, lib.CKA_VALUE))
    .filter((der): der is Buffer => der !== undefined && der.length > 0)
    .map((der) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`);
}

async function readCertificateFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError('PKCS11_CERT_FILE', `cannot read the certificate file ${path}`, { file: path }, { cause });
  }
  const pems = splitPemCertificates(text);
  if (pems.length === 0) throw new ConfigError('PKCS11_CERT_FILE', `the certificate file ${path} holds no PEM certificate`, { file: path });
  return pems;
}

/**
 * The signing certificate is the one (on the token first, else in the file) whose public key is the
 * private key's; the chain is its issuers found among the other certificates, leaf's issuer first,
 * up to but without a self-signed root (the verifier holds the root as a trust anchor).
 */
function certificatesFor(publicKey: KeyObject, onToken: string[], inFile: string[], options: Pkcs11SignerOptions): { certificatePem: string; chainPem: string[] } {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const all = [...onToken, ...inFile];
  const leafPem = all.find((pem) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).equals(spki));
  if (leafPem === undefined) {
    const where = options.certificateFile ? `on the token nor in ${options.certificateFile}` : 'on the token (set certificateFile to give it in a PEM file)';
    throw new ConfigError('PKCS11_CERT_NOT_FOUND', `no certificate for the private key ${options.keyLabel ?? options.keyId ?? ''} ${where}`, { file: options.module, token: tokenName(options) });
  }
  const pool = all.filter((pem) => pem !== leafPem).flatMap((pem) => {
    try {
      return [{ pem, cert: forge.pki.certificateFromPem(pem) }];
    } catch {
      return []; // a certificate node-forge cannot read (not RSA) is another key's, not this chain's
    }
  });
  const chainPem: string[] = [];
  let current = forge.pki.certificateFromPem(leafPem);
  for (;;) {
    const issuer = pool.find((c) => !chainPem.includes(c.pem) && c.cert.issued(current));
    if (!issuer || issuer.cert.issued(issuer.cert)) break;
    chainPem.push(issuer.pem);
    current = issuer.cert;
  }
  return { certificatePem: leafPem, chainPem };
}
