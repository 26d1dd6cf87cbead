/**
 * The public verification page of diplomas (`GET /verify/record/:idbanghi`, issue 14) end to end:
 * the shipped diploma job run against the hub simulator, then the console's page read:
 * - a diploma the hub accepted is genuine (HTML vi/en and JSON), with its serial, decision, issue
 *   date, masked holder, the content hash the hub holds and its version; nothing else personal;
 * - revoked at the source, it goes to the hub as CANCEL and, once accepted, the page says REVOKED;
 * - a record held back, one only staged (not accepted) and an unknown id are 404 (not issued);
 * - look-ups are rate-limited per address (429), as the certificate page's.
 */
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfiguredJob } from '../../src/engine/jobs.js';
import { silentLogger } from '../../src/core/logger.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { targetId } from '../../src/store/store.js';
import { buildConsole } from '../../src/server/app.js';
import { RunProgressHub } from '../../src/server/progress.js';
import { generateUisDatabase } from '../../src/sample/uis.js';
import { changeDiplomaLife } from '../../src/sample/uis-lifecycle.js';
import { diplomaRecordId } from '../../mappings/vanbangchungchi/2025/transforms.js';
import type { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { loadWorkspace, makeWorkspace, startHub, UNIT, type Workspace } from './support.js';

const T = targetId('hub', 'vanbangchungchi');

interface Diploma {
  id: number;
  serial: string;
  decisionNo: string;
  fullName: string;
  nationalId: string;
  birthDate: string;
}

describe('GET /verify/record/:idbanghi: diplomas as the hub holds them', () => {
  let hub: HubSimulator;
  let ws: Workspace;
  let store: SqliteStateStore;
  let app: FastifyInstance;
  let diplomas: Diploma[];
  let dirtyIds: number[];

  const runJob = async (): Promise<void> => {
    const { loaded, job } = loadWorkspace(ws);
    const summary = await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test' });
    expect(summary.error).toBeNull();
  };
  const get = (url: string, address: string, json = true) => app.inject({ method: 'GET', url, remoteAddress: address, ...(json ? { headers: { accept: 'application/json' } } : {}) });

  beforeAll(async () => {
    const started = await startHub({}, { rateLimit: false });
    hub = started.hub;
    ws = makeWorkspace(started.url, { rateLimit: { perSecond: 1000, burst: 100 } }, 'lt-verify-');
    const manifest = await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 40, seed: 14, dirtyRate: 0.1 });
    dirtyIds = manifest.dirty.filter((d) => !d.fixable).map((d) => d.diplomaId);
    const uis = new Database(ws.uisPath, { readonly: true });
    try {
      diplomas = (
        uis
          .prepare(
            `SELECT d.diploma_id AS id, d.serial_no AS serial, g.decision_no AS decisionNo, s.full_name AS fullName, s.national_id AS nationalId, s.birth_date AS birthDate
             FROM diplomas d JOIN students s ON s.student_id = d.student_id JOIN graduation_decisions g ON g.decision_id = d.decision_id WHERE d.status = 1 ORDER BY d.diploma_id`,
          )
          .all() as Diploma[]
      ).filter((d) => !dirtyIds.includes(d.id));
    } finally {
      uis.close();
    }
    const { loaded } = loadWorkspace(ws);
    store = new SqliteStateStore(loaded.storePath);
    await runJob();
    app = await buildConsole({ env: { loaded, store, logger: silentLogger() }, scheduler: null, progress: new RunProgressHub(), metrics: null, tls: false });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await hub?.stop();
  });

  it('answers a diploma the hub accepted as genuine, with the hub’s hash and version and nothing personal but the masked name', async () => {
    const d = diplomas[0] as Diploma;
    const key = diplomaRecordId(UNIT, d.serial);
    const held = hub.history('vanbangchungchi', key).at(-1);
    expect(held?.sukien).toBe('NEW');
    const r = await get(`/verify/record/${key}`, '10.1.0.1');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ genuine: true, idbanghi: key, kind: 'diploma', number: d.serial, decisionNo: d.decisionNo, sha256: held?.contentHash, phienban: 1, revoked: false });
    const words = d.fullName.split(' ');
    expect(r.json().holder).toBe(`${words.slice(0, -1).map((w) => `${Array.from(w)[0]}.`).join(' ')} ${words.at(-1)}`);
    expect(r.json().issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const body of [r.body, (await get(`/verify/record/${key}`, '10.1.0.1', false)).body]) {
      expect(body).not.toContain(d.nationalId);
      expect(body).not.toContain(d.birthDate);
      expect(body).not.toContain(d.fullName);
    }
  });

  it('answers an HTML page in Vietnamese, and in English with ?lang=en', async () => {
    const d = diplomas[1] as Diploma;
    const key = diplomaRecordId(UNIT, d.serial);
    const vi = await get(`/verify/record/${key}`, '10.1.0.2', false);
    expect(vi.statusCode).toBe(200);
    expect(vi.headers['content-type']).toContain('text/html');
    expect(vi.body).toContain('Bản ghi hợp lệ');
    expect(vi.body).toContain('Văn bằng');
    expect(vi.body).toContain(d.serial);
    expect(vi.body).toContain('href="?lang=en"');
    const en = await get(`/verify/record/${key}?lang=en`, '10.1.0.2', false);
    expect(en.body).toContain('Genuine record, accepted by the ministry data hub');
    expect(en.body).toContain('Serial number');
  });

  it('answers 404 for an unknown id and a record held back (not issued)', async () => {
    const unknown = await get('/verify/record/00000000-0000-5000-8000-000000000000', '10.1.0.3');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ genuine: false, error: { code: 'RECORD_NOT_ISSUED' } });
    expect((await get('/verify/record/not an id', '10.1.0.3', false)).statusCode).toBe(404);
    // the sample's dirty rows are held back: never sent, never issued
    const uis = new Database(ws.uisPath, { readonly: true });
    const heldSerial = (uis.prepare('SELECT serial_no FROM diplomas WHERE diploma_id = ?').get(dirtyIds[0]) as { serial_no: string } | undefined)?.serial_no;
    uis.close();
    if (heldSerial !== undefined && heldSerial !== null && heldSerial !== '') expect((await get(`/verify/record/${diplomaRecordId(UNIT, heldSerial)}`, '10.1.0.3')).statusCode).toBe(404);
  });

  it('says REVOKED once the hub accepted the CANCEL of a revoked diploma', async () => {
    const d = diplomas[2] as Diploma;
    const key = diplomaRecordId(UNIT, d.serial);
    await changeDiplomaLife({ driver: 'sqlite', path: ws.uisPath }, d.id, { kind: 'revoke' }, '2030-01-01T08:00:00');
    await runJob();
    const history = hub.history('vanbangchungchi', key);
    expect(history.map((h) => h.sukien)).toEqual(['NEW', 'CANCEL']);
    const r = await get(`/verify/record/${key}`, '10.1.0.4');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ genuine: true, number: d.serial, revoked: true, phienban: 2, sha256: history.at(-1)?.contentHash });
    const html = await get(`/verify/record/${key}`, '10.1.0.4', false);
    expect(html.body).toContain('ĐÃ BỊ THU HỒI');
    expect(html.body).toContain('class="verdict revoked"');
    // the diploma next to it is untouched
    expect((await get(`/verify/record/${diplomaRecordId(UNIT, (diplomas[0] as Diploma).serial)}`, '10.1.0.4')).json()).toMatchObject({ revoked: false });
  });

  it('answers 404 for a record staged but not accepted by the hub (after the runs: its outbox text is not a real envelope)', async () => {
    await store.stage([{ target: T, job: 'diplomas', sourceKey: 'pending-1', idbanghi: 'pending-record-1', phienban: 1, contentHash: 'h', envelopeJson: '{}', verification: JSON.stringify({ kind: 'diploma', number: 'X', decisionNo: null, issuedOn: null, holder: 'A. B', revoked: false }) }]);
    expect((await get('/verify/record/pending-record-1', '10.1.0.5')).statusCode).toBe(404);
  });

  it('limits look-ups per address (429 with Retry-After), not the other addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await get(`/verify/record/00000000-0000-5000-8000-0000000000${String(i).padStart(2, '0')}`, '10.1.0.9')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const limited = await get('/verify/record/whatever', '10.1.0.9');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(`/verify/record/${diplomaRecordId(UNIT, (diplomas[0] as Diploma).serial)}`, '10.1.0.10')).statusCode).toBe(200);
  });
});
