/**
 * `lienthong store check|backup|restore`: what an operator does when the state store is damaged,
 * emptied or replaced, and before a risky change. Backups use SQLite's online backup API, so a
 * consistent copy is taken while a run may be writing.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../src/core/errors.js';
import { LATEST_VERSION } from './migrations.js';
import { closeDatabase, openStoreDatabase } from './open-database.js';
import { ownerAlive } from './lock-owner.js';
import * as SQL from './sql.js';
import { companionFiles, ensurePrivateDir, ensurePrivateFile, fileSize, markerPath, privatizeStoreFiles, readMarker } from './store-files.js';

export interface StoreCheck {
  path: string;
  /** false before the first run (and when the database is gone: see problems) */
  exists: boolean;
  /** true when the store can be used as it is */
  ok: boolean;
  /** what is wrong, each with what to do */
  problems: string[];
  /** `ok`, or what SQLite's integrity check found */
  integrity: string | null;
  schemaVersion: number | null;
  latestVersion: number;
  storeId: string | null;
  marker: string | null;
  /** rows per table, and ledger rows per status */
  counts: Record<string, number>;
}

/** Looks at a state store without changing it: SQLite's integrity check, schema version, marker, counts. */
export function checkStore(path: string): StoreCheck {
  const marker = readMarker(path);
  const result: StoreCheck = { path, exists: false, ok: false, problems: [], integrity: null, schemaVersion: null, latestVersion: LATEST_VERSION, storeId: null, marker, counts: {} };
  if (fileSize(path) === 0) {
    // before the first run there is nothing to check, and nothing is wrong
    if (marker === null) result.ok = true;
    else result.problems.push(`the database is missing or empty, but ${markerPath(path)} says store ${marker} was kept here: restore a backup ("lienthong store restore <file>"), or delete the marker deliberately to start over (every record is then sent again)`);
    return result;
  }
  result.exists = true;
  const inspected = inspectDatabase(path, { readonly: false });
  Object.assign(result, inspected.facts);
  result.problems.push(...inspected.problems);
  if (inspected.problems.length === 0) {
    if (marker !== null && result.storeId !== null && marker !== result.storeId) {
      result.problems.push(`the database is store ${result.storeId}, but ${markerPath(path)} says store ${marker}: the file was replaced; put the right one back or restore a backup, or delete the marker deliberately to keep this one`);
    }
    if (result.schemaVersion === 0 && marker !== null) result.problems.push(`the database holds no ledger, but ${markerPath(path)} says store ${marker} was kept here: restore a backup`);
  }
  result.ok = result.problems.length === 0;
  return result;
}

interface Inspection {
  facts: Pick<StoreCheck, 'integrity' | 'schemaVersion' | 'storeId' | 'counts'>;
  problems: string[];
}

/**
 * Opens a database file and reports what it holds; never throws for a damaged file. Only reads;
 * a store is opened read-write all the same, so that closing it removes the WAL files a
 * read-only connection would leave behind. A file to restore from is opened read-only: it is
 * not ours to touch.
 */
function inspectDatabase(path: string, options: { readonly: boolean }): Inspection {
  const facts: Inspection['facts'] = { integrity: null, schemaVersion: null, storeId: null, counts: {} };
  const problems: string[] = [];
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: options.readonly, fileMustExist: true });
    const rows = db.pragma(SQL.integrityCheck(20)) as { integrity_check: string }[];
    facts.integrity = rows.map((r) => r.integrity_check).join('; ');
    if (facts.integrity !== 'ok') problems.push(`SQLite's integrity check failed: ${facts.integrity}; restore a backup ("lienthong store restore <file>")`);
    facts.schemaVersion = db.pragma(SQL.USER_VERSION, { simple: true }) as number;
    if (facts.schemaVersion > LATEST_VERSION) problems.push(`schema version ${facts.schemaVersion} is newer than this lienthong knows (${LATEST_VERSION}): upgrade lienthong`);
    const tables = new Set((db.prepare(SQL.TABLE_NAMES).all() as { name: string }[]).map((r) => r.name));
    if (tables.has('store_meta')) facts.storeId = (db.prepare(SQL.STORE_ID).get() as { value: string } | undefined)?.value ?? null;
    if (problems.length === 0) {
      for (const t of ['ledger', 'outbox', 'invalid_records', 'record_warnings', 'cursors', 'runs', 'users', 'api_tokens', 'audit_log']) {
        if (tables.has(t)) facts.counts[t] = (db.prepare(SQL.countRows(t)).get() as { n: number }).n;
      }
      if (tables.has('ledger')) {
        for (const r of db.prepare(SQL.LEDGER_STATUS_COUNTS_ALL).all() as { status: string; n: number }[]) facts.counts[`ledger ${r.status}`] = r.n;
      }
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    problems.push(
      typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')
        ? `SQLite's integrity check failed: ${message}; restore a backup ("lienthong store restore <file>")`
        : `not a readable SQLite database (${message}); restore a backup ("lienthong store restore <file>")`,
    );
  } finally {
    db?.close();
  }
  return { facts, problems };
}

/** `<dataDir>/backups/state-20261201T001500123Z.db` */
export function defaultBackupPath(dataDir: string, at: Date = new Date()): string {
  return join(dataDir, 'backups', `state-${stamp(at)}.db`);
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/**
 * Copies the store to `dest` (0600, in a private directory) with SQLite's online backup: a
 * consistent copy even while a run writes. A damaged store is not copied: a backup must restore.
 */
export async function backupStore(path: string, dest: string): Promise<{ dest: string; storeId: string | null }> {
  if (existsSync(dest)) throw new ConfigError('STORE_BACKUP_EXISTS', `${dest} already exists: a backup never overwrites a file; name another one`, { file: dest });
  if (fileSize(path) === 0) throw new ConfigError('STORE_MISSING', `there is no state store at ${path} to back up`, { file: path });
  const inspected = inspectDatabase(path, { readonly: false });
  if (inspected.problems.length > 0) throw new ConfigError('STORE_DAMAGED', `the state store ${path} cannot be backed up: ${inspected.problems.join('; ')}`, { file: path });
  ensurePrivateDir(dirname(dest));
  // created private and empty first: SQLite then writes the copy into it, never readable by others
  ensurePrivateFile(dest);
  const db = new Database(path, { fileMustExist: true });
  try {
    await db.backup(dest);
    // one self-contained file (no WAL beside it), to copy elsewhere as it is
    const copy = new Database(dest);
    copy.pragma(SQL.JOURNAL_DELETE);
    copy.close();
  } catch (err) {
    rmSync(dest, { force: true });
    throw err;
  } finally {
    db.close();
  }
  privatizeStoreFiles(dest);
  return { dest, storeId: inspected.facts.storeId };
}

export interface RestoreResult {
  /** the store id now in use */
  storeId: string;
  /** where the store that was replaced is kept; null when there was none */
  keptAs: string | null;
}

/**
 * Puts a backup in place of the store: checks the backup first, refuses while a job holds its
 * lock, keeps the current store in `<dataDir>/backups/` (a copy, or the damaged file moved
 * there), then opens the restored store (migrating an older backup) and writes its marker.
 */
export async function restoreStore(path: string, backupFile: string, dataDir: string): Promise<RestoreResult> {
  const backup = inspectDatabase(backupFile, { readonly: true });
  if (!existsSync(backupFile) || backup.problems.length > 0 || (backup.facts.schemaVersion ?? 0) < 1) {
    const why = backup.problems.length > 0 ? backup.problems.join('; ') : 'it holds no state store';
    throw new ConfigError('STORE_BACKUP_UNUSABLE', `${backupFile} cannot be restored: ${why}. The current store is unchanged.`, { file: backupFile });
  }
  refuseWhileLocked(path);
  const at = new Date();
  let keptAs: string | null = null;
  if (fileSize(path) > 0) {
    const current = inspectDatabase(path, { readonly: false });
    if (current.problems.length === 0) {
      keptAs = (await backupStore(path, join(dataDir, 'backups', `state-before-restore-${stamp(at)}.db`))).dest;
    } else {
      // a damaged store cannot be copied page by page: its files are moved aside as they are
      keptAs = join(dataDir, 'backups', `state-damaged-${stamp(at)}.db`);
      ensurePrivateDir(dirname(keptAs));
      moveFile(path, keptAs);
      for (const f of companionFiles(path)) if (existsSync(f)) moveFile(f, `${keptAs}${f.slice(path.length)}`);
    }
  }
  ensurePrivateDir(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.restoring`);
  rmSync(tmp, { force: true });
  ensurePrivateFile(tmp);
  const source = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(tmp);
  } finally {
    source.close();
  }
  // the current store was kept above; its WAL belongs to it, not to the restored file
  for (const f of companionFiles(path)) rmSync(f, { force: true });
  renameSync(tmp, path);
  // the marker names the restored store: it is the ledger from now on
  rmSync(markerPath(path), { force: true });
  const opened = openStoreDatabase(path);
  closeDatabase(opened.db);
  return { storeId: opened.storeId, keptAs };
}

/** A restore under a running job would pull its ledger from under it. */
function refuseWhileLocked(path: string): void {
  if (fileSize(path) === 0) return;
  let db: Database.Database | undefined;
  let locks: { job: string; owner: string; expires_at: number }[] = [];
  try {
    db = new Database(path, { fileMustExist: true });
    locks = db.prepare(SQL.ALL_LOCKS).all() as typeof locks;
  } catch {
    // a store too damaged to read its locks: no run can be using it
  } finally {
    db?.close();
  }
  const live = locks.filter((l) => l.expires_at > Date.now() && ownerAlive(l.owner));
  if (live.length > 0) {
    throw new ConfigError(
      'STORE_IN_USE',
      `job ${live.map((l) => `${l.job} (held by ${l.owner} until ${new Date(l.expires_at).toISOString()})`).join(', ')} is running on this store: stop it ("lienthong start" or "lienthong run") and restore again`,
      { file: path },
    );
  }
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    rmSync(from);
  }
}
