import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/hash.js';
import { packageRoot } from '../../src/core/package-root.js';
import type { JsonObject } from '../../src/core/records.js';
import type { TransformInput, TransformResult } from '../../src/core/transform.js';
import { checkPdfSignatures, popplerAvailable } from '../../documents/pdf/poppler.js';
import { demoPeopleFromRecord, ensureDemoPki } from '../../documents/pki/demo-pki.js';
import { createTestCa } from '../../documents/pki/test-pki.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { DirectoryKeyStore } from './keystore.js';
import { sampleHocBaRecord } from '../../documents/hocba/sample-record.js';
import { HocBaSigningTransformer } from './transformer.js';

const PASSWORD = 'mật-khẩu-demo';
const record = sampleHocBaRecord();
let dir: string;
let keyStore: DirectoryKeyStore;
let caPem: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-hocba-sign-'));
  const pki = ensureDemoPki(join(dir, 'pki'), { people: demoPeopleFromRecord(record), schoolName: record.tentruong, password: PASSWORD });
  keyStore = new DirectoryKeyStore({ dir: pki.keysDir, password: PASSWORD });
  caPem = readFileSync(pki.caPemPath, 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function input(data: HocBaThcsThpt, idbanghi = data.idbanghi): TransformInput {
  return { idbanghi, phienban: 1, sourceKey: `src-${idbanghi}`, data: data as unknown as JsonObject };
}

function xmlOf(result: TransformResult): string {
  if (result.ok !== true) throw new Error(`expected a signed document, got ${JSON.stringify(result)}`);
  expect(result.tailieu?.dinhdang).toBe('xml');
  return Buffer.from(result.tailieu?.noidung ?? '', 'base64').toString('utf8');
}

describe('HocBaSigningTransformer (in this thread)', () => {
  it('signs by every party, verifies, hashes the XML bytes and keeps the XML and the sealed PDF', async () => {
    const documentsDir = join(dir, 'documents');
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [caPem], documentsDir, workers: 0, clock: () => new Date() });
    expect(t.name).toBe('hocba-sign');
    expect(t.mode).toBe('in-thread');
    try {
      const result = await t.transform(input(record));
      const xml = xmlOf(result);
      const verified = await verifyHocBa(xml, { trustedCaPems: [caPem] });
      expect(verified.errors).toEqual([]);
      expect(verified.data).toEqual(record);
      expect(verified.signatures.map((s) => s.role)).toEqual(['gvbm', 'gvbm', 'gvbm', 'gvcn', 'hieutruong', 'donvi']);
      expect(result.ok === true && result.tailieu?.sha256).toBe(sha256Hex(Buffer.from(xml, 'utf8')));

      const xmlFile = readFileSync(join(documentsDir, `${record.idbanghi}.xml`));
      expect(xmlFile.toString('utf8')).toBe(xml);
      const pdf = readFileSync(join(documentsDir, `${record.idbanghi}.pdf`));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.includes('/ByteRange')).toBe(true);
      // the latest version, version 1 and the manifest; no temporary file left
      const id = record.idbanghi;
      expect(readdirSync(documentsDir).sort()).toEqual([`${id}.pdf`, `${id}.v1.pdf`, `${id}.v1.xml`, `${id}.versions.json`, `${id}.xml`]);
      if (popplerAvailable()) {
        const report = await checkPdfSignatures(pdf);
        expect(report.signatures, report.output).toHaveLength(1);
        expect(report.signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true, signerCommonName: record.tentruong });
      } else {
        console.warn('pdfsig not installed (poppler-utils): PDF signature not checked independently');
      }
    } finally {
      await t.close();
    }
  });

  it('a teacher without a key is a ConfigError (not bad data) naming every missing key by role and masked id', async () => {
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [caPem], workers: 0 });
    const data = sampleHocBaRecord();
    const toa = data.bangdiem.find((b) => b.mamonhoc === 'TOA');
    if (!toa) throw new Error('sample has no TOA');
    toa.soddcngvbm = '001082009876';
    data.soddcngvcn = '001180005432';
    const err = await t.transform(input(data)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_MISSING', kind: 'config', context: { record: data.idbanghi } });
    const message = (err as ConfigError).message;
    // every missing key is named, not only the first
    expect(message).toContain('the teacher of subject TOA (personal id ********9876)');
    expect(message).toContain('the homeroom teacher (personal id ********5432)');
    expect(message).toContain(keyStore.dir);
    expect(JSON.stringify({ message, context: (err as ConfigError).context })).not.toMatch(/001082009876|001180005432/);
    await t.close();
  });

  it('a wrong key password is ConfigError SIGNING_KEY_PASSWORD; a missing school seal is SIGNING_KEY_MISSING', async () => {
    const wrong = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: keyStore.dir, password: 'sai' }), trustedCaPems: [caPem], workers: 0 });
    await expect(wrong.transform(input(record))).rejects.toMatchObject({ code: 'SIGNING_KEY_PASSWORD', kind: 'config' });
    await wrong.close();
    const noSeal = join(dir, 'no-seal');
    cpSync(keyStore.dir, noSeal, { recursive: true });
    rmSync(join(noSeal, 'school.p12'));
    const t = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: noSeal, password: PASSWORD }), trustedCaPems: [caPem], documentsDir: join(dir, 'no-seal-docs'), workers: 0 });
    const err = await t.transform(input(record)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_MISSING' });
    expect((err as ConfigError).message).toContain("the school's seal");
    expect(existsSync(join(dir, 'no-seal-docs', `${record.idbanghi}.xml`))).toBe(false);
    await t.close();
  });

  it('a document the XSD refuses is SCHEMA_INVALID on tailieu, without the offending value', async () => {
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [caPem], workers: 0 });
    const data = sampleHocBaRecord();
    data.ngaykyphathanh = '31/05/2025';
    const result = await t.transform(input(data));
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'tailieu', code: 'SCHEMA_INVALID' }] });
    expect(JSON.stringify(result)).not.toContain('31/05/2025');
    await t.close();
  });

  it('an unknown field or a missing signer id is a result naming the field, not a throw', async () => {
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [caPem], workers: 0 });
    const unknown = { ...sampleHocBaRecord(), diemtb: '9.0' } as unknown as HocBaThcsThpt;
    expect(await t.transform(input(unknown))).toMatchObject({ ok: false, errors: [{ field: 'data.diemtb', code: 'HOCBA_UNKNOWN_FIELD' }] });
    const noHomeroom = sampleHocBaRecord();
    delete noHomeroom.soddcngvcn;
    expect(await t.transform(input(noHomeroom))).toMatchObject({ ok: false, errors: [{ field: 'data.soddcngvcn', code: 'SIGNER_ID_MISSING' }] });
    expect(await t.transform(input(record, 'HB-OTHER'))).toMatchObject({ ok: false, errors: [{ field: 'data.idbanghi', code: 'IDBANGHI_MISMATCH' }] });
    await t.close();
  });

  it('never hands over a document its own verifier refuses (keys from a CA that is not trusted)', async () => {
    const other = createTestCa({ commonName: 'Another CA' });
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [other.certPem], workers: 0 });
    const result = await t.transform(input(record));
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'tailieu', code: 'SIGNATURE_UNVERIFIED' }] });
    await t.close();
  });

  it('signs at the clock time; an id fit for no file name is refused when documents are kept', async () => {
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [caPem], documentsDir: join(dir, 'docs2'), workers: 0, clock: () => new Date(Date.now() - 60_000) });
    const bad = { ...sampleHocBaRecord(), idbanghi: '../escape' };
    expect(await t.transform(input(bad))).toMatchObject({ ok: false, errors: [{ field: 'idbanghi', code: 'DOCUMENT_NAME_INVALID' }] });
    expect(existsSync(join(dir, 'escape.xml'))).toBe(false);
    await t.close();
  });
});

const workerFile = join(packageRoot(), 'dist', 'transforms', 'hocba-sign', 'sign-worker.js');
const sources = ['sign-worker.ts', 'sign-record.ts', 'sign-pool.ts'].map((f) => join(packageRoot(), 'transforms', 'hocba-sign', f));

describe('HocBaSigningTransformer with worker threads', () => {
  let built = false;
  beforeAll(() => {
    // Workers run the compiled JavaScript: build it when it is missing or older than its sources.
    const stale = !existsSync(workerFile) || sources.some((s) => statSync(s).mtimeMs > statSync(workerFile).mtimeMs);
    if (stale) spawnSync(process.execPath, [join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: packageRoot(), stdio: 'ignore' });
    built = existsSync(workerFile);
    if (!built) console.warn(`skipping the worker-thread tests: ${workerFile} could not be built (run npm run build)`);
  });

  it('signs records in a pool of 2 workers with verifiable output, and reports missing keys the same way', async (ctx) => {
    if (!built) ctx.skip();
    const t = new HocBaSigningTransformer({ keyStore, trustedCaPems: [caPem], workers: 2, documentsDir: join(dir, 'pool-docs') });
    expect(t.mode).toBe('worker-threads');
    try {
      const records = [1, 2, 3].map((n) => ({ ...sampleHocBaRecord(), idbanghi: `HB-POOL-${n}` }));
      const missing = sampleHocBaRecord();
      missing.idbanghi = 'HB-POOL-MISSING';
      missing.soddcngiamhieu = '001075001111';
      const results = await Promise.all([...records, missing].map((r) => t.transform(input(r)).catch((e: unknown) => e)));
      // a missing key is the configuration's problem in the pool too: thrown, naming the role, id masked
      expect(results[3]).toBeInstanceOf(ConfigError);
      expect(results[3]).toMatchObject({ code: 'SIGNING_KEY_MISSING', message: expect.stringContaining('the principal (personal id ********1111)') as unknown });
      for (const [i, r] of records.entries()) {
        const xml = xmlOf(results[i] as TransformResult);
        const verified = await verifyHocBa(xml, { trustedCaPems: [caPem] });
        expect(verified.errors).toEqual([]);
        expect(verified.data?.idbanghi).toBe(r.idbanghi);
        expect(readFileSync(join(dir, 'pool-docs', `${r.idbanghi}.xml`), 'utf8')).toBe(xml);
        expect(readFileSync(join(dir, 'pool-docs', `${r.idbanghi}.pdf`)).subarray(0, 4).toString('latin1')).toBe('%PDF');
      }
      expect(JSON.stringify(results[3])).not.toContain('001075001111');

      // a problem found inside the worker comes back as a result too
      const invalid = { ...sampleHocBaRecord(), idbanghi: 'HB-POOL-BAD', ngaytao: 'hôm qua' };
      expect(await t.transform(input(invalid))).toMatchObject({ ok: false, errors: [{ field: 'tailieu', code: 'SCHEMA_INVALID' }] });
    } finally {
      await t.close();
    }
  });
});

describe('HocBaSigningTransformer: a subject whose teacher has left (the source says so: TransformInput.signing)', () => {
  it('the principal signs it in their place (KyThay), in this thread and in a worker, and the teacher who left needs no key', async () => {
    // no key for the literature teacher (they left): only the others' and the seal
    const vanTeacher = record.bangdiem.find((b) => b.mamonhoc === 'VAN')?.soddcngvbm ?? '';
    const pki = ensureDemoPki(join(dir, 'pki-left'), { people: demoPeopleFromRecord(record).filter((p) => p.personalId !== vanTeacher), schoolName: record.tentruong, password: PASSWORD });
    const keys = new DirectoryKeyStore({ dir: pki.keysDir, password: PASSWORD });
    const ca = readFileSync(pki.caPemPath, 'utf8');
    for (const workers of [0, 1]) {
      const t = new HocBaSigningTransformer({ keyStore: keys, trustedCaPems: [ca], workers });
      try {
        const result = await t.transform({ ...input(record), signing: { subjectsSignedByPrincipal: ['VAN'] } });
        const verified = await verifyHocBa(xmlOf(result), { trustedCaPems: [ca] });
        expect(verified.errors).toEqual([]);
        expect(verified.signatures.filter((s) => s.role === 'gvbm').map((s) => [s.mamonhoc, s.signedInPlaceBy ?? 'teacher'])).toEqual([['TOA', 'teacher'], ['VAN', 'hieutruong'], ['GDT', 'teacher']]);
        // without the signal the teacher who left would be asked for: a key missing, named
        await expect(t.transform(input(record))).rejects.toMatchObject({ code: 'SIGNING_KEY_MISSING' });
      } finally {
        await t.close();
      }
    }
  }, 60_000);
});

describe('HocBaSigningTransformer with worker threads: keys that do not open', () => {
  it('a wrong key password found inside a worker is thrown as ConfigError SIGNING_KEY_PASSWORD in the caller', async (ctx) => {
    if (!existsSync(workerFile)) ctx.skip();
    const wrong = new DirectoryKeyStore({ dir: keyStore.dir, password: 'not-the-password' });
    const t = new HocBaSigningTransformer({ keyStore: wrong, trustedCaPems: [caPem], workers: 1 });
    expect(t.mode).toBe('worker-threads');
    try {
      const err = await t.transform(input({ ...sampleHocBaRecord(), idbanghi: 'HB-POOL-PASSWORD' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ code: 'SIGNING_KEY_PASSWORD', kind: 'config', context: { record: 'HB-POOL-PASSWORD', path: keyStore.dir } });
      expect((err as ConfigError).message).not.toContain('not-the-password');
      expect((err as ConfigError).message).not.toMatch(/\d{12}/);
    } finally {
      await t.close();
    }
  });
});
