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
