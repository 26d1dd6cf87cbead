/**
 * A diploma's whole life (lifecycle.ts) on a MariaDB/MySQL college database: database
 * `e2e_vblife`, backquoted Vietnamese identifiers, change times as `DATETIME(6)` (Vietnam
 * wall-clock time, no zone), the latest correction decision joined through a correlated MAX.
 *
 * Runs when LIENTHONG_TEST_MYSQL is set (and dist/ is built).
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { withMysql } from './alien-mysql.js';
import { vietnamLocal } from './graduates.js';
import { RealHub } from './hub.js';
import { diplomaLifeStory, lifecycleDdl, type LifecycleDb } from './lifecycle.js';

const mysqlUrl = process.env.LIENTHONG_TEST_MYSQL;
const DB = 'e2e_vblife';

describe.skipIf(!mysqlUrl)('a diploma through its whole life, on a MariaDB college database of its own design', () => {
  const serverUrl = mysqlUrl as string;
  const dbUrl = ((): string => {
    const u = new URL(serverUrl);
    u.pathname = `/${DB}`;
    return u.toString();
  })();
  const hub = new RealHub();
  let dir = '';
  // identifiers are written "double-quoted" by the story: MariaDB quotes them with backquotes
  const backquoted = (text: string): string => text.replace(/"/g, '`');
  const run = async (url: string, text: string, params: unknown[] = []): Promise<void> => {
    await withMysql(url, (c) => c.query(backquoted(text), params));
  };
  const db: LifecycleDb = {
    driver: 'mysql',
    sourceUrl: dbUrl,
    table: (name) => `"${name}"`,
    quoted: backquoted,
    create: async () => {
      await run(serverUrl, `DROP DATABASE IF EXISTS ${DB}`);
      await run(serverUrl, `CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      for (const ddl of lifecycleDdl(db)) await run(dbUrl, ddl);
    },
    sql: (text, params) => run(dbUrl, text, params),
    param: () => '?',
    touch: (id, ms) => run(dbUrl, `UPDATE "văn_bằng" SET "cập_nhật_lúc" = ? WHERE "mã_vb" = ?`, [vietnamLocal(ms, 17), id]),
    firstChangeTime: '2025-06-28 09:00:00.123456',
    latestDecisionJoin: `LEFT JOIN "quyết_định_hiệu_chỉnh" hc ON hc."mã_vb" = vb."mã_vb" AND hc."lần" = (SELECT MAX(q."lần") FROM "quyết_định_hiệu_chỉnh" q WHERE q."mã_vb" = vb."mã_vb")`,
    types: { text: 'VARCHAR(250)', uuid: 'CHAR(36)', changedAt: 'DATETIME(6)', id: 'BIGINT' },
  };

  afterAll(async () => {
    await hub.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await run(serverUrl, `DROP DATABASE IF EXISTS ${DB}`);
  });

  it('sends the college diploma, holds back a correction without its decision, then corrections, a revocation and a reissue', async () => {
    dir = await diplomaLifeStory(db, hub);
  }, 120_000);
});
