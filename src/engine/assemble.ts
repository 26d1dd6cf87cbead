import { readTrustedCaPems, type LoadedConfig } from '../config/load.js';
import { streamOptionsOf, type ConnectionConfig, type JobDefinition } from '../config/schema.js';
import { maskSecretFields, resolveSecretFields } from '../config/secrets.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { ConfigError } from '../core/errors.js';
import type { Mapping } from '../core/mapping.js';
import type { PluginContext } from '../core/plugin.js';
import type { RecordTransformer } from '../core/transform.js';
import type { StateStore } from '../store/store.js';
import { getMapping } from '../../mappings/index.js';
import { plugins } from '../plugins.js';
import type { RunnerDestination } from './runner.js';

// Loads every plugin's implementation before anything here creates one: importing this module is
// what a command that builds connectors does; reading a configuration alone never gets here.
await plugins.prepare();

/** Runtime overrides of connection fields (the demo points the hub at its simulator's port). */
export type ConnectionOverrides = Record<string, Partial<Record<string, string | number>>>;

function connection(loaded: LoadedConfig, name: string, overrides?: ConnectionOverrides): ConnectionConfig {
  const c = loaded.config.connections[name];
  if (!c) throw new ConfigError('UNKNOWN_CONNECTION', `${loaded.file}: connections: no connection named "${name}"`, { file: loaded.file, connector: name });
  return { ...c, ...(overrides?.[name] ?? {}) } as ConnectionConfig;
}

function contextOf(loaded: LoadedConfig, name: string): PluginContext {
  return { name: `${loaded.file}: connections.${name}`, baseDir: loaded.baseDir, dataDir: loaded.dataDir };
}

/**
 * A connection's options for its plugin: parsed by the plugin's schema (a configuration built
 * another way, overrides included, is checked as a loaded one is) and its secrets resolved.
 */
function pluginOptions(loaded: LoadedConfig, name: string, schema: import('zod').ZodType, c: ConnectionConfig): Record<string, unknown> {
  const { type: _type, ...raw } = c;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(connection)'}: ${i.message}`).join('; ');
    throw new ConfigError('CONFIG_INVALID', `${loaded.file}: connections.${name}: ${problems}`, { file: loaded.file, path: `connections.${name}` });
  }
  return resolveSecretFields(schema, parsed.data as Record<string, unknown>, loaded.baseDir, { file: loaded.file, path: `connections.${name}` });
}

/** Builds the source connector of a job from its connection and its `source` block. */
export function buildSource(loaded: LoadedConfig, job: JobDefinition, overrides?: ConnectionOverrides): SourceConnector {
  const c = connection(loaded, job.source.connection, overrides);
  if (!plugins.source(c.type)) throw new ConfigError('JOB_NOT_A_SOURCE', `${job.source.connection} is a ${c.type} connection, not a source`, { job: job.name });
  return buildStreamSource(loaded, job.source.connection, [{ ...streamOptionsOf(job.source), name: job.source.stream }], overrides);
}

/** A source connection with the given streams (each `{ name, …stream options }`): a job's, or a service's own (the CIM certificates' reader). */
export function buildStreamSource(loaded: LoadedConfig, name: string, streams: ({ name: string } & Record<string, unknown>)[], overrides?: ConnectionOverrides): SourceConnector {
  const c = connection(loaded, name, overrides);
  const plugin = plugins.source(c.type);
  if (!plugin) throw new ConfigError('JOB_NOT_A_SOURCE', `${name} is a ${c.type} connection, not a source`, { connector: name });
  return plugin.create(pluginOptions(loaded, name, plugin.config, c), { ...contextOf(loaded, name), streams });
}

export function buildDestination(loaded: LoadedConfig, name: string, overrides?: ConnectionOverrides): DestinationConnector {
  const c = connection(loaded, name, overrides);
  const plugin = plugins.destination(c.type);
  if (!plugin) throw new ConfigError('NOT_A_DESTINATION', `${name} is a ${c.type} connection, not a destination`, { connector: name });
  return plugin.create(pluginOptions(loaded, name, plugin.config, c), contextOf(loaded, name));
}

export function buildDestinations(loaded: LoadedConfig, job: JobDefinition, overrides?: ConnectionOverrides): RunnerDestination[] {
  return job.destinations.map((d) => ({ config: d, connector: buildDestination(loaded, d.connection, overrides) }));
}

export function buildMapping(job: JobDefinition): Mapping {
  return getMapping(job.mapping.name);
}

/**
 * The unit code a job sends for: the job's `unitCode`, else `mapping.options.unitCode`, else that
 * of its first destination whose plugin has one (a ministry-hub connection: older job files).
 */
export function unitCodeOf(loaded: LoadedConfig, job: JobDefinition, overrides?: ConnectionOverrides): string {
  if (job.unitCode !== undefined) return job.unitCode;
  const option = job.mapping.options.unitCode;
  if (typeof option === 'string' && option.length > 0) return option;
  for (const d of job.destinations) {
    const c = connection(loaded, d.connection, overrides);
    const plugin = plugins.destination(c.type);
    const { type: _type, ...options } = c;
    const code = plugin?.unitCodeOf?.(options);
    if (code !== undefined) return code;
  }
  throw new ConfigError('NO_UNIT_CODE', `job ${job.name} names no unit code: set unitCode in the job (or send to a ministry-hub connection, whose unitCode it takes)`, { job: job.name, path: 'unitCode' });
}

/** Builds a job's transform step (signing school records), if it has one. */
export function buildTransformer(loaded: LoadedConfig, job: JobDefinition & { file?: string }, store?: StateStore): RecordTransformer | undefined {
  const t = job.transform;
  if (!t) return undefined;
  const plugin = plugins.transform(t.kind);
  if (!plugin) throw new ConfigError('UNKNOWN_TRANSFORM', `${job.file ?? job.name}: transform.kind: no transform named "${t.kind}" (known: ${plugins.types('transform').join(', ')})`, { job: job.name, path: 'transform.kind' });
  const { kind: _kind, ...raw } = t;
  const parsed = plugin.config.safeParse(raw);
  if (!parsed.success) throw new ConfigError('CONFIG_INVALID', `${job.file ?? job.name}: transform: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { job: job.name, path: 'transform' });
  const options = resolveSecretFields(plugin.config, parsed.data as Record<string, unknown>, loaded.baseDir, { file: job.file, path: 'transform' });
  return plugin.create(options, { name: `job ${job.name}`, baseDir: loaded.baseDir, dataDir: loaded.dataDir, trustedCaPems: () => readTrustedCaPems(loaded), job: job.name, ...(store ? { store } : {}) });
}

/**
 * Whether a connection is a source or a destination (its plugin's kind): what `check` decides how
 * to check it by, instead of testing for one type.
 */
export function connectionKind(loaded: LoadedConfig, name: string): 'source' | 'destination' {
  const c = connection(loaded, name);
  const plugin = plugins.connection(c.type);
  if (!plugin) throw new ConfigError('UNKNOWN_CONNECTION_TYPE', `${loaded.file}: connections.${name}: unknown connection type "${c.type}"`, { file: loaded.file, path: `connections.${name}.type` });
  return plugin.kind;
}

/** The connections as `validate`/`check` may show them: secret references kept, literal secrets masked. */
export function maskConfig(loaded: LoadedConfig): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, c] of Object.entries(loaded.config.connections)) {
    const plugin = plugins.connection(c.type);
    out[name] = plugin ? { ...maskSecretFields(plugin.config, c), type: c.type } : { type: c.type };
  }
  return out;
}

/** Opens the configuration's state store through its plugin (`store.kind`; today sqlite). */
export async function openConfiguredStore(loaded: LoadedConfig): Promise<StateStore> {
  const { kind, ...options } = loaded.config.store;
  const plugin = plugins.store(kind);
  if (!plugin) throw new ConfigError('UNKNOWN_STORE_KIND', `${loaded.file}: store.kind: unknown store kind "${kind}" (known: ${plugins.types('store').join(', ')})`, { file: loaded.file, path: 'store.kind' });
  return (await plugin.create(plugin.config.parse(options), { name: `${loaded.file}: store`, baseDir: loaded.baseDir, dataDir: loaded.dataDir, path: loaded.storePath })) as StateStore;
}
