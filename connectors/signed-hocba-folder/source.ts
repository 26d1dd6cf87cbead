/**
 * A folder of school records (học bạ) signed in the vendor's software: each XML file is one record,
 * read as it is. The source reads and identifies documents; it does not trust them. What it yields
 * is the file's SHA-256, its unverified data (to map) or the reason it cannot be read; the
 * `hocba-verify` transform verifies every signature of a changed record against the trusted CAs
 * and attaches the very bytes (see README.md, "Design").
 *
 * Incremental by arrival: the watermark is `<arrival ISO time>|<file name>`, a text cursor. A file
 * is read once it has settled (`settleSeconds`); one that arrives later has a later change time,
 * whatever modification time its copy kept. The record key is the document's `idbanghi`: a record
 * exported again under another name is the same record (unchanged content is not sent again; a
 * changed one is the next version), and when several files hold one record the newest wins.
 */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError, DataError, LienthongError } from '../../src/core/errors.js';
import type { CheckResult, ReadOptions, SourceConnector, StreamDescriptor } from '../../src/core/connector.js';
import { compareCursor, type CursorValue } from '../../src/core/cursor.js';
import { sha256Hex } from '../../src/core/hash.js';
import type { SourceRecord } from '../../src/core/records.js';
import { readUnverifiedHocBaXml } from '../../documents/hocba/xml.js';
import type { SignedHocBaFolderConfig, SignedHocBaFolderStream } from './config.js';
import { baseName, cursorTextOf, isNotFound, listDocuments, moveToDone, newestFirst, patternToRegExp, pdfBeside, type DocumentFile } from './files.js';
import { documentShelf } from './shelf.js';

/** The prefix of the key of a file no idbanghi could be read from (it is held back under its name). */
export const FILE_KEY_PREFIX = 'file:';

/** What one file gives the mapping (`mappings/hocba-thcsthpt-signed`). */
export interface SignedFileRecord {
  /** the file name relative to the folder */
  file: string;
  /** SHA-256 of the file's bytes: what the hub receives is exactly these bytes */
  sha256: string;
  /** when the file arrived (ISO, UTC) */
  arrival: string;
  /** the PDF beside it, relative to the folder, if any */
  pdf: string | null;
  /** the data of DuLieuHocBa, read WITHOUT checking signatures (the transform verifies them) */
  document?: Record<string, unknown>;
  /** why the file cannot be a record (not UTF-8, not well-formed, not a học bạ) */
  problem?: { code: string; message: string };
}

export class SignedHocBaFolderSource implements SourceConnector {
  readonly type = 'signed-hocba-folder';
  readonly #config: SignedHocBaFolderConfig & { path: string };
  readonly #streams: Map<string, SignedHocBaFolderStream>;
  /** keys this source put on the shelf: forgotten when the next read starts */
  #shelved = new Set<string>();
  readonly #now: () => number;

  constructor(config: SignedHocBaFolderConfig & { path: string; streams: SignedHocBaFolderStream[] }, now: () => number = Date.now) {
    this.#config = config;
    this.#streams = new Map(config.streams.map((s) => [s.name, s]));
    this.#now = now;
  }

  async check(): Promise<CheckResult> {
    try {
      const s = await stat(this.#config.path);
      if (!s.isDirectory()) return { ok: false, kind: 'config', message: `${this.#config.path} is not a folder` };
      const pattern = [...this.#streams.values()][0]?.pattern ?? '*.xml';
      const files = await listDocuments(this.#config.path, patternToRegExp(pattern), { includeDone: false });
      return { ok: true, message: `${files.length} file(s) matching ${pattern} in ${this.#config.path}` };
    } catch (err) {
      return { ok: false, kind: 'config', message: `the folder ${this.#config.path} cannot be read (${isNotFound(err) ? 'it does not exist' : codeOf(err)})` };
    }
  }

  async streams(): Promise<StreamDescriptor[]> {
    return [...this.#streams.values()].map((s) => ({ name: s.name, keyFields: ['idbanghi'], cursorField: 'arrival', supportsIncremental: true }));
  }

  async *read(options: ReadOptions): AsyncIterable<SourceRecord> {
    const stream = this.#stream(options.stream);
    this.#forgetShelved();
    const incremental = options.mode === 'incremental' && options.cursor != null;
    const files = await this.#list(stream, { includeDone: false, settle: true });
    if (incremental && this.#config.processed === 'move') {
      // a saved cursor says every file up to it is in the ledger: those may leave the folder now
      for (const f of files) if (this.#notAfter(f, options.cursor!)) await moveToDone(this.#config.path, f).catch(ignoreGone);
    }
    const wanted = files.filter((f) => !incremental || !this.#notAfter(f, options.cursor!)).sort(newestFirst);
    yield* this.#records(wanted, options.stream, undefined, options.signal);
  }

  async *readKeys(streamName: string, keys: string[], signal?: AbortSignal): AsyncIterable<SourceRecord> {
    const stream = this.#stream(streamName);
    // no settle window here: a file moved into done/ a moment ago (or being replaced) would look
    // gone, and a held-back record the source no longer finds is cleared from the held-back list
    const files = (await this.#list(stream, { includeDone: true, settle: false })).sort(newestFirst);
    yield* this.#records(files, streamName, new Set(keys), signal);
  }

  async close(): Promise<void> {
    this.#forgetShelved();
  }

  /** Reads files newest first and yields one record per key (the newest file of it). */
  async *#records(files: DocumentFile[], stream: string, only: Set<string> | undefined, signal?: AbortSignal): AsyncIterable<SourceRecord> {
    const seen = new Set<string>();
    for (const file of files) {
      if (signal?.aborted) return;
      if (only && only.size === 0) return;
      let bytes: Buffer;
      try {
        bytes = await readFile(file.path);
      } catch (err) {
        if (isNotFound(err)) continue; // moved away or deleted since it was listed
        throw err;
      }
      // read by key (held-back records, every run): a file plainly of another record is not parsed
      if (only && !only.has(`${FILE_KEY_PREFIX}${baseName(file.name)}`)) {
        const id = plainIdbanghi(bytes);
        if (id !== undefined && !only.has(id)) continue;
      }
      const record = await this.#recordOf(file, bytes);
      const key = record.document && typeof record.document['idbanghi'] === 'string' && record.document['idbanghi'] !== '' ? record.document['idbanghi'] : `${FILE_KEY_PREFIX}${baseName(file.name)}`;
      if (seen.has(key)) continue; // an older file of a record whose newest file was yielded
      if (only && !only.has(key)) continue;
      seen.add(key);
      only?.delete(key);
      if (record.document) {
        documentShelf.put(key, { name: file.name, path: file.path, sha256: record.sha256 });
        this.#shelved.add(key);
      }
      yield { stream, key, data: record as unknown as Record<string, unknown>, cursorValue: { type: 'text', value: cursorTextOf(file) } };
    }
  }

  async #recordOf(file: DocumentFile, bytes: Buffer): Promise<SignedFileRecord> {
    const pdf = await pdfBeside(file);
    const base: SignedFileRecord = {
      file: file.name,
      sha256: sha256Hex(bytes),
      arrival: new Date(Math.floor(file.arrivalMs)).toISOString(),
      pdf: pdf === undefined ? null : pdf.slice(this.#config.path.length + 1),
    };
    let xml: string;
    try {
      xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { ...base, problem: { code: 'SIGNED_FILE_NOT_UTF8', message: `${file.name}: the file is not UTF-8 text` } };
    }
    try {
      return { ...base, document: readUnverifiedHocBaXml(xml) as unknown as Record<string, unknown> };
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      return { ...base, problem: { code: 'SIGNED_FILE_NOT_HOCBA', message: `${file.name}: not a học bạ document (${err.code}: ${err.message})` } };
    }
  }

  async #list(stream: SignedHocBaFolderStream, { includeDone, settle }: { includeDone: boolean; settle: boolean }): Promise<DocumentFile[]> {
    let files: DocumentFile[];
    try {
      files = await listDocuments(this.#config.path, patternToRegExp(stream.pattern), { includeDone });
    } catch (err) {
      throw new ConfigError('SIGNED_FOLDER_UNREADABLE', `the folder ${this.#config.path} cannot be read (${isNotFound(err) ? 'it does not exist' : codeOf(err)})`, { path: 'path' }, { cause: err });
    }
    if (!settle) return files;
    // still being written, or arrived within the current clock tick: the next run takes it
    const settled = this.#now() - stream.settleSeconds * 1000;
    return files.filter((f) => f.arrivalMs <= settled);
  }

  #notAfter(file: DocumentFile, cursor: CursorValue): boolean {
    return compareCursor({ type: 'text', value: cursorTextOf(file) }, cursor) <= 0;
  }

  #stream(name: string): SignedHocBaFolderStream {
    const s = this.#streams.get(name);
    if (!s) throw new ConfigError('SIGNED_FOLDER_UNKNOWN_STREAM', `no stream named "${name}" on this signed-hocba-folder source`, { stream: name });
    return s;
  }

  #forgetShelved(): void {
    documentShelf.remove(this.#shelved);
    this.#shelved = new Set();
  }
}

/**
 * The document's idbanghi found by text, without parsing: only when the file has exactly one
 * `idbanghi` element and its value needs no unescaping; undefined otherwise (the file is then
 * parsed). The schema allows one such element, so a second one (a comment, a wrapped copy) only
 * means the file is parsed.
 */
export function plainIdbanghi(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  const found = [...text.matchAll(/<(?:[A-Za-z_][\w.-]*:)?idbanghi(?=[\s>/])[^>]*>([^<&]*)<\//g)];
  const opened = text.match(/<(?:[A-Za-z_][\w.-]*:)?idbanghi(?=[\s>/])/g)?.length ?? 0;
  return found.length === 1 && opened === 1 ? found[0]![1] : undefined;
}

function codeOf(err: unknown): string {
  if (err instanceof LienthongError) return err.code;
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unknown error';
}

function ignoreGone(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
