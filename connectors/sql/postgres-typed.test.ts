/**
 * Typed cursors on a PostgreSQL schema unlike the sample: timestamptz with offsets and microseconds,
 * a timestamp, a date, a bigint sequence, a text status, Vietnamese (quoted) column names.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStoredCursor, serializeCursor, type CursorValue } from '../../src/core/cursor.js';
import { ConfigError } from '../../src/core/errors.js';
import { PostgresDriver } from './drivers/postgres.js';
import { createSqlSource, type SqlSource } from './source.js';
import { collect } from './testing/live-suite.js';

const url = process.env.LIENTHONG_TEST_PG;
const table = `sources_pg_${randomBytes(4).toString('hex')}`;

/** The source's session in Vietnam time: PostgreSQL then prints offsets as `+07` (no minutes). */
function vietnamSession(base: string): string {
  const u = new URL(base);
  u.searchParams.set('options', '-c TimeZone=Asia/Ho_Chi_Minh');
  return u.toString();
}

const ROWS: [number, string, string, string, number, string][] = [
  // id, ngày_cập_nhật (timestamptz), ts_local (timestamp), ngày (date), seq, trạng_thái
  [1, '2025-06-30 10:00:00.123456+07', '2025-06-30 10:00:00.123456', '2025-06-28', 10, 'a|b'],
  [2, '2025-06-30 03:00:00.123457+00', '2025-06-30 10:00:00.5', '2025-06-29', 20, 'b'],
  [3, '2025-06-30 12:30:01+09:30', '2025-06-30 10:00:01', '2025-06-30', 30, 'c'],
  [4, '2025-06-30 10:05:00+07', '2025-06-30 10:05:00', '2025-06-30', 40, 'd'],
];

describe.skipIf(!url)('sql source: PostgreSQL typed cursors (live)', () => {
  const admin = new pg.Client({ connectionString: url });
  let source: SqlSource;
  const q = (cursor: string, order = cursor): string =>
    `SELECT "mã_văn_bằng", "ngày_cập_nhật", ts_local, "ngày", seq, "trạng_thái" FROM ${table} WHERE ${cursor} > :watermark ORDER BY ${order}, "mã_văn_bằng"`;
  const streams = [
    { name: 'tz', query: q('"ngày_cập_nhật"'), keyFields: ['mã_văn_bằng'], cursorField: 'ngày_cập_nhật' },
    { name: 'tz0', query: q('"ngày_cập_nhật"'), keyFields: ['mã_văn_bằng'], cursorField: 'ngày_cập_nhật', lookback: 0 },
    { name: 'local', query: q('ts_local'), keyFields: ['mã_văn_bằng'], cursorField: 'ts_local', lookback: '0m' },
    { name: 'day', query: q('"ngày"'), keyFields: ['mã_văn_bằng'], cursorField: 'ngày' },
    { name: 'seq', query: q('seq'), keyFields: ['mã_văn_bằng'], cursorField: 'seq', lookback: 15 },
    { name: 'status', query: q('"trạng_thái"'), keyFields: ['trạng_thái', 'mã_văn_bằng'], cursorField: 'trạng_thái' },
  ];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE TABLE ${table} ("mã_văn_bằng" integer PRIMARY KEY, "ngày_cập_nhật" timestamptz NOT NULL,
      ts_local timestamp NOT NULL, "ngày" date NOT NULL, seq bigint NOT NULL, "trạng_thái" text NOT NULL)`);
    for (const r of ROWS) await admin.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6)`, r);
    source = createSqlSource({ driver: 'postgres', url: vietnamSession(url as string), streams });
  });

  afterAll(async () => {
    await source?.close();
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.end();
  });

  it('probes the columns and their types without reading rows', async () => {
    const probe = await source.probe('tz');
    expect(probe.columns).toEqual([
      { name: 'mã_văn_bằng', dbType: 'integer', cursorType: 'integer' },
      { name: 'ngày_cập_nhật', dbType: 'timestamptz', cursorType: 'timestamptz' },
      { name: 'ts_local', dbType: 'timestamp', cursorType: 'timestamp' },
      { name: 'ngày', dbType: 'date', cursorType: 'date' },
      { name: 'seq', dbType: 'bigint', cursorType: 'integer' },
      { name: 'trạng_thái', dbType: 'text', cursorType: 'text' },
    ]);
  });

  it('reads everything on a first run without initialCursor, with typed cursors (offset with minutes, microseconds)', async () => {
    const records = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: null }));
    expect(records.map((r) => r.key)).toEqual(['1', '2', '3', '4']);
    expect(records.map((r) => r.cursorValue)).toEqual([
      { type: 'timestamptz', value: '2025-06-30T10:00:00.123456+07:00' },
      { type: 'timestamptz', value: '2025-06-30T10:00:00.123457+07:00' },
      { type: 'timestamptz', value: '2025-06-30T10:00:01+07:00' },
      { type: 'timestamptz', value: '2025-06-30T10:05:00+07:00' },
    ]);
    // the row's data carries the same ISO text the mappings accept
    expect(records[0]?.data['ngày_cập_nhật']).toBe('2025-06-30T10:00:00.123456+07:00');
    expect((await collect(source.read({ stream: 'local', mode: 'full' }))).map((r) => r.cursorValue?.value)).toEqual([
      '2025-06-30T10:00:00.123456',
      '2025-06-30T10:00:00.5',
      '2025-06-30T10:00:01',
      '2025-06-30T10:05:00',
    ]);
    expect((await collect(source.read({ stream: 'day', mode: 'full' }))).map((r) => r.cursorValue)).toContainEqual({ type: 'date', value: '2025-06-28' });
    expect((await collect(source.read({ stream: 'seq', mode: 'full' }))).map((r) => r.cursorValue)).toContainEqual({ type: 'integer', value: '40' });
  });

  it('reads incrementally from a saved typed cursor, to the microsecond, after a round trip through the store text', async () => {
    const saved = parseStoredCursor(serializeCursor({ type: 'timestamptz', value: '2025-06-30T10:00:00.123456+07:00' }));
    const records = await collect(source.read({ stream: 'tz0', mode: 'incremental', cursor: saved }));
    expect(records.map((r) => r.key)).toEqual(['2', '3', '4']);
    const local = await collect(source.read({ stream: 'local', mode: 'incremental', cursor: { type: 'timestamp', value: '2025-06-30T10:00:00.5' } }));
    expect(local.map((r) => r.key)).toEqual(['3', '4']);
    // a cursor an older store kept as bare driver text is converted to the column's type
    const legacy = await collect(source.read({ stream: 'tz0', mode: 'incremental', cursor: parseStoredCursor('2025-06-30T10:00:01+07') }));
    expect(legacy.map((r) => r.key)).toEqual(['4']);
  });

  it('re-reads the lookback window, so a row committed late with an older timestamp still arrives', async () => {
    const max: CursorValue = { type: 'timestamptz', value: '2025-06-30T10:05:00+07:00' };
    expect(await collect(source.read({ stream: 'tz0', mode: 'incremental', cursor: max }))).toEqual([]);
    await admin.query(`INSERT INTO ${table} VALUES (5, '2025-06-30 10:02:00+07', '2025-06-30 10:02:00', '2025-06-30', 25, 'e')`);
    try {
      // without a window the late row is behind the watermark and never read
      expect(await collect(source.read({ stream: 'tz0', mode: 'incremental', cursor: max }))).toEqual([]);
      // the default 10-minute window re-reads from 09:55: rows 1–4 again (unchanged, skipped by hash) and row 5
      const again = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: max }));
      expect(again.map((r) => r.key).sort()).toEqual(['1', '2', '3', '4', '5']);
      // an integer cursor steps back its count: seq > 40 - 15 finds 30 and 40 (the late row's 25 is not > 25)
      const seq = await collect(source.read({ stream: 'seq', mode: 'incremental', cursor: { type: 'integer', value: '40' } }));
      expect(seq.map((r) => r.key)).toEqual(['3', '4']);
      // a date cursor steps back whole days
      const day = await collect(source.read({ stream: 'day', mode: 'incremental', cursor: { type: 'date', value: '2025-06-30' } }));
      expect(day.map((r) => r.key)).toEqual(['3', '4', '5']);
    } finally {
      await admin.query(`DELETE FROM ${table} WHERE "mã_văn_bằng" = 5`);
    }
  });

  it('converts and checks initialCursor against the column type', async () => {
    const s = createSqlSource({
      driver: 'postgres',
      url: url as string,
      streams: [
        { ...streams[0], name: 'ok', initialCursor: '2025-06-30T10:00:01+07:00' },
        { ...streams[0], name: 'bad', initialCursor: 'hôm qua' },
        { ...streams[4], name: 'badseq', initialCursor: '2025-01-01' },
        { ...streams[5], name: 'badlookback', lookback: '10m' },
      ],
    });
    try {
      expect((await collect(s.read({ stream: 'ok', mode: 'full' }))).map((r) => r.key)).toEqual(['4']);
      const err = await collect(s.read({ stream: 'bad', mode: 'full' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('SQL_INITIAL_CURSOR_INVALID');
      expect((err as ConfigError).message).toMatch(/stream 'bad': initialCursor "hôm qua" does not fit the cursor column 'ngày_cập_nhật' \(timestamptz.*expected a timestamp with offset/);
      await expect(s.checkStream('badseq')).rejects.toMatchObject({ code: 'SQL_INITIAL_CURSOR_INVALID', message: expect.stringMatching(/whole number/) });
      await expect(s.checkStream('badlookback')).rejects.toMatchObject({ code: 'SQL_LOOKBACK_INVALID' });
    } finally {
      await s.close();
    }
  });

  it('refuses a cursor column that cannot be ordered, and a saved cursor of another type', async () => {
    const s = createSqlSource({
      driver: 'postgres',
      url: url as string,
      streams: [{ name: 'json', query: `SELECT "mã_văn_bằng", to_jsonb("trạng_thái") AS j FROM ${table} WHERE "trạng_thái" > :watermark`, keyFields: ['mã_văn_bằng'], cursorField: 'j' }],
    });
    try {
      await expect(s.checkStream('json')).rejects.toMatchObject({ code: 'SQL_CURSOR_TYPE_UNSUPPORTED', message: expect.stringMatching(/'j' is a jsonb column/) });
    } finally {
      await s.close();
    }
    // a query that compares the cursor as text cannot take it as the timestamptz the run binds: check says so
    const asText = createSqlSource({
      driver: 'postgres',
      url: url as string,
      streams: [{ ...streams[0], name: 'as_text', query: `SELECT "mã_văn_bằng", "ngày_cập_nhật" FROM ${table} WHERE "ngày_cập_nhật"::text > :watermark` }],
    });
    try {
      await expect(asText.probe('as_text')).resolves.toBeDefined();
      await expect(asText.checkStream('as_text')).rejects.toMatchObject({ code: 'SQL_QUERY_INVALID', message: expect.stringMatching(/stream 'as_text'.*operator does not exist/) });
    } finally {
      await asText.close();
    }
    const err = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: { type: 'date', value: '2025-06-30' } })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SQL_CURSOR_TYPE_CHANGED', message: expect.stringMatching(/saved cursor is a date.*--full-refresh/) });
  });

  it('reads given keys whatever their cursor, filtering multi-field keys exactly (values holding |)', async () => {
    const byId = await collect(source.readKeys('tz', ['4', '2', '404']));
    expect(byId.map((r) => r.key).sort()).toEqual(['2', '4']);
    expect(byId.find((r) => r.key === '4')?.cursorValue).toEqual({ type: 'timestamptz', value: '2025-06-30T10:05:00+07:00' });
    const byStatus = await collect(source.readKeys('status', ['a|b|1', 'c|3', 'c|4']));
    expect(byStatus.map((r) => r.key).sort()).toEqual(['a|b|1', 'c|3']);
    const many = Array.from({ length: 1200 }, (_, i) => String(i + 1));
    expect((await collect(source.readKeys('tz', many))).map((r) => r.key).sort()).toEqual(['1', '2', '3', '4']);
  });

  it('probes, reads and re-reads keys of a WITH … SELECT ending in ; and a comment', async () => {
    const s = createSqlSource({
      driver: 'postgres',
      url: url as string,
      streams: [
        {
          name: 'cte',
          query: `WITH latest AS (SELECT "mã_văn_bằng" AS id, "ngày_cập_nhật" AS at FROM ${table})
                  SELECT id, at FROM latest WHERE at > :watermark ORDER BY at, id; -- newest last`,
          keyFields: ['id'],
          cursorField: 'at',
        },
      ],
    });
    try {
      expect((await s.checkStream('cte')).columns.map((c) => c.cursorType)).toEqual(['integer', 'timestamptz']);
      expect((await collect(s.read({ stream: 'cte', mode: 'full' }))).map((r) => r.key)).toEqual(['1', '2', '3', '4']);
      expect((await collect(s.readKeys('cte', ['3']))).map((r) => r.key)).toEqual(['3']);
    } finally {
      await s.close();
    }
  });

  it('reports a bad query from the probe as a ConfigError naming the stream and the database message', async () => {
    const s = createSqlSource({ driver: 'postgres', url: url as string, streams: [{ name: 'typo', query: `SELECT "ngày_cập_nhậtt" FROM ${table}`, keyFields: ['x'] }] });
    try {
      const err = await s.probe('typo').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/stream 'typo'.*column "ngày_cập_nhậtt" does not exist/);
    } finally {
      await s.close();
    }
  });

  it('refuses a mutating statement in the config and in the read-only transaction', async () => {
    for (const query of [`DELETE FROM ${table} RETURNING "mã_văn_bằng"`, `WITH d AS (DELETE FROM ${table} RETURNING *) SELECT * FROM d`]) {
      expect(() => createSqlSource({ driver: 'postgres', url: url as string, streams: [{ name: 'w', query, keyFields: ['mã_văn_bằng'] }] })).toThrow(ConfigError);
    }
    const driver = new PostgresDriver({ url: url as string, fetchSize: 10, connectTimeoutMs: 5000 });
    try {
      const err = await (async () => {
        for await (const _row of driver.stream(`WITH d AS (DELETE FROM ${table} RETURNING *) SELECT * FROM d`, {}, { stream: 'w' })) break;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      // PostgreSQL refuses it inside the read-only cursor either way
      expect((err as ConfigError).message).toMatch(/stream 'w'.*(read-only|data-modifying)/);
    } finally {
      await driver.close();
    }
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]).toEqual({ n: 4 });
  });
});
