import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource } from '../../connectors/sql/index.js';
import { MinistryHubDestination } from '../../connectors/ministry-hub/index.js';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { RemoteSigningClient } from '../../connectors/remote-signing/index.js';
import { SigningSimulator } from '../../connectors/remote-signing/simulator/index.js';
import { getMapping } from '../../mappings/index.js';
import { exitCodeOf, EXIT } from '../../src/cli/exit-codes.js';
import { nextSteps } from '../../src/cli/next-steps.js';
import { jobSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/core/logger.js';
import type { RecordTransformer, TransformResult } from '../../src/core/transform.js';
import { runJob } from '../../src/engine/runner.js';
import { generateSchoolDatabase } from '../../src/sample/school.js';
import { targetId } from '../../src/store/store.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { ensureDemoPki, loadOrCreateCa } from '../../documents/pki/demo-pki.js';
import { hasXmlsec1, xmlsec1Verdicts } from '../../documents/xmldsig/testing/xmlsec1.js';
import { DirectoryKeyStore } from '../../transforms/hocba-sign/keystore.js';
import { RemoteSigners } from '../../transforms/hocba-sign/remote-signers.js';
import { RemoteSigningTransformer } from '../../transforms/hocba-sign/remote.js';

const PUPILS = 8;
const DATASET = 'hocbaso-thcsthpt';

/**
 * A school-record job with remote signing, end to end: the sample school database (SQLite) →
 * mapping → the hocba-sign transform in remote mode → the ministry hub simulator (which checks the
 * XSD and every signature against the trusted CA). Every person signs on the remote signing
 * simulator (automatic approval after a short delay); lienthong holds only the school's seal.
 * Runs are repeated as a scheduler would: each collects, prepares the next role, and sends.
 */
describe('remote signing: school database → signers approve → sealed → hub', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-remote-e2e-'));
  const signing = new SigningSimulator();
  const hub = new HubSimulator();
  let schoolPath: string;
  let query: string;
  let schoolCode: string;
  let caPath: string;
  let caPem: string;
  let keysDir: string;
  let hubUrl: string;

  beforeAll(async () => {
    schoolPath = join(dir, 'school.db');
    const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: schoolPath }, { pupils: PUPILS, seed: 3, dirtyRate: 0 });
    query = manifest.query;
    schoolCode = manifest.schoolCode;
    const db = new Database(schoolPath, { readonly: true });
    const school = db.prepare('SELECT ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as { name: string; principal: string; principalId: string };
    const teachers = db.prepare('SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12').all() as { personalId: string; name: string }[];
    db.close();
    // only the school's seal is issued for lienthong
    const pki = ensureDemoPki(join(dir, 'pki'), { people: [], schoolName: school.name, password: 'seal-pass' });
    caPath = pki.caPemPath;
    caPem = readFileSync(caPath, 'utf8');
    keysDir = pki.keysDir;
    expect(readdirSync(keysDir)).toEqual(['school.p12']);
    await signing.start({ clients: [{ clientId: 'school', clientSecret: 'sign-secret' }], policy: { mode: 'auto', delayMs: 20 }, ca: loadOrCreateCa(caPath, join(dir, 'pki', 'ca.key')) });
    for (const t of teachers) signing.addSigner({ personalId: t.personalId, name: t.name });
    signing.addSigner({ personalId: school.principalId, name: school.principal });
    ({ url: hubUrl } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: 'school', clientSecret: 'school-secret', unitCodes: [schoolCode] }], trustedCaPems: [caPem], rateLimit: false }));
  }, 120_000);

  afterAll(async () => {
    await hub.stop();
    await signing.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every record until its signers approved, one request per class and role, then delivers each once, sealed and verified', async () => {
    const job = jobSchema.parse({
      name: 'hocba',
      source: { connection: 'school', stream: 'pupil_years', query, keyFields: ['enrolment_id'], cursorField: 'updated_at' },
      mapping: { name: 'hocba-thcsthpt/2025', options: { sourceEncoding: 'unicode' } },
      destinations: [{ connection: 'hub', dataset: DATASET, batchSize: 10, concurrency: 2 }],
    });
    const store = new SqliteStateStore(join(dir, 'state.db'));
    const client = new RemoteSigningClient({ baseUrl: signing.url, clientId: 'school', clientSecret: 'sign-secret', pollInitialDelayMs: 10, pollMaxDelayMs: 50 });
    const seal = new DirectoryKeyStore({ dir: keysDir, password: 'seal-pass' });
    const inner = new RemoteSigningTransformer({ job: job.name, store, signers: new RemoteSigners(client, [caPem]), seal: () => seal.schoolSigner(), trustedCaPems: [caPem], collectWaitMs: 3000 });
    // what the records travel with, as sent
    const delivered: string[] = [];
    const transformer: RecordTransformer = {
      name: inner.name,
      transform: async (input): Promise<TransformResult> => {
        const r = await inner.transform(input);
        if (r.ok === true && r.tailieu) delivered.push(Buffer.from(r.tailieu.noidung, 'base64').toString('utf8'));
        return r;
      },
      beforeRun: () => inner.beforeRun(),
      afterRun: () => inner.afterRun(),
      close: () => inner.close(),
    };
    const destination = new MinistryHubDestination({ baseUrl: hubUrl, unitCode: schoolCode, clientId: 'school', clientSecret: 'school-secret', timeoutMs: 60_000 });
    const run = async () => {
      const source = createSqlSource({ driver: 'sqlite', url: schoolPath, streams: [{ name: 'pupil_years', query, keyFields: ['enrolment_id'], cursorField: 'updated_at', initialCursor: '' }] });
      try {
        return await runJob(job, { store, source, mapping: getMapping(job.mapping.name), transformer, destinations: [{ config: job.destinations[0]!, connector: destination }], unitCode: schoolCode, logger: silentLogger() });
      } finally {
        await source.close();
      }
    };
    try {
      const first = await run();
      expect(first.error).toBeNull();
      expect(first.counts).toMatchObject({ read: PUPILS, awaitingSignature: PUPILS, invalid: 0, staged: 0 });
      expect(exitCodeOf(first)).toBe(EXIT.partial);
      expect(nextSteps(first, 'en').join('\n')).toMatch(/wait for the approval of: subject:\S+ \(\*{8}\d{4}\)/);
      const firstRequests = await store.signingRequests(job.name);
      // one request per class, subject and teacher: never one per record
      const keys = firstRequests.map((r) => `${r.classKey}|${r.role}|${r.signerId}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(firstRequests.every((r) => r.role.startsWith('subject:'))).toBe(true);
      expect(firstRequests.reduce((n, r) => n + r.items, 0)).toBeGreaterThanOrEqual(PUPILS);

      let last = first;
      for (let i = 0; i < 5 && last.counts.accepted < PUPILS; i++) last = await run();
      expect(last.error).toBeNull();
      expect(last.counts).toMatchObject({ awaitingSignature: 0, accepted: PUPILS });
      expect(exitCodeOf(last)).toBe(EXIT.ok);
      expect(await store.statusCounts(targetId('hub', DATASET))).toMatchObject({ accepted: PUPILS, pending: 0, rejected: 0, dead: 0 });
      for (const a of hub.acceptanceCounts(DATASET)) expect(a).toMatchObject({ phienban: 1, count: 1 });
      const roles = new Set((await store.signingRequests(job.name)).map((r) => r.role.split(':')[0]));
      expect([...roles].sort()).toEqual(['homeroom', 'principal', 'subject']);

      expect(delivered).toHaveLength(PUPILS);
      if (hasXmlsec1) {
        const ids = [...delivered[0]!.matchAll(/<ds:Signature[^>]*\bId="([^"]+)"/g)].map((m) => m[1]!);
        expect(ids).toEqual(expect.arrayContaining(['sig-gvcn', 'sig-ht', 'sig-dv']));
        const messages: string[] = [];
        expect(xmlsec1Verdicts(delivered[0]!, { dir, caPath, signatureIds: ids, messages }), messages.join('\n')).toEqual(Object.fromEntries(ids.map((id) => [id, true])));
      } else console.warn('xmlsec1 not installed: the delivered document is not checked independently');
    } finally {
      await inner.close();
      client.close();
      await destination.close();
      await store.close();
    }
  }, 240_000);
});
