/**
 * The state store's files on disk: a private directory (0700), private files (0600: the ledger
 * and the outbox hold names and personal ids until records are settled), and the `store.id`
 * marker that tells a first run from a store that was emptied or replaced.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';

export const MARKER_FILE = 'store.id';
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** the marker beside a store's database file */
export function markerPath(dbPath: string): string {
  return join(dirname(dbPath), MARKER_FILE);
}

/** SQLite's companion files of a database in WAL mode */
export function companionFiles(dbPath: string): string[] {
  return [`${dbPath}-wal`, `${dbPath}-shm`];
}

/**
 * Creates `dir` (and missing parents) private whatever the umask: mkdir applies the umask to its
 * mode, chmod does not. A directory that already exists keeps its mode (it may be shared with
 * files that are not lienthong's); the files lienthong writes in it are private themselves.
 */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  if (first === undefined) return;
  // every directory mkdir created, from the first one down to `dir`
  for (let d = dir; ; d = dirname(d)) {
    chmodSync(d, PRIVATE_DIR);
    if (d === first || dirname(d) === d) break;
  }
}

/** Creates `path` empty with mode 0600 unless it exists; either way leaves it 0600. */
export function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE));
  chmodSync(path, PRIVATE_FILE);
}

/** Makes the database file and its companions private (files of an earlier version were 0644). */
export function privatizeStoreFiles(dbPath: string): void {
  for (const f of [dbPath, ...companionFiles(dbPath)]) {
    try {
      chmodSync(f, PRIVATE_FILE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** the store id the marker holds; null when there is no marker or it is empty */
export function readMarker(dbPath: string): string | null {
  try {
    const text = readFileSync(markerPath(dbPath), 'utf8').trim();
    return text === '' ? null : text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes the marker atomically (a half-written marker would look like another store's). */
export function writeMarker(dbPath: string, storeId: string): void {
  const file = markerPath(dbPath);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${storeId}\n`, { mode: PRIVATE_FILE });
  chmodSync(tmp, PRIVATE_FILE);
  renameSync(tmp, file);
}

/** size of the database file; 0 when missing */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

const CHECK = '"lienthong store check" tells what is wrong';
const RESTORE = '"lienthong store restore <backup file>" puts back a backup made by "lienthong store backup" (kept in backups/ of the data directory)';

/** The database is gone or empty, but the marker says a ledger was kept here. */
export function storeEmptied(dbPath: string, storeId: string): ConfigError {
  return new ConfigError(
    'STORE_EMPTIED',
    `the state store ${dbPath} is missing or empty, but ${markerPath(dbPath)} says store ${storeId} was kept here: its ledger of what the hub holds is lost. ` +
      `Nothing was sent. To recover: ${CHECK}; ${RESTORE}; or, only to start over with an empty ledger, delete ${markerPath(dbPath)} deliberately: every record is then sent to the hub again.`,
    { file: dbPath },
  );
}

/** The database is another store's than the one the marker names. */
export function storeReplaced(dbPath: string, found: string, expected: string): ConfigError {
  return new ConfigError(
    'STORE_REPLACED',
    `the state store ${dbPath} is store ${found}, but ${markerPath(dbPath)} says store ${expected} was kept here: the file was replaced. ` +
      `Nothing was sent. To recover: ${CHECK}; put the right file back, or ${RESTORE}; or, to keep this file as the ledger, delete ${markerPath(dbPath)} deliberately (it is written again at the next open).`,
    { file: dbPath },
  );
}

/** The file is not a SQLite database, or SQLite's quick check found damage. */
export function storeDamaged(dbPath: string, detail: string, cause?: unknown): ConfigError {
  return new ConfigError(
    'STORE_DAMAGED',
    `the state store ${dbPath} is damaged (${detail}). Nothing was sent. To recover: ${CHECK}; ${RESTORE}; ` +
      `or, only to start over with an empty ledger, move ${dbPath} away and delete ${markerPath(dbPath)} deliberately: every record is then sent to the hub again.`,
    { file: dbPath },
    cause === undefined ? undefined : { cause },
  );
}

/** The database was written by a newer lienthong. */
export function storeTooNew(dbPath: string, version: number, latest: number): ConfigError {
  return new ConfigError(
    'STORE_TOO_NEW',
    `the state store ${dbPath} is at schema version ${version}, newer than this lienthong knows (${latest}): upgrade lienthong, or ${RESTORE} written by this version.`,
    { file: dbPath },
  );
}
