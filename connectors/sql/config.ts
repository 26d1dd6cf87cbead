import { z } from 'zod';
import { parseDuration } from '../../src/core/cursor.js';
import { ConfigError } from '../../src/core/errors.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { assertSingleSelect } from './statement-guard.js';

export const SqlStreamConfigSchema = z.object({
  /** the stream name the job refers to */
  name: z.string().min(1),
  /** one SELECT or WITH … SELECT (checked by assertSingleSelect); may use the named parameter `:watermark` */
  query: z.string().min(1),
  /** columns whose values, joined by '|', make the record key */
  keyFields: z.array(z.string().min(1)).min(1),
  /** the watermark column; without it the stream is always read in full */
  cursorField: z.string().min(1).optional(),
  /**
   * bound to :watermark on a full refresh and on the first incremental run, converted to the cursor
   * column's type; absent = the lowest value of that type (every row)
   */
  initialCursor: z.union([z.string(), z.number()]).optional(),
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

export const SqlSourceConfigSchema = z
  .object({
    driver: z.enum(DIALECTS as [Dialect, ...Dialect[]]),
    /** sqlite: a file path; others: a connection URL (already resolved from secrets) */
    url: z.string().min(1),
    streams: z.array(SqlStreamConfigSchema).min(1),
    /** rows per round trip where the driver fetches in batches (postgres FETCH, oracle fetchArraySize) */
    fetchSize: z.number().int().positive().max(100_000).default(1000),
    /** connection timeout in milliseconds */
    connectTimeoutMs: z.number().int().positive().default(10_000),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.streams.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['streams', i, 'name'], message: `duplicate stream name '${s.name}'` });
      seen.add(s.name);
    });
  });

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
