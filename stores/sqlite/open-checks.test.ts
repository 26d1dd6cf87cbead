import { copyFileSync, existsSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { SqliteStateStore } from './sqlite-store.js';
import { markerPath, readMarker } from './store-files.js';
import type { StageRow, StateStore } from '../../src/store/store.js';
import { WorkerStateStore, storeWorkerFile } from './worker-store.js';

const T = 'hub/vanbangchungchi';
const opened: StateStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

function newDir(): string {
  return mkdtempSync(join(tmpdir(), 'lt-open-'));
}
function open(path: string): SqliteStateStore {
  const s = new SqliteStateStore(path);
  opened.push(s);
  return s;
}
/** a store with a few records, closed */
async function made(path: string, records = 3): Promise<string> {
  const s = new SqliteStateStore(path);
  const rows: StageRow[] = Array.from({ length: records }, (_, i) => ({ target: T, job: 'diplomas', sourceKey: `k${i}`, idbanghi: `id-${i}`, phienban: 1, contentHash: `h${i}`, envelopeJson: JSON.stringify({ idbanghi: `id-${i}`, data: { pad: 'x'.repeat(300) } }) }));
  await s.stage(rows);
  const id = s.storeId;
  await s.close();
  return id;
}
function openError(path: string): ConfigError {
  try {
    open(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`${path} opened`);
}
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('opening the state store', () => {
  it('creates the directory 0700 and the files 0600 whatever the umask, with secure_delete on', async () => {
    const old = process.umask(0);
    try {
      const dir = join(newDir(), 'data', 'state');
      const path = join(dir, 'state.db');
      const s = open(path);
      await s.stage([{ target: T, job: 'j', sourceKey: 'k', idbanghi: 'a', phienban: 1, contentHash: 'h', envelopeJson: '{}' }]);
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, '..'))).toBe(0o700);
      for (const f of [path, `${path}-wal`, `${path}-shm`, markerPath(path)]) expect({ f, mode: mode(f) }).toEqual({ f, mode: 0o600 });
      expect(s.db.pragma('secure_delete', { simple: true })).toBe(1);
    } finally {
      process.umask(old);
    }
  });

  it('makes an existing world-readable store private, and keeps the mode of a directory it did not create', async () => {
    const dir = newDir();
    const path = join(dir, 'state.db');
    await made(path);
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o644);
    chmodSync(dir, 0o755);
    open(path);
    expect(mode(path)).toBe(0o600);
    expect(mode(dir)).toBe(0o755);
  });

  it('writes a marker holding the store id at the first run, and reopens the same store', async () => {
    const path = join(newDir(), 'state.db');
    const id = await made(path);
    expect(readMarker(path)).toBe(id);
    expect(open(path).storeId).toBe(id);
  });

  it('stops when the database is gone, empty or holds no ledger but the marker says a store was kept there', async () => {
    for (const damage of ['deleted', 'truncated', 'new empty database'] as const) {
      const path = join(newDir(), 'state.db');
      const id = await made(path);
      if (damage === 'deleted') for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      else if (damage === 'truncated') truncateSync(path, 0);
      else {
        rmSync(path);
        const db = new Database(path);
        db.exec('CREATE TABLE other (x)');
        db.close();
      }
      const err = openError(path);
      expect({ damage, code: err.code }).toEqual({ damage, code: 'STORE_EMPTIED' });
      expect(err.message).toContain(id);
      expect(err.message).toContain('lienthong store check');
      expect(err.message).toContain('lienthong store restore');
      expect(err.message).toContain(markerPath(path));
      // nothing was created in its place
      expect(existsSync(path) ? statSync(path).size : 0).toBe(damage === 'new empty database' ? statSync(path).size : 0);
    }
  });

  it('starts over when the marker is deleted deliberately', async () => {
    const path = join(newDir(), 'state.db');
    const id = await made(path);
    rmSync(path);
    rmSync(markerPath(path));
    const s = open(path);
    expect(s.storeId).not.toBe(id);
    expect(readMarker(path)).toBe(s.storeId);
    expect(await s.statusCounts(T)).toMatchObject({ pending: 0 });
  });

  it("stops when the database is another store's", async () => {
    const path = join(newDir(), 'state.db');
    const other = join(newDir(), 'state.db');
    const id = await made(path);
    const otherId = await made(other);
    copyFileSync(other, path);
    const err = openError(path);
    expect(err.code).toBe('STORE_REPLACED');
    expect(err.message).toContain(id);
    expect(err.message).toContain(otherId);
    expect(err.message).toContain('lienthong store restore');
    expect(readMarker(path)).toBe(id); // the marker is not rewritten to the intruder
  });

  it('stops on a file that is not a database, and on damaged pages', async () => {
    const garbage = join(newDir(), 'state.db');
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a));
    const notDb = openError(garbage);
    expect(notDb.code).toBe('STORE_DAMAGED');
    expect(notDb.message).toContain('lienthong store restore');

    const path = join(newDir(), 'state.db');
    await made(path, 200);
    // every page after the first (the schema) overwritten: the ledger and outbox b-trees are gone
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(3 * 4096);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);
    closeSync(fd);
    const err = openError(path);
    expect(err.code).toBe('STORE_DAMAGED');
    expect(err.message).toMatch(/damaged/);
    expect(err.message).toContain('lienthong store check');
  });

  it('notices damage that nothing read at open would touch (quick_check)', async () => {
    const path = join(newDir(), 'state.db');
    await made(path, 200);
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, size - 4096);
    closeSync(fd);
    // the schema, the version and the store id still read: only a check of every page tells
    const db = new Database(path);
    expect(db.prepare("SELECT value FROM store_meta WHERE key = 'store_id'").get()).toBeDefined();
    expect(db.pragma('quick_check', { simple: true })).not.toBe('ok');
    db.close();
    expect(openError(path).code).toBe('STORE_DAMAGED');
  });

  it('stops on a schema newer than this program with what to do', () => {
    const path = join(newDir(), 'state.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const err = openError(path);
    expect(err.code).toBe('STORE_TOO_NEW');
    expect(err.message).toMatch(/version 99.*upgrade lienthong/);
  });

  it.skipIf(storeWorkerFile() === undefined)('brings the same errors back from the worker thread as configuration errors', async () => {
    const path = join(newDir(), 'state.db');
    await made(path);
    truncateSync(path, 0);
    const s = new WorkerStateStore(path, storeWorkerFile()!);
    opened.push(s);
    const err = await s.lastRuns('diplomas', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'STORE_EMPTIED', kind: 'config' });
  });
});
