/**
 * CA bundles (every certificate of a trusted CA file is trusted, wherever trusted CAs are read) and
 * re-signed records (the document says its version; earlier versions are kept and listed as superseded).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDocuments } from '../../src/services/verify.js';
import { readTrustedCaPems, type LoadedConfig } from '../../src/config/load.js';
import type { JsonObject } from '../../src/core/records.js';
import { buildTransformer } from '../../src/engine/assemble.js';
import type { TransformResult } from '../../src/core/transform.js';
import { pdfToText, popplerAvailable } from '../../documents/pdf/poppler.js';
import { demoPeopleFromRecord } from '../../documents/pki/demo-pki.js';
import { splitPemCertificates } from '../../documents/pki/pem.js';
import { createTestCa, createTestIntermediateCa, issueTestCertificate, toPkcs12 } from '../../documents/pki/test-pki.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { checkHocBaDocument } from '../../connectors/ministry-hub/simulator/hocba-validator.js';
import type { DocumentManifest } from './documents.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { DirectoryKeyStore, SCHOOL_KEY_FILE } from './keystore.js';
import { sampleHocBaRecord } from '../../documents/hocba/sample-record.js';
import { HocBaSigningTransformer } from './transformer.js';

const PASSWORD = 'bundle-test';
const record = sampleHocBaRecord();
let dir: string;
let keysDir: string;
let bundleFile: string;
let bundle: string;
const root = createTestCa({ commonName: 'Bundle Test Root CA' });
const intermediate = createTestIntermediateCa(root, { commonName: 'Bundle Test Intermediate CA' });
const unrelated = createTestCa({ commonName: 'Unrelated CA' });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-hocba-versions-'));
  keysDir = join(dir, 'keys');
  mkdirSync(keysDir);
  // every signer's certificate is issued by the intermediate, as national CAs issue personal ones
  const issue = (file: string, commonName: string, personalId?: string): void => {
    const credential = issueTestCertificate(intermediate, { commonName, organization: record.tentruong, ...(personalId ? { personalId } : {}) });
    writeFileSync(join(keysDir, file), toPkcs12(credential, [intermediate.certPem, root.certPem], PASSWORD));
  };
  for (const p of demoPeopleFromRecord(record)) issue(`${p.personalId}.p12`, p.name, p.personalId);
  issue(SCHOOL_KEY_FILE, record.tentruong);
  // shuffled (the unrelated CA first, the root last), with text between the blocks, CRLF line ends
  bundle = [
    '# CA bundle of the province\n',
    unrelated.certPem,
    'subject=CN = Bundle Test Intermediate CA\nissuer=CN = Bundle Test Root CA\n',
    intermediate.certPem.replace(/\n/g, '\r\n'),
    '\n\n',
    root.certPem,
  ].join('');
  bundleFile = join(dir, 'bundle.pem');
  writeFileSync(bundleFile, bundle);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function input(data: HocBaThcsThpt, phienban: number): { idbanghi: string; phienban: number; sourceKey: string; data: JsonObject } {
  return { idbanghi: data.idbanghi, phienban, sourceKey: `src-${data.idbanghi}`, data: data as unknown as JsonObject };
}

function xmlOf(result: TransformResult): string {
  if (result.ok !== true) throw new Error(`expected a signed document, got ${JSON.stringify(result)}`);
  return Buffer.from(result.tailieu?.noidung ?? '', 'base64').toString('utf8');
}

describe('a CA bundle trusts every certificate in it', () => {
  it('splits a bundle into its certificates, in any order, ignoring the text between them', () => {
    const pems = splitPemCertificates(bundle);
    expect(pems).toHaveLength(3);
    expect(pems).toEqual([unrelated.certPem, intermediate.certPem, root.certPem].map((p) => p.replace(/\r\n/g, '\n')));
    expect(readTrustedCaPems({ file: 'lienthong.yaml', trustedCaFiles: [bundleFile] })).toEqual(pems);
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'no certificate here\n');
    expect(() => readTrustedCaPems({ file: 'lienthong.yaml', trustedCaFiles: [empty] })).toThrow(expect.objectContaining({ code: 'TRUSTED_CA_EMPTY', kind: 'config' }) as Error);
    expect(() => readTrustedCaPems({ file: 'lienthong.yaml', trustedCaFiles: [join(dir, 'missing.pem')] })).toThrow(expect.objectContaining({ code: 'TRUSTED_CA_UNREADABLE' }) as Error);
  });

  it('signs and checks a record signed under the intermediate, with the bundle as the one trusted text', async () => {
    const documentsDir = join(dir, 'bundle-docs');
    const t = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: keysDir, password: PASSWORD }), trustedCaPems: [bundle], documentsDir, workers: 0 });
    try {
      const xml = xmlOf(await t.transform(input(record, 1)));
      expect((await verifyHocBa(xml, { trustedCaPems: [bundle] })).errors).toEqual([]);
      // the intermediate alone is a trust anchor too; the unrelated CA alone trusts nothing here
      expect((await verifyHocBa(xml, { trustedCaPems: [intermediate.certPem] })).valid).toBe(true);
      expect((await verifyHocBa(xml, { trustedCaPems: [unrelated.certPem] })).valid).toBe(false);

      const files = [join(documentsDir, `${record.idbanghi}.xml`), join(documentsDir, `${record.idbanghi}.pdf`)];
      const verdicts = await verifyDocuments(popplerAvailable() ? files : files.slice(0, 1), [readFileSync(bundleFile, 'utf8')]);
      for (const v of verdicts) expect(v.problems, v.file).toEqual([]);
      expect(verdicts.every((v) => v.valid)).toBe(true);
      if (!popplerAvailable()) console.warn('pdfsig not installed (poppler-utils): the PDF was not checked against the bundle');
      // only the unrelated CA: the same documents are refused (the test can fail)
      const refused = await verifyDocuments(files.slice(0, 1), [unrelated.certPem]);
      expect(refused[0]?.valid).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('trust.caFiles naming the bundle: the transformer of the job (buildTransformer) trusts the intermediate', async () => {
    writeFileSync(join(dir, 'key-password'), PASSWORD);
    const loaded = { file: join(dir, 'lienthong.yaml'), baseDir: dir, dataDir: dir, trustedCaFiles: [bundleFile] } as unknown as LoadedConfig;
    const job = { name: 'hocba', file: join(dir, 'jobs', 'hocba.yaml'), transform: { kind: 'hocba-sign', keysDir: 'keys', keyPassword: 'file:key-password', workers: 0 } } as unknown as Parameters<typeof buildTransformer>[1];
    const t = buildTransformer(loaded, job);
    if (!t) throw new Error('the job has a transform step');
    try {
      const xml = xmlOf(await t.transform(input(record, 1)));
      expect((await verifyHocBa(xml, { trustedCaPems: readTrustedCaPems(loaded) })).errors).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('refuses a bundle text that holds no certificate', () => {
    const keyStore = new DirectoryKeyStore({ dir: keysDir, password: PASSWORD });
    expect(() => new HocBaSigningTransformer({ keyStore, trustedCaPems: [bundle, 'garbage'], workers: 0 })).toThrow(expect.objectContaining({ code: 'TRUSTED_CA_EMPTY' }) as Error);
  });
});

describe('a re-signed record', () => {
  it('says its version (the envelope phienban) in the XML and the PDF, and keeps every earlier version', async () => {
    const documentsDir = join(dir, 'versions');
    const id = record.idbanghi;
    const t = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: keysDir, password: PASSWORD }), trustedCaPems: [bundle], documentsDir, workers: 0 });
    try {
      const first = xmlOf(await t.transform(input(record, 1)));
      const changed = { ...sampleHocBaRecord(), nxetgvcn: 'Tiến bộ rõ rệt trong học kỳ II.' };
      const second = xmlOf(await t.transform(input(changed, 2)));

      const verified = await verifyHocBa(second, { trustedCaPems: [bundle] });
      expect(verified.errors).toEqual([]);
      expect(verified.data?.phienbanthongtinhocba).toBe('2');
      expect((await verifyHocBa(first, { trustedCaPems: [bundle] })).data?.phienbanthongtinhocba).toBe('1');

      expect(readdirSync(documentsDir).sort()).toEqual([`${id}.pdf`, `${id}.v1.pdf`, `${id}.v1.xml`, `${id}.v2.pdf`, `${id}.v2.xml`, `${id}.versions.json`, `${id}.xml`]);
      expect(readFileSync(join(documentsDir, `${id}.v1.xml`), 'utf8')).toBe(first);
      expect(readFileSync(join(documentsDir, `${id}.v2.xml`), 'utf8')).toBe(second);
      expect(readFileSync(join(documentsDir, `${id}.xml`), 'utf8')).toBe(second);
      expect(readFileSync(join(documentsDir, `${id}.pdf`))).toEqual(readFileSync(join(documentsDir, `${id}.v2.pdf`)));
      const manifest = JSON.parse(readFileSync(join(documentsDir, `${id}.versions.json`), 'utf8')) as DocumentManifest;
      expect(manifest).toMatchObject({ idbanghi: id, latest: 2 });
      expect(manifest.versions.map((v) => [v.phienban, v.xml, v.pdf, v.superseded])).toEqual([
        [1, `${id}.v1.xml`, `${id}.v1.pdf`, true],
        [2, `${id}.v2.xml`, `${id}.v2.pdf`, false],
      ]);

      if (popplerAvailable()) {
        const text = (pdf: string): Promise<string> => pdfToText(readFileSync(join(documentsDir, pdf)));
        expect(await text(`${id}.v2.pdf`)).toMatch(/Phiên bản 2\b/);
        expect(await text(`${id}.v1.pdf`)).toMatch(/Phiên bản 1\b/);
      } else {
        console.warn('pdftotext not installed (poppler-utils): the PDF text was not read back');
      }

      // lienthong verify: the earlier version is valid but superseded; the latest is not
      const files = ['v1.xml', 'xml', 'v2.xml', ...(popplerAvailable() ? ['v1.pdf'] : [])].map((ext) => join(documentsDir, `${id}.${ext}`));
      const verdicts = await verifyDocuments(files, [bundle]);
      expect(verdicts[0]).toMatchObject({ valid: true, superseded: { phienban: 1, latest: 2 } });
      expect(verdicts[0]?.problems).toEqual([expect.stringContaining('superseded by version 2')]);
      expect(verdicts[1]?.superseded).toBeUndefined();
      expect(verdicts[2]?.superseded).toBeUndefined();
      if (verdicts[3]) expect(verdicts[3]).toMatchObject({ superseded: { phienban: 1, latest: 2 } });
    } finally {
      await t.close();
    }
  });

  it('is accepted by the hub simulator at its phienban, data unchanged; a document of another version is DATA_MISMATCH', async () => {
    const t = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: keysDir, password: PASSWORD }), trustedCaPems: [bundle], workers: 0 });
    try {
      const result = await t.transform(input(record, 2));
      if (result.ok !== true || !result.tailieu) throw new Error('expected a signed document');
      // data as the mapping made it: its phienbanthongtinhocba is the mapping's, the document's is the envelope's
      const data = record as unknown as JsonObject;
      const envelope = (phienban: number): JsonObject => ({ idbanghi: record.idbanghi, sukien: 'UPDATE', phienban, thoigiancapnhat: '2026-06-01T08:00:00', data, tailieu: { ...result.tailieu } });
      expect(await checkHocBaDocument(envelope(2), data, { trustedCaPems: [bundle] })).toEqual([]);
      expect((await checkHocBaDocument(envelope(3), data, { trustedCaPems: [bundle] })).map((e) => `${e.field}:${e.code}`)).toEqual(['tailieu.noidung:DATA_MISMATCH']);
    } finally {
      await t.close();
    }
  });

  it('keeps documents written before versions were recorded as version 0 instead of overwriting them', async () => {
    const documentsDir = join(dir, 'legacy');
    mkdirSync(documentsDir);
    const id = record.idbanghi;
    writeFileSync(join(documentsDir, `${id}.xml`), '<old/>');
    writeFileSync(join(documentsDir, `${id}.pdf`), '%PDF-old');
    const t = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: keysDir, password: PASSWORD }), trustedCaPems: [bundle], documentsDir, workers: 0 });
    try {
      xmlOf(await t.transform(input(record, 3)));
    } finally {
      await t.close();
    }
    expect(readFileSync(join(documentsDir, `${id}.v0.xml`), 'utf8')).toBe('<old/>');
    expect(readFileSync(join(documentsDir, `${id}.v0.pdf`), 'utf8')).toBe('%PDF-old');
    const manifest = JSON.parse(readFileSync(join(documentsDir, `${id}.versions.json`), 'utf8')) as DocumentManifest;
    expect(manifest.versions.map((v) => [v.phienban, v.superseded])).toEqual([
      [0, true],
      [3, false],
    ]);
  });
});
