/**
 * A workspace with the shipped school-record job switched to remote signing, as the tests of the
 * remote signing workflow use it (console API and browser, the CLI, the scheduler's signing tick):
 * a sample school database (SQLite), only the school's seal in pki/keys, the remote signing
 * simulator with the school's teachers and principal, the ministry hub simulator, and
 * config/lienthong.yaml with jobs/hocba.yaml. One place, so the tests cannot drift apart.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { HubSimulator } from '../../../connectors/ministry-hub/simulator/index.js';
import { SigningSimulator, type ApprovalPolicy } from '../../../connectors/remote-signing/simulator/index.js';
import { ensureDemoPki, loadOrCreateCa } from '../../../documents/pki/demo-pki.js';
import { packageRoot } from '../../../src/core/package-root.js';
import { generateSchoolDatabase } from '../../../src/sample/school.js';
import { sampleSchoolSigners, type SampleSchoolSigners } from '../../../src/sample/school-signers.js';

export interface RemoteSigningWorkspaceOptions {
  /** the temporary folder's name prefix */
  prefix: string;
  pupils: number;
  seed: number;
  /** the simulator's policy: automatic approval after a delay, or decisions by hand */
  policy: ApprovalPolicy;
  /** how long an unanswered request lives on the simulator */
  transactionTtlMs?: number;
  /** requests wait for review in the console or the CLI */
  review?: boolean;
  collectWaitMs: number;
  log: { level: string; file?: string };
  /** false: the job has no schedule (runs are started by the test) */
  schedule?: boolean;
}

export interface RemoteSigningWorkspace extends SampleSchoolSigners {
  dir: string;
  configPath: string;
  schoolCode: string;
  signing: SigningSimulator;
  hub: HubSimulator;
  close(): Promise<void>;
}

export const WORKSPACE_JOB = 'hocba';

export async function openRemoteSigningWorkspace(o: RemoteSigningWorkspaceOptions): Promise<RemoteSigningWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  for (const d of ['config', 'jobs', 'secrets']) mkdirSync(join(dir, d));
  const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: join(dir, 'school.db') }, { pupils: o.pupils, seed: o.seed, dirtyRate: 0 });
  const people = sampleSchoolSigners(join(dir, 'school.db'));
  // only the school's seal is issued for lienthong
  ensureDemoPki(join(dir, 'pki'), { people: [], schoolName: people.school.name, password: 'seal-pass' });
  writeFileSync(join(dir, 'secrets', 'seal-password'), 'seal-pass\n');
  writeFileSync(join(dir, 'secrets', 'signing-secret'), 'sign-secret\n');
  writeFileSync(join(dir, 'secrets', 'hub-secret'), 'hub-secret\n');
  const signing = new SigningSimulator();
  await signing.start({
    clients: [{ clientId: 'school', clientSecret: 'sign-secret' }],
    policy: o.policy,
    ...(o.transactionTtlMs === undefined ? {} : { transactionTtlMs: o.transactionTtlMs }),
    ca: loadOrCreateCa(join(dir, 'pki', 'ca.crt'), join(dir, 'pki', 'ca.key')),
  });
  for (const t of people.teachers) signing.addSigner({ personalId: t.personalId, name: t.name });
  signing.addSigner({ personalId: people.school.principalId, name: people.school.principal });
  const hub = new HubSimulator();
  const { url: hubUrl } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: 'school', clientSecret: 'hub-secret', unitCodes: [manifest.schoolCode] }], trustedCaPems: [readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8')], rateLimit: false });

  const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'hocba-thcsthpt.yaml'), 'utf8')) as Record<string, unknown>;
  job['name'] = WORKSPACE_JOB;
  if (o.schedule === false) delete job['schedule'];
  job['transform'] = {
    kind: 'hocba-sign',
    keysDir: 'pki/keys',
    keyPassword: 'file:../secrets/seal-password',
    signing: {
      mode: 'remote',
      ...(o.review ? { review: true } : {}),
      service: { baseUrl: signing.url, clientId: 'school', clientSecret: 'file:../secrets/signing-secret', pollInitialDelayMs: 20, pollMaxDelayMs: 100 },
      collectWaitMs: o.collectWaitMs,
    },
  };
  writeFileSync(join(dir, 'jobs', `${WORKSPACE_JOB}.yaml`), YAML.stringify(job));
  const configPath = join(dir, 'config', 'lienthong.yaml');
  writeFileSync(
    configPath,
    YAML.stringify({
      version: 1,
      dataDir: '..',
      jobsDir: '../jobs',
      trust: { caFiles: ['../pki/ca.crt'] },
      log: o.log,
      connections: {
        school: { type: 'sql', driver: 'sqlite', url: '../school.db' },
        'hub-school': { type: 'ministry-hub', baseUrl: hubUrl, unitCode: manifest.schoolCode, clientId: 'school', clientSecret: 'file:../secrets/hub-secret' },
      },
    }),
  );
  return {
    ...people,
    dir,
    configPath,
    schoolCode: manifest.schoolCode,
    signing,
    hub,
    async close() {
      await hub.stop();
      await signing.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
