import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJob } from '../config/load.js';
import { packageRoot } from '../core/package-root.js';
import { renderReconciliationSummary } from '../reconcile/writers/index.js';
import type { ReconciliationTotals } from '../reconcile/types.js';
import Database from 'better-sqlite3';
import { generateUisDatabase } from '../sample/uis.js';
import { generateSchoolDatabase } from '../sample/school.js';
import { ensureDemoPki, type DemoPerson } from '../../documents/pki/demo-pki.js';
import { reconcileJob } from '../services/reconcile.js';
import { runJobNow } from '../services/jobs.js';
import type { ServiceEnvironment } from '../services/context.js';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { openContext } from './context.js';
import { createProgressDisplay } from './progress.js';
import { generateAtomically } from './atomic-generate.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import type { NextStepsInput } from './next-steps.js';

export interface DemoOptions {
  records: number;
  /** pupils in the sample school (their records are signed: each takes a dozen RSA signatures) */
  pupils: number;
  seed: number;
  dataDir: string;
  hubUrl?: string;
  lang: 'vi' | 'en';
  /** print nothing (tests) */
  quiet?: boolean;
  /** after the jobs, keep the console running (src/cli/demo-serve.ts) until SIGINT/SIGTERM */
  serve?: boolean;
  /** HOST:PORT of the console (default the configuration's server.listen) */
  listen?: string;
}

export const DEMO_UNIT_CODE = 'LTU01';
export const DEMO_CLIENT_ID = 'lienthong-demo';
export const DEMO_SCHOOL_CLIENT_ID = 'lienthong-demo-school';

function demoConfig(schoolCode: string): string {
  const jobsDir = join(packageRoot(), 'jobs').replaceAll('\\', '/');
  return `# Written by "lienthong demo": the sample UIS and school, the bundled hub simulator, a demo PKI.
version: 1
dataDir: ..
jobsDir: ${JSON.stringify(jobsDir)}
trust:
  caFiles: [../pki/ca.crt]
log: { level: info, file: logs/lienthong.log }
connections:
  uis: { type: sql, driver: sqlite, url: ../uis.db }
  school: { type: sql, driver: sqlite, url: ../school.db }
  hub:
    type: ministry-hub
    baseUrl: http://127.0.0.1:8787   # the demo points this at the simulator it starts
    unitCode: ${DEMO_UNIT_CODE}
    clientId: ${DEMO_CLIENT_ID}
    clientSecret: file:../secrets/hub-client-secret
  hub-school:
    type: ministry-hub
    baseUrl: http://127.0.0.1:8787
    unitCode: "${schoolCode}"
    clientId: ${DEMO_SCHOOL_CLIENT_ID}
    clientSecret: file:../secrets/hub-school-client-secret
`;
}

function secret(file: string): string {
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The people who sign the sample school's records: its teachers and its principal. */
function schoolSigners(schoolDb: string): { people: DemoPerson[]; schoolName: string; schoolCode: string } {
  const db = new Database(schoolDb, { readonly: true });
  try {
    const school = db.prepare('SELECT ma_truong AS code, ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as { code: string; name: string; principal: string; principalId: string };
    const teachers = db.prepare("SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12").all() as { personalId: string; name: string }[];
    const people: DemoPerson[] = teachers.map((t) => ({ personalId: t.personalId, name: t.name, role: 'gvbm' }));
    if (/^\d{12}$/.test(school.principalId)) people.push({ personalId: school.principalId, name: school.principal, role: 'hieutruong' });
    return { people, schoolName: school.name, schoolCode: school.code };
  } finally {
    db.close();
  }
}

/**
 * `lienthong demo`: a sample university (seeded, with about 2% dirty rows), the bundled ministry
 * hub simulator, the diploma job run to the end, and a reconciliation report. Run again on the
 * same folder it resumes and adds nothing new at the hub.
 */
export async function runDemo(o: DemoOptions): Promise<number> {
  const say = (line: string): void => {
    if (!o.quiet) process.stdout.write(line + '\n');
  };
  const demo = await prepareDemo(o, say);
  const ctx = openContext(demo.configFile);
  let simulator: HubSimulator | undefined;
  try {
    let hubUrl = o.hubUrl;
    if (!hubUrl) {
      simulator = new HubSimulator();
      hubUrl = (await simulator.start({ port: 0, host: '127.0.0.1', dbPath: join(o.dataDir, 'hub-simulator.db'), clients: demo.clients, trustedCaPems: [readFileSync(demo.caPemPath, 'utf8')] })).url;
      say(`trục dữ liệu mô phỏng / hub simulator: ${hubUrl}`);
    }
    const env: ServiceEnvironment = { ...ctx, overrides: { hub: { baseUrl: hubUrl }, 'hub-school': { baseUrl: hubUrl } } };
    // with --serve the demo's own runs are measured too: the console's /metrics shows them
    const metrics = o.serve ? (await import('../server/metrics.js')).createConsoleMetrics(ctx) : undefined;
    if (metrics) env.observer = metrics.observer;
    const codes: number[] = [];
    for (const name of ['diplomas', 'hocba-thcsthpt']) codes.push(await demoJob(env, name, o, say));
    say(`tài liệu đã ký / signed documents: ${join(o.dataDir, 'documents', 'hocba')} (kiểm tra / check: lienthong verify --ca ${demo.caPemPath} <file>)`);
    if (o.serve) {
      // the console's runs keep going to the simulator the demo started (env's overrides)
      const { serveDemoConsole } = await import('./demo-serve.js');
      await serveDemoConsole(env, { dataDir: o.dataDir, listen: o.listen, metrics, showPassword: process.stdout.isTTY === true, say });
    }
    return worstExitCode(codes);
  } finally {
    await ctx.close();
    await simulator?.stop();
  }
}

/** The demo's folder: the sample databases, the demo PKI, the secrets and the configuration, each made once. */
async function prepareDemo(o: DemoOptions, say: (line: string) => void): Promise<{ configFile: string; caPemPath: string; clients: { clientId: string; clientSecret: string; unitCodes: string[] }[] }> {
  for (const d of ['config', 'secrets', 'pki']) mkdirSync(join(o.dataDir, d), { recursive: true });
  const uisPath = join(o.dataDir, 'uis.db');
  if (existsSync(uisPath)) say(`dùng lại CSDL đại học mẫu / reusing the sample UIS: ${uisPath}`);
  else {
    const manifest = await generateAtomically(uisPath, (path) => generateUisDatabase({ driver: 'sqlite', path }, { records: o.records, seed: o.seed }));
    say(`đã tạo CSDL đại học mẫu / created the sample UIS: ${manifest.total} diplomas, ${manifest.dirty.length} with dirty data (${uisPath})`);
  }
  const schoolPath = join(o.dataDir, 'school.db');
  if (existsSync(schoolPath)) say(`dùng lại CSDL trường mẫu / reusing the sample school: ${schoolPath}`);
  else {
    const manifest = await generateAtomically(schoolPath, (path) => generateSchoolDatabase({ driver: 'sqlite', path }, { pupils: o.pupils, seed: o.seed }));
    say(`đã tạo CSDL trường mẫu / created the sample school: ${manifest.total} pupils (${manifest.schoolYear}), ${manifest.dirty.length} with dirty data (${schoolPath})`);
  }
  const signers = schoolSigners(schoolPath);
  const pkiPassword = secret(join(o.dataDir, 'secrets', 'pki-password'));
  const pki = ensureDemoPki(join(o.dataDir, 'pki'), { people: signers.people, schoolName: signers.schoolName, password: pkiPassword });
  if (pki.issued > 0) say(`đã cấp khóa ký thử / issued demo signing keys: ${pki.issued} (CA ${pki.caPemPath})`);
  const hubSecret = secret(join(o.dataDir, 'secrets', 'hub-client-secret'));
  const schoolSecret = secret(join(o.dataDir, 'secrets', 'hub-school-client-secret'));
  const configFile = join(o.dataDir, 'config', 'lienthong.yaml');
  if (!existsSync(configFile)) writeFileSync(configFile, demoConfig(signers.schoolCode));
  const clients = [
    { clientId: DEMO_CLIENT_ID, clientSecret: hubSecret, unitCodes: [DEMO_UNIT_CODE] },
    { clientId: DEMO_SCHOOL_CLIENT_ID, clientSecret: schoolSecret, unitCodes: [signers.schoolCode] },
  ];
  return { configFile, caPemPath: pki.caPemPath, clients };
}

/** What the reconciliation says is not at the hub after the demo's run: empty when all is there. */
export function leftOverAtHub(t: Pick<ReconciliationTotals, 'missingAtHub' | 'dead' | 'pending'>): string[] {
  return [t.missingAtHub > 0 ? `${t.missingAtHub} missing at the hub` : '', t.dead > 0 ? `${t.dead} dead` : '', t.pending > 0 ? `${t.pending} still pending` : ''].filter((x) => x !== '');
}

/** The demo's exit code from its jobs' codes: configuration (2) over failure (1) over records left over (3). */
export function worstExitCode(codes: number[]): number {
  const rank = (c: number): number => (c === EXIT.config ? 3 : c === EXIT.failed ? 2 : c === EXIT.partial ? 1 : 0);
  return codes.reduce((worst, c) => (rank(c) > rank(worst) ? c : worst), EXIT.ok as number);
}

/**
 * Runs one job of the demo and reconciles it. The demo passes only when the hub holds every valid
 * record: the reconciliation's totals (not the run's own counts) decide, so records missing at the
 * hub, dead, or still pending after the run make the demo exit 3 and say so.
 */
async function demoJob(env: ServiceEnvironment, name: string, o: DemoOptions, say: (line: string) => void): Promise<number> {
  const job = getJob(env.loaded, name);
  say('');
  say(`== ${job.name}: ${job.description ?? ''}`);
  const display = o.quiet ? undefined : createProgressDisplay(process.stderr);
  const summary = await runJobNow(env, job.name, { trigger: 'demo', onProgress: display ? (p) => display.update(p) : undefined });
  display?.stop();
  const c = summary.counts;
  say(`lần chạy / run ${summary.runId}: ${summary.outcome}; read ${c.read}, valid ${c.mapped}, invalid ${c.invalid}, unchanged ${c.unchanged}, sent ${c.staged}, accepted ${c.accepted}, rejected ${c.rejected}, dead ${c.dead}, retries ${c.retried}`);
  if (summary.error) say(`stopped: ${summary.error.code}: ${summary.error.message}`);
  const runCode = exitCodeOf(summary as NextStepsInput);
  if (runCode === EXIT.config || runCode === EXIT.failed) return runCode;
  const { report, paths } = await reconcileJob(env, job.name);
  say(renderReconciliationSummary(report, o.lang));
  say(`báo cáo / report: ${paths.htmlPath}`);
  const leftOver = leftOverAtHub(report.totals);
  if (leftOver.length === 0) return EXIT.ok;
  say(`THIẾU / INCOMPLETE: ${job.name}: ${leftOver.join(', ')} (lienthong dead-letters list ${job.name}; lienthong run ${job.name} sends what is pending)`);
  return EXIT.partial;
}
