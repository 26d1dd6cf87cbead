import { isIP } from 'node:net';
import { z } from 'zod';
import cron from 'node-cron';
import { isRealDate } from '../domain/dates.js';
import { objectShapeOf, streamBaseSchema } from '../core/plugin.js';
import { plugins } from '../plugins.js';
import { certificatesConfigSchema } from './certificates.js';
import { resolveUpstreams } from './after.js';

/** The main configuration file (`config/lienthong.yaml`). Paths are relative to that file. */

/** The option names an object schema accepts, for messages. */
export function acceptedKeys(schema: z.ZodType, extra: readonly string[] = []): string[] {
  return [...extra, ...Object.keys(objectShapeOf(schema) ?? {})];
}

/**
 * Parses `value` with a plugin's schema inside a larger one: its issues keep their paths (relative
 * to the block), and an unknown option names every option the plugin accepts.
 */
export function parsePluginBlock<T>(schema: z.ZodType<T>, value: unknown, ctx: z.RefinementCtx, what: string, extraKeys: readonly string[] = []): T | typeof z.NEVER {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const message =
      issue.code === 'unrecognized_keys'
        ? unknownOptionsMessage(issue.keys, what, acceptedKeys(schema, extraKeys))
        : issue.message;
    ctx.addIssue({ code: 'custom', path: issue.path, message });
  }
  return z.NEVER;
}

/** `unknown option "x": a sql connection accepts a, b, c` — one wording wherever options are checked. */
export function unknownOptionsMessage(keys: readonly string[], what: string, accepted: readonly string[]): string {
  return `unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}: ${what} accepts ${accepted.join(', ')}`;
}

/** The keys of a job's `source` block the engine reads itself; the rest is the source plugin's stream. */
export const ENGINE_SOURCE_KEYS = ['connection', 'stream', 'mode'] as const;

/** A job's `source` block without the engine's keys: what the source plugin's stream schema gets. */
export function streamOptionsOf(source: Record<string, unknown>): Record<string, unknown> {
  return without(source, ENGINE_SOURCE_KEYS);
}

/** Splits off the keys the engine reads from a block before the plugin's schema sees the rest. */
function without(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) rest[k] = v;
  return rest;
}

/**
 * One connection (`connections.<name>`): its `type` names a registered source or destination
 * plugin, whose `config` schema is the only definition of the other options.
 */
export const connectionSchema = z.looseObject({ type: z.string().min(1) }).transform((c, ctx) => {
  const plugin = plugins.connection(c.type);
  if (!plugin) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `unknown connection type "${c.type}" (known: ${plugins.connectionTypes().join(', ')})` });
    return z.NEVER;
  }
  const options = parsePluginBlock(plugin.config, without(c, ['type']), ctx, `a ${c.type} connection`, ['type']) as Record<string, unknown>;
  return { ...options, type: c.type };
});
/** A connection: its type, and the options its plugin's schema gave (defaults filled in). */
export type ConnectionConfig = { type: string } & Record<string, unknown>;

const listenAddress = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'listen is HOST:PORT, e.g. 127.0.0.1:8080');

const SERVER_DEFAULTS = { listen: '127.0.0.1:8080', sessionIdleMinutes: 30, trustProxy: [] };

/** an IPv4 or IPv6 address, optionally a CIDR range (`10.0.0.0/8`, `fd00::/8`) */
const proxyAddress = z.string().refine((v) => {
  const [address = '', bits, ...rest] = v.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}, 'trustProxy lists addresses or CIDR ranges of the proxies, e.g. 10.0.0.5 or 10.0.0.0/8');

/** `server:` — where the console listens, its TLS files (paths relative to the configuration file) and its sessions. */
export const serverSchema = z
  .object({
    listen: listenAddress.default('127.0.0.1:8080'),
    tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).strict().optional(),
    /** a session unused this long is ended */
    sessionIdleMinutes: z.number().int().min(1).max(24 * 60).default(30),
    /**
     * The reverse proxies in front of the console (addresses or CIDR ranges). Only a request that
     * comes from one of them has its client's address read from X-Forwarded-For, for the audit
     * log and the login lockout; from anyone else the header is ignored, since any client can write it.
     */
    trustProxy: z.array(proxyAddress).default([]),
  })
  .strict();
export type ServerConfig = z.infer<typeof serverSchema>;

export const mainConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    /** where the state store, logs, reports and documents live */
    dataDir: z.string().default('../.lienthong'),
    /** where the job definitions are */
    jobsDir: z.string().default('../jobs'),
    store: z
      .object({
        /** a registered state store plugin (today: sqlite) */
        kind: z
          .string()
          .default('sqlite')
          .refine((k) => plugins.store(k) !== undefined, { error: (i) => `unknown store kind "${String(i.input)}" (known: ${plugins.types('store').join(', ')})` }),
        path: z.string().default('state.db'),
      })
      .strict()
      .default({ kind: 'sqlite', path: 'state.db' }),
    log: z
      .object({
        level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
        file: z.string().default('logs/lienthong.log'),
      })
      .strict()
      .default({ level: 'info', file: 'logs/lienthong.log' }),
    /** CA certificates (PEM files) trusted for document signatures (`lienthong verify`, signing checks) */
    trust: z.object({ caFiles: z.array(z.string()).default([]) }).strict().default({ caFiles: [] }),
    /**
     * The web console and API of `lienthong start` (docs/console.md). Optional: a configuration
     * without it listens on 127.0.0.1:8080 without TLS.
     */
    server: serverSchema.default(SERVER_DEFAULTS),
    connections: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'connection names are lowercase letters, digits, - and _'), connectionSchema),
    /** the CIM certificate service of `lienthong start` (docs/cim.md#certificates); optional */
    certificates: certificatesConfigSchema.optional(),
  })
  .strict();
export type MainConfig = z.infer<typeof mainConfigSchema>;

const cronExpression = z.string().refine((s) => cron.validate(s), 'not a valid cron expression');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not a time zone of the IANA database (e.g. Asia/Ho_Chi_Minh)');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine(isRealDate, 'not a date of the calendar (e.g. 30 February)');

/**
 * How a destination rides out transient failures (timeouts, 5xx, 429, resets).
 *
 * - `budgetMs` governs: a destination keeps retrying while the time it has spent failing in this
 *   run (from a first failure to the next success, added up) is under the budget. When the budget
 *   is spent, the records still waiting are left `pending` in the ledger (counted as `deferred`,
 *   the run ends `partial`) and the next run's outbox drain sends them. They never become dead
 *   letters: a dead letter is for permanent failures (rejected, one record too large).
 * - `breaker`: after `failures` transient failures in a row the destination's circuit opens and
 *   every batch waits (no request is sent) for `coolDownMs`; then one probe batch goes out. Its
 *   success closes the circuit; its failure reopens it for twice the previous cool-down (up to
 *   `maxCoolDownMs`).
 * - `maxAttempts` is kept only so that older job files stay valid: it no longer limits anything
 *   (eight attempts, about 32 s, turned a 45 s outage into dead letters).
 * - Backoff between attempts: capped exponential with full jitter (`baseDelayMs`, `maxDelayMs`),
 *   a `Retry-After` honoured as a floor.
 */
export const retryPolicySchema = z
  .object({
    /** deprecated: accepted, not used (the budget governs) */
    maxAttempts: z.number().int().min(1).optional(),
    budgetMs: z.number().int().min(0).default(3_600_000),
    baseDelayMs: z.number().int().min(0).default(500),
    maxDelayMs: z.number().int().min(0).default(60_000),
    breaker: z
      .object({
        failures: z.number().int().min(1).default(5),
        coolDownMs: z.number().int().min(0).default(15_000),
        maxCoolDownMs: z.number().int().min(0).default(120_000),
      })
      .strict()
      .default({ failures: 5, coolDownMs: 15_000, maxCoolDownMs: 120_000 }),
  })
  .strict();
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const destinationSchema = z
  .object({
    connection: z.string(),
    dataset: z.string().min(1),
    batchSize: z.number().int().min(1).max(500).default(200),
    concurrency: z.number().int().min(1).max(64).default(4),
    rateLimit: z
      .object({ perSecond: z.number().positive().default(15), burst: z.number().int().min(1).default(30) })
      .strict()
      .default({ perSecond: 15, burst: 30 }),
    timeoutMs: z.number().int().positive().default(30_000),
    retry: retryPolicySchema.default({ budgetMs: 3_600_000, baseDelayMs: 500, maxDelayMs: 60_000, breaker: { failures: 5, coolDownMs: 15_000, maxCoolDownMs: 120_000 } }),
    /**
     * another destination of the same job (its connection name, or `connection/dataset`) that must
     * accept a record's current version before this one takes it (src/engine/dependency.ts)
     */
    after: z.string().min(1).optional(),
  })
  .strict();
export type DestinationConfig = z.infer<typeof destinationSchema>;

export const jobSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'job names are lowercase letters, digits and -'),
    description: z.string().optional(),
    schedule: z
      .object({ cron: cronExpression, timezone: timeZone.default('Asia/Ho_Chi_Minh') })
      .strict()
      .optional(),
    /**
     * What the job reads: the connection and stream, the mode, the key and the watermark fields;
     * the other fields (a SQL source's `query`, `initialCursor`, `lookback`) belong to the source
     * plugin's `stream` schema, checked when the configuration is loaded (`checkJobReferences`).
     */
    source: z.looseObject({
      connection: z.string(),
      stream: z.string().default('default'),
      mode: z.enum(['incremental', 'full']).default('incremental'),
      ...streamBaseSchema.shape,
    }),
    /**
     * A run whose share of invalid records passes the threshold stops before it sends more, keeps
     * its cursor, and names the most frequent errors: a wrong alias or date format makes every
     * record invalid, and that is a configuration to fix, not data to skip.
     */
    guard: z
      .object({
        maxInvalidPercent: z.number().min(0).max(100).default(20),
        /** the threshold applies once this many records were read (a few dirty rows of a small source are no alarm) */
        minRecords: z.number().int().min(1).default(20),
      })
      .strict()
      .default({ maxInvalidPercent: 20, minRecords: 20 }),
    mapping: z
      .object({ name: z.string(), options: z.record(z.string(), z.unknown()).default({}) })
      .strict(),
    /**
     * the issuing unit's ministry code (matruong) the mapping writes; default: the unitCode of the
     * job's first destination that has one (a ministry-hub connection), so older job files work
     */
    unitCode: z.string().min(1).max(20).optional(),
    /**
     * what a changed record is given before delivery (school records are signed and rendered):
     * `kind` names a registered transform plugin, whose schema checks the other fields
     */
    transform: z
      .looseObject({ kind: z.string().min(1) })
      .transform((t, ctx) => {
        const plugin = plugins.transform(t.kind);
        if (!plugin) {
          ctx.addIssue({ code: 'custom', path: ['kind'], message: `unknown transform kind "${t.kind}" (known: ${plugins.types('transform').join(', ')})` });
          return z.NEVER;
        }
        const options = parsePluginBlock(plugin.config, without(t, ['kind']), ctx, `a ${t.kind} transform`, ['kind']) as Record<string, unknown>;
        return { ...options, kind: t.kind };
      })
      .optional(),
    destinations: z.array(destinationSchema).min(1),
    // grades: the deadline counts only the records of these grades (khối, e.g. [5, 9] earlier); none: all
    deadlines: z.array(z.object({ name: z.string(), date: isoDate, grades: z.array(z.number().int().min(1).max(12)).min(1).optional() }).strict()).default([]),
  })
  .strict()
  .superRefine((job, ctx) => {
    if (job.source.mode === 'incremental' && !job.source.cursorField) {
      ctx.addIssue({ code: 'custom', path: ['source', 'cursorField'], message: 'an incremental source needs a cursorField (the watermark column)' });
    }
    for (const p of resolveUpstreams(job.destinations).problems) ctx.addIssue({ code: 'custom', path: ['destinations', p.index, 'after'], message: p.message });
  });
export type JobDefinition = z.infer<typeof jobSchema>;
