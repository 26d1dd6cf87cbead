import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { LATEST_VERSION, sqliteMigrations } from './migrations.js';
import { backupStore, checkStore, defaultBackupPath, restoreStore } from './maintenance.js';
import { SqliteStateStore } from './sqlite-store.js';
import { markerPath, readMarker } from './store-files.js';
import type { StageRow } from '../../src/store/store.js';

const T = 'hub/vanbangchungchi';
const mode = (p: string): number => statSync(p).mode & 0o777;

function workspace(): { dataDir: string; path: string } {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'lt-maint-')), 'data');
  return { dataDir, path: join(dataDir, 'state.db') };
}

const rows = (ids: string[]): StageRow[] => ids.map((id) => ({ target: T, job: 'diplomas', sourceKey: `k-${id}`, idbanghi: id, phienban: 1, contentHash: `h-${id}`, envelopeJson: JSON.stringify({ idbanghi: id, data: { pad: 'x'.repeat(200) } }) }));

async function storeWith(path: string, ids: string[]): Promise<string> {
  const s = new SqliteStateStore(path);
  await s.stage(rows(ids));
  const id = s.storeId;
  await s.close();
  return id;
}

async function idsIn(path: string): Promise<string[]> {
  const s = new SqliteStateStore(path);
  const ids: string[] = [];
  for await (const e of s.ledger(T)) ids.push(e.idbanghi);
  await s.close();
  return ids;
}

describe('store check', () => {
  it('says there is nothing yet before the first run, and reports a good store with its counts', async () => {
    const { path } = workspace();
    expect(checkStore(path)).toMatchObject({ ok: true, exists: false, problems: [] });
    const id = await storeWith(path, ['a', 'b']);
    const r = checkStore(path);
    expect(r).toMatchObject({ ok: true, exists: true, integrity: 'ok', schemaVersion: LATEST_VERSION, storeId: id, marker: id, problems: [] });
    expect(r.counts).toMatchObject({ ledger: 2, outbox: 2, 'ledger pending': 2, record_warnings: 0 });
  });

  it('reports an emptied, a replaced and a damaged store, each with what to do', async () => {
    const emptied = workspace();
    await storeWith(emptied.path, ['a']);
    rmSync(emptied.path);
    const e = checkStore(emptied.path);
    expect(e.ok).toBe(false);
    expect(e.problems.join()).toMatch(/missing or empty.*lienthong store restore/);

    const replaced = workspace();
    await storeWith(replaced.path, ['a']);
    writeFileSync(markerPath(replaced.path), 'another-store\n');
    const r = checkStore(replaced.path);
    expect(r.ok).toBe(false);
    expect(r.problems.join()).toMatch(/says store another-store: the file was replaced/);

    const damaged = workspace();
    await storeWith(damaged.path, Array.from({ length: 200 }, (_, i) => `r${i}`));
    const size = statSync(damaged.path).size;
    const fd = openSync(damaged.path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, size - 4096);
    closeSync(fd);
    const d = checkStore(damaged.path);
    expect(d.ok).toBe(false);
    expect(d.integrity).not.toBe('ok');
    expect(d.problems.join()).toMatch(/integrity check failed.*lienthong store restore/);

    const garbage = workspace();
    await storeWith(garbage.path, ['a']);
    writeFileSync(garbage.path, 'this is not a database, it only has a name like one'.repeat(100));
    const g = checkStore(garbage.path);
    expect(g.ok).toBe(false);
    expect(g.problems.join()).toMatch(/not a readable SQLite database/);
  });
});

describe('store backup and restore', () => {
  it('backs up into a private file that opens as the same store, and never overwrites one', async () => {
    const { dataDir, path } = workspace();
    const id = await storeWith(path, ['a', 'b']);
    const dest = defaultBackupPath(dataDir, new Date('2026-12-01T00:15:00.123Z'));
    expect(dest).toBe(join(dataDir, 'backups', 'state-20261201T001500123Z.db'));
    const old = process.umask(0);
    try {
      expect(await backupStore(path, dest)).toEqual({ dest, storeId: id });
    } finally {
      process.umask(old);
    }
    expect(mode(dest)).toBe(0o600);
    expect(mode(join(dataDir, 'backups'))).toBe(0o700);
    expect(checkStore(dest)).toMatchObject({ integrity: 'ok', storeId: id, counts: { ledger: 2 } });
    await expect(backupStore(path, dest)).rejects.toMatchObject({ code: 'STORE_BACKUP_EXISTS', kind: 'config' });
  });

  it('backs up while the store is open and being written (online backup)', async () => {
    const { dataDir, path } = workspace();
    const s = new SqliteStateStore(path);
    await s.stage(rows(['a', 'b', 'c']));
    const dest = defaultBackupPath(dataDir);
    await backupStore(path, dest);
    await s.stage(rows(['d']));
    await s.close();
    expect(checkStore(dest).counts).toMatchObject({ ledger: 3 });
  });

  it('refuses to back up a damaged store', async () => {
    const { dataDir, path } = workspace();
    await storeWith(path, ['a']);
    writeFileSync(path, Buffer.alloc(8192, 1));
    await expect(backupStore(path, defaultBackupPath(dataDir))).rejects.toMatchObject({ code: 'STORE_DAMAGED' });
    expect(existsSync(join(dataDir, 'backups'))).toBe(false);
  });

  it('restores a backup, keeping the store it replaces', async () => {
    const { dataDir, path } = workspace();
    const id = await storeWith(path, ['a', 'b']);
    const { dest } = await backupStore(path, join(dataDir, 'keep', 'b1.db'));
    await storeWith(path, ['c']);
    expect(await idsIn(path)).toEqual(['a', 'b', 'c']);

    const r = await restoreStore(path, dest, dataDir);
    expect(r.storeId).toBe(id);
    expect(r.keptAs).toMatch(/backups\/state-before-restore-.*\.db$/);
    expect(await idsIn(path)).toEqual(['a', 'b']);
    expect(await idsIn(r.keptAs!)).toEqual(['a', 'b', 'c']);
    expect(mode(path)).toBe(0o600);
    expect(readMarker(path)).toBe(id);
  });

  it('restores over an emptied store and over a damaged one (moved aside as it is)', async () => {
    const { dataDir, path } = workspace();
    const id = await storeWith(path, ['a']);
    const { dest } = await backupStore(path, defaultBackupPath(dataDir));

    truncateSync(path, 0);
    expect(() => new SqliteStateStore(path)).toThrow(expect.objectContaining({ code: 'STORE_EMPTIED' }) as Error);
    expect((await restoreStore(path, dest, dataDir)).keptAs).toBeNull();
    expect(await idsIn(path)).toEqual(['a']);

    writeFileSync(path, Buffer.alloc(8192, 7));
    const r = await restoreStore(path, dest, dataDir);
    expect(r).toMatchObject({ storeId: id, keptAs: expect.stringMatching(/state-damaged-.*\.db$/) as string });
    expect(statSync(r.keptAs!).size).toBe(8192);
    expect(await idsIn(path)).toEqual(['a']);
  });

  it('takes a backup of another store (or of an older version) as the ledger from now on', async () => {
    const { dataDir, path } = workspace();
    await storeWith(path, ['a']);
    const other = workspace();
    const otherId = await storeWith(other.path, ['x', 'y']);
    const r = await restoreStore(path, other.path, dataDir);
    expect(r.storeId).toBe(otherId);
    expect(readMarker(path)).toBe(otherId);
    expect(await idsIn(path)).toEqual(['x', 'y']);
  });

  it('restores a copy of a version 2 store, migrating it', async () => {
    const { dataDir, path } = workspace();
    await storeWith(path, ['a']);
    const old = join(dataDir, 'v2.db');
    const v2 = new Database(old);
    for (const m of sqliteMigrations.filter((x) => x.version <= 2)) v2.exec(m.sql);
    v2.pragma('user_version = 2');
    v2.prepare("INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, status, created_at, updated_at) VALUES (?, 'old', 'k', 'diplomas', 'h', 1, 'accepted', 't', 't')").run(T);
    v2.close();
    const r = await restoreStore(path, old, dataDir);
    expect(readMarker(path)).toBe(r.storeId);
    expect(checkStore(path)).toMatchObject({ ok: true, schemaVersion: LATEST_VERSION, storeId: r.storeId });
    expect(await idsIn(path)).toEqual(['old']);
  });

  it('refuses an unusable backup, and a restore while a job holds its lock, leaving the store as it was', async () => {
    const { dataDir, path } = workspace();
    await storeWith(path, ['a']);
    const bad = join(dataDir, 'bad.db');
    writeFileSync(bad, 'not a database at all'.repeat(300));
    await expect(restoreStore(path, bad, dataDir)).rejects.toMatchObject({ code: 'STORE_BACKUP_UNUSABLE', kind: 'config' });
    await expect(restoreStore(path, join(dataDir, 'missing.db'), dataDir)).rejects.toMatchObject({ code: 'STORE_BACKUP_UNUSABLE' });
    const { dest } = await backupStore(path, defaultBackupPath(dataDir));

    const s = new SqliteStateStore(path);
    expect(await s.acquireLock('diplomas', `${hostname()}:${process.pid}:run`, 60_000)).toBe(true);
    await s.stage(rows(['b']));
    try {
      const err = await restoreStore(path, dest, dataDir).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORE_IN_USE', kind: 'config' });
      expect((err as Error).message).toContain('diplomas');
    } finally {
      await s.releaseLock('diplomas', `${hostname()}:${process.pid}:run`);
      await s.close();
    }
    expect(await idsIn(path)).toEqual(['a', 'b']);
    // nothing kept aside by the refused attempts
    expect(readdirSync(join(dataDir, 'backups'))).toEqual([basename(dest)]);
  });
});
