import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJob } from '../config/load.js';
import { renderReconciliationSummary } from '../reconcile/writers/index.js';
import type { ReconciliationTotals } from '../reconcile/types.js';
import { generateUisDatabase } from '../sample/uis.js';
import { sampleSchoolSigners } from '../sample/school-signers.js';
import { generateSchoolDatabase } from '../sample/school.js';
import { ensureDemoPki, type DemoPerson } from '../../documents/pki/demo-pki.js';
import { reconcileJob } from '../services/reconcile.js';
import { runJobNow } from '../services/jobs.js';
import type { RunSummary } from '../engine/runner.js';
import type { ServiceEnvironment } from '../services/context.js';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { openContext } from './context.js';
import { createProgressDisplay } from './progress.js';
import { generateAtomically } from './atomic-generate.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import type { NextStepsInput } from './next-steps.js';
import { addDemoVneidDestinations, startDemoVneid, type DemoVneid } from './demo-vneid.js';
import { approvalLines, DEMO_APPROVAL_DELAY_MS, exportDeliveredDocuments, startDemoSigning, writeDemoJobs, type DemoSigningService } from './demo-signing.js';

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
  /** the demo's signers sign on this remote signing service instead of the simulator the demo starts */
  signingUrl?: string;
  /** with signingUrl: the CA of that service's signers' certificates (PEM) */
  signingCa?: string;
  /** how long the demo waits for the signers' approvals (default 2 minutes with the simulator, 15 with a service of people) */
  approvalTimeoutMs?: number;
  /** with signingUrl: how often the demo runs the job again to collect people's approvals (default 10 s) */
  approvalPollMs?: number;
  /** push templates and students to these CIM kiosks instead of the two simulated ones */
  kioskUrls?: string[];
  /** the credentials are published to this VNeID credential service instead of the simulator the demo starts */
  vneidUrl?: string;
}

export const DEMO_UNIT_CODE = 'LTU01';
export const DEMO_CLIENT_ID = 'lienthong-demo';
export const DEMO_SCHOOL_CLIENT_ID = 'lienthong-demo-school';

function demoConfig(schoolCode: string): string {
  return `# Written by "lienthong demo": the sample UIS and school, the bundled hub simulator, a demo PKI
# (the seal's CA) and remote signing (the signers' CA: the simulator's, or --signing-ca).
version: 1
dataDir: ..
jobsDir: ../jobs   # the demo writes its jobs there (its school-record job signs through remote signing)
trust:
  caFiles: [../pki/ca.crt, ../pki/signing-ca.crt]
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
  const { school, teachers } = sampleSchoolSigners(schoolDb);
  const people: DemoPerson[] = teachers.map((t) => ({ personalId: t.personalId, name: t.name, role: 'gvbm' }));
  if (/^\d{12}$/.test(school.principalId)) people.push({ personalId: school.principalId, name: school.principal, role: 'hieutruong' });
  return { people, schoolName: school.name, schoolCode: school.code };
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
  const signing = await startDemoSigning({ dataDir: o.dataDir, signingUrl: o.signingUrl, signingCa: o.signingCa, clientSecret: demo.signingSecret, signers: demo.signers });
  say(signing.external ? `dịch vụ ký số từ xa / remote signing service: ${signing.url} (CA ${signing.caPemPath})` : `ký số từ xa mô phỏng / remote signing simulator: ${signing.url} (${demo.signers.length} signers, automatic approval)`);
  let simulator: HubSimulator | undefined;
  let ctx: ReturnType<typeof openContext> | undefined;
  let vneid: DemoVneid | undefined;
  try {
    writeDemoJobs(o.dataDir, signing);
    vneid = await startDemoVneid({ dataDir: o.dataDir, configFile: demo.configFile, unitCode: DEMO_UNIT_CODE, vneidUrl: o.vneidUrl, publicBaseUrl: `http://${o.listen ?? '127.0.0.1:8080'}` });
    addDemoVneidDestinations(o.dataDir);
    say(`${vneid.external ? 'dịch vụ VNeID / VNeID service' : 'dịch vụ VNeID mô phỏng / VNeID simulator'}: ${vneid.url} (credentials published after the hub accepts)`);
    ctx = openContext(demo.configFile);
    let hubUrl = o.hubUrl;
    if (!hubUrl) {
      simulator = new HubSimulator();
      const trustedCaPems = [readFileSync(demo.caPemPath, 'utf8'), readFileSync(signing.caPemPath, 'utf8')];
      hubUrl = (await simulator.start({ port: 0, host: '127.0.0.1', dbPath: join(o.dataDir, 'hub-simulator.db'), clients: demo.clients, trustedCaPems })).url;
      say(`trục dữ liệu mô phỏng / hub simulator: ${hubUrl}`);
    }
    const env: ServiceEnvironment = { ...ctx, overrides: { hub: { baseUrl: hubUrl }, 'hub-school': { baseUrl: hubUrl }, vneid: { endpoint: vneid.url } } };
    // with --serve the demo's own runs are measured too: the console's /metrics shows them
    const metrics = o.serve ? (await import('../server/metrics.js')).createConsoleMetrics(ctx) : undefined;
    if (metrics) env.observer = metrics.observer;
    const codes: number[] = [];
    codes.push(await demoJob(env, 'diplomas', o, say));
    codes.push(await demoJob(env, 'hocba-thcsthpt', o, say, signing));
    // CIM kiosks (src/cli/demo-cim-push.ts)
    const { demoCimPush } = await import('./demo-cim-push.js');
    codes.push(await demoCimPush(env, { dataDir: o.dataDir, unitCode: DEMO_UNIT_CODE, seed: o.seed, kioskUrls: o.kioskUrls, say }));
    // CIM certificates requested as a kiosk does; the QR codes lead to the console (--serve)
    const { runDemoCimCertificates } = await import('./demo-cim-certificates.js');
    codes.push(await runDemoCimCertificates(env, { dataDir: o.dataDir, publicBaseUrl: `http://${o.listen ?? '127.0.0.1:8080'}`, say }));
    if (!o.hubUrl) {
      const docsDir = join(o.dataDir, 'documents', 'hocba');
      const written = exportDeliveredDocuments(join(o.dataDir, 'hub-simulator.db'), 'hocbaso-thcsthpt', docsDir);
      say(`học bạ đã giao / delivered school records: ${written} in ${docsDir} (kiểm tra / check: lienthong verify --ca ${demo.caPemPath} --ca ${signing.caPemPath} <file>)`);
    }
    if (o.serve) {
      // the console's runs keep going to the simulators the demo started (env's overrides, the job's URL)
      const { serveDemoConsole } = await import('./demo-serve.js');
      await serveDemoConsole(env, { dataDir: o.dataDir, listen: o.listen, metrics, showPassword: process.stdout.isTTY === true, say });
    }
    return worstExitCode(codes);
  } finally {
    await ctx?.close();
    await simulator?.stop();
    await vneid?.stop();
    await signing.stop();
  }
}

/** The demo's folder: the sample databases, the demo PKI, the secrets and the configuration, each made once. */
async function prepareDemo(o: DemoOptions, say: (line: string) => void): Promise<{ configFile: string; caPemPath: string; clients: { clientId: string; clientSecret: string; unitCodes: string[] }[]; signers: DemoPerson[]; signingSecret: string }> {
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
  // lienthong holds only the school's seal: the people sign through remote signing
  const pki = ensureDemoPki(join(o.dataDir, 'pki'), { people: [], schoolName: signers.schoolName, password: pkiPassword });
  if (pki.issued > 0) say(`đã cấp con dấu thử của trường / issued the school's demo seal (CA ${pki.caPemPath})`);
  removePersonalKeys(pki.keysDir, say);
  const signingSecret = secret(join(o.dataDir, 'secrets', 'signing-client-secret'));
  const hubSecret = secret(join(o.dataDir, 'secrets', 'hub-client-secret'));
  const schoolSecret = secret(join(o.dataDir, 'secrets', 'hub-school-client-secret'));
  const configFile = join(o.dataDir, 'config', 'lienthong.yaml');
  // a folder made by an earlier demo (people's keys in pki/keys, the bundled jobs) gets the remote signing configuration
  if (!existsSync(configFile) || !readFileSync(configFile, 'utf8').includes('signing-ca.crt')) writeFileSync(configFile, demoConfig(signers.schoolCode));
  const clients = [
    { clientId: DEMO_CLIENT_ID, clientSecret: hubSecret, unitCodes: [DEMO_UNIT_CODE] },
    { clientId: DEMO_SCHOOL_CLIENT_ID, clientSecret: schoolSecret, unitCodes: [signers.schoolCode] },
  ];
  return { configFile, caPemPath: pki.caPemPath, clients, signers: signers.people, signingSecret };
}

/** An earlier demo's personal test keys (`<personal id>.p12`): removed, the people now sign remotely. */
function removePersonalKeys(keysDir: string, say: (line: string) => void): void {
  const personal = readdirSync(keysDir).filter((f) => /^\d{12}\.p12$/.test(f));
  for (const f of personal) rmSync(join(keysDir, f));
  if (personal.length > 0) say(`đã xóa khóa cá nhân thử / removed the personal test keys: ${personal.length} (people sign through remote signing)`);
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
 * hub, dead, or still pending after the run make the demo exit 3 and say so. A job whose people
 * sign remotely is run again (each run collects the approvals, prepares the next role, sends the
 * requests) until every record is delivered or the approvals do not come in time.
 */
async function demoJob(env: ServiceEnvironment, name: string, o: DemoOptions, say: (line: string) => void, signing?: DemoSigningService): Promise<number> {
  const job = getJob(env.loaded, name);
  say('');
  say(`== ${job.name}: ${job.description ?? ''}`);
  const started = Date.now();
  const runOnce = async (): Promise<RunSummary> => {
    const display = o.quiet ? undefined : createProgressDisplay(process.stderr);
    const summary = await runJobNow(env, job.name, { trigger: 'demo', onProgress: display ? (p) => display.update(p) : undefined });
    display?.stop();
    const c = summary.counts;
    say(`lần chạy / run ${summary.runId}: ${summary.outcome}; read ${c.read}, valid ${c.mapped}, invalid ${c.invalid}, unchanged ${c.unchanged}, awaiting signature ${c.awaitingSignature}, sent ${c.staged}, accepted ${c.accepted}, rejected ${c.rejected}, dead ${c.dead}, retries ${c.retried}`);
    if (summary.error) say(`stopped: ${summary.error.code}: ${summary.error.message}`);
    return summary;
  };
  let summary = await runOnce();
  let awaiting: string[] = [];
  if (signing) {
    const deadline = started + (o.approvalTimeoutMs ?? (signing.external ? 15 * 60_000 : 120_000));
    while (!summary.error && summary.counts.awaitingSignature > 0 && Date.now() < deadline) {
      say(`chờ phê duyệt / waiting for the approval of: ${(summary.awaited ?? []).join(', ')}${signing.external ? ` (at most until ${new Date(deadline).toISOString()}; approve on the signing service)` : ''}`);
      // a person takes a while: ask again every 10 s; the simulator's collect itself waits for its approvals
      await sleep(Math.min(signing.external ? (o.approvalPollMs ?? 10_000) : DEMO_APPROVAL_DELAY_MS, Math.max(0, deadline - Date.now())));
      summary = await runOnce();
    }
    const approvals = approvalLines(await env.store.signingRequests(job.name), started);
    say(`phê duyệt đã chờ / approvals waited for: ${approvals.length}`);
    for (const line of approvals) say(line);
    if (summary.counts.awaitingSignature > 0) awaiting = summary.awaited ?? [];
  }
  const runCode = exitCodeOf(summary as NextStepsInput);
  if (runCode === EXIT.config || runCode === EXIT.failed) return runCode;
  const { report, paths } = await reconcileJob(env, job.name);
  say(renderReconciliationSummary(report, o.lang));
  say(`báo cáo / report: ${paths.htmlPath}`);
  if (awaiting.length > 0) {
    say(`CHƯA KÝ XONG / NOT SIGNED YET: ${job.name}: ${summary.counts.awaitingSignature} record(s) wait for the approval of: ${awaiting.join(', ')} (lienthong signing status ${job.name}; lienthong run ${job.name} collects the approvals and sends)`);
    return EXIT.partial;
  }
  const leftOver = leftOverAtHub(report.totals);
  if (leftOver.length === 0) return EXIT.ok;
  say(`THIẾU / INCOMPLETE: ${job.name}: ${leftOver.join(', ')} (lienthong dead-letters list ${job.name}; lienthong run ${job.name} sends what is pending)`);
  return EXIT.partial;
}
