import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { createSqlSource } from './source.js';
import { collect, describeLiveSource, uniqueTableName } from './testing/live-suite.js';

const url = process.env.LIENTHONG_TEST_PG;

function withUrl(base: string, change: (u: URL) => void): string {
  const u = new URL(base);
  change(u);
  return u.toString();
}

const admin = url ? new pg.Client({ connectionString: url }) : null;
const adminReady = admin?.connect();
afterAll(async () => {
  await admin?.end();
});

describeLiveSource(
  'sql source: PostgreSQL',
  url && admin
    ? {
        driver: 'postgres',
        url,
        exec: async (sql) => {
          await adminReady;
          await admin.query(sql);
        },
        textType: 'TEXT',
        badUrl: withUrl(url, (u) => {
          u.username = 'lienthong_nobody';
          u.password = 'wrong-secret';
        }),
        unreachableUrl: withUrl(url, (u) => {
          u.port = '1';
          u.password = 'wrong-secret';
        }),
      }
    : null,
);

describe.skipIf(!url)('sql source: PostgreSQL specifics', () => {
  const table = uniqueTableName();
  afterAll(async () => {
    await adminReady;
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
  });

  it('reports an unknown database as a ConfigError', async () => {
    const s = createSqlSource({
      driver: 'postgres',
      url: withUrl(url as string, (u) => {
        u.pathname = '/lienthong_no_such_db';
      }),
      streams: [{ name: 'x', query: 'SELECT 1 AS id', keyFields: ['id'] }],
    });
    try {
      await expect(collect(s.read({ stream: 'x', mode: 'full' }))).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await s.close();
    }
  });

  it('streams with a server-side cursor: rows before a failing row arrive before the error', async () => {
    await adminReady;
    await admin?.query(`CREATE TABLE ${table} AS SELECT n AS id, now()::date AS d, (n * 10)::bigint AS big, n::numeric / 4 AS q,
      timestamp '2024-02-03 04:05:06' AS ts FROM generate_series(1, 3000) AS n`);
    const s = createSqlSource({
      driver: 'postgres',
      url: url as string,
      fetchSize: 100,
      streams: [
        {
          name: 'fails_late',
          // 1 / 0 at row 2500: a client that loads the whole result would fail before yielding anything
          // (no ORDER BY: a sort would evaluate every row before returning the first)
          query: `SELECT id, 1 / (id - 2500) AS boom FROM ${table} WHERE id::text <> :watermark`,
          keyFields: ['id'],
        },
        { name: 'types', query: `SELECT id, d, big, q, ts FROM ${table} WHERE id = 2`, keyFields: ['id'] },
      ],
    });
    try {
      const seen: number[] = [];
      const err = await (async () => {
        for await (const r of s.read({ stream: 'fails_late', mode: 'full' })) seen.push(r.data.id as number);
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(seen.length).toBeGreaterThanOrEqual(2000);
      expect(seen.length).toBeLessThan(2500);
      const [typed] = await collect(s.read({ stream: 'types', mode: 'full' }));
      expect(typed?.data).toMatchObject({ id: 2, big: 20, q: '0.50000000000000000000', ts: '2024-02-03T04:05:06' });
      expect(typed?.data.d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      await s.close();
    }
  });
});
