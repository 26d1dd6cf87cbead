import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource } from '../../connectors/sql/index.js';
import { MinistryHubDestination } from '../../connectors/ministry-hub/index.js';
import { getMapping } from '../../mappings/index.js';
import { jobSchema, type JobDefinition } from '../../src/config/schema.js';
import { silentLogger } from '../../src/core/logger.js';
import { runJob } from '../../src/engine/runner.js';
import { DirectoryKeyStore } from '../../transforms/hocba-sign/keystore.js';
import { HocBaSigningTransformer } from '../../transforms/hocba-sign/transformer.js';
import { ensureDemoPki, type DemoPerson } from '../../documents/pki/demo-pki.js';
import { generateSchoolDatabase, type SchoolManifest } from '../../src/sample/school.js';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { targetId } from '../../src/store/store.js';

const MYSQL = process.env.LIENTHONG_TEST_MYSQL;
const PUPILS = 30;

/**
 * The school-record job end to end on MariaDB: a school database with dirty rows → mapping with
 * the Thông tư 22 calculator → every signature → the hub simulator, which verifies the hash, the
 * XSD, each signature against the trusted CA and the data match.
 */
describe.skipIf(!MYSQL)('hocba-thcsthpt: MariaDB school database → signed records → hub (LIENTHONG_TEST_MYSQL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-hocba-'));
  const prefix = `lt_e2e_${process.pid}_`;
  let manifest: SchoolManifest;
  let hub: HubSimulator;
  let url: string;
  let caPem: string;
  let keysDir: string;

  beforeAll(async () => {
    manifest = await generateSchoolDatabase({ driver: 'mysql', url: MYSQL ?? '', prefix }, { pupils: PUPILS, seed: 7, dirtyRate: 0.4 });
    // the people who sign: read back from the manifest's own query through the connector
    const people = new Map<string, DemoPerson>();
    const src = createSqlSource({ driver: 'mysql', url: MYSQL, streams: [{ name: 'p', query: manifest.query, keyFields: ['enrolment_id'], cursorField: 'updated_at', initialCursor: '' }] });
    for await (const r of src.read({ stream: 'p', mode: 'full' })) {
      const subjects = typeof r.data.subjects_json === 'string' ? (JSON.parse(r.data.subjects_json) as { teacher_national_id?: string; teacher_name?: string }[]) : [];
      for (const s of subjects) if (s.teacher_national_id && /^\d{12}$/.test(s.teacher_national_id)) people.set(s.teacher_national_id, { personalId: s.teacher_national_id, name: s.teacher_name ?? 'GV', role: 'gvbm' });
      for (const [id, name] of [[r.data.homeroom_national_id, r.data.homeroom_name], [r.data.principal_national_id, r.data.principal_name]]) {
        if (typeof id === 'string' && /^\d{12}$/.test(id)) people.set(id, { personalId: id, name: String(name), role: 'gvcn' });
      }
    }
    await src.close();
    const pki = ensureDemoPki(join(dir, 'pki'), { people: [...people.values()], schoolName: 'Trường THCS Thực Hành Liên Thông', password: 'pki-pass' });
    caPem = readFileSync(pki.caPemPath, 'utf8');
    keysDir = pki.keysDir;
    hub = new HubSimulator();
    ({ url } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: 'school', clientSecret: 'school-secret', unitCodes: [manifest.schoolCode] }], trustedCaPems: [caPem], rateLimit: false }));
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
    if (manifest) {
      const mysql = await import('mysql2/promise');
      const conn = await mysql.createConnection(MYSQL ?? '');
      for (const t of Object.values(manifest.tables)) await conn.query(`DROP TABLE IF EXISTS ${t}`);
      await conn.end();
    }
  });

  it('sends every valid pupil-year signed, exactly once, and reports every dirty one', async () => {
    const job: JobDefinition = jobSchema.parse({
      name: 'hocba-thcsthpt',
      source: { connection: 'school', stream: 'pupil_years', query: manifest.query, keyFields: ['enrolment_id'], cursorField: 'updated_at' },
      mapping: { name: 'hocba-thcsthpt/2025', options: { sourceEncoding: 'unicode' } },
      // this school database is dirty on purpose (11 of 30 rows): above the default guard of 20%
      guard: { maxInvalidPercent: 50 },
      destinations: [{ connection: 'hub-school', dataset: 'hocbaso-thcsthpt', batchSize: 10, concurrency: 2, timeoutMs: 120_000 }],
    });
    const store = new SqliteStateStore(join(dir, 'state.db'));
    const transformer = new HocBaSigningTransformer({ keyStore: new DirectoryKeyStore({ dir: keysDir, password: 'pki-pass' }), trustedCaPems: [caPem], workers: 0 });
    const source = createSqlSource({ driver: 'mysql', url: MYSQL, streams: [{ name: 'pupil_years', query: manifest.query, keyFields: ['enrolment_id'], cursorField: 'updated_at', initialCursor: '' }] });
    const destination = new MinistryHubDestination({ baseUrl: url, unitCode: manifest.schoolCode, clientId: 'school', clientSecret: 'school-secret', timeoutMs: 120_000 });
    try {
      const summary = await runJob(job, { store, source, mapping: getMapping(job.mapping.name), transformer, destinations: [{ config: job.destinations[0]!, connector: destination }], unitCode: manifest.schoolCode, logger: silentLogger() });
      expect(summary.error).toBeNull();
      expect(summary.outcome).toBe('partial');
      expect(summary.counts.read).toBe(PUPILS);
      const counts = await store.statusCounts(targetId('hub-school', 'hocbaso-thcsthpt'));
      expect(counts).toMatchObject({ pending: 0, sent: 0, dead: 0, rejected: 0, stale: 0 });
      expect(counts.accepted).toBeGreaterThan(0);
      for (const a of hub.acceptanceCounts('hocbaso-thcsthpt')) expect(a).toMatchObject({ phienban: 1, count: 1 });
      expect(hub.acceptanceCounts('hocbaso-thcsthpt')).toHaveLength(counts.accepted);

      const invalid = new Map<string, string[]>();
      for await (const i of store.listInvalid('hocba-thcsthpt')) invalid.set(i.sourceKey, i.errors.map((e) => e.code));
      expect(counts.accepted + invalid.size).toBe(PUPILS);
      for (const d of manifest.dirty.filter((x) => !x.fixable)) expect(invalid.has(String(d.key)), d.kind).toBe(true);
      expect([...invalid.values()].flat()).toContain('STORED_RESULT_DISAGREES');
    } finally {
      await transformer.close();
      await source.close();
      await destination.close();
      await store.close();
    }
  }, 300_000);
});
