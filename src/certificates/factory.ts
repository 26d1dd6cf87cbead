import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { resolveSecret } from '../core/secret-reference.js';
import type { ServiceEnvironment } from '../services/context.js';
import { CertificateService, type TemplateLookup } from './issue.js';
import { createUisReader } from './uis-reader.js';

/**
 * The certificate service of a configuration: its `certificates:` block, the university's PKCS#12
 * file, the UIS reader and the templates. Without the block it is a ConfigError the server answers
 * as 503 CIM_NOT_CONFIGURED.
 */
export async function createCertificateService(env: ServiceEnvironment, templatesOf: () => TemplateLookup | Promise<TemplateLookup>): Promise<CertificateService> {
  const { loaded } = env;
  const config = loaded.config.certificates;
  if (config === undefined) {
    throw new ConfigError('CIM_NOT_CONFIGURED', `${loaded.file}: no certificates: block; the certificate service is off (docs/cim.md#certificates)`, { file: loaded.file, path: 'certificates' });
  }
  const p12Path = resolve(loaded.baseDir, config.seal.p12);
  let p12: Buffer;
  try {
    p12 = readFileSync(p12Path);
  } catch (cause) {
    throw new ConfigError('CIM_SEAL_MISSING', `certificates.seal.p12: cannot read ${p12Path}`, { file: loaded.file, path: 'certificates.seal.p12' }, { cause });
  }
  const password = resolveSecret(config.seal.password, loaded.baseDir, { file: loaded.file, path: 'certificates.seal.password' });
  // the registry is read after the block is known to be there: without it, that is the one thing to say
  const templates = await templatesOf();
  const reader = await createUisReader(loaded, config, env.overrides);
  return new CertificateService({ store: env.store, logger: env.logger, config, seal: { p12, password }, reader, templates });
}
