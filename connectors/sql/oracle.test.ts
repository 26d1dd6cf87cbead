import oracledb from 'oracledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { oracleConnectAttributes } from './drivers/oracle.js';
import { createSqlSource, type SqlSource } from './source.js';
import { collect, rowName, rowTime, uniqueTableName } from './testing/live-suite.js';

/** e.g. oracle://system:secret@127.0.0.1:1521/FREEPDB1 */
const url = process.env.LIENTHONG_TEST_ORACLE;

describe('oracleConnectAttributes', () => {
  it('turns an oracle:// URL into user, password and an Easy Connect string', () => {
    expect(oracleConnectAttributes('oracle://scott:t%40ger@db.example.vn:1522/ORCLPDB1')).toEqual({
      user: 'scott',
      password: 't@ger',
      connectString: 'db.example.vn:1522/ORCLPDB1',
    });
    expect(oracleConnectAttributes('oracle://scott:tiger@db/XE').connectString).toBe('db:1521/XE');
  });

  it('refuses a malformed URL without echoing the password', () => {
    expect(() => oracleConnectAttributes('scott/tiger@db')).toThrow(ConfigError);
  });
});

// Oracle has no multi-row VALUES and no DROP TABLE IF EXISTS before 23c, so it gets its own small suite.
describe.skipIf(!url)('sql source: Oracle (live)', () => {
  const table = uniqueTableName().toUpperCase();
  const rows = 3000;
  let admin: oracledb.Connection;
  let source: SqlSource;

  beforeAll(async () => {
    admin = await oracledb.getConnection(oracleConnectAttributes(url as string));
    await admin.execute(`CREATE TABLE ${table} (id NUMBER(10) PRIMARY KEY, name NVARCHAR2(255), updated_at VARCHAR2(19))`);
    const binds = Array.from({ length: rows }, (_, k) => ({ id: k + 1, name: rowName(k + 1), updated_at: rowTime(k + 1) }));
    await admin.executeMany(`INSERT INTO ${table} (id, name, updated_at) VALUES (:id, :name, :updated_at)`, binds, { autoCommit: true });
    source = createSqlSource({
      driver: 'oracle',
      url,
      fetchSize: 200,
      streams: [
        {
          name: 'people',
          query: `SELECT id, name, updated_at FROM ${table} WHERE updated_at > :watermark ORDER BY updated_at, id`,
          keyFields: ['id'],
          cursorField: 'updated_at',
          initialCursor: '0',
        },
      ],
    });
  });

  afterAll(async () => {
    await source?.close();
    await admin?.execute(`DROP TABLE ${table} PURGE`).catch(() => undefined);
    await admin?.close();
  });

  it('streams every row in order with Vietnamese text intact', async () => {
    const records = await collect(source.read({ stream: 'people', mode: 'full' }));
    expect(records).toHaveLength(rows);
    expect(records[41]).toMatchObject({ key: '42', cursorValue: { type: 'text', value: rowTime(42) }, data: { NAME: rowName(42) } });
  });

  it('reads rows after the watermark in incremental mode', async () => {
    const records = await collect(source.read({ stream: 'people', mode: 'incremental', cursor: { type: 'text', value: rowTime(rows - 2) } }));
    expect(records.map((r) => r.key)).toEqual([String(rows - 1), String(rows)]);
  });
});

// Typed cursors on Oracle types (not run here: no Oracle server; runs with LIENTHONG_TEST_ORACLE).
describe.skipIf(!url)('sql source: Oracle typed cursors (live)', () => {
  const table = `SOURCES_OR_${Date.now().toString(36).toUpperCase()}`;
  let admin: oracledb.Connection;
  let source: SqlSource;

  beforeAll(async () => {
    admin = await oracledb.getConnection(oracleConnectAttributes(url as string));
    await admin.execute(`CREATE TABLE ${table} (id NUMBER(10) PRIMARY KEY, sua_luc TIMESTAMP(6) WITH TIME ZONE, ghi_luc TIMESTAMP(6), ngay DATE)`);
    for (const [id, tz, ts, d] of [
      [1, '2025-06-30 10:00:00.123456 +07:00', '2025-06-30 10:00:00.123456', '2025-06-28 08:00:00'],
      [2, '2025-06-30 03:00:00.123457 +00:00', '2025-06-30 10:00:01', '2025-06-29 08:00:00'],
      [3, '2025-06-30 10:05:00 +07:00', '2025-06-30 10:05:00', '2025-06-30 08:00:00'],
    ] as const) {
      await admin.execute(
        `INSERT INTO ${table} VALUES (:id, TO_TIMESTAMP_TZ(:tz, 'YYYY-MM-DD HH24:MI:SS.FF TZH:TZM'), TO_TIMESTAMP(:ts, 'YYYY-MM-DD HH24:MI:SS.FF'), TO_DATE(:d, 'YYYY-MM-DD HH24:MI:SS'))`,
        { id, tz, ts, d },
        { autoCommit: true },
      );
    }
    const q = (c: string): string => `SELECT id, sua_luc, ghi_luc, ngay FROM ${table} WHERE ${c} > :watermark ORDER BY ${c}, id`;
    source = createSqlSource({
      driver: 'oracle',
      url,
      streams: [
        { name: 'tz', query: q('sua_luc'), keyFields: ['id'], cursorField: 'sua_luc', lookback: 0 },
        { name: 'ts', query: q('ghi_luc'), keyFields: ['id'], cursorField: 'ghi_luc', lookback: 0 },
        { name: 'day', query: q('ngay'), keyFields: ['id'], cursorField: 'ngay', lookback: 0 },
      ],
    });
  });

  afterAll(async () => {
    await source?.close();
    await admin?.execute(`DROP TABLE ${table} PURGE`).catch(() => undefined);
    await admin?.close();
  });

  it('probes Oracle types', async () => {
    expect((await source.probe('tz')).columns.map((c) => [c.name, c.cursorType])).toEqual([
      ['ID', 'integer'],
      ['SUA_LUC', 'timestamptz'],
      ['GHI_LUC', 'timestamp'],
      ['NGAY', 'timestamp'],
    ]);
  });

  it('reads typed cursors from the beginning and binds them back', async () => {
    const all = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: null }));
    expect(all.map((r) => r.cursorValue)).toEqual([
      { type: 'timestamptz', value: '2025-06-30T10:00:00.123456000+07:00' },
      { type: 'timestamptz', value: '2025-06-30T03:00:00.123457000+00:00' },
      { type: 'timestamptz', value: '2025-06-30T10:05:00.000000000+07:00' },
    ]);
    const after = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: all[0]?.cursorValue ?? null }));
    expect(after.map((r) => r.key)).toEqual(['2', '3']);
    const ts = await collect(source.read({ stream: 'ts', mode: 'incremental', cursor: { type: 'timestamp', value: '2025-06-30T10:00:00.123456' } }));
    expect(ts.map((r) => r.key)).toEqual(['2', '3']);
    const day = await collect(source.read({ stream: 'day', mode: 'incremental', cursor: { type: 'timestamp', value: '2025-06-29T08:00:00' } }));
    expect(day.map((r) => r.key)).toEqual(['3']);
    expect((await collect(source.readKeys('tz', ['3', '9']))).map((r) => r.key)).toEqual(['3']);
  });
});
