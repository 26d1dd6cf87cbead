/**
 * Typed cursors and read-only statements on a MariaDB/MySQL schema unlike the sample: DATETIME(6)
 * with microseconds, TIMESTAMP, dates kept as text, Vietnamese column names.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStoredCursor, serializeCursor } from '../../src/core/cursor.js';
import { ConfigError } from '../../src/core/errors.js';
import { MysqlDriver } from './drivers/mysql.js';
import { createSqlSource, type SqlSource } from './source.js';
import { collect } from './testing/live-suite.js';

const url = process.env.LIENTHONG_TEST_MYSQL;
const table = `sources_my_${randomBytes(4).toString('hex')}`;

const ROWS: [number, string, string, string][] = [
  // id, cập_nhật DATETIME(6), ghi_lúc TIMESTAMP, ngày_text VARCHAR(10)
  [1, '2025-06-30 10:00:00.123456', '2025-06-30 10:00:00', '2025-06-28'],
  [2, '2025-06-30 10:00:00.123457', '2025-06-30 10:00:01', '2025-06-29'],
  [3, '2025-06-30 10:00:01.000000', '2025-06-30 10:00:02', '2025-06-30'],
  [4, '2025-06-30 10:05:00.000000', '2025-06-30 10:05:00', '2025-06-30'],
];

describe.skipIf(!url)('sql source: MariaDB/MySQL typed cursors and read-only statements (live)', () => {
  let admin: mysql.Connection;
  let source: SqlSource;
  const q = (cursor: string): string =>
    `SELECT id, \`cập_nhật\`, \`ghi_lúc\`, \`ngày_text\` FROM ${table} WHERE ${cursor} > :watermark ORDER BY ${cursor}, id`;
  const streams = [
    { name: 'dt', query: q('`cập_nhật`'), keyFields: ['id'], cursorField: 'cập_nhật' },
    { name: 'dt0', query: q('`cập_nhật`'), keyFields: ['id'], cursorField: 'cập_nhật', lookback: 0 },
    { name: 'ts', query: q('`ghi_lúc`'), keyFields: ['id'], cursorField: 'ghi_lúc', lookback: '1s' },
    { name: 'text_date', query: q('`ngày_text`'), keyFields: ['ngày_text', 'id'], cursorField: 'ngày_text' },
    { name: 'ids', query: q('id'), keyFields: ['id'], cursorField: 'id', lookback: 1 },
  ];
  const count = async (): Promise<number> => {
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number((rows as { n: number }[])[0]?.n);
  };

  beforeAll(async () => {
    admin = await mysql.createConnection({ uri: url as string, charset: 'UTF8MB4_UNICODE_CI' });
    await admin.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, \`cập_nhật\` DATETIME(6) NOT NULL,
      \`ghi_lúc\` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \`ngày_text\` VARCHAR(10) NOT NULL) CHARACTER SET utf8mb4`);
    for (const r of ROWS) await admin.query(`INSERT INTO ${table} VALUES (?, ?, ?, ?)`, r);
    source = createSqlSource({ driver: 'mysql', url: url as string, streams });
  });

  afterAll(async () => {
    await source?.close();
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
  });

  it('probes the columns and their types without reading rows', async () => {
    expect((await source.probe('dt')).columns).toEqual([
      { name: 'id', dbType: 'INT', cursorType: 'integer' },
      { name: 'cập_nhật', dbType: 'DATETIME', cursorType: 'timestamp' },
      { name: 'ghi_lúc', dbType: 'TIMESTAMP', cursorType: 'timestamp' },
      { name: 'ngày_text', dbType: 'VARCHAR', cursorType: 'text' },
    ]);
  });

  it('reads everything on a first run without initialCursor, with typed cursors to the microsecond', async () => {
    const records = await collect(source.read({ stream: 'dt', mode: 'incremental', cursor: null }));
    expect(records.map((r) => r.cursorValue)).toEqual([
      { type: 'timestamp', value: '2025-06-30T10:00:00.123456' },
      { type: 'timestamp', value: '2025-06-30T10:00:00.123457' },
      { type: 'timestamp', value: '2025-06-30T10:00:01.000000' },
      { type: 'timestamp', value: '2025-06-30T10:05:00.000000' },
    ]);
    expect((await collect(source.read({ stream: 'ts', mode: 'full' }))).map((r) => r.cursorValue?.value)).toEqual([
      '2025-06-30T10:00:00',
      '2025-06-30T10:00:01',
      '2025-06-30T10:00:02',
      '2025-06-30T10:05:00',
    ]);
    expect((await collect(source.read({ stream: 'text_date', mode: 'full' }))).map((r) => r.cursorValue)).toContainEqual({ type: 'text', value: '2025-06-28' });
    // the lowest integer is bound as DECIMAL(65,0), below any BIGINT (UNSIGNED too)
    expect((await collect(source.read({ stream: 'ids', mode: 'incremental', cursor: null }))).map((r) => r.cursorValue)).toEqual(
      ['1', '2', '3', '4'].map((value) => ({ type: 'integer', value })),
    );
  });

  it('reads incrementally from a saved typed cursor after a round trip through the store text', async () => {
    const saved = parseStoredCursor(serializeCursor({ type: 'timestamp', value: '2025-06-30T10:00:00.123456' }));
    expect((await collect(source.read({ stream: 'dt0', mode: 'incremental', cursor: saved }))).map((r) => r.key)).toEqual(['2', '3', '4']);
    // TIMESTAMP with a 1 s window: > 10:00:01 - 1 s
    const ts = await collect(source.read({ stream: 'ts', mode: 'incremental', cursor: { type: 'timestamp', value: '2025-06-30T10:00:01' } }));
    expect(ts.map((r) => r.key)).toEqual(['2', '3', '4']);
    const text = await collect(source.read({ stream: 'text_date', mode: 'incremental', cursor: { type: 'text', value: '2025-06-29' } }));
    expect(text.map((r) => r.key)).toEqual(['2025-06-30|3', '2025-06-30|4']);
    const ids = await collect(source.read({ stream: 'ids', mode: 'incremental', cursor: { type: 'integer', value: '3' } }));
    expect(ids.map((r) => r.key)).toEqual(['3', '4']);
  });

  it('re-reads the lookback window, so a row committed late with an older timestamp still arrives', async () => {
    const max = { type: 'timestamp' as const, value: '2025-06-30T10:05:00.000000' };
    await admin.query(`INSERT INTO ${table} VALUES (5, '2025-06-30 10:03:00.5', '2025-06-30 10:03:00', '2025-06-30')`);
    try {
      expect(await collect(source.read({ stream: 'dt0', mode: 'incremental', cursor: max }))).toEqual([]);
      const again = await collect(source.read({ stream: 'dt', mode: 'incremental', cursor: max }));
      expect(again.map((r) => r.key)).toEqual(['1', '2', '3', '5', '4']);
    } finally {
      await admin.query(`DELETE FROM ${table} WHERE id = 5`);
    }
  });

  it('checks initialCursor against the column type', async () => {
    const s = createSqlSource({
      driver: 'mysql',
      url: url as string,
      streams: [
        { ...streams[0], name: 'ok', initialCursor: '2025-06-30 10:00:01' },
        { ...streams[0], name: 'bad', initialCursor: 30 },
      ],
    });
    try {
      expect((await collect(s.read({ stream: 'ok', mode: 'full' }))).map((r) => r.key)).toEqual(['4']);
      await expect(s.checkStream('ok')).resolves.toMatchObject({ stream: 'ok', columns: expect.arrayContaining([expect.objectContaining({ name: 'cập_nhật' })]) });
      await expect(s.checkStream('bad')).rejects.toMatchObject({
        code: 'SQL_INITIAL_CURSOR_INVALID',
        message: expect.stringMatching(/stream 'bad': initialCursor 30 .*'cập_nhật' \(DATETIME, a timestamp cursor\).*expected a timestamp without offset/),
      });
    } finally {
      await s.close();
    }
  });

  it('reads given keys whatever their cursor', async () => {
    const keyed = await collect(source.readKeys('text_date', ['2025-06-29|2', '2025-06-30|4', '2025-06-30|9']));
    expect(keyed.map((r) => r.key).sort()).toEqual(['2025-06-29|2', '2025-06-30|4']);
  });

  it('refuses DELETE, UPDATE and DELETE … RETURNING: in the config, and in the read-only transaction', async () => {
    const statements = [`DELETE FROM ${table}`, `UPDATE ${table} SET id = id + 100`, `DELETE FROM ${table} WHERE id > 0 RETURNING id`];
    for (const query of statements) {
      expect(() => createSqlSource({ driver: 'mysql', url: url as string, streams: [{ name: 'w', query, keyFields: ['id'] }] })).toThrow(
        /stream 'w'.*(DELETE|UPDATE) changes the database/,
      );
    }
    // a statement that got past the guard still cannot change the table
    const driver = new MysqlDriver({ url: url as string, fetchSize: 10, connectTimeoutMs: 5000 });
    try {
      for (const sql of statements) {
        const err = await (async () => {
          for await (const _row of driver.stream(sql, {}, { stream: 'w' })) break;
        })().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).message).toMatch(/READ ONLY transaction/i);
      }
      // and the connection still reads afterwards
      const rows: unknown[] = [];
      for await (const row of driver.stream(`SELECT id FROM ${table}`, {})) rows.push(row);
      expect(rows).toHaveLength(4);
    } finally {
      await driver.close();
    }
    expect(await count()).toBe(4);
    const [ids] = await admin.query(`SELECT id FROM ${table} ORDER BY id`);
    expect((ids as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });
});
