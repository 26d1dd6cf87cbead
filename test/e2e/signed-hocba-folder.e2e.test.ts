import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { buildDestinations, buildMapping, buildSource, buildTransformer, openConfiguredStore, unitCodeOf } from '../../src/engine/assemble.js';
import { silentLogger } from '../../src/core/logger.js';
import { runJob, type RunSummary } from '../../src/engine/runner.js';
import type { InvalidRecord } from '../../src/store/store.js';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import type { HocBaTestPki } from '../../documents/pki/test-pki.js';
import { tamper } from '../../documents/xmldsig/testing/fixtures.js';
import { SAMPLE_UNIT, sampleRecordNo, signedXml, testPki, writeDocument } from '../../connectors/signed-hocba-folder/testing/signed-files.js';

/**
 * Vendor-signed school records end to end, through the configuration a school would write: a
 * folder of signed XML files → signed-hocba-folder → hocba-thcsthpt-signed/2025 → hocba-verify →
 * the hub simulator, which verifies every signature against the same trusted CA.
 */

const CLIENT = { clientId: 'school-vendor', clientSecret: 'vendor-secret-1234', unitCodes: [SAMPLE_UNIT] };
const DATASET = 'hocbaso-thcsthpt';
const JOB = 'hocba-signed';

describe('signed-hocba-folder: vendor-signed files → verified → hub, unchanged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-signed-'));
  const inbox = join(dir, 'inbox');
  let pki: HocBaTestPki;
  let hub: HubSimulator;
  let url: string;
  let token: string;
  const sha: Record<string, string> = {};
  const ids = [1, 2, 3, 4].map((n) => sampleRecordNo(n).idbanghi);

  beforeAll(async () => {
    pki = testPki();
    const untrusted = testPki();
    mkdirSync(inbox);
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
    writeFileSync(join(dir, 'hub.secret'), CLIENT.clientSecret);
    hub = new HubSimulator();
    ({ url } = await hub.start({ port: 0, host: '127.0.0.1', clients: [CLIENT], trustedCaPems: [pki.ca.certPem], rateLimit: false }));
    writeFileSync(
      join(dir, 'config', 'lienthong.yaml'),
      YAML.stringify({
        dataDir: '../data',
        jobsDir: '../jobs',
        trust: { caFiles: ['../ca.pem'] },
        connections: {
          vendor: { type: 'signed-hocba-folder', path: '../inbox' },
          hub: { type: 'ministry-hub', baseUrl: url, unitCode: SAMPLE_UNIT, clientId: CLIENT.clientId, clientSecret: 'file:../hub.secret', timeoutMs: 20_000 },
        },
      }),
    );
    writeFileSync(
      join(dir, 'jobs', 'hocba-signed.yaml'),
      YAML.stringify({
        name: JOB,
        source: { connection: 'vendor', stream: 'documents', mode: 'incremental', keyFields: ['idbanghi'], cursorField: 'arrival', settleSeconds: 0 },
        mapping: { name: 'hocba-thcsthpt-signed/2025' },
        transform: { kind: 'hocba-verify' },
        destinations: [{ connection: 'hub', dataset: DATASET, batchSize: 10 }],
      }),
    );
    sha.good1 = writeDocument(inbox, 'good-1.xml', await signedXml(sampleRecordNo(1), pki));
    sha.good2 = writeDocument(inbox, 'good-2.xml', await signedXml(sampleRecordNo(2), pki));
    // a score changed after the teachers signed
    sha.tampered = writeDocument(inbox, 'tampered-3.xml', tamper.subjectField(await signedXml(sampleRecordNo(3), pki), 'TOA', 'diemcanam', '9.9'));
    sha.untrusted = writeDocument(inbox, 'untrusted-4.xml', await signedXml(sampleRecordNo(4), untrusted));
    token = await hubToken();
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function hubToken(): Promise<string> {
    const res = await fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }) });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function held(idbanghi: string): Promise<{ status: number; body: { phienban?: number; tailieu?: { sha256: string; noidung: string } } }> {
    const res = await fetch(`${url}/v1/${DATASET}/records/${encodeURIComponent(idbanghi)}`, { headers: { authorization: `Bearer ${token}`, 'x-unit-code': SAMPLE_UNIT } });
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as never) : {} };
  }

  async function run(): Promise<{ summary: RunSummary; invalid: InvalidRecord[] }> {
    const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
    const job = loaded.jobs.get(JOB)!;
    const store = await openConfiguredStore(loaded);
    const source = buildSource(loaded, job);
    const transformer = buildTransformer(loaded, job);
    const destinations = buildDestinations(loaded, job);
    try {
      const summary = await runJob(job, { store, source, mapping: buildMapping(job), transformer, destinations, unitCode: unitCodeOf(loaded, job), logger: silentLogger() });
      const invalid: InvalidRecord[] = [];
      for await (const i of store.listInvalid(JOB)) invalid.push(i);
      return { summary, invalid };
    } finally {
      await source.close();
      await transformer?.close();
      for (const d of destinations) await d.connector.close();
      await store.close();
    }
  }

  it('sends the good files as they are, holds back the tampered and the untrusted one naming the file and the signature', async () => {
    const { summary, invalid } = await run();
    expect(summary.counts).toMatchObject({ read: 4, staged: 2, accepted: 2, invalid: 2 });
    for (const [n, key] of [[0, 'good1'], [1, 'good2']] as const) {
      const h = await held(ids[n]!);
      expect(h.status).toBe(200);
      expect(h.body.tailieu?.sha256).toBe(sha[key]);
      // the very bytes of the file
      expect(Buffer.from(h.body.tailieu!.noidung, 'base64').equals(readFileSync(join(inbox, n === 0 ? 'good-1.xml' : 'good-2.xml')))).toBe(true);
    }
    expect((await held(ids[2]!)).status).toBe(404);
    expect((await held(ids[3]!)).status).toBe(404);

    const tampered = invalid.find((i) => i.sourceKey === ids[2]);
    expect(tampered?.errors.map((e) => e.field)).toContain('tailieu.sig-gvbm-TOA');
    const gvbm = tampered!.errors.find((e) => e.field === 'tailieu.sig-gvbm-TOA')!;
    expect(gvbm).toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(gvbm.message).toMatch(/^tampered-3\.xml: signature sig-gvbm-TOA .*does not match its signed digest/);

    const untrusted = invalid.find((i) => i.sourceKey === ids[3]);
    expect(untrusted?.errors.length).toBeGreaterThan(0);
    for (const e of untrusted!.errors) expect(e.message).toMatch(/^untrusted-4\.xml: /);
    expect(untrusted!.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['tailieu.sig-gvbm-TOA', 'tailieu.sig-gvcn', 'tailieu.sig-ht', 'tailieu.sig-dv']));
    expect(untrusted!.errors.every((e) => e.code === 'SIGNATURE_INVALID')).toBe(true);
  }, 60_000);

  it('sends the tampered record once it is signed again, and nothing twice', async () => {
    sha.fixed = writeDocument(inbox, 'tampered-3.xml', await signedXml(sampleRecordNo(3), pki));
    // the same document seen again: under another name, and the original touched
    copyFileSync(join(inbox, 'good-1.xml'), join(inbox, 'good-1-again.xml'));
    writeFileSync(join(inbox, 'good-2.xml'), readFileSync(join(inbox, 'good-2.xml')));

    const { summary, invalid } = await run();
    expect(summary.counts).toMatchObject({ staged: 1, accepted: 1, unchanged: 2 });
    const fixed = await held(ids[2]!);
    expect(fixed.status).toBe(200);
    expect(fixed.body.tailieu?.sha256).toBe(sha.fixed);
    expect(fixed.body.phienban).toBe(1);
    for (const n of [0, 1]) expect((await held(ids[n]!)).body.phienban).toBe(1);
    // the untrusted file is still held back (read again by key), the fixed one no more
    expect(invalid.map((i) => i.sourceKey)).toEqual([ids[3]]);

    const again = await run();
    expect(again.summary.counts).toMatchObject({ staged: 0, accepted: 0 });
  }, 60_000);

  it('holds back a changed record whose document still says the version the hub holds', async () => {
    // the vendor corrected a score but signed the document as version 1 again: the hub holds 1
    writeDocument(inbox, 'good-1-corrected.xml', await signedXml(sampleRecordNo(1, { nxetgvcn: 'Chăm chỉ, tiến bộ.' }), pki));
    const { summary, invalid } = await run();
    expect(summary.counts).toMatchObject({ staged: 0 });
    const error = invalid.find((i) => i.sourceKey === ids[0])?.errors[0];
    expect(error).toMatchObject({ field: 'tailieu.phienbanthongtinhocba', code: 'DOCUMENT_VERSION_MISMATCH' });
    expect(error?.message).toMatch(/^good-1-corrected\.xml: .*version 1 .*as version 2/);

    writeDocument(inbox, 'good-1-corrected.xml', await signedXml(sampleRecordNo(1, { nxetgvcn: 'Chăm chỉ, tiến bộ.', phienbanthongtinhocba: '2' }), pki));
    const second = await run();
    expect(second.summary.counts).toMatchObject({ staged: 1, accepted: 1 });
    expect((await held(ids[0]!)).body.phienban).toBe(2);
  }, 60_000);
  it('with processed: move, moves what earlier runs recorded into done/, and still reads a held-back one there', async () => {
    const configFile = join(dir, 'config', 'lienthong.yaml');
    const config = YAML.parse(readFileSync(configFile, 'utf8')) as { connections: { vendor: Record<string, unknown> } };
    config.connections.vendor.processed = 'move';
    writeFileSync(configFile, YAML.stringify(config));
    const { summary, invalid } = await run();
    expect(summary.counts).toMatchObject({ staged: 0 });
    expect(readdirSync(inbox).filter((f) => f.endsWith('.xml'))).toEqual([]);
    expect(readdirSync(join(inbox, 'done')).sort()).toEqual(['good-1-again.xml', 'good-1-corrected.xml', 'good-1.xml', 'good-2.xml', 'tampered-3.xml', 'untrusted-4.xml']);
    // the untrusted record is still held back, read by key from done/
    expect(invalid.map((i) => i.sourceKey)).toEqual([ids[3]]);
    expect(invalid[0]!.errors[0]!.message).toMatch(/^done\/untrusted-4\.xml: /);
  }, 60_000);
});
