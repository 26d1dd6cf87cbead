import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { BugError, ConfigError } from '../../src/core/errors.js';
import { defineTransform, secret } from '../../src/core/plugin.js';
import { resolveSecret } from '../../src/core/secret-reference.js';
import type { DirectoryKeyStore, KeyStore } from './keystore.js';
import type { TokenSealKeyStore } from './seal.js';
import { remoteSigningConnectionSchema } from '../../connectors/remote-signing/config.js';
import type { RemoteSigningClient } from '../../connectors/remote-signing/client.js';
import type { SigningEnv } from './remote-workflow.js';
import type { RemoteSigners } from './remote-signers.js';
import type { RemoteSigningTransformer } from './remote.js';
import type { HocBaSigningTransformer } from './transformer.js';

/** the signing code, loaded by `prepare` (XML-DSig, PDF and PKI libraries are not needed to read a configuration) */
let signing:
  | {
      KeyStore: typeof DirectoryKeyStore;
      TokenSeal: typeof TokenSealKeyStore;
      Transformer: typeof HocBaSigningTransformer;
      Remote: typeof RemoteSigningTransformer;
      Signers: typeof RemoteSigners;
      Client: typeof RemoteSigningClient;
    }
  | undefined;

/**
 * Who signs for the people the record names. `pkcs12` (default): PKCS#12 files in keysDir, one per
 * person: a test and demo signer only, since no school may hand its staff's keys to a program.
 * `remote`: each person approves on their phone through their CA's remote signing service; only
 * the school's seal is held here (docs/signing.md).
 */
const signingMode = z.union([
  z.object({ mode: z.literal('pkcs12') }).strict(),
  z
    .object({
      mode: z.literal('remote'),
      /** the remote signing service (connectors/remote-signing/README.md); clientSecret a secret reference */
      service: remoteSigningConnectionSchema,
      /** requests wait for approval (console, or lienthong signing approve) before reaching the phones */
      review: z.boolean().default(false),
      /** how long the collect before each run waits for one pending decision */
      collectWaitMs: z.number().int().min(0).max(600_000).default(2_000),
    })
    .strict(),
]);

/** The state store as remote signing needs it, checked (the plugin contract passes it untyped). */
function signingStoreOf(store: unknown, name: string): SigningEnv['store'] {
  const s = store as Partial<SigningEnv['store']> | undefined;
  if (typeof s?.putSigningDocument !== 'function' || typeof s.appendAudit !== 'function') {
    throw new ConfigError('HOCBA_SIGN_REMOTE_NO_STORE', `${name}: remote signing keeps its requests in the state store, and this store does not have that part`);
  }
  return s as SigningEnv['store'];
}

/** The school's seal on a PKCS#11 token (USB token, HSM): the key never leaves it. */
const pkcs11Seal = z
  .object({
    /** the token vendor's PKCS#11 library (absolute, or relative to dataDir) */
    module: z.string().min(1),
    tokenLabel: z.string().min(1).optional(),
    slotId: z.number().int().min(0).optional(),
    /** the user PIN, as a secret reference */
    pin: secret(),
    keyLabel: z.string().min(1).optional(),
    /** CKA_ID, hexadecimal */
    keyId: z.string().regex(/^(?:[0-9a-fA-F]{2})+$/, 'hexadecimal octets, e.g. 01 or a1b2').optional(),
    /** PEM: the intermediates, and the seal certificate when the token holds none (relative to dataDir) */
    certificateFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((t) => t.tokenLabel !== undefined || t.slotId !== undefined, 'name the token: tokenLabel or slotId')
  .refine((t) => t.keyLabel !== undefined || t.keyId !== undefined, 'name the key: keyLabel or keyId');

/** Where the school's seal is: a PKCS#12 file (default: school.p12 in keysDir) or a PKCS#11 token. */
const seal = z.union([
  z.object({ pkcs12: z.object({ /** relative to dataDir; opened with keyPassword */ file: z.string().min(1) }).strict() }).strict(),
  z.object({ pkcs11: pkcs11Seal }).strict(),
]);

/** Signing school records (học bạ): XML signed by every teacher, the principal and the school, and its PDF. */
export const hocbaSignTransform = defineTransform({
  type: 'hocba-sign',
  description: 'signs each changed school record (XML-DSig) and renders its PDF',
  config: z
    .object({
      /** folder of PKCS#12 files named <personal id>.p12, and school.p12 for the seal (relative to dataDir) */
      keysDir: z.string().min(1),
      keyPassword: secret(),
      /** where each signed document is kept as <idbanghi>.xml and .pdf (relative to dataDir); none to keep nothing */
      documentsDir: z.string().optional(),
      /** signing threads; default: the machine's cores less one (at least one) */
      workers: z.number().int().min(0).max(32).optional(),
      /** the school's seal when it is not school.p12 in keysDir */
      seal: seal.optional(),
      /** who signs for the people: PKCS#12 files in keysDir (test/demo) or a remote signing service */
      signing: signingMode.optional(),
    })
    .strict(),
  async prepare() {
    if (signing) return;
    const [{ DirectoryKeyStore: KeyStore }, { TokenSealKeyStore: TokenSeal }, { HocBaSigningTransformer: Transformer }, { RemoteSigningTransformer: Remote }, { RemoteSigners: Signers }, { RemoteSigningClient: Client }] =
      await Promise.all([import('./keystore.js'), import('./seal.js'), import('./transformer.js'), import('./remote.js'), import('./remote-signers.js'), import('../../connectors/remote-signing/client.js')]);
    signing = { KeyStore, TokenSeal, Transformer, Remote, Signers, Client };
  },
  create(config, context) {
    if (!signing) throw new BugError('PLUGIN_NOT_PREPARED', 'the hocba-sign plugin was created before it was prepared');
    const trustedCaPems = context.trustedCaPems();
    if (trustedCaPems.length === 0) {
      throw new ConfigError('NO_TRUSTED_CA', `${context.name}: signs documents and must check them against a trusted CA certificate (trust.caFiles)`, { path: 'trust.caFiles' });
    }
    const inData = (p: string): string => (isAbsolute(p) ? p : resolve(context.dataDir, p));
    const sealFile = config.seal && 'pkcs12' in config.seal ? inData(config.seal.pkcs12.file) : undefined;
    let keyStore: KeyStore = new signing.KeyStore({ dir: inData(config.keysDir), password: config.keyPassword, ...(sealFile ? { schoolFile: sealFile } : {}) });
    if (config.seal && 'pkcs11' in config.seal) {
      if (config.documentsDir !== undefined) {
        // the PDF seal (@signpdf) signs with a PKCS#12 file; a token-held seal cannot make it yet
        throw new ConfigError('HOCBA_SIGN_PDF_KEY', `${context.name}: transform.documentsDir keeps sealed PDFs, which need the seal as a PKCS#12 file: leave documentsDir out with seal.pkcs11`, { path: 'transform.documentsDir' });
      }
      const { module, pin, certificateFile, ...token } = config.seal.pkcs11;
      keyStore = new signing.TokenSeal(keyStore, {
        ...token,
        module: inData(module),
        // a nested secret: the engine resolves only top-level secret fields
        pin: resolveSecret(pin, context.baseDir, { path: 'transform.seal.pkcs11.pin' }),
        ...(certificateFile ? { certificateFile: inData(certificateFile) } : {}),
      });
    }
    if (config.signing?.mode === 'remote') {
      const store = signingStoreOf(context.store, context.name);
      const { service, review, collectWaitMs } = config.signing;
      // a nested secret: the engine resolves only top-level secret fields
      const client = new signing.Client({ ...service, clientSecret: resolveSecret(service.clientSecret, context.baseDir, { path: 'transform.signing.service.clientSecret' }), name: `${context.name}: signing service` });
      const sealStore = keyStore;
      return new signing.Remote({
        job: context.job ?? context.name,
        store,
        signers: new signing.Signers(client, trustedCaPems),
        seal: () => sealStore.schoolSigner(),
        trustedCaPems,
        review,
        collectWaitMs,
        ...(config.documentsDir !== undefined ? { documents: { dir: inData(config.documentsDir), pdfSeal: pdfSealOf(sealStore, context.name) } } : {}),
        onClose: async () => {
          client.close();
          await sealStore.close?.();
        },
      });
    }
    return new signing.Transformer({
      keyStore,
      trustedCaPems,
      documentsDir: config.documentsDir ? inData(config.documentsDir) : undefined,
      workers: config.workers,
    });
  },
});

/**
 * The school's PKCS#12 file and password for sealing PDFs (remote signing with documentsDir), read
 * once; a file that cannot be read is asked for again at the next record. A token-held seal has no
 * file: documentsDir is refused with it (above).
 */
function pdfSealOf(keyStore: KeyStore, name: string): () => Promise<{ p12: Buffer; password: string }> {
  let loading: Promise<{ p12: Buffer; password: string }> | undefined;
  return () => {
    const files = keyStore.files;
    if (!files) return Promise.reject(new ConfigError('HOCBA_SIGN_PDF_KEY', `${name}: transform.documentsDir keeps sealed PDFs, which need the seal as a PKCS#12 file`, { path: 'transform.documentsDir' }));
    loading ??= files.schoolPath().then(async (path) => ({ p12: await readFile(path), password: files.password }));
    loading.catch(() => (loading = undefined));
    return loading;
  };
}
