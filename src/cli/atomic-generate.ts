import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const PARTIAL = '.partial-';

/** A SQLite file and the side files SQLite may leave next to it. */
function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** Removes what generations killed before they finished left behind (`uis.db.partial-<pid>`). */
export function removeStalePartials(finalPath: string): string[] {
  const dir = dirname(finalPath);
  const prefix = basename(finalPath) + PARTIAL;
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || /-(journal|wal|shm)$/.test(name)) continue;
    removeDatabaseFiles(join(dir, name));
    removed.push(join(dir, name));
  }
  return removed;
}

/**
 * Makes a sample database so that `finalPath` either does not exist or is complete: the
 * generator writes a temporary file in the same folder (so the rename stays on one file system,
 * where it is atomic), which is flushed to disk and renamed only once it is whole. A generation
 * killed half-way (kill -9, a power cut) leaves at most a `.partial-<pid>` file, removed by the
 * next generation; the demo never reuses half a database.
 */
export async function generateAtomically<T>(finalPath: string, generate: (tempPath: string) => Promise<T>): Promise<T> {
  removeStalePartials(finalPath);
  const temp = `${finalPath}${PARTIAL}${process.pid}`;
  removeDatabaseFiles(temp);
  let result: T;
  try {
    result = await generate(temp);
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    removeDatabaseFiles(temp);
    throw err;
  }
  renameSync(temp, finalPath);
  return result;
}
