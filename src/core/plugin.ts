import { z } from 'zod';
import type { DestinationConnector, SourceConnector } from './connector.js';
import type { RecordTransformer } from './transform.js';
import type { StagedRecord } from './records.js';

/**
 * The plugin contract. A connector, a transform or a state store is one `define…` call: its
 * `type` (what a configuration names), a zod `config` schema (the only definition of its options:
 * `validate` checks a configuration with it, defaults are written there once), and `create`.
 * Secret fields are marked once, in the schema, with `secret()`: the configuration then accepts
 * only a reference (`env:NAME`, `file:PATH`) there, the engine resolves it before `create`, and
 * masking knows to hide it.
 */

/** A secret given in configuration: a reference, never the value itself. */
export const SECRET_REFERENCE = /^(env|file):(.+)$/;

export interface SecretOptions {
  /**
   * the field may also hold a plain value that is no secret (a database URL without a password, a
   * SQLite path); a reference there is still resolved. The schema's own refinements decide which
   * plain values are refused (a URL with a password in it).
   */
  allowLiteral?: boolean;
  /** how a plain value is shown by masking (a URL with its password hidden); default: hidden entirely */
  mask?: (value: string) => string;
}

const secretFields = new WeakMap<z.ZodType, SecretOptions>();

/** A string field holding a secret: `env:NAME` or `file:PATH` (unless `allowLiteral`). */
export function secret(options: SecretOptions = {}): z.ZodString {
  const field = options.allowLiteral
    ? z.string().min(1)
    : z.string().regex(SECRET_REFERENCE, 'a secret must be a reference: env:NAME or file:PATH');
  secretFields.set(field, options);
  return field;
}

/** The options of a field made by `secret()`, or undefined for any other field. */
export function secretOptionsOf(field: z.ZodType): SecretOptions | undefined {
  let current: z.ZodType = field;
  // optional(secret()) and secret().default(…) wrap the marked schema
  for (let depth = 0; depth < 4; depth++) {
    const found = secretFields.get(current);
    if (found) return found;
    const inner = (current as unknown as { def?: { innerType?: z.ZodType } }).def?.innerType;
    if (!inner) return undefined;
    current = inner;
  }
  return undefined;
}

/** The top-level keys of an object schema that hold secrets. */
export function secretKeysOf(schema: z.ZodType): Map<string, SecretOptions> {
  const out = new Map<string, SecretOptions>();
  const shape = objectShapeOf(schema);
  if (!shape) return out;
  for (const [key, field] of Object.entries(shape)) {
    const options = secretOptionsOf(field);
    if (options) out.set(key, options);
  }
  return out;
}

/** The shape of an object schema (through refinements and pipes), or undefined when it is not one. */
export function objectShapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 6; depth++) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, z.ZodType>;
    const def = (current as unknown as { def?: { innerType?: z.ZodType; in?: z.ZodType; schema?: z.ZodType } }).def;
    const next = def?.innerType ?? def?.in ?? def?.schema;
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}

/** What every plugin is given when it is created. */
export interface PluginContext {
  /** how messages name the configured instance (e.g. `config/lienthong.yaml: connections.hub`) */
  name: string;
  /** the folder relative paths of the configuration are resolved against */
  baseDir: string;
  /** where the state store, logs and documents live */
  dataDir: string;
}

interface PluginBase<Kind extends string, C extends z.ZodType> {
  readonly kind: Kind;
  /** what a configuration names (`type: sql`, `kind: hocba-sign`) */
  readonly type: string;
  /** one line for `lienthong check`, errors and docs */
  readonly description: string;
  /** the options of one configured instance; secret fields marked with `secret()` */
  readonly config: C;
  /**
   * Loads what `create` needs (an HTTP client, a PDF library) once, so that reading and checking a
   * configuration (`validate`, `status`) never pays for it. The engine awaits it before `create`
   * (`PluginRegistry.prepare`); a plugin without heavy dependencies leaves it out.
   */
  prepare?(): Promise<void>;
}

/** The per-job settings every source stream has: the engine reads these, the rest is the plugin's. */
export const streamBaseSchema = z.object({
  /** fields whose values, joined by '|', make the record key */
  keyFields: z.array(z.string().min(1)).min(1),
  /** the watermark field; without it the stream is read in full */
  cursorField: z.string().min(1).optional(),
});

export interface SourcePlugin<C extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType> extends PluginBase<'source', C> {
  /** the job's `source` block (besides connection, stream and mode): keyFields, cursorField, the plugin's own */
  readonly stream: S;
  /**
   * Checks a job's stream against its connection before anything connects (a SQL source refuses
   * a DELETE here). Throws a ConfigError naming the field; `path` is relative to the `source` block.
   */
  checkStream?(stream: z.output<S>, config: z.output<C>): void;
  create(config: z.output<C>, context: PluginContext & { streams: (z.output<S> & { name: string })[] }): SourceConnector;
}

export interface DestinationPlugin<C extends z.ZodType = z.ZodType> extends PluginBase<'destination', C> {
  /**
   * The destination's wire form of one staged record: the outbox keeps exactly this text and it
   * is what is sent. Pure, and cheap: it runs once per changed record and target.
   */
  encode(record: StagedRecord): string;
  /**
   * The same record, encoded at another version: a version conflict retried above the version the
   * destination holds (`dead-letters retry`). `encoded` is this plugin's own `encode` text; only
   * the version (and what the destination derives from it) may change. A destination without it
   * cannot have its conflicts retried.
   */
  reversion?(encoded: string, version: number): string;
  /** what each of the destination's answers means, for docs and `check` (the connector maps them) */
  readonly answers: Readonly<Record<string, string>>;
  /** the unit code this connection sends for, when it has one (the job's default unit code) */
  unitCodeOf?(config: z.output<C>): string | undefined;
  create(config: z.output<C>, context: PluginContext): DestinationConnector;
}

export interface TransformPlugin<C extends z.ZodType = z.ZodType> extends PluginBase<'transform', C> {
  /**
   * `store` and `job`, when it runs in a job: the state store (src/store/store.ts; typed `unknown`
   * here because core does not depend on the store) for what a transform keeps between runs, e.g.
   * remote signing's requests. A transform that needs it checks its shape.
   */
  create(config: z.output<C>, context: PluginContext & { trustedCaPems: () => string[]; store?: unknown; job?: string }): RecordTransformer;
}

export interface StateStorePlugin<C extends z.ZodType = z.ZodType, Store = unknown> extends PluginBase<'store', C> {
  create(config: z.output<C>, context: PluginContext & { path: string }): Store | Promise<Store>;
}

export type AnyPlugin = SourcePlugin | DestinationPlugin | TransformPlugin | StateStorePlugin;

// Each define… keeps the precise config type for `create` and answers the plugin typed loosely
// enough to sit in one registry list.

export function defineSource<C extends z.ZodType, S extends z.ZodType>(plugin: Omit<SourcePlugin<C, S>, 'kind'>): SourcePlugin {
  return { ...plugin, kind: 'source' } as unknown as SourcePlugin;
}

export function defineDestination<C extends z.ZodType>(plugin: Omit<DestinationPlugin<C>, 'kind'>): DestinationPlugin {
  return { ...plugin, kind: 'destination' } as unknown as DestinationPlugin;
}

export function defineTransform<C extends z.ZodType>(plugin: Omit<TransformPlugin<C>, 'kind'>): TransformPlugin {
  return { ...plugin, kind: 'transform' } as unknown as TransformPlugin;
}

export function defineStateStore<C extends z.ZodType, Store>(plugin: Omit<StateStorePlugin<C, Store>, 'kind'>): StateStorePlugin<z.ZodType, Store> {
  return { ...plugin, kind: 'store' } as unknown as StateStorePlugin<z.ZodType, Store>;
}
