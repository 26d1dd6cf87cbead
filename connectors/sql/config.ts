import { z } from 'zod';
import { parseDuration } from '../../src/core/cursor.js';
import { ConfigError } from '../../src/core/errors.js';
import { SECRET_REFERENCE, secret } from '../../src/core/plugin.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { redactUrl } from './redact-url.js';
import { assertSingleSelect } from './statement-guard.js';

/**
 * A stream's settings: what a job's `source` block gives (besides connection, stream and mode),
 * and each of `streams[]` when a source is built. The one definition of these options.
 */
export const SqlStreamOptionsSchema = z.object({
  /** one SELECT or WITH … SELECT (checked by assertSingleSelect); may use the named parameter `:watermark` */
  query: z.string().min(1),
  /** columns whose values, joined by '|', make the record key */
  keyFields: z.array(z.string().min(1)).min(1),
  /** the watermark column; without it the stream is always read in full */
  cursorField: z.string().min(1).optional(),
  /**
   * bound to :watermark on a full refresh and on the first incremental run, converted to the cursor
   * column's type; absent = the lowest value of that type (every row). `""` (what `init` wrote
   * before cursors were typed) means absent too, so older job files keep working.
   */
  initialCursor: z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v)),
  /**
   * re-read window for late commits: the source binds (saved cursor − lookback). A duration ("10m",
   * "2h", "1d") for time cursors (default "10m"), a whole number for integer cursors (default 0),
   * nothing for text cursors; 0 turns it off
   */
  lookback: z
    .union([
      z.string().refine((t) => t.trim() === '0' || parseDuration(t) !== undefined, { message: 'a duration such as "10m", "2h", "1d" or "1h30m"' }),
      z.number().int().nonnegative(),
    ])
    .optional(),
});

export const SqlStreamConfigSchema = SqlStreamOptionsSchema.extend({
  /** the stream name the job refers to */
  name: z.string().min(1),
});

/** The options of a SQL connection (`connections.<name>` with `type: sql`). */
const sqlConnectionOptions = z.object({
  driver: z.enum(DIALECTS as [Dialect, ...Dialect[]]),
  /**
   * sqlite: a file path; others: a connection URL. A URL holding a password must be a reference
   * (env:NAME, file:PATH), resolved before the source is built; masking hides its password.
   */
  url: secret({ allowLiteral: true, mask: redactUrl }),
  /** rows per round trip where the driver fetches in batches (postgres FETCH, oracle fetchArraySize, mssql) */
  fetchSize: z.number().int().positive().max(100_000).default(1000),
  /** connection timeout in milliseconds */
  connectTimeoutMs: z.number().int().positive().default(10_000),
});

/** A SQL connection as the configuration gives it: a password may not be written in the URL. */
export const SqlConnectionConfigSchema = sqlConnectionOptions.strict().superRefine((c, ctx) => {
  // every form of password the masking knows (user:pass@, ?password=, ADO-style Password=…;)
  if (c.driver !== 'sqlite' && !SECRET_REFERENCE.test(c.url) && holdsPassword(c.url)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'this URL holds a password: give it as env:NAME or file:PATH' });
  }
});

/** A URL whose masking hides something: it holds a password (or a token) in one of its forms. */
function holdsPassword(url: string): boolean {
  return !url.includes('***') && redactUrl(url).includes('***');
}

export const SqlSourceConfigSchema = sqlConnectionOptions
  .extend({
    streams: z.array(SqlStreamConfigSchema).min(1),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.streams.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['streams', i, 'name'], message: `duplicate stream name '${s.name}'` });
      seen.add(s.name);
    });
  });

export type SqlConnectionConfig = z.output<typeof SqlConnectionConfigSchema>;
export type SqlStreamConfig = z.infer<typeof SqlStreamConfigSchema>;
export type SqlSourceConfig = z.infer<typeof SqlSourceConfigSchema>;
export type SqlSourceConfigInput = z.input<typeof SqlSourceConfigSchema>;

/** Validates a raw config. The message lists the paths and reasons, never the values (the URL holds a password). */
export function parseSqlSourceConfig(raw: unknown): SqlSourceConfig {
  const result = SqlSourceConfigSchema.safeParse(raw);
  if (result.success) {
    for (const s of result.data.streams) assertSingleSelect(s.query, result.data.driver, s.name);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError('SQL_CONFIG_INVALID', `Invalid sql source config: ${problems.join('; ')}`, { connector: 'sql' });
}
