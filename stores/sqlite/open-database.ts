/**
 * Opening the SQLite state store: private files, SQLite's settings, the checks made before any
 * record moves (damage, schema version, the marker), and the migrations.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, LienthongError } from '../../src/core/errors.js';
import { LATEST_VERSION, sqliteMigrations } from './migrations.js';
import {
  ensurePrivateDir,
  ensurePrivateFile,
  fileSize,
  privatizeStoreFiles,
  readMarker,
  storeDamaged,
  storeEmptied,
  storeReplaced,
  storeTooNew,
  writeMarker,
} from './store-files.js';
import * as SQL from './sql.js';

/** page cache of the state store, in KiB */
const CACHE_KIB = 8 * 1024;
/** WAL size (pages) that triggers an automatic checkpoint; SQLite's default is 1000 */
const WAL_CHECKPOINT_PAGES = 8000;

export interface OpenedStore {
  db: Database.Database;
  /** the id written in the database and in the `store.id` marker beside it */
  storeId: string;
}

/** SQLite's settings of a state store connection. */
export function configure(db: Database.Database): void {
  db.pragma(SQL.JOURNAL_WAL);
  db.pragma(SQL.SYNCHRONOUS_FULL);
  db.pragma(SQL.BUSY_TIMEOUT);
  db.pragma(SQL.FOREIGN_KEYS_ON);
  // Deleted rows (settled envelopes with names and personal ids) are overwritten with zeros, not
  // left readable in free pages of the file.
  db.pragma(SQL.SECURE_DELETE_ON);
  // Record ids are random (UUIDs), so every chunk touches pages all over the ledger and outbox
  // b-trees. A larger page cache keeps those pages from being read back between the stage, sent
  // and settle transactions of the same records, and checkpointing less often lets a page
  // changed by several transactions be copied into the database file once. Durability is
  // unchanged: every commit is still synced to the WAL (synchronous = FULL).
  db.pragma(SQL.cacheSize(CACHE_KIB));
  db.pragma(SQL.walAutocheckpoint(WAL_CHECKPOINT_PAGES));
}

/** Brings the database to the latest schema, one migration per transaction. */
export function migrate(db: Database.Database, path: string): void {
  const current = db.pragma(SQL.USER_VERSION, { simple: true }) as number;
  if (current > LATEST_VERSION) throw storeTooNew(path, current, LATEST_VERSION);
  for (const m of sqliteMigrations) {
    if (m.version <= current) continue;
    // the version is read again under the write lock: two processes opening an older store at
    // once apply each migration once
    db.transaction(() => {
      if ((db.pragma(SQL.USER_VERSION, { simple: true }) as number) >= m.version) return;
      db.exec(m.sql);
      db.pragma(SQL.setUserVersion(m.version));
    }).immediate();
  }
}

export function storeIdOf(db: Database.Database): string {
  const row = db.prepare(SQL.STORE_ID).get() as { value: string } | undefined;
  if (row === undefined) throw new ConfigError('STORE_DAMAGED', 'the state store has no store id (store_meta): run "lienthong store check"');
  return row.value;
}

/**
 * Opens (or creates) the state store at `path` after checking it: a database that is damaged,
 * newer than this program, emptied or replaced stops with a configuration error naming the
 * recovery steps, before anything is read or sent.
 */
export function openStoreDatabase(path: string): OpenedStore {
  if (path === ':memory:') {
    const db = new Database(path);
    configure(db);
    migrate(db, path);
    return { db, storeId: storeIdOf(db) };
  }
  let db: Database.Database | undefined;
  try {
    ensurePrivateDir(dirname(path));
    const marker = readMarker(path);
    if (marker !== null && fileSize(path) === 0) throw storeEmptied(path, marker);
    // created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database's mode
    ensurePrivateFile(path);
    privatizeStoreFiles(path);
    db = new Database(path);
    configure(db);
    const check = db.pragma(SQL.QUICK_CHECK, { simple: true }) as string;
    if (check !== 'ok') throw storeDamaged(path, `quick_check: ${check}`);
    const version = db.pragma(SQL.USER_VERSION, { simple: true }) as number;
    if (version === 0 && marker !== null) throw storeEmptied(path, marker);
    migrate(db, path);
    privatizeStoreFiles(path);
    const storeId = storeIdOf(db);
    if (marker !== null && marker !== storeId) throw storeReplaced(path, storeId, marker);
    if (marker === null) writeMarker(path, storeId);
    return { db, storeId };
  } catch (err) {
    db?.close();
    throw asOpenError(path, err);
  }
}

/** SQLite's errors at open, as errors that tell the operator what to do. */
export function asOpenError(path: string, err: unknown): unknown {
  if (err instanceof LienthongError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) return storeDamaged(path, message, err);
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM') {
    return new ConfigError('STORE_CANNOT_OPEN', `cannot open the state store ${path} (${message}): check that the data directory is there and writable by this user`, { file: path }, { cause: err });
  }
  return err;
}

/**
 * Closes a store connection, first copying the WAL into the database and truncating it, so that
 * the WAL does not keep older page images (envelopes of records settled since) after the run.
 */
export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  truncateWal(db);
  db.close();
}

/**
 * Copies the WAL into the database and truncates it to nothing. Another connection reading
 * (a `lienthong status`) can keep it from completing; the next checkpoint, or the close of the
 * last connection, does it then.
 */
export function truncateWal(db: Database.Database): void {
  try {
    db.pragma(SQL.WAL_CHECKPOINT_TRUNCATE);
  } catch {
    // busy or locked: see above
  }
}
