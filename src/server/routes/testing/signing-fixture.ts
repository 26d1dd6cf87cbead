/**
 * The review before signing as its tests use it (API and browser): the shipped school-record job
 * on a sample school database with `transform.signing.mode: remote` and `review: true`, the remote
 * signing simulator in manual policy (nothing is approved on a "phone" unless a test says so), the
 * hub simulator, a SQLite store, the real console; one account per signer the tests need (by the
 * personal ids the requests name) and one per console role, each with an API token.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import YAML from 'yaml';
import { HubSimulator } from '../../../../connectors/ministry-hub/simulator/index.js';
import { SigningSimulator } from '../../../../connectors/remote-signing/simulator/index.js';
import { readUnverifiedHocBaXml } from '../../../../documents/hocba/xml.js';
import { ensureDemoPki, loadOrCreateCa } from '../../../../documents/pki/demo-pki.js';
import { loadConfig } from '../../../config/load.js';
import { silentLogger } from '../../../core/logger.js';
import { packageRoot } from '../../../core/package-root.js';
import { generateSchoolDatabase } from '../../../sample/school.js';
import { runJobNow } from '../../../services/jobs.js';
import { approveRequest } from '../../../services/signing.js';
import type { ServiceEnvironment } from '../../../services/context.js';
import { addUser, createApiToken } from '../../../services/users.js';
import type { Role } from '../../../store/console-store.js';
import type { SigningRequest } from '../../../store/signing-store.js';
import { SqliteStateStore } from '../../../../stores/sqlite/sqlite-store.js';
import { buildConsole } from '../../app.js';
import { RunProgressHub } from '../../progress.js';

export const SIGNING_JOB = 'hocba';
export const SIGNER_PASSWORD = 'signer-test-password-1';

export interface SigningFixture {
  dir: string;
  env: ServiceEnvironment;
  store: SqliteStateStore;
  signing: SigningSimulator;
  app: FastifyInstance;
  /** the subject requests the first run made, in review */
  firstRequests: SigningRequest[];
  /** personal ids: the first subject request's teacher, another subject teacher, the homeroom teacher, the principal */
  ids: { teacher: string; otherTeacher: string; homeroom: string; principal: string };
  tokens: Record<string, string>;
  /** a request with the account's Bearer token */
  as(account: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * approves in review and on the phones every request before `role`, running the job until a
   * `role` request of the first class with at least `minItems` records waits in review (smaller ones
   * of that role, made for records that came back later, are approved on the way)
   */
  advanceTo(role: 'homeroom' | 'principal', minItems?: number): Promise<SigningRequest>;
  close(): Promise<void>;
}

export async function openSigningFixture(pupils = 4): Promise<SigningFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-review-'));
  for (const d of ['config', 'jobs', 'secrets']) mkdirSync(join(dir, d));
  const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: join(dir, 'school.db') }, { pupils, seed: 5, dirtyRate: 0 });
  const db = new Database(join(dir, 'school.db'), { readonly: true });
  const school = db.prepare('SELECT ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as { name: string; principal: string; principalId: string };
  const teachers = db.prepare('SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12').all() as { personalId: string; name: string }[];
  db.close();
  ensureDemoPki(join(dir, 'pki'), { people: [], schoolName: school.name, password: 'seal-pass' });
  writeFileSync(join(dir, 'secrets', 'seal-password'), 'seal-pass\n');
  writeFileSync(join(dir, 'secrets', 'signing-secret'), 'sign-secret\n');
  writeFileSync(join(dir, 'secrets', 'hub-secret'), 'hub-secret\n');
  const signing = new SigningSimulator();
  await signing.start({ clients: [{ clientId: 'school', clientSecret: 'sign-secret' }], policy: { mode: 'manual' }, ca: loadOrCreateCa(join(dir, 'pki', 'ca.crt'), join(dir, 'pki', 'ca.key')) });
  for (const t of teachers) signing.addSigner({ personalId: t.personalId, name: t.name });
  signing.addSigner({ personalId: school.principalId, name: school.principal });
  const hub = new HubSimulator();
  const { url: hubUrl } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: 'school', clientSecret: 'hub-secret', unitCodes: [manifest.schoolCode] }], trustedCaPems: [readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8')], rateLimit: false });

  const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'hocba-thcsthpt.yaml'), 'utf8')) as Record<string, unknown>;
  job['name'] = SIGNING_JOB;
  delete job['schedule'];
  job['transform'] = {
    kind: 'hocba-sign',
    keysDir: 'pki/keys',
    keyPassword: 'file:../secrets/seal-password',
    signing: { mode: 'remote', review: true, service: { baseUrl: signing.url, clientId: 'school', clientSecret: 'file:../secrets/signing-secret', pollInitialDelayMs: 20, pollMaxDelayMs: 100 }, collectWaitMs: 500 },
  };
  writeFileSync(join(dir, 'jobs', `${SIGNING_JOB}.yaml`), YAML.stringify(job));
  const configPath = join(dir, 'config', 'lienthong.yaml');
  writeFileSync(configPath, YAML.stringify({
    version: 1,
    dataDir: '..',
    jobsDir: '../jobs',
    trust: { caFiles: ['../pki/ca.crt'] },
    log: { level: 'error', file: 'logs/lienthong.log' },
    connections: {
      school: { type: 'sql', driver: 'sqlite', url: '../school.db' },
      'hub-school': { type: 'ministry-hub', baseUrl: hubUrl, unitCode: manifest.schoolCode, clientId: 'school', clientSecret: 'file:../secrets/hub-secret' },
    },
  }));
  const loaded = loadConfig(configPath);
  const store = new SqliteStateStore(loaded.storePath);
  const env: ServiceEnvironment = { loaded, store, logger: silentLogger() };
  await runJobNow(env, SIGNING_JOB);
  const firstRequests = await store.signingRequests(SIGNING_JOB);
  // teachers' requests (the principal's for the subject whose teacher left is beside them)
  const teachersRequests = firstRequests.filter((r) => r.role.startsWith('subject:'));
  const first = teachersRequests[0];
  const other = teachersRequests.find((r) => r.signerId !== first?.signerId);
  if (!first || !other || !firstRequests.every((r) => r.state === 'review')) throw new Error(`the first run made ${firstRequests.length} requests, not two teachers' in review`);
  const ids = { teacher: first.signerId, otherTeacher: other.signerId, homeroom: await homeroomOf(store, first), principal: school.principalId };

  const app = await buildConsole({ env, scheduler: null, progress: new RunProgressHub(), metrics: null, tls: false });
  await app.ready();
  const tokens: Record<string, string> = {};
  const accounts: [string, Role, string | undefined][] = [
    ['gv.toan', 'teacher', ids.teacher], ['gv.khac', 'teacher', ids.otherTeacher], ['gv.chunhiem', 'homeroom', ids.homeroom], ['hieutruong', 'principal', ids.principal],
    ['viewer', 'viewer', undefined], ['operator', 'operator', undefined], ['admin', 'admin', undefined],
  ];
  for (const [name, role, personalId] of accounts) {
    await addUser(store, name, role, SIGNER_PASSWORD, personalId);
    tokens[name] = (await createApiToken(store, name)).token;
  }

  async function advanceTo(role: 'homeroom' | 'principal', minItems = 1): Promise<SigningRequest> {
    for (let round = 0; round < 8; round++) {
      const requests = await store.signingRequests(SIGNING_JOB);
      const waiting = requests.find((r) => r.role === role && r.state === 'review' && r.classKey === first?.classKey && r.items >= minItems);
      if (waiting) return waiting;
      for (const r of requests.filter((x) => x.state === 'review' && (x.role !== role || x.items < minItems))) await approveRequest(env, r.id, 'fixture');
      for (const t of signing.pending()) signing.approve(t.transactionId);
      await runJobNow(env, SIGNING_JOB);
    }
    throw new Error(`no ${role} request of ${minItems} record(s) or more in review after eight runs`);
  }

  return {
    dir, env, store, signing, app, firstRequests, ids, tokens,
    as: (account, o) => app.inject({ ...o, headers: { ...o.headers, authorization: `Bearer ${tokens[account] ?? 'none'}` } }),
    advanceTo,
    async close() {
      await app.close();
      await store.close();
      await hub.stop();
      await signing.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** the homeroom teacher of the request's class, as the documents name them */
async function homeroomOf(store: SqliteStateStore, request: SigningRequest): Promise<string> {
  const [item] = await store.signingItemsOf(request.id);
  const doc = item ? await store.getSigningDocument(request.job, item.idbanghi) : null;
  const id = doc ? readUnverifiedHocBaXml(doc.xml).soddcngvcn : undefined;
  if (!id) throw new Error('no homeroom teacher in the prepared documents');
  return id;
}
