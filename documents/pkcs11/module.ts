/**
 * Loading a PKCS#11 module (the token vendor's shared library) once per process. Cryptoki is
 * initialised per process, not per caller: a second C_Initialize answers
 * CKR_CRYPTOKI_ALREADY_INITIALIZED and one caller's C_Finalize would pull the token away from every
 * other. So each module path is loaded once and shared, counted, and finalised by its last user.
 *
 * The binding is pkcs11js (PeculiarVentures; N-API, compiled by node-gyp at install). It is imported
 * only when a token is opened: reading a configuration, or signing with PKCS#12 files, never loads it.
 */
import type { PKCS11 } from 'pkcs11js';
import { ConfigError } from '../../src/core/errors.js';

export type Pkcs11Binding = typeof import('pkcs11js');

export interface LoadedModule {
  readonly path: string;
  readonly lib: Pkcs11Binding;
  readonly pkcs11: PKCS11;
  /**
   * SHA-256 of the PIN each slot was logged in with by this process. A login belongs to the
   * application, so a second signer's C_Login answers CKR_USER_ALREADY_LOGGED_IN whatever PIN it
   * gives: its PIN is compared with this one instead, or a wrong PIN would pass unnoticed.
   */
  readonly logins: Map<bigint, Buffer>;
}

interface ModuleUse {
  module: LoadedModule;
  users: number;
  /** false when something else in this process had initialised Cryptoki: then it is theirs to finalise */
  ownsInitialize: boolean;
}

const inUse = new Map<string, ModuleUse>();

async function loadBinding(path: string): Promise<Pkcs11Binding> {
  try {
    return (await import('pkcs11js')).default;
  } catch (cause) {
    throw new ConfigError(
      'PKCS11_BINDING_MISSING',
      'the PKCS#11 binding (pkcs11js) is not installed or was not compiled: run npm install with a C++ compiler present',
      { file: path },
      { cause },
    );
  }
}

/** The module at `path`, loaded and initialised; give it back with `releaseModule`. */
export async function acquireModule(path: string): Promise<LoadedModule> {
  const lib = await loadBinding(path);
  const existing = inUse.get(path);
  if (existing) {
    existing.users += 1;
    return existing.module;
  }
  const pkcs11 = new lib.PKCS11();
  try {
    pkcs11.load(path);
  } catch (cause) {
    // dlopen's own words (no such file, wrong architecture, missing symbol) are what the operator needs
    throw new ConfigError('PKCS11_MODULE', `cannot load the PKCS#11 module ${path}: ${messageOf(cause)}`, { file: path }, { cause });
  }
  let ownsInitialize = true;
  try {
    pkcs11.C_Initialize();
  } catch (cause) {
    if (ckrOf(cause) === lib.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      ownsInitialize = false;
    } else {
      closeQuietly(pkcs11);
      throw new ConfigError('PKCS11_MODULE', `the PKCS#11 module ${path} did not start (C_Initialize: ${ckrName(cause)})`, { file: path }, { cause });
    }
  }
  const module: LoadedModule = { path, lib, pkcs11, logins: new Map() };
  inUse.set(path, { module, users: 1, ownsInitialize });
  return module;
}

/** Gives the module back; the last user finalises and unloads it. */
export function releaseModule(module: LoadedModule): void {
  const use = inUse.get(module.path);
  if (!use || use.module !== module) return;
  use.users -= 1;
  if (use.users > 0) return;
  inUse.delete(module.path);
  if (use.ownsInitialize) {
    try {
      module.pkcs11.C_Finalize();
    } catch {
      // nothing to do: the process is letting go of the token either way
    }
  }
  closeQuietly(module.pkcs11);
}

function closeQuietly(pkcs11: PKCS11): void {
  try {
    pkcs11.close();
  } catch {
    // unloading a library that failed to start: nothing left to release
  }
}

/** The CKR_* value of a pkcs11js error, or undefined for anything else. */
export function ckrOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && (err as { name?: unknown }).name === 'Pkcs11Error' ? code : undefined;
}

/** `CKR_PIN_INCORRECT` and the like (pkcs11js puts the name in the message); never holds a PIN. */
export function ckrName(err: unknown): string {
  const message = messageOf(err);
  const name = /\bCKR_[A-Z0-9_]+/.exec(message)?.[0];
  return name ?? (ckrOf(err) !== undefined ? `CKR 0x${(ckrOf(err) as number).toString(16)}` : 'an error of the module');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
