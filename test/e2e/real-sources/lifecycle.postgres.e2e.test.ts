/**
 * A diploma's whole life (lifecycle.ts) on a PostgreSQL college database: schema `e2e_vblife`,
 * change times as `timestamptz(6)`, the latest correction decision joined LATERAL.
 *
 * Runs when LIENTHONG_TEST_PG is set (and dist/ is built).
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { withPg } from './alien-pg.js';
import { RealHub } from './hub.js';
import { diplomaLifeStory, lifecycleDdl, type LifecycleDb } from './lifecycle.js';

const pgUrl = process.env.LIENTHONG_TEST_PG;
const S = 'e2e_vblife';

describe.skipIf(!pgUrl)('a diploma through its whole life, on a PostgreSQL college database of its own design', () => {
  const url = pgUrl as string;
  const hub = new RealHub();
  let dir = '';
  const run = (text: string, params: unknown[] = []): Promise<unknown> => withPg(url, (c) => c.query(text, params));
  const db: LifecycleDb = {
    driver: 'postgres',
    sourceUrl: url,
    table: (name) => `${S}."${name}"`,
    quoted: (text) => text,
    create: async () => {
      await run(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
      await run(`CREATE SCHEMA ${S}`);
      for (const ddl of lifecycleDdl(db)) await run(ddl);
    },
    sql: async (text, params) => {
      await run(text, params);
    },
    param: (n) => `$${n}`,
    touch: async (id, ms) => {
      await run(`UPDATE ${S}."văn_bằng" SET "cập_nhật_lúc" = to_timestamp($1::double precision / 1000) + interval '17 microseconds' WHERE "mã_vb" = $2`, [ms, id]);
    },
    firstChangeTime: '2025-06-28T09:00:00.123456+07:00',
    latestDecisionJoin: `LEFT JOIN LATERAL (SELECT * FROM ${S}."quyết_định_hiệu_chỉnh" q WHERE q."mã_vb" = vb."mã_vb" ORDER BY q."lần" DESC LIMIT 1) hc ON true`,
    types: { text: 'text', uuid: 'uuid', changedAt: 'timestamptz(6)', id: 'bigint' },
  };

  afterAll(async () => {
    await hub.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await run(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
  });

  it('sends the college diploma, holds back a correction without its decision, then corrections, a revocation and a reissue', async () => {
    dir = await diplomaLifeStory(db, hub);
  }, 120_000);
});
