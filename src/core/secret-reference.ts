import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { SECRET_REFERENCE } from './plugin.js';

/**
 * The value behind a secret reference (`env:NAME` or `file:PATH`, a file relative to `baseDir`).
 * Here in core, not in src/config, so that a plugin resolving a secret nested in its own options
 * (hocba-sign's `seal.pkcs11.pin`) does not import the configuration loader, which imports the
 * plugins: a folder cycle.
 */
export function resolveSecret(reference: string, baseDir: string, where: { file?: string; path?: string } = {}): string {
  const match = SECRET_REFERENCE.exec(reference);
  if (!match) {
    throw new ConfigError('SECRET_NOT_A_REFERENCE', 'a secret must be given as env:NAME or file:PATH, not as a literal value', where);
  }
  const [, scheme, target] = match as unknown as [string, 'env' | 'file', string];
  if (scheme === 'env') {
    const value = process.env[target];
    if (value === undefined || value === '') {
      throw new ConfigError('SECRET_ENV_MISSING', `environment variable ${target} is not set`, where);
    }
    return value;
  }
  const path = isAbsolute(target) ? target : resolve(baseDir, target);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (cause) {
    throw new ConfigError('SECRET_FILE_UNREADABLE', `secret file ${path} cannot be read`, where, { cause });
  }
}
