import { z } from 'zod';
import cron from 'node-cron';
import { isLoopbackHost } from '../../connectors/ministry-hub/config.js';

/** The main configuration file (`config/lienthong.yaml`). Paths are relative to that file. */

const secretRef = z
  .string()
  .regex(/^(env|file):.+$/, 'a secret must be a reference: env:NAME or file:PATH');

const sqlConnection = z
  .object({
    type: z.literal('sql'),
    driver: z.enum(['sqlite', 'postgres', 'mysql', 'mssql', 'oracle']),
    /** SQLite: a file path. Others: a connection URL; one holding a password must be a secret reference. */
    url: z.string().min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.driver !== 'sqlite' && !/^(env|file):/.test(c.url) && /:\/\/[^/@:]+:[^/@]+@/.test(c.url)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'this URL holds a password: give it as env:NAME or file:PATH' });
    }
  });

const ministryHubConnection = z
  .object({
    type: z.literal('ministry-hub'),
    baseUrl: z.string().url(),
    unitCode: z.string().min(1).max(20),
    clientId: z.string().min(1),
    clientSecret: secretRef,
    scope: z.string().optional(),
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
    maxBatchSize: z.number().int().min(1).max(500).default(500),
    gzipThresholdBytes: z.number().int().min(0).default(16_384),
    /**
     * plain `http://` to a host other than this machine sends the client secret and the records
     * unencrypted: refused unless this is true (then every run warns). Loopback http (the
     * simulator) is always allowed.
     */
    allowInsecureHttp: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    // `validate` refuses it already; the connector refuses it again (HUB_INSECURE_HTTP) for
    // configurations built another way (overrides, the API)
    if (c.allowInsecureHttp) return;
    let url: URL;
    try {
      url = new URL(c.baseUrl);
    } catch {
      return; // the url check above reports it
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: `plain http to ${url.host} sends the client secret and every record unencrypted (HUB_INSECURE_HTTP): use the hub's https:// address, or set allowInsecureHttp: true if the link is protected some other way`,
      });
    }
  });

export const connectionSchema = z.discriminatedUnion('type', [sqlConnection, ministryHubConnection]);
export type ConnectionConfig = z.infer<typeof connectionSchema>;
export type SqlConnectionConfig = z.infer<typeof sqlConnection>;
export type MinistryHubConnectionConfig = z.infer<typeof ministryHubConnection>;

export const mainConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    /** where the state store, logs, reports and documents live */
    dataDir: z.string().default('../.lienthong'),
    /** where the job definitions are */
    jobsDir: z.string().default('../jobs'),
    store: z
      .object({
        kind: z.literal('sqlite').default('sqlite'),
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
    connections: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'connection names are lowercase letters, digits, - and _'), connectionSchema),
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
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }, 'not a date of the calendar (e.g. 30 February)');

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
    source: z
      .object({
        connection: z.string(),
        stream: z.string().default('default'),
        mode: z.enum(['incremental', 'full']).default('incremental'),
        query: z.string().min(1),
        keyFields: z.array(z.string()).min(1),
        cursorField: z.string().optional(),
        /**
         * where the first incremental run starts; absent, it reads from the beginning. `""` (what
         * `init` wrote before cursors were typed) means absent too, so older job files keep working.
         */
        initialCursor: z
          .union([z.string(), z.number()])
          .optional()
          .transform((v) => (v === '' ? undefined : v)),
        /**
         * how far before the saved watermark each incremental run starts again, so that a change
         * committed late (with a change time older than the watermark) still arrives: a duration
         * (`10m`, `2h`, `1d`) for time cursors, a number for integer cursors. Re-read rows whose
         * content did not change cost a hash, nothing is resent.
         */
        lookback: z.union([z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30s, 10m, 2h or 1d'), z.number().int().min(0)]).optional(),
      })
      .strict(),
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
    /** what a changed record is given before delivery: school records are signed (XML) and rendered (PDF) */
    transform: z
      .object({
        kind: z.literal('hocba-sign'),
        /** folder of PKCS#12 files named <personal id>.p12, and school.p12 for the seal (relative to dataDir) */
        keysDir: z.string().min(1),
        keyPassword: secretRef,
        /** where each signed document is kept as <idbanghi>.xml and .pdf (relative to dataDir); none to keep nothing */
        documentsDir: z.string().optional(),
        /** signing threads; default: the machine's cores less one (at least one) */
        workers: z.number().int().min(0).max(32).optional(),
      })
      .strict()
      .optional(),
    destinations: z.array(destinationSchema).min(1),
    deadlines: z.array(z.object({ name: z.string(), date: isoDate }).strict()).default([]),
  })
  .strict()
  .superRefine((job, ctx) => {
    if (job.source.mode === 'incremental' && !job.source.cursorField) {
      ctx.addIssue({ code: 'custom', path: ['source', 'cursorField'], message: 'an incremental source needs a cursorField (the watermark column)' });
    }
  });
export type JobDefinition = z.infer<typeof jobSchema>;
