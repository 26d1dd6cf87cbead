import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { BugError, ConfigError } from '../../src/core/errors.js';
import { defineTransform, secret } from '../../src/core/plugin.js';
import type { DirectoryKeyStore } from './keystore.js';
import type { HocBaSigningTransformer } from './transformer.js';

/** the signing code, loaded by `prepare` (XML-DSig, PDF and PKI libraries are not needed to read a configuration) */
let signing: { KeyStore: typeof DirectoryKeyStore; Transformer: typeof HocBaSigningTransformer } | undefined;

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
    })
    .strict(),
  async prepare() {
    if (signing) return;
    const [{ DirectoryKeyStore: KeyStore }, { HocBaSigningTransformer: Transformer }] = await Promise.all([import('./keystore.js'), import('./transformer.js')]);
    signing = { KeyStore, Transformer };
  },
  create(config, context) {
    if (!signing) throw new BugError('PLUGIN_NOT_PREPARED', 'the hocba-sign plugin was created before it was prepared');
    const trustedCaPems = context.trustedCaPems();
    if (trustedCaPems.length === 0) {
      throw new ConfigError('NO_TRUSTED_CA', `${context.name}: signs documents and must check them against a trusted CA certificate (trust.caFiles)`, { path: 'trust.caFiles' });
    }
    const inData = (p: string): string => (isAbsolute(p) ? p : resolve(context.dataDir, p));
    return new signing.Transformer({
      keyStore: new signing.KeyStore({ dir: inData(config.keysDir), password: config.keyPassword }),
      trustedCaPems,
      documentsDir: config.documentsDir ? inData(config.documentsDir) : undefined,
      workers: config.workers,
    });
  },
});
