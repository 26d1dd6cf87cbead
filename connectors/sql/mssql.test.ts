import mssql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource, type SqlSource } from './source.js';
import { collect, describeLiveSource } from './testing/live-suite.js';

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

// Typed cursors on SQL Server types (not run here: no SQL Server; runs with LIENTHONG_TEST_MSSQL).
describe.skipIf(!url)('sql source: SQL Server typed cursors (live)', () => {
  const table = `sources_ms_${Date.now().toString(36)}`;
  let source: SqlSource;

  beforeAll(async () => {
    await ready;
    await pool?.request().batch(`CREATE TABLE ${table} (id INT PRIMARY KEY, sua_luc DATETIMEOFFSET(7), ghi_luc DATETIME2(7), ngay DATE, ma NVARCHAR(20));
      INSERT INTO ${table} VALUES
        (1, '2025-06-30T10:00:00.1234567+07:00', '2025-06-30T10:00:00.1234567', '2025-06-28', N'a'),
        (2, '2025-06-30T03:00:00.1234568+00:00', '2025-06-30T10:00:01', '2025-06-29', N'b'),
        (3, '2025-06-30T10:05:00+07:00', '2025-06-30T10:05:00', '2025-06-30', N'c');`);
    const q = (c: string): string => `SELECT id, sua_luc, ghi_luc, ngay, ma FROM ${table} WHERE ${c} > :watermark ORDER BY ${c}, id`;
    source = createSqlSource({
      driver: 'mssql',
      url,
      streams: [
        { name: 'tz', query: q('sua_luc'), keyFields: ['id'], cursorField: 'sua_luc', lookback: 0 },
        { name: 'ts', query: q('ghi_luc'), keyFields: ['id'], cursorField: 'ghi_luc', lookback: 0 },
        { name: 'day', query: q('ngay'), keyFields: ['id'], cursorField: 'ngay' },
        { name: 'ids', query: q('id'), keyFields: ['id'], cursorField: 'id' },
      ],
    });
  });

  afterAll(async () => {
    await source?.close();
    await pool?.request().batch(`DROP TABLE IF EXISTS ${table}`);
  });

  it('probes SQL Server types (an ORDER BY query in a derived table)', async () => {
    expect((await source.probe('tz')).columns.map((c) => [c.name, c.cursorType])).toEqual([
      ['id', 'integer'],
      ['sua_luc', 'timestamptz'],
      ['ghi_luc', 'timestamp'],
      ['ngay', 'date'],
      ['ma', 'text'],
    ]);
  });

  it('reads typed cursors from the beginning and binds them back to the 100 ns', async () => {
    const all = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: null }));
    expect(all.map((r) => r.cursorValue)).toEqual([
      { type: 'timestamptz', value: '2025-06-30T03:00:00.1234567+00:00' },
      { type: 'timestamptz', value: '2025-06-30T03:00:00.1234568+00:00' },
      { type: 'timestamptz', value: '2025-06-30T03:05:00.0000000+00:00' },
    ]);
    const after = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: all[0]?.cursorValue ?? null }));
    expect(after.map((r) => r.key)).toEqual(['2', '3']);
    const ts = await collect(source.read({ stream: 'ts', mode: 'incremental', cursor: { type: 'timestamp', value: '2025-06-30T10:00:00.1234567' } }));
    expect(ts.map((r) => r.key)).toEqual(['2', '3']);
    const day = await collect(source.read({ stream: 'day', mode: 'incremental', cursor: { type: 'date', value: '2025-06-30' } }));
    expect(day.map((r) => r.key)).toEqual(['3']);
    expect((await collect(source.readKeys('ids', ['3', '9']))).map((r) => r.key)).toEqual(['3']);
  });
});
