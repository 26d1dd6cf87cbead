import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DONE_FOLDER } from './config.js';

/** A document file of the folder, with when it arrived. */
export interface DocumentFile {
  /** the name relative to the folder: `x.xml`, or `done/x.xml` for a processed one */
  name: string;
  path: string;
  /**
   * when the file arrived: the later of its change time (ctime: set by the system when the file is
   * written, copied, moved or renamed here, and by no tool) and its modification time. A copy that
   * keeps the vendor's old mtime (cp -p, an unzipped archive) is still seen as new.
   */
  arrivalMs: number;
}

/** `*.xml` → a case-insensitive regular expression over one file name (`*` and `?` only; no folders). */
export function patternToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The watermark of a file: its arrival (ISO, fixed width, so text order is time order) and its name. */
export function cursorTextOf(file: Pick<DocumentFile, 'arrivalMs' | 'name'>): string {
  return `${new Date(Math.floor(file.arrivalMs)).toISOString()}|${baseName(file.name)}`;
}

export function baseName(name: string): string {
  return name.startsWith(`${DONE_FOLDER}/`) ? name.slice(DONE_FOLDER.length + 1) : name;
}

/** Newest first (arrival, then name), the order a read yields files in: the newest file of a record wins. */
export function newestFirst(a: DocumentFile, b: DocumentFile): number {
  const ca = cursorTextOf(a);
  const cb = cursorTextOf(b);
  return ca < cb ? 1 : ca > cb ? -1 : 0;
}

/**
 * The document files of the folder (not its sub-folders), and of `done/` when asked. A missing
 * `done/` is no error; a missing folder is the caller's to report.
 */
export async function listDocuments(dir: string, pattern: RegExp, options: { includeDone: boolean }): Promise<DocumentFile[]> {
  const out: DocumentFile[] = [];
  const scan = async (folder: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (prefix !== '' && isNotFound(err)) return;
      throw err;
    }
    for (const e of entries) {
      if (!e.isFile() || !pattern.test(e.name) || e.name.startsWith('.')) continue;
      const path = join(folder, e.name);
      let s;
      try {
        s = await stat(path);
      } catch (err) {
        if (isNotFound(err)) continue; // removed while listing
        throw err;
      }
      out.push({ name: `${prefix}${e.name}`, path, arrivalMs: Math.max(s.ctimeMs, s.mtimeMs) });
    }
  };
  await scan(dir, '');
  if (options.includeDone) await scan(join(dir, DONE_FOLDER), `${DONE_FOLDER}/`);
  return out;
}

/** The PDF beside a document (same base name, `.pdf` in any case), if there is one. */
export async function pdfBeside(file: DocumentFile): Promise<string | undefined> {
  const stem = file.path.slice(0, file.path.length - extname(file.path).length);
  for (const ext of ['.pdf', '.PDF', '.Pdf']) {
    const candidate = `${stem}${ext}`;
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** Moves a processed document (and its PDF) into `done/`; a file already there of that name is replaced. */
export async function moveToDone(dir: string, file: DocumentFile): Promise<void> {
  const done = join(dir, DONE_FOLDER);
  await mkdir(done, { recursive: true });
  const pdf = await pdfBeside(file);
  // the PDF first: a crash in between leaves the XML, which the next run moves with nothing lost
  if (pdf !== undefined) await rename(pdf, join(done, pdf.slice(dir.length + 1)));
  await rename(file.path, join(done, file.name));
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}
