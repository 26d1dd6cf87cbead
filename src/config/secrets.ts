import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';

/**
 * Secrets appear in configuration only as references: `env:NAME` or `file:PATH`. They are resolved
 * when a connector is built and never written back into a log, an error or a report.
 */
export const SECRET_REFERENCE = /^(env|file):(.+)$/;

export function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE.test(value);
}

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

/** Replaces every occurrence of the given secret values in a text (second fence for errors). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[secret]');
  return out;
}
