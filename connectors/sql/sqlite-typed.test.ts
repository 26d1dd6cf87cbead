/** Typed cursors on SQLite, where a column's declared type names it and its values say what they are. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { createSqlSource, type SqlSource } from './source.js';
import { collect } from './testing/live-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'lienthong-sqlite-typed-'));
const file = join(dir, 'typed.sqlite');

describe('sql source: SQLite typed cursors', () => {
  let source: SqlSource;
  const q = (cursor: string): string => `SELECT id, sua_luc, ghi_luc, ngay, epoch FROM sources_t WHERE ${cursor} > :watermark ORDER BY ${cursor}, id`;

  beforeAll(() => {
    const admin = new Database(file);
    admin.exec(`CREATE TABLE sources_t (id INTEGER PRIMARY KEY, sua_luc DATETIME, ghi_luc TIMESTAMPTZ, ngay DATE, epoch DATETIME, ghi_chu TEXT);
      INSERT INTO sources_t VALUES
        (1, '2025-06-30 10:00:00', '2025-06-30T10:00:00.123456+07:00', '2025-06-28', 1751252400, 'x'),
        (2, '2025-06-30 10:00:01', '2025-06-30T10:00:01+07:00', '2025-06-29', 1751252401, 'y'),
        (3, '2025-06-30 10:05:00', '2025-06-30T10:05:00+07:00', '2025-06-30', 1751252700, 'z');
      CREATE TABLE sources_mixed (id INTEGER PRIMARY KEY, v);
      INSERT INTO sources_mixed VALUES (1, 5), (2, 'later');
      CREATE TABLE sources_mixed_cccd (cccd TEXT PRIMARY KEY, v);
      INSERT INTO sources_mixed_cccd VALUES ('001201012345', 5), ('001201012346', 'later');`);
    admin.close();
    source = createSqlSource({
      driver: 'sqlite',
      url: file,
      streams: [
        { name: 'wall', query: q('sua_luc'), keyFields: ['id'], cursorField: 'sua_luc' },
        { name: 'tz', query: q('ghi_luc'), keyFields: ['id'], cursorField: 'ghi_luc', lookback: 0 },
        { name: 'day', query: q('ngay'), keyFields: ['id'], cursorField: 'ngay' },
        { name: 'epoch', query: q('epoch'), keyFields: ['id'], cursorField: 'epoch', lookback: 0 },
        { name: 'mixed', query: 'SELECT id, v FROM sources_mixed WHERE v > :watermark ORDER BY id', keyFields: ['id'], cursorField: 'v' },
        { name: 'mixed-cccd', query: 'SELECT cccd, v FROM sources_mixed_cccd WHERE v > :watermark ORDER BY cccd', keyFields: ['cccd'], cursorField: 'v' },
      ],
    });
  });

  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('probes declared types', async () => {
    expect((await source.probe('wall')).columns).toEqual([
      { name: 'id', dbType: 'INTEGER', cursorType: 'integer' },
      { name: 'sua_luc', dbType: 'DATETIME', cursorType: 'timestamp' },
      { name: 'ghi_luc', dbType: 'TIMESTAMPTZ', cursorType: 'timestamptz' },
      { name: 'ngay', dbType: 'DATE', cursorType: 'date' },
      { name: 'epoch', dbType: 'DATETIME', cursorType: 'timestamp' },
    ]);
  });

  it('types each cursor from its value and keeps the stored text, so binding it back compares like with like', async () => {
    const wall = await collect(source.read({ stream: 'wall', mode: 'incremental', cursor: null }));
    expect(wall.map((r) => r.cursorValue)).toEqual([
      { type: 'timestamp', value: '2025-06-30 10:00:00' },
      { type: 'timestamp', value: '2025-06-30 10:00:01' },
      { type: 'timestamp', value: '2025-06-30 10:05:00' },
    ]);
    const tz = await collect(source.read({ stream: 'tz', mode: 'incremental', cursor: { type: 'timestamptz', value: '2025-06-30T10:00:00.123456+07:00' } }));
    expect(tz.map((r) => r.key)).toEqual(['2', '3']);
    // epoch seconds in a DATETIME column: the first run's lowest value must still be below them
    const epoch = await collect(source.read({ stream: 'epoch', mode: 'incremental', cursor: null }));
    expect(epoch.map((r) => r.cursorValue)).toEqual([1751252400, 1751252401, 1751252700].map((v) => ({ type: 'integer', value: String(v) })));
    const later = await collect(source.read({ stream: 'epoch', mode: 'incremental', cursor: { type: 'integer', value: '1751252401' } }));
    expect(later.map((r) => r.key)).toEqual(['3']);
  });

  it('steps back the default 10 minutes (a space-separated cursor stays space-separated) and whole days for dates', async () => {
    const wall = await collect(source.read({ stream: 'wall', mode: 'incremental', cursor: { type: 'timestamp', value: '2025-06-30 10:05:00' } }));
    expect(wall.map((r) => r.key)).toEqual(['1', '2', '3']);
    const day = await collect(source.read({ stream: 'day', mode: 'incremental', cursor: { type: 'date', value: '2025-06-30' } }));
    expect(day.map((r) => r.key)).toEqual(['3']);
    // a cursor an older store kept as text is typed from its value
    const legacy = await collect(source.read({ stream: 'wall', mode: 'incremental', cursor: { type: 'text', value: '2025-06-30 10:14:00' } }));
    expect(legacy.map((r) => r.key)).toEqual(['3']);
  });

  it('stops with a DataError when a cursor column mixes kinds of values', async () => {
    const err = await collect(source.read({ stream: 'mixed', mode: 'full' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('SQL_CURSOR_TYPE_MIXED');
    expect((err as DataError).message).toMatch(/stream 'mixed', record '2'/);
  });

  it('names a record keyed by a personal id only by its masked form', async () => {
    const err = (await collect(source.read({ stream: 'mixed-cccd', mode: 'full' })).catch((e: unknown) => e)) as DataError;
    expect(err.code).toBe('SQL_CURSOR_TYPE_MIXED');
    expect(err.message).toContain("record '********2346'");
    expect(JSON.stringify(err.context)).not.toContain('001201012346');
    expect(err.message).not.toContain('001201012346');
  });
});
