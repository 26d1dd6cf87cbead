import { readTrustedCaPems, type LoadedConfig } from '../config/load.js';
import type { ConnectionConfig, JobDefinition, MinistryHubConnectionConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { ConfigError } from '../core/errors.js';
import type { Mapping } from '../core/mapping.js';
import { createSqlSource } from '../../connectors/sql/index.js';
import { MinistryHubDestination } from '../../connectors/ministry-hub/index.js';
import { getMapping } from '../../mappings/index.js';
import { isAbsolute, resolve } from 'node:path';
import type { RecordTransformer } from '../core/transform.js';
import { DirectoryKeyStore } from '../../transforms/hocba-sign/keystore.js';
import { HocBaSigningTransformer } from '../../transforms/hocba-sign/transformer.js';
import type { RunnerDestination } from './runner.js';

/** Runtime overrides of connection fields (the demo points the hub at its simulator's port). */
export type ConnectionOverrides = Record<string, Partial<Record<string, string | number>>>;

function connection(loaded: LoadedConfig, name: string, overrides?: ConnectionOverrides): ConnectionConfig {
  const c = loaded.config.connections[name];
  if (!c) throw new ConfigError('UNKNOWN_CONNECTION', `${loaded.file}: connections: no connection named "${name}"`, { file: loaded.file, connector: name });
  return { ...c, ...(overrides?.[name] ?? {}) } as ConnectionConfig;
}

/** Builds the source connector of a job from its connection and its `source` block. */
export function buildSource(loaded: LoadedConfig, job: JobDefinition, overrides?: ConnectionOverrides): SourceConnector {
  const c = connection(loaded, job.source.connection, overrides);
  if (c.type !== 'sql') throw new ConfigError('JOB_NOT_A_SOURCE', `${job.source.connection} is not a source connection`, { job: job.name });
  const where = { file: loaded.file, path: `connections.${job.source.connection}.url` };
  let url = /^(env|file):/.test(c.url) ? resolveSecret(c.url, loaded.baseDir, where) : c.url;
  if (c.driver === 'sqlite' && !isAbsolute(url) && url !== ':memory:') url = resolve(loaded.baseDir, url);
  return createSqlSource({
    driver: c.driver,
    url,
    streams: [
      {
        name: job.source.stream,
        query: job.source.query,
        keyFields: job.source.keyFields,
        cursorField: job.source.cursorField,
        initialCursor: job.source.initialCursor,
        lookback: job.source.lookback,
      },
    ],
  });
}

export function buildDestination(loaded: LoadedConfig, name: string, overrides?: ConnectionOverrides): DestinationConnector {
  const c = connection(loaded, name, overrides);
  if (c.type !== 'ministry-hub') throw new ConfigError('NOT_A_DESTINATION', `${name} is not a destination connection`, { connector: name });
  return new MinistryHubDestination(hubConfig(loaded, name, c));
}

function hubConfig(loaded: LoadedConfig, name: string, c: MinistryHubConnectionConfig): ConstructorParameters<typeof MinistryHubDestination>[0] {
  return {
    // names the connection in HUB_INSECURE_HTTP and in the plain-http warning of every run
    name: `${loaded.file}: connections.${name}`,
    allowInsecureHttp: c.allowInsecureHttp,
    baseUrl: c.baseUrl,
    unitCode: c.unitCode,
    clientId: c.clientId,
    clientSecret: resolveSecret(c.clientSecret, loaded.baseDir, { file: loaded.file, path: `connections.${name}.clientSecret` }),
    scope: c.scope,
    timeoutMs: c.timeoutMs,
    maxBatchSize: c.maxBatchSize,
    gzipThresholdBytes: c.gzipThresholdBytes,
  };
}

export function buildDestinations(loaded: LoadedConfig, job: JobDefinition, overrides?: ConnectionOverrides): RunnerDestination[] {
  return job.destinations.map((d) => ({ config: d, connector: buildDestination(loaded, d.connection, overrides) }));
}

export function buildMapping(job: JobDefinition): Mapping {
  return getMapping(job.mapping.name);
}

/** The unit code a job sends for: that of its first destination. */
export function unitCodeOf(loaded: LoadedConfig, job: JobDefinition, overrides?: ConnectionOverrides): string {
  const first = job.destinations[0];
  const c = first ? connection(loaded, first.connection, overrides) : undefined;
  if (!c || c.type !== 'ministry-hub') throw new ConfigError('NO_UNIT_CODE', `job ${job.name} has no ministry-hub destination to take the unit code from`, { job: job.name });
  return c.unitCode;
}

/** Builds a job's transform step (signing school records), if it has one. */
export function buildTransformer(loaded: LoadedConfig, job: JobDefinition & { file?: string }): RecordTransformer | undefined {
  const t = job.transform;
  if (!t) return undefined;
  const where = { file: job.file, path: 'transform.keyPassword', job: job.name };
  const password = resolveSecret(t.keyPassword, loaded.baseDir, where);
  if (loaded.trustedCaFiles.length === 0) {
    throw new ConfigError('NO_TRUSTED_CA', `${loaded.file}: trust.caFiles: job ${job.name} signs documents and must check them against a trusted CA certificate`, { file: loaded.file, path: 'trust.caFiles', job: job.name });
  }
  const trustedCaPems = readTrustedCaPems(loaded);
  const inData = (p: string): string => (isAbsolute(p) ? p : resolve(loaded.dataDir, p));
  return new HocBaSigningTransformer({
    keyStore: new DirectoryKeyStore({ dir: inData(t.keysDir), password }),
    trustedCaPems,
    documentsDir: t.documentsDir ? inData(t.documentsDir) : undefined,
    workers: t.workers,
  });
}
