import type { z } from 'zod';
import { SECRET_REFERENCE, secretKeysOf } from '../core/plugin.js';
import { resolveSecret } from '../core/secret-reference.js';

/**
 * Secrets appear in configuration only as references: `env:NAME` or `file:PATH`. They are resolved
 * when a connector is built and never written back into a log, an error or a report. Which fields
 * hold secrets is the plugin's schema's to say (`secret()`), once.
 */
export { SECRET_REFERENCE, resolveSecret };

export function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE.test(value);
}

/** Replaces every occurrence of the given secret values in a text (second fence for errors). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[secret]');
  return out;
}

/**
 * A plugin's options with every secret field (marked `secret()` in its schema) resolved: what
 * `create` is given. `where` names the block (`connections.hub`) in errors.
 */
export function resolveSecretFields<T extends Record<string, unknown>>(schema: z.ZodType, options: T, baseDir: string, where: { file?: string; path: string }): T {
  const out: Record<string, unknown> = { ...options };
  for (const key of secretKeysOf(schema).keys()) {
    const value = out[key];
    if (typeof value === 'string' && isSecretReference(value)) out[key] = resolveSecret(value, baseDir, { file: where.file, path: `${where.path}.${key}` });
  }
  return out as T;
}

/** The options to show (`validate`, `check`, logs): a secret reference stays (it names no value), a literal is masked. */
export function maskSecretFields(schema: z.ZodType, options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  for (const [key, how] of secretKeysOf(schema)) {
    const value = out[key];
    if (typeof value !== 'string' || isSecretReference(value)) continue;
    out[key] = how.mask ? how.mask(value) : '[secret]';
  }
  return out;
}
