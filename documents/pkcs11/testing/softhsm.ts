/**
 * A throw-away SoftHSM2 token for tests: its own softhsm2.conf and token folder in a temporary
 * directory, keys imported with softhsm2-util, certificates written through the PKCS#11 API itself
 * (C_CreateObject), so the tests need the softhsm2 package and nothing else (no opensc). Test
 * support only.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Attribute } from 'pkcs11js';
import { acquireModule, releaseModule } from '../module.js';

const MODULE_CANDIDATES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so'];

/** The SoftHSM2 module's path when SoftHSM2 (library and softhsm2-util) is installed. */
export function softHsmModule(): string | undefined {
  if (spawnSync('softhsm2-util', ['--version']).status !== 0) return undefined;
  return MODULE_CANDIDATES.find((p) => existsSync(p));
}

export interface TokenObject {
  /** CKA_LABEL of the key (and of its certificate) */
  label: string;
  /** CKA_ID, hexadecimal */
  id: string;
  /** the private key, PEM (PKCS#1 or PKCS#8) */
  keyPem?: string;
  /** a certificate to store on the token under the same label and id */
  certPem?: string;
}

export interface SoftHsmToken {
  module: string;
  label: string;
  pin: string;
  dir: string;
  cleanup(): void;
}

/**
 * Makes a fresh token labelled `label` in a new temporary folder, and points this process at it
 * (SOFTHSM2_CONF, read by the module when it is initialised: call before any signer opens it).
 */
export async function makeSoftHsmToken(module: string, label: string, pin: string, objects: readonly TokenObject[]): Promise<SoftHsmToken> {
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const util = (args: string[]): void => {
    const run = spawnSync('softhsm2-util', args, { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`softhsm2-util ${args[0] ?? ''} failed: ${run.stderr || run.stdout}`);
  };
  util(['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `so-${pin}`]);
  for (const object of objects) {
    if (object.keyPem === undefined) continue;
    const keyFile = join(dir, `${object.id}.p8`);
    writeFileSync(keyFile, createPrivateKey(object.keyPem).export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    util(['--import', keyFile, '--token', label, '--label', object.label, '--id', object.id, '--pin', pin]);
    rmSync(keyFile);
  }
  await storeCertificates(module, label, pin, objects.filter((o) => o.certPem !== undefined));
  return { module, label, pin, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function storeCertificates(path: string, label: string, pin: string, objects: readonly TokenObject[]): Promise<void> {
  if (objects.length === 0) return;
  const module = await acquireModule(path);
  const { lib, pkcs11 } = module;
  try {
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === label);
    if (!slot) throw new Error(`the new token ${label} is not in the slot list`);
    const session = pkcs11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    try {
      pkcs11.C_Login(session, lib.CKU_USER, pin);
      for (const object of objects) {
        const cert = forge.pki.certificateFromPem(object.certPem as string);
        const der = (a: forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary');
        const template: Attribute[] = [
          { type: lib.CKA_CLASS, value: lib.CKO_CERTIFICATE },
          { type: lib.CKA_CERTIFICATE_TYPE, value: lib.CKC_X_509 },
          { type: lib.CKA_TOKEN, value: true },
          { type: lib.CKA_PRIVATE, value: false },
          { type: lib.CKA_LABEL, value: object.label },
          { type: lib.CKA_ID, value: Buffer.from(object.id, 'hex') },
          { type: lib.CKA_SUBJECT, value: der(forge.pki.distinguishedNameToAsn1(cert.subject)) },
          { type: lib.CKA_VALUE, value: der(forge.pki.certificateToAsn1(cert)) },
        ];
        pkcs11.C_CreateObject(session, template);
      }
    } finally {
      pkcs11.C_CloseSession(session);
    }
  } finally {
    releaseModule(module);
  }
}
