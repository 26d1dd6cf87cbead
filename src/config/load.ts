import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { objectShapeOf } from '../core/plugin.js';
import { plugins } from '../plugins.js';
import { parseYamlFile } from '../core/yaml-file.js';
import { splitPemCertificates } from '../../documents/pki/pem.js';
import { acceptedKeys, ENGINE_SOURCE_KEYS, jobSchema, mainConfigSchema, streamOptionsOf, unknownOptionsMessage, type JobDefinition, type MainConfig } from './schema.js';

export { parseYamlFile } from '../core/yaml-file.js';

/** A loaded configuration: the main file, its jobs, and absolute paths derived from them. */
export interface LoadedConfig {
  file: string;
  baseDir: string;
  config: MainConfig;
  dataDir: string;
  jobsDir: string;
  storePath: string;
  logFile: string;
  /** absolute paths of trust.caFiles (read them with readTrustedCaPems: a file may hold several certificates) */
  trustedCaFiles: string[];
  jobs: Map<string, JobDefinition & { file: string }>;
}

function abs(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** Finds the configuration: an explicit path, $LIENTHONG_CONFIG, or ./config/lienthong.yaml. */
export function findConfigFile(explicit?: string): string {
  const candidate = explicit ?? process.env.LIENTHONG_CONFIG ?? join(process.cwd(), 'config', 'lienthong.yaml');
  const file = abs(process.cwd(), candidate);
  if (!existsSync(file)) {
    throw new ConfigError('CONFIG_NOT_FOUND', `${file}: no configuration file here (run "lienthong init" to create one, or pass --config)`, { file });
  }
  return file;
}

export function loadConfig(file: string): LoadedConfig {
  const config = parseYamlFile(file, mainConfigSchema);
  const baseDir = dirname(file);
  const dataDir = abs(baseDir, config.dataDir);
  const jobsDir = abs(baseDir, config.jobsDir);
  const jobs = new Map<string, JobDefinition & { file: string }>();
  if (existsSync(jobsDir)) {
    for (const name of readdirSync(jobsDir).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const jobFile = join(jobsDir, name);
      const job = parseYamlFile(jobFile, jobSchema);
      if (jobs.has(job.name)) {
        throw new ConfigError('JOB_DUPLICATE', `${jobFile}: name: job "${job.name}" is already defined in ${jobs.get(job.name)?.file}`, { file: jobFile, path: 'name' });
      }
      jobs.set(job.name, { ...checkJobReferences(job, config, jobFile), file: jobFile });
    }
  }
  return {
    file,
    baseDir,
    config,
    dataDir,
    jobsDir,
    storePath: abs(dataDir, config.store.path),
    logFile: abs(dataDir, config.log.file),
    trustedCaFiles: config.trust.caFiles.map((f) => abs(baseDir, f)),
    jobs,
  };
}

/**
 * Every certificate of every trust.caFiles file: a file may be a bundle or a chain (several PEM
 * blocks, any order, text between them) and all its certificates are trusted. A file that cannot be
 * read, or holds no certificate, is a configuration error naming it.
 */
export function readTrustedCaPems(loaded: Pick<LoadedConfig, 'file' | 'trustedCaFiles'>): string[] {
  return loaded.trustedCaFiles.flatMap((f) => readCaFile(f, { file: loaded.file, path: 'trust.caFiles', label: `${loaded.file}: trust.caFiles: ${f}` }));
}

/**
 * The certificates of one CA file (trust.caFiles, `lienthong verify --ca`): ConfigError
 * TRUSTED_CA_UNREADABLE when it cannot be read, TRUSTED_CA_EMPTY when it holds no PEM certificate.
 */
export function readCaFile(file: string, where: { file?: string; path?: string; label?: string } = {}): string[] {
  const label = where.label ?? file;
  const context = { file: where.file ?? file, ...(where.path === undefined ? {} : { path: where.path }) };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError('TRUSTED_CA_UNREADABLE', `${label} cannot be read`, context, { cause });
  }
  const pems = splitPemCertificates(text);
  if (pems.length === 0) throw new ConfigError('TRUSTED_CA_EMPTY', `${label} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, context);
  return pems;
}

/**
 * A job's references against the main configuration and the registry: its source must be a
 * source plugin's connection (whose `stream` schema checks the rest of the `source` block, and
 * which may refuse the stream, e.g. a DELETE where a SELECT belongs), its destinations
 * destination plugins' connections. Answers the job with its source block parsed by the plugin.
 */
export function checkJobReferences<J extends JobDefinition>(job: J, config: MainConfig, file: string): J {
  const source = config.connections[job.source.connection];
  if (!source) {
    throw new ConfigError('JOB_UNKNOWN_CONNECTION', `${file}: source.connection: no connection named "${job.source.connection}" in the main configuration`, { file, path: 'source.connection' });
  }
  const plugin = plugins.source(source.type);
  if (!plugin) {
    throw new ConfigError('JOB_NOT_A_SOURCE', `${file}: source.connection: "${job.source.connection}" is a ${source.type} connection, not a source`, { file, path: 'source.connection' });
  }
  const streamSchema = z.strictObject({}).extend(objectShapeOf(plugin.stream) ?? {});
  const rest = streamOptionsOf(job.source);
  const parsed = plugin.stream.safeParse(rest);
  const strict = streamSchema.safeParse(rest);
  const failed = !parsed.success ? parsed.error : !strict.success ? strict.error : undefined;
  if (failed) {
    const lines = failed.issues.map((i) => {
      const path = ['source', ...i.path.map(String)].join('.');
      const message = i.code === 'unrecognized_keys' ? unknownOptionsMessage(i.keys, `a ${source.type} source`, [...ENGINE_SOURCE_KEYS, ...acceptedKeys(plugin.stream)]) : i.message;
      return `${file}: ${path}: ${message}`;
    });
    const first = failed.issues[0];
    throw new ConfigError('CONFIG_INVALID', lines.join('\n'), { file, path: ['source', ...(first?.path ?? []).map(String)].join('.') });
  }
  const stream = parsed.data as Record<string, unknown>;
  try {
    plugin.checkStream?.(stream, source);
  } catch (err) {
    if (err instanceof ConfigError) {
      const path = err.context.path === undefined ? 'source' : `source.${err.context.path}`;
      throw new ConfigError(err.code, `${file}: ${path}: ${err.message}`, { ...err.context, file, path }, { cause: err });
    }
    throw err;
  }
  job.destinations.forEach((d, i) => {
    const dest = config.connections[d.connection];
    if (!dest) {
      throw new ConfigError('JOB_UNKNOWN_CONNECTION', `${file}: destinations.${i}.connection: no connection named "${d.connection}" in the main configuration`, { file, path: `destinations.${i}.connection` });
    }
    if (!plugins.destination(dest.type)) {
      throw new ConfigError('JOB_NOT_A_DESTINATION', `${file}: destinations.${i}.connection: "${d.connection}" is a ${dest.type} connection, not a destination`, { file, path: `destinations.${i}.connection` });
    }
  });
  return { ...job, source: { ...job.source, ...stream } };
}

export function getJob(loaded: LoadedConfig, name: string): JobDefinition & { file: string } {
  const job = loaded.jobs.get(name);
  if (!job) {
    const known = [...loaded.jobs.keys()].join(', ') || '(none)';
    throw new ConfigError('JOB_NOT_FOUND', `no job named "${name}" in ${loaded.jobsDir} (jobs: ${known})`, { job: name });
  }
  return job;
}
