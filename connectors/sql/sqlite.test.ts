import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { SqliteDriver } from './drivers/sqlite.js';
import { createSqlSource } from './source.js';
import { describeLiveSource } from './testing/live-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'lienthong-sqlite-'));
const file = join(dir, 'source.sqlite');
const admin = new Database(file);
afterAll(() => {
  admin.close();
  rmSync(dir, { recursive: true, force: true });
});

describeLiveSource('sql source: SQLite', {
  driver: 'sqlite',
  url: file,
  exec: async (sql) => {
    admin.exec(sql);
  },
  textType: 'TEXT',
  badUrl: join(dir, 'missing.sqlite'),
});

describe('sql source: SQLite specifics', () => {
  it('refuses a writing statement in the config, and the driver opens the file read-only', async () => {
    admin.exec('CREATE TABLE IF NOT EXISTS ro_probe (id INTEGER)');
    const streams = [{ name: 'write', query: 'INSERT INTO ro_probe VALUES (1) RETURNING id', keyFields: ['id'] }];
    expect(() => createSqlSource({ driver: 'sqlite', url: file, streams })).toThrow(/stream 'write'.*INSERT changes the database/);
    // past the static guard, the read-only connection still refuses it
    const driver = new SqliteDriver({ url: file, fetchSize: 100, connectTimeoutMs: 1000 });
    try {
      const run = async (): Promise<void> => {
        for await (const _r of driver.stream('INSERT INTO ro_probe VALUES (1) RETURNING id', {}, { stream: 'write' })) break;
      };
      await expect(run()).rejects.toBeInstanceOf(ConfigError);
      expect(admin.prepare('SELECT count(*) AS n FROM ro_probe').get()).toEqual({ n: 0 });
    } finally {
      await driver.close();
    }
  });

  it('keeps integers beyond 2^53 exact as strings', async () => {
    admin.exec('CREATE TABLE IF NOT EXISTS big_ids (id INTEGER PRIMARY KEY, v REAL)');
    admin.exec('INSERT OR REPLACE INTO big_ids VALUES (9007199254740993, 1.5)');
    const source = createSqlSource({ driver: 'sqlite', url: file, streams: [{ name: 'b', query: 'SELECT id, v FROM big_ids', keyFields: ['id'] }] });
    try {
      for await (const r of source.read({ stream: 'b', mode: 'full' })) {
        expect(r.key).toBe('9007199254740993');
        expect(r.data).toEqual({ id: '9007199254740993', v: 1.5 });
      }
    } finally {
      await source.close();
    }
  });

  it('gives a ConfigError for a file that is not a database', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not sqlite'.repeat(100));
    const source = createSqlSource({ driver: 'sqlite', url: junk, streams: [{ name: 'x', query: 'SELECT 1 AS id', keyFields: ['id'] }] });
    try {
      expect((await source.check()).ok).toBe(false);
    } finally {
      await source.close();
    }
  });

  it('refuses an invalid config with a ConfigError that lists the paths', () => {
    expect(() => createSqlSource({ driver: 'db2', url: '', streams: [] })).toThrow(/driver.*url.*streams|driver/);
    expect(() =>
      createSqlSource({
        driver: 'sqlite',
        url: file,
        streams: [
          { name: 'a', query: 'SELECT 1', keyFields: ['id'] },
          { name: 'a', query: 'SELECT 2', keyFields: ['id'] },
        ],
      }),
    ).toThrow(/duplicate stream name/);
    expect(() =>
      createSqlSource({ driver: 'sqlite', url: file, streams: [{ name: 'a', query: 'SELECT 1', keyFields: ['id'], lookback: '10 minutes' }] }),
    ).toThrow(/streams\.0\.lookback: a duration such as "10m"/);
  });
});
