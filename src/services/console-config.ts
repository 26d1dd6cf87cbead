import type { LoadedConfig } from '../config/load.js';
import { isSecretReference, maskSecretFields } from '../config/secrets.js';
import { connectionKind, maskConfig } from '../engine/assemble.js';
import { plugins } from '../plugins.js';

export interface ConnectionView {
  name: string;
  type: string;
  kind: 'source' | 'destination';
  /** the connection's options as `validate` shows them: a secret reference kept, a literal secret masked */
  options: Record<string, unknown>;
}

/** Every configured connection, its options masked by its plugin's schema (`secret()` fields). */
export function listConnections(loaded: LoadedConfig): ConnectionView[] {
  const masked = maskConfig(loaded);
  return Object.entries(masked).map(([name, options]) => {
    const { type, ...rest } = options;
    return { name, type: String(type), kind: connectionKind(loaded, name), options: rest };
  });
}

/** a key that names a secret outside a plugin block (the console's own settings: a key file's password) */
const SECRET_KEY = /(password|passphrase|secret|token|apikey|api_key|privatekey)$/i;

/** the second fence: a literal under a secret-looking key is masked wherever it is */
function maskSecretLooking(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && !isSecretReference(value) ? '[secret]' : value;
  if (Array.isArray(value)) return value.map((v) => maskSecretLooking(v, key));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecretLooking(v, k)]));
  return value;
}

/**
 * The loaded configuration as an administrator may read it: the main file (connections masked
 * by their plugins' schemas), the paths it resolved to, and every job (its transform's secrets
 * masked by the transform plugin's schema). Anything else under a secret-looking key is masked too.
 */
export function maskedConfiguration(loaded: LoadedConfig): Record<string, unknown> {
  const jobs = [...loaded.jobs.values()].map((job) => {
    const transform = job.transform ? maskTransform(job.transform) : undefined;
    return { ...job, ...(transform ? { transform } : {}) };
  });
  return maskSecretLooking({
    file: loaded.file,
    dataDir: loaded.dataDir,
    jobsDir: loaded.jobsDir,
    storePath: loaded.storePath,
    logFile: loaded.logFile,
    config: { ...loaded.config, connections: maskConfig(loaded) },
    jobs,
  }) as Record<string, unknown>;
}

function maskTransform(transform: { kind: string } & Record<string, unknown>): Record<string, unknown> {
  const plugin = plugins.transform(transform.kind);
  return plugin ? { ...maskSecretFields(plugin.config, transform), kind: transform.kind } : { kind: transform.kind };
}
