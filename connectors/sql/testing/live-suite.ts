/**
 * One behavioural suite run against every live database (SQLite always, PostgreSQL and MariaDB
 * when their URLs are set). Each run uses its own table and drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, LienthongError, TransientError } from '../../../src/core/errors.js';
import type { CursorValue } from '../../../src/core/cursor.js';
import type { SourceRecord } from '../../../src/core/records.js';
import type { Dialect } from '../dialect.js';
import { createSqlSource, type SqlSource } from '../source.js';

export interface LiveDatabase {
  driver: Dialect;
  /** the URL (or file path) the source connects with */
  url: string;
  /** runs one statement with an admin connection */
  exec(sql: string): Promise<void>;
  /** the column type for text */
  textType: string;
  /** a URL with a wrong password or unknown database: must give ConfigError */
  badUrl: string;
  /** a URL nobody listens on: must give TransientError (none for SQLite) */
  unreachableUrl?: string;
  /** a string literal (SQL Server needs N'…' for Unicode) */
  literal?: (text: string) => string;
}

export const ROWS = 5000;

export function uniqueTableName(): string {
  return `lt_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** 'YYYY-MM-DDTHH:mm:ss' for row i: one second apart, so order and watermarks are easy to check. */
export function rowTime(i: number): string {
  return new Date(Date.UTC(2024, 0, 1, 0, 0, 0) + i * 1000).toISOString().slice(0, 19);
}

export function rowName(i: number): string {
  const names = ['Nguyễn Thị Ánh', 'Trần Văn Đức', 'Lê Hoàng Yến', 'Phạm Quỳnh Hương', 'Đặng Thuỳ Dương'];
  return `${names[i % names.length] as string} ${i}`;
}

/** A text cursor (the suite's updated_at is a VARCHAR(19)). */
export function text(value: string): CursorValue {
  return { type: 'text', value };
}

export async function collect(iterable: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

export function describeLiveSource(title: string, db: LiveDatabase | null): void {
  describe.skipIf(db === null)(title, () => {
    if (db === null) {
      it.skip('needs the database URL in the environment', () => undefined);
      return;
    }
    const live = db;
    const lit = live.literal ?? ((text: string): string => `'${text}'`);
    const table = uniqueTableName();
    // NFD, a mix of tone placements and characters outside the BMP: must come back byte for byte
    const tricky = ['Hoà Bình – Thuỷ'.normalize('NFD'), '  Đặng  Thị  Hòa ', 'Ê-đê 😀 “ngoặc”'];
    let source: SqlSource;

    const query = `SELECT id, name, updated_at FROM ${table} WHERE updated_at > :watermark ORDER BY updated_at, id`;
    const config = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      driver: live.driver,
      url: live.url,
      fetchSize: 128,
      streams: [
        { name: 'people', query, keyFields: ['id'], cursorField: 'updated_at', initialCursor: '' },
        { name: 'by_name', query: `SELECT id, name FROM ${table} WHERE name = :watermark`, keyFields: ['id', 'name'] },
        { name: 'broken', query: `SELECT id FROMM ${table} WHERE updated_at > :watermark`, keyFields: ['id'], cursorField: 'id' },
        { name: 'no_table', query: `SELECT id FROM ${table}_missing`, keyFields: ['id'] },
        {
          name: 'quoted',
          // ':watermark' inside a string and a comment must not be taken as parameters
          query: `SELECT id, updated_at, ':watermark' AS literal FROM ${table} -- :watermark in a comment
                  WHERE updated_at > :watermark ORDER BY id`,
          keyFields: ['id'],
          cursorField: 'updated_at',
          initialCursor: rowTime(ROWS - 3),
        },
      ],
      ...overrides,
    });

    beforeAll(async () => {
      await live.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name ${live.textType}, updated_at VARCHAR(19) NOT NULL)`);
      const chunk = 500;
      for (let start = 1; start <= ROWS; start += chunk) {
        const values: string[] = [];
        for (let i = start; i < start + chunk && i <= ROWS; i++) {
          const name = i <= tricky.length ? (tricky[i - 1] as string) : rowName(i);
          values.push(`(${i}, ${lit(name)}, '${rowTime(i)}')`);
        }
        await live.exec(`INSERT INTO ${table} (id, name, updated_at) VALUES ${values.join(', ')}`);
      }
      source = createSqlSource(config());
    });

    afterAll(async () => {
      await source?.close();
      await live.exec(`DROP TABLE IF EXISTS ${table}`);
    });

    it('check() connects and runs SELECT 1', async () => {
      await expect(source.check()).resolves.toMatchObject({ ok: true });
    });

    it('describes its streams', async () => {
      const streams = await source.streams();
      expect(streams.find((s) => s.name === 'people')).toEqual({
        name: 'people',
        keyFields: ['id'],
        cursorField: 'updated_at',
        supportsIncremental: true,
      });
      expect(streams.find((s) => s.name === 'by_name')?.supportsIncremental).toBe(false);
    });

    it(`streams all ${ROWS} rows in order, in many fetch batches`, async () => {
      const records = await collect(source.read({ stream: 'people', mode: 'full' }));
      expect(records).toHaveLength(ROWS);
      records.forEach((r, index) => {
        const i = index + 1;
        expect(r.key).toBe(String(i));
        expect(r.data.id).toBe(i);
        expect(r.cursorValue).toEqual(text(rowTime(i)));
      });
      expect(records[ROWS - 1]?.data.name).toBe(rowName(ROWS));
    });

    it('round-trips Vietnamese UTF-8 text byte for byte (NFD, spaces, emoji)', async () => {
      const records = await collect(source.read({ stream: 'people', mode: 'full' }));
      expect(records.slice(0, tricky.length).map((r) => r.data.name)).toEqual(tricky);
      expect(Buffer.from(records[0]?.data.name as string)).toEqual(Buffer.from(tricky[0] as string));
    });

    it('reads only rows after the watermark in incremental mode', async () => {
      const records = await collect(source.read({ stream: 'people', mode: 'incremental', cursor: text(rowTime(ROWS - 10)) }));
      expect(records.map((r) => r.key)).toEqual(Array.from({ length: 10 }, (_, k) => String(ROWS - 9 + k)));
      expect(records.at(-1)?.cursorValue).toEqual(text(rowTime(ROWS)));
      const none = await collect(source.read({ stream: 'people', mode: 'incremental', cursor: text(rowTime(ROWS)) }));
      expect(none).toEqual([]);
    });

    it('uses the initial cursor on a first incremental run and on a full refresh', async () => {
      const first = await collect(source.read({ stream: 'quoted', mode: 'incremental', cursor: null }));
      expect(first.map((r) => r.key)).toEqual([String(ROWS - 2), String(ROWS - 1), String(ROWS)]);
      expect(first[0]?.data.literal).toBe(':watermark');
      const full = await collect(source.read({ stream: 'quoted', mode: 'full', cursor: text(rowTime(ROWS - 1)) }));
      expect(full).toHaveLength(3);
    });

    it('binds a Vietnamese parameter value and joins several key fields with |', async () => {
      const s = createSqlSource(config({ streams: [{ name: 'by_name', query: `SELECT id, name FROM ${table} WHERE name = :watermark`, keyFields: ['id', 'name'], initialCursor: rowName(42) }] }));
      try {
        const records = await collect(s.read({ stream: 'by_name', mode: 'full' }));
        expect(records.map((r) => r.key)).toEqual([`42|${rowName(42)}`]);
      } finally {
        await s.close();
      }
    });

    it('picks up new rows on the next incremental run', async () => {
      const before = await collect(source.read({ stream: 'people', mode: 'incremental', cursor: text(rowTime(ROWS)) }));
      expect(before).toEqual([]);
      await live.exec(`INSERT INTO ${table} (id, name, updated_at) VALUES (${ROWS + 1}, ${lit('Võ Thị Sáu')}, '${rowTime(ROWS + 1)}')`);
      try {
        const after = await collect(source.read({ stream: 'people', mode: 'incremental', cursor: text(rowTime(ROWS)) }));
        expect(after.map((r) => [r.key, r.data.name, r.cursorValue])).toEqual([[String(ROWS + 1), 'Võ Thị Sáu', text(rowTime(ROWS + 1))]]);
      } finally {
        await live.exec(`DELETE FROM ${table} WHERE id = ${ROWS + 1}`);
      }
    });

    it('leaves the connection usable after the reader stops early', async () => {
      let n = 0;
      for await (const _r of source.read({ stream: 'people', mode: 'full' })) if (++n === 10) break;
      expect(n).toBe(10);
      const records = await collect(source.read({ stream: 'people', mode: 'full' }));
      expect(records).toHaveLength(ROWS);
    });

    it('stops when the signal is aborted', async () => {
      const controller = new AbortController();
      let n = 0;
      await expect(
        (async () => {
          for await (const _r of source.read({ stream: 'people', mode: 'full', signal: controller.signal })) {
            if (++n === 5) controller.abort();
          }
        })(),
      ).rejects.toThrow();
      expect(n).toBe(5);
      await expect(collect(source.read({ stream: 'people', mode: 'incremental', cursor: text(rowTime(ROWS - 1)) }))).resolves.toHaveLength(1);
    });

    it('reports a query syntax error as a ConfigError naming the stream', async () => {
      const err = await collect(source.read({ stream: 'broken', mode: 'full' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('SQL_QUERY_INVALID');
      expect((err as ConfigError).message).toContain("stream 'broken'");
      expect((err as ConfigError).context).toMatchObject({ connector: 'sql', stream: 'broken' });
      // the connection survives a bad query
      await expect(collect(source.read({ stream: 'people', mode: 'incremental', cursor: text(rowTime(ROWS - 1)) }))).resolves.toHaveLength(1);
    });

    it('reports a missing table as a ConfigError', async () => {
      await expect(collect(source.read({ stream: 'no_table', mode: 'full' }))).rejects.toBeInstanceOf(ConfigError);
    });

    it('reports an unknown stream and a missing key column as ConfigErrors', async () => {
      await expect(collect(source.read({ stream: 'nope', mode: 'full' }))).rejects.toMatchObject({ code: 'SQL_UNKNOWN_STREAM' });
      const s = createSqlSource(config({ streams: [{ name: 'x', query: `SELECT name FROM ${table}`, keyFields: ['diploma_id'] }] }));
      try {
        await expect(collect(s.read({ stream: 'x', mode: 'full' }))).rejects.toMatchObject({ code: 'SQL_COLUMN_MISSING' });
      } finally {
        await s.close();
      }
    });

    it('reports bad credentials or an unknown database as a ConfigError without the password', async () => {
      const s = createSqlSource(config({ url: live.badUrl }));
      try {
        const err = await collect(s.read({ stream: 'people', mode: 'full' })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConfigError);
        expect(JSON.stringify((err as LienthongError).toJSON())).not.toContain('wrong-secret');
        const check = await s.check();
        expect(check.ok).toBe(false);
        expect(check.message).not.toContain('wrong-secret');
      } finally {
        await s.close();
      }
    });

    it.skipIf(live.unreachableUrl === undefined)('reports an unreachable server as a TransientError', async () => {
      const s = createSqlSource(config({ url: live.unreachableUrl, connectTimeoutMs: 2000 }));
      try {
        const err = await collect(s.read({ stream: 'people', mode: 'full' })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TransientError);
        expect((err as TransientError).context.url).toBeDefined();
        expect(JSON.stringify((err as TransientError).toJSON())).not.toContain('wrong-secret');
      } finally {
        await s.close();
      }
    });
  });
}
