/**
 * The `end-to-end-pg` benchmark scenario: the whole diploma run (source → mapping → ledger → hub
 * simulator) as `end-to-end`, but reading the sample UIS from PostgreSQL instead of SQLite: the
 * same generator, seed and record counts, in a schema of its own (`e2e_bench_uis_<size>`, made
 * before the timed runs and dropped after them). It shows what a real database server costs the
 * pipeline: the target is a rate within 1.5× of the SQLite end-to-end rate.
 *
 * Runs only with LIENTHONG_TEST_PG set (a PostgreSQL URL); bench/run.ts prints a note and skips
 * it otherwise.
 */
import pg from 'pg';
import { createSqlSource } from '../connectors/sql/index.js';
import type { JobDefinition } from '../src/config/schema.js';
import { generateUisDatabase, uisDiplomaQuery } from '../src/sample/uis.js';

export const PG_SCENARIO = 'end-to-end-pg' as const;
/** slower by at most this factor than the SQLite end-to-end rate */
export const PG_TARGET_FACTOR = 1.5;

export function pgBenchUrl(): string | undefined {
  const url = process.env.LIENTHONG_TEST_PG;
  return url === undefined || url === '' ? undefined : url;
}

export function pgBenchSchema(size: number): string {
  return `e2e_bench_uis_${size}`;
}

/** Writes the sample UIS of `size` diplomas into its schema (the seed of the SQLite sample). */
export async function preparePgBench(url: string, size: number): Promise<string> {
  const schema = pgBenchSchema(size);
  await dropPgBench(url, schema);
  await withClient(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  await generateUisDatabase({ driver: 'postgres', url, schema }, { records: size, seed: 2026 });
  // planner statistics, as a DBA's nightly ANALYZE would have them
  await withClient(url, (c) => c.query(`ANALYZE`));
  return schema;
}

export async function dropPgBench(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}

/** The bench job's source, on PostgreSQL: the same stream, its tables in `schema`. */
export function pgBenchSource(job: JobDefinition, url: string, schema: string): ReturnType<typeof createSqlSource> {
  return createSqlSource({
    driver: 'postgres',
    url,
    streams: [{ name: job.source.stream, query: uisDiplomaQuery({ schema }), keyFields: job.source.keyFields, cursorField: job.source.cursorField }],
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
