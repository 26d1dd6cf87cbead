import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CursorValue } from '../../src/core/cursor.js';
import type { SourceRecord } from '../../src/core/records.js';
import { buildHocBaXml } from '../../documents/hocba/xml.js';
import { plugins } from '../../src/plugins.js';
import { SignedHocBaFolderConfigSchema, SignedHocBaFolderStreamSchema } from './config.js';
import { documentShelf } from './shelf.js';
import { plainIdbanghi, SignedHocBaFolderSource, type SignedFileRecord } from './source.js';
import { sampleRecordNo, writeDocument } from './testing/signed-files.js';

/**
 * The folder source on its own. It reads and identifies documents and never verifies them (the
 * hocba-verify transform does), so unsigned documents serve here.
 */

let dir: string;
const xmlOf = (n: number, changes = {}): string => buildHocBaXml(sampleRecordNo(n, changes));
const idOf = (n: number): string => sampleRecordNo(n).idbanghi;

function source(options: { processed?: 'leave' | 'move'; settleSeconds?: number; pattern?: string; now?: () => number } = {}): SignedHocBaFolderSource {
  const config = SignedHocBaFolderConfigSchema.parse({ path: dir, processed: options.processed });
  const stream = { ...SignedHocBaFolderStreamSchema.parse({ settleSeconds: options.settleSeconds ?? 0, pattern: options.pattern }), name: 'documents' };
  return new SignedHocBaFolderSource({ ...config, path: dir, streams: [stream] }, options.now);
}

async function collect(it: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const fileOf = (r: SourceRecord): string => (r.data as unknown as SignedFileRecord).file;
const maxCursor = (records: SourceRecord[]): CursorValue => records.map((r) => r.cursorValue!).sort((a, b) => (a.value < b.value ? 1 : -1))[0]!;

/** sets a file's modification time in the past; its change time (the arrival) stays now */
function age(name: string, seconds: number): void {
  const t = new Date(Date.now() - seconds * 1000);
  utimesSync(join(dir, name), t, t);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lt-folder-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('signed-hocba-folder source', () => {
  it('is registered, with its options', () => {
    const plugin = plugins.source('signed-hocba-folder');
    expect(plugin?.type).toBe('signed-hocba-folder');
    expect(() => plugin!.config.parse({ path: 'x', processed: 'delete' })).toThrow();
  });

  it('reads each document once, keyed by its idbanghi, with the SHA-256 of its bytes and its data unverified', async () => {
    const sha = writeDocument(dir, 'a.xml', xmlOf(1));
    writeDocument(dir, 'b.XML', xmlOf(2));
    writeFileSync(join(dir, 'notes.txt'), 'not a document');
    writeFileSync(join(dir, 'a.pdf'), '%PDF-1.7');
    const records = await collect(source().read({ stream: 'documents', mode: 'full' }));
    expect(records.map((r) => r.key).sort()).toEqual([idOf(1), idOf(2)].sort());
    const a = records.find((r) => r.key === idOf(1))!.data as unknown as SignedFileRecord;
    expect(a).toMatchObject({ file: 'a.xml', sha256: sha, pdf: 'a.pdf' });
    expect(a.document?.['hovaten']).toBe(sampleRecordNo(1).hovaten);
    expect(documentShelf.get(idOf(1))).toMatchObject({ name: 'a.xml', sha256: sha });
    expect(records.find((r) => r.key === idOf(2))!.cursorValue).toMatchObject({ type: 'text', value: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z\|b\.XML$/) as unknown });
  });

  it('reads incrementally after the cursor, by arrival: a copy that kept an old modification time is still new', async () => {
    writeDocument(dir, 'a.xml', xmlOf(1));
    const src = source();
    const first = await collect(src.read({ stream: 'documents', mode: 'incremental', cursor: null }));
    const cursor = maxCursor(first);
    expect(await collect(src.read({ stream: 'documents', mode: 'incremental', cursor }))).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    writeDocument(dir, 'b.xml', xmlOf(2));
    age('b.xml', 30 * 24 * 3600); // e.g. unzipped from the vendor's archive of last month
    const next = await collect(src.read({ stream: 'documents', mode: 'incremental', cursor }));
    expect(next.map(fileOf)).toEqual(['b.xml']);
  });

  it('leaves a file that has not settled for the next run', async () => {
    writeDocument(dir, 'a.xml', xmlOf(1));
    expect(await collect(source({ settleSeconds: 10 }).read({ stream: 'documents', mode: 'full' }))).toEqual([]);
    const later = source({ settleSeconds: 10, now: () => Date.now() + 11_000 });
    expect((await collect(later.read({ stream: 'documents', mode: 'full' }))).map(fileOf)).toEqual(['a.xml']);
  });

  it('gives one record for several files of one record: the newest', async () => {
    writeDocument(dir, 'z-old.xml', xmlOf(1));
    await new Promise((r) => setTimeout(r, 20));
    writeDocument(dir, 'a-new.xml', xmlOf(1, { nxetgvcn: 'Đã sửa.' }));
    const records = await collect(source().read({ stream: 'documents', mode: 'full' }));
    expect(records.map(fileOf)).toEqual(['a-new.xml']);
  });

  it('gives a file that is no school record under its name, with the reason', async () => {
    writeFileSync(join(dir, 'broken.xml'), '<HocBa><unclosed></HocBa>');
    writeFileSync(join(dir, 'latin1.xml'), Buffer.from([0x3c, 0x61, 0xe9, 0x3e]));
    const records = await collect(source().read({ stream: 'documents', mode: 'full' }));
    const byKey = new Map(records.map((r) => [r.key, r.data as unknown as SignedFileRecord]));
    expect(byKey.get('file:broken.xml')?.problem).toMatchObject({ code: 'SIGNED_FILE_NOT_HOCBA', message: expect.stringMatching(/^broken\.xml: /) as unknown });
    expect(byKey.get('file:latin1.xml')?.problem?.code).toBe('SIGNED_FILE_NOT_UTF8');
  });

  it('readKeys() finds records by idbanghi, in done/ too, however recent, and a broken file by its name; nothing for an unknown key', async () => {
    writeDocument(dir, 'a.xml', xmlOf(1));
    mkdirSync(join(dir, 'done'));
    writeDocument(join(dir, 'done'), 'b.xml', xmlOf(2));
    writeFileSync(join(dir, 'broken.xml'), 'nope');
    // files just written or moved count too: a held-back record not found would be cleared as gone
    const found = await collect(source({ settleSeconds: 3600 }).readKeys('documents', [idOf(2), 'file:broken.xml', 'unknown']));
    expect(found.map((r) => [r.key, fileOf(r)]).sort()).toEqual([[idOf(2), 'done/b.xml'], ['file:broken.xml', 'broken.xml']]);
  });

  it('finds a record id by text only where that cannot mislead: one idbanghi element, nothing to unescape', () => {
    const xml = xmlOf(1);
    expect(plainIdbanghi(Buffer.from(xml))).toBe(idOf(1));
    expect(plainIdbanghi(Buffer.from(xml.replace('<DSCKS', '<!-- <idbanghi>HB-X</idbanghi> --><DSCKS')))).toBeUndefined();
    expect(plainIdbanghi(Buffer.from(xml.replace(idOf(1), 'HB&amp;1')))).toBeUndefined();
  });

  it('with processed: move, moves what a saved cursor covers (and its PDF) into done/, and nothing later', async () => {
    writeDocument(dir, 'a.xml', xmlOf(1));
    writeFileSync(join(dir, 'a.pdf'), '%PDF-1.7');
    const src = source({ processed: 'move' });
    const first = await collect(src.read({ stream: 'documents', mode: 'incremental', cursor: null }));
    expect(existsSync(join(dir, 'a.xml'))).toBe(true); // not before the run that read it saved its cursor
    await new Promise((r) => setTimeout(r, 20));
    writeDocument(dir, 'b.xml', xmlOf(2));
    const next = await collect(src.read({ stream: 'documents', mode: 'incremental', cursor: maxCursor(first) }));
    expect(next.map(fileOf)).toEqual(['b.xml']);
    expect(existsSync(join(dir, 'done', 'a.xml')) && existsSync(join(dir, 'done', 'a.pdf'))).toBe(true);
    expect(existsSync(join(dir, 'a.xml')) || existsSync(join(dir, 'a.pdf'))).toBe(false);
    expect(existsSync(join(dir, 'b.xml'))).toBe(true);
  });

  it('check() says how many files wait, and fails for a missing folder; close() twice', async () => {
    writeDocument(dir, 'a.xml', xmlOf(1));
    const src = source();
    expect(await src.check()).toMatchObject({ ok: true, message: expect.stringContaining('1 file(s) matching *.xml') as unknown });
    rmSync(dir, { recursive: true });
    expect(await src.check()).toMatchObject({ ok: false, kind: 'config' });
    await expect(collect(src.read({ stream: 'documents', mode: 'full' }))).rejects.toMatchObject({ code: 'SIGNED_FOLDER_UNREADABLE' });
    await src.close();
    await src.close();
    mkdirSync(dir);
  });
});

describe('the example job (jobs/examples/hocba-thcsthpt-signed.yaml)', () => {
  it('loads with the connections its comment says to add', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    const { packageRoot } = await import('../../src/core/package-root.js');
    mkdirSync(join(dir, 'config'));
    // the example alone: jobs/examples/ holds other examples, each needing connections of its own
    mkdirSync(join(dir, 'jobs'));
    copyFileSync(join(packageRoot(), 'jobs', 'examples', 'hocba-thcsthpt-signed.yaml'), join(dir, 'jobs', 'hocba-thcsthpt-signed.yaml'));
    writeFileSync(join(dir, 'ca.pem'), '');
    writeFileSync(
      join(dir, 'config', 'lienthong.yaml'),
      JSON.stringify({
        dataDir: '../data',
        jobsDir: '../jobs',
        trust: { caFiles: ['../ca.pem'] },
        connections: {
          'vendor-hocba': { type: 'signed-hocba-folder', path: '../inbox', processed: 'move' },
          'hub-school': { type: 'ministry-hub', baseUrl: 'https://hub.example.vn', unitCode: '01001THCS', clientId: 'school', clientSecret: 'env:HUB_SECRET' },
        },
      }),
    );
    const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
    const job = loaded.jobs.get('hocba-thcsthpt-signed');
    expect(job?.source).toMatchObject({ connection: 'vendor-hocba', keyFields: ['idbanghi'], cursorField: 'arrival', settleSeconds: 10 });
    expect(job?.transform).toMatchObject({ kind: 'hocba-verify' });
  });
});
