import mssql from 'mssql';
import { afterAll } from 'vitest';
import { describeLiveSource } from './testing/live-suite.js';

/** e.g. mssql://sa:Passw0rd!@127.0.0.1:1433/test?encrypt=false&trustServerCertificate=true */
const url = process.env.LIENTHONG_TEST_MSSQL;

function withUrl(base: string, change: (u: URL) => void): string {
  const u = new URL(base);
  change(u);
  return u.toString();
}

const pool = url ? new mssql.ConnectionPool(url) : null;
const ready = pool?.connect();
afterAll(async () => {
  await pool?.close();
});

describeLiveSource(
  'sql source: SQL Server',
  url && pool
    ? {
        driver: 'mssql',
        url,
        exec: async (sql) => {
          await ready;
          await pool.request().batch(sql);
        },
        textType: 'NVARCHAR(255) COLLATE Latin1_General_100_BIN2',
        literal: (text) => `N'${text}'`,
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
