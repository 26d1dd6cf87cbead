import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { BugError, ConfigError } from '../../src/core/errors.js';
import { defineTransform } from '../../src/core/plugin.js';
import { certificatesOfAll } from '../../documents/pki/pem.js';
import type { SignedDocumentVerifier } from './verifier.js';

/** the verifier, loaded by `prepare` (the XML-DSig and schema code is not needed to read a configuration) */
let verifier: typeof SignedDocumentVerifier | undefined;

/**
 * Verifying school records signed elsewhere (a `signed-hocba-folder` source) and attaching each
 * one unchanged: the counterpart of `hocba-sign` for schools whose vendor software signs.
 */
export const hocbaVerifyTransform = defineTransform({
  type: 'hocba-verify',
  description: 'verifies each changed vendor-signed school record against the trusted CAs and attaches it unchanged',
  config: z
    .object({
      /** PEM files of the CAs signers must chain to (relative to the configuration file); default: the configuration's trust.caFiles */
      caFiles: z.array(z.string().min(1)).min(1).optional(),
    })
    .strict(),
  async prepare() {
    verifier ??= (await import('./verifier.js')).SignedDocumentVerifier;
  },
  create(config, context) {
    if (!verifier) throw new BugError('PLUGIN_NOT_PREPARED', 'the hocba-verify plugin was created before it was prepared');
    const pems = config.caFiles ? config.caFiles.map((f) => readCa(isAbsolute(f) ? f : resolve(context.baseDir, f), context.name)) : context.trustedCaPems();
    const trusted = certificatesOfAll(pems);
    if (trusted.length === 0) {
      throw new ConfigError('NO_TRUSTED_CA', `${context.name}: verifies signed documents and needs a trusted CA certificate (transform.caFiles or trust.caFiles)`, { path: config.caFiles ? 'transform.caFiles' : 'trust.caFiles' });
    }
    return new verifier({ trustedCaPems: trusted });
  },
});

function readCa(file: string, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError('TRUSTED_CA_UNREADABLE', `${name}: transform.caFiles: ${file} cannot be read`, { path: 'transform.caFiles' }, { cause });
  }
}
