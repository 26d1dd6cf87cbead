import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { DirectoryKeyStore } from '../../transforms/hocba-sign/keystore.js';
import { RemoteSigners } from '../../transforms/hocba-sign/remote-signers.js';
import { RemoteSigningTransformer } from '../../transforms/hocba-sign/remote.js';

const PUPILS = 8;
const PG = process.env['LIENTHONG_TEST_PG'];
const PG_PUPILS = 4;
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
  let leftTeacherId: string;
  let principalId: string;

  beforeAll(async () => {
    schoolPath = join(dir, 'school.db');
    const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: schoolPath }, { pupils: PUPILS, seed: 3, dirtyRate: 0 });
    query = manifest.query;
    schoolCode = manifest.schoolCode;
    const db = new Database(schoolPath, { readonly: true });
    const school = db.prepare('SELECT ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as { name: string; principal: string; principalId: string };
    const teachers = db.prepare('SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12').all() as { personalId: string; name: string }[];
    leftTeacherId = (db.prepare("SELECT so_cccd AS id FROM dm_giao_vien WHERE da_nghi = 1 AND ma_mon = 'GDP'").get() as { id: string }).id;
    principalId = school.principalId;
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

  /**
   * One school-record job with remote signing over `source`: the runs a scheduler would make until
   * every record is delivered; answers the first run, the last run, the requests and what was sent.
   */
  async function signAndDeliver(name: string, source: () => ReturnType<typeof createSqlSource>, sourceQuery: string, pupils: number) {
    const job = jobSchema.parse({
      name,
      source: { connection: 'school', stream: 'pupil_years', query: sourceQuery, keyFields: ['enrolment_id'], cursorField: 'updated_at' },
      mapping: { name: 'hocba-thcsthpt/2025', options: { sourceEncoding: 'unicode' } },
      destinations: [{ connection: 'hub', dataset: DATASET, batchSize: 10, concurrency: 2 }],
    });
    // a store of its own per job (a store directory is one ledger)
    mkdirSync(join(dir, name), { recursive: true });
    const store = new SqliteStateStore(join(dir, name, 'state.db'));
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
      const src = source();
      try {
        return await runJob(job, { store, source: src, mapping: getMapping(job.mapping.name), transformer, destinations: [{ config: job.destinations[0]!, connector: destination }], unitCode: schoolCode, logger: silentLogger() });
      } finally {
        await src.close();
      }
    };
    try {
      const first = await run();
      const firstRequests = await store.signingRequests(job.name);
      let last = first;
      for (let i = 0; i < 5 && last.counts.accepted < pupils; i++) last = await run();
      return { first, last, firstRequests, requests: await store.signingRequests(job.name), delivered, statusCounts: await store.statusCounts(targetId('hub', DATASET)) };
    } finally {
      await inner.close();
      client.close();
      await destination.close();
      await store.close();
    }
  }

  /** the principal signed GDP in the place of its teacher who left, and the document keeps the teacher */
  async function expectGdpSignedInPlace(delivered: string[], teacherId: string): Promise<void> {
    for (const xml of delivered) {
      const verified = await verifyHocBa(xml, { trustedCaPems: [caPem] });
      expect(verified.errors).toEqual([]);
      expect(verified.signatures.find((s) => s.mamonhoc === 'GDP')).toMatchObject({ valid: true, signedInPlaceBy: 'hieutruong' });
      expect(verified.signatures.filter((s) => s.role === 'gvbm' && s.mamonhoc !== 'GDP').every((s) => s.signedInPlaceBy === undefined)).toBe(true);
      expect(verified.data?.bangdiem.find((b) => b.mamonhoc === 'GDP')?.soddcngvbm).toBe(teacherId);
    }
  }

  it('holds every record until its signers approved, one request per class and role, then delivers each once, sealed and verified', async () => {
    const { first, last, firstRequests, requests, delivered, statusCounts } = await signAndDeliver(
      'hocba',
      () => createSqlSource({ driver: 'sqlite', url: schoolPath, streams: [{ name: 'pupil_years', query, keyFields: ['enrolment_id'], cursorField: 'updated_at', initialCursor: '' }] }),
      query,
      PUPILS,
    );
    expect(first.error).toBeNull();
    expect(first.counts).toMatchObject({ read: PUPILS, awaitingSignature: PUPILS, invalid: 0, staged: 0 });
    expect(exitCodeOf(first)).toBe(EXIT.partial);
    expect(nextSteps(first, 'en').join('\n')).toMatch(/wait for the approval of: subject:\S+ \(\*{8}\d{4}\)/);
    // one request per class, subject and teacher: never one per record
    const keys = firstRequests.map((r) => `${r.classKey}|${r.role}|${r.signerId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(firstRequests.every((r) => r.role.startsWith('subject:') || r.role === 'subject-in-place')).toBe(true);
    // the sample school's teacher of GDP has left (da_nghi = 1): the principal signs GDP in the
    // subject stage, one request per class for it, beside the teachers'
    const inPlace = firstRequests.filter((r) => r.role === 'subject-in-place');
    expect(inPlace.length).toBeGreaterThan(0);
    expect(new Set(inPlace.map((r) => r.signerId))).toEqual(new Set([principalId]));
    expect(new Set(inPlace.map((r) => r.classKey)).size).toBe(inPlace.length);
    expect(firstRequests.some((r) => r.role === 'subject:GDP')).toBe(false);
    expect(firstRequests.reduce((n, r) => n + r.items, 0)).toBeGreaterThanOrEqual(PUPILS);

    expect(last.error).toBeNull();
    expect(last.counts).toMatchObject({ awaitingSignature: 0, accepted: PUPILS });
    expect(exitCodeOf(last)).toBe(EXIT.ok);
    expect(statusCounts).toMatchObject({ accepted: PUPILS, pending: 0, rejected: 0, dead: 0 });
    for (const a of hub.acceptanceCounts(DATASET)) expect(a).toMatchObject({ phienban: 1, count: 1 });
    const roles = new Set(requests.map((r) => r.role.split(':')[0]));
    expect([...roles].sort()).toEqual(['homeroom', 'principal', 'subject', 'subject-in-place']);

    expect(delivered).toHaveLength(PUPILS);
    await expectGdpSignedInPlace(delivered, leftTeacherId);
    if (hasXmlsec1) {
      const ids = [...delivered[0]!.matchAll(/<ds:Signature[^>]*\bId="([^"]+)"/g)].map((m) => m[1]!);
      expect(ids).toEqual(expect.arrayContaining(['sig-gvbm-GDP', 'sig-gvcn', 'sig-ht', 'sig-dv']));
      const messages: string[] = [];
      expect(xmlsec1Verdicts(delivered[0]!, { dir, caPath, signatureIds: ids, messages }), messages.join('\n')).toEqual(Object.fromEntries(ids.map((id) => [id, true])));
    } else console.warn('xmlsec1 not installed: the delivered document is not checked independently');
  }, 240_000);

  /**
   * The same on a source shaped otherwise (PostgreSQL, its own schema): the teachers' table has no
   * 0/1 flag but a Vietnamese-named text status and a timestamptz leaving date, and the query turns
   * the status into a JSON boolean (`teacher_left: true`) in subjects_json.
   */
  it.skipIf(!PG)('on PostgreSQL with a text status "đã nghỉ việc" for the teacher who left (LIENTHONG_TEST_PG)', async () => {
    const schema = `lt_sign2_${process.pid}`;
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: PG });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      // another school year's pupils (another seed: no record the hub already has), its people signing on the simulator
      const pg = await generateSchoolDatabase({ driver: 'postgres', url: PG ?? '', schema }, { pupils: PG_PUPILS, seed: 11, dirtyRate: 0 });
      const teachers = pg.tables.teachers;
      const people = (await admin.query(`SELECT so_cccd AS id, ho_ten AS name FROM ${teachers} UNION SELECT cccd_hieu_truong, ten_hieu_truong FROM ${pg.tables.school}`)).rows as { id: string; name: string }[];
      for (const p of people) signing.addSigner({ personalId: p.id, name: p.name });
      const pgPrincipal = (await admin.query(`SELECT cccd_hieu_truong AS id FROM ${pg.tables.school}`)).rows[0] as { id: string };
      await admin.query(`ALTER TABLE ${teachers} ADD COLUMN "tình_trạng" text NOT NULL DEFAULT 'đang dạy', ADD COLUMN "ngày_nghỉ" timestamptz`);
      await admin.query(`UPDATE ${teachers} SET "tình_trạng" = 'đã nghỉ việc', "ngày_nghỉ" = '2025-03-01 08:00:00+07' WHERE da_nghi = 1`);
      await admin.query(`ALTER TABLE ${teachers} DROP COLUMN da_nghi`);
      const left = (await admin.query(`SELECT so_cccd FROM ${teachers} WHERE "tình_trạng" = 'đã nghỉ việc'`)).rows as { so_cccd: string }[];
      expect(left).toHaveLength(1);
      const pgQuery = pg.query.replace("'teacher_left', g.da_nghi", `'teacher_left', (g."tình_trạng" = 'đã nghỉ việc')`);
      expect(pgQuery).not.toBe(pg.query);

      const { first, last, firstRequests, delivered } = await signAndDeliver(
        'hocba-pg',
        () => createSqlSource({ driver: 'postgres', url: PG, streams: [{ name: 'pupil_years', query: pgQuery, keyFields: ['enrolment_id'], cursorField: 'updated_at', initialCursor: '' }] }),
        pgQuery,
        PG_PUPILS,
      );
      expect(first.counts).toMatchObject({ read: PG_PUPILS, awaitingSignature: PG_PUPILS, invalid: 0 });
      expect(new Set(firstRequests.filter((r) => r.role === 'subject-in-place').map((r) => r.signerId))).toEqual(new Set([pgPrincipal.id]));
      expect(last.counts).toMatchObject({ awaitingSignature: 0, accepted: PG_PUPILS });
      expect(delivered).toHaveLength(PG_PUPILS);
      await expectGdpSignedInPlace(delivered, left[0]!.so_cccd);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }, 240_000);
});
