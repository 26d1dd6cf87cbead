import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { createSqlSource } from './source.js';
import { collect, describeLiveSource } from './testing/live-suite.js';

const url = process.env.LIENTHONG_TEST_MYSQL;

function withUrl(base: string, change: (u: URL) => void): string {
  const u = new URL(base);
  change(u);
  return u.toString();
}

const adminReady = url ? mysql.createConnection({ uri: url, charset: 'UTF8MB4_UNICODE_CI' }) : null;
afterAll(async () => {
  await (await adminReady)?.end();
});

describeLiveSource(
  'sql source: MySQL/MariaDB',
  url && adminReady
    ? {
        driver: 'mysql',
        url,
        exec: async (sql) => {
          await (await adminReady).query(sql);
        },
        textType: 'VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
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

describe.skipIf(!url)('sql source: MySQL/MariaDB specifics', () => {
  it('reports an unknown database as a ConfigError', async () => {
    const s = createSqlSource({
      driver: 'mysql',
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

  it('keeps dates as text and big numbers exact', async () => {
    const s = createSqlSource({
      driver: 'mysql',
      url: url as string,
      streams: [
        {
          name: 'types',
          query: "SELECT 1 AS id, DATE '2001-02-28' AS d, CAST(9007199254740993 AS UNSIGNED) AS big, CAST(1.50 AS DECIMAL(10,2)) AS dec_value, COUNT(*) AS n, :watermark AS w",
          keyFields: ['id'],
          initialCursor: 'Đắk Lắk',
        },
      ],
    });
    try {
      const [row] = await collect(s.read({ stream: 'types', mode: 'full' }));
      expect(row?.data).toEqual({ id: 1, d: '2001-02-28', big: '9007199254740993', dec_value: '1.50', n: 1, w: 'Đắk Lắk' });
    } finally {
      await s.close();
    }
  });
});
