/**
 * The review before signing as its tests use it (API and browser): the shipped school-record job
 * on a sample school database with `transform.signing.mode: remote` and `review: true`, the remote
 * signing simulator in manual policy (nothing is approved on a "phone" unless a test says so), the
 * hub simulator, a SQLite store, the real console; one account per signer the tests need (by the
 * personal ids the requests name) and one per console role, each with an API token.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { SigningSimulator } from '../../../../connectors/remote-signing/simulator/index.js';
import { readUnverifiedHocBaXml } from '../../../../documents/hocba/xml.js';
import { openRemoteSigningWorkspace, WORKSPACE_JOB } from '../../../../transforms/hocba-sign/testing/remote-signing-workspace.js';
import { loadConfig } from '../../../config/load.js';
import { silentLogger } from '../../../core/logger.js';
import { runJobNow } from '../../../services/jobs.js';
import { approveRequest } from '../../../services/signing.js';
import type { ServiceEnvironment } from '../../../services/context.js';
import { addUser, createApiToken } from '../../../services/users.js';
import type { Role } from '../../../store/console-store.js';
import type { SigningRequest } from '../../../store/signing-store.js';
import { SqliteStateStore } from '../../../../stores/sqlite/sqlite-store.js';
import { buildConsole } from '../../app.js';
import { RunProgressHub } from '../../progress.js';

export const SIGNING_JOB = WORKSPACE_JOB;
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
  const ws = await openRemoteSigningWorkspace({ prefix: 'lt-review-', pupils, seed: 5, policy: { mode: 'manual' }, review: true, collectWaitMs: 500, log: { level: 'error', file: 'logs/lienthong.log' }, schedule: false });
  const { dir, signing, school, configPath } = ws;
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
      await ws.close();
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
