/**
 * The demo's CIM kiosk part (docs/cim.md#kiosks): the certificate templates and the sample UIS's
 * current students pushed to two simulated kiosks, one of them offline for the first run. Three
 * students change while it is away (a suspension, a withdrawal, a corrected name); once it is back
 * the next run gives it every change, in order, once, and the demo checks that both kiosks hold the
 * same. With `--kiosk-url URL` (repeatable) the push goes to those kiosks instead (their token in
 * $LIENTHONG_KIOSK_TOKEN; each kiosk's id is what its health endpoint answers).
 */
import { join } from 'node:path';
import { CimKioskDestination, KioskClient, type ResolvedKiosk } from '../../connectors/cim-kiosk/index.js';
import { KioskSimulator } from '../../connectors/cim-kiosk/simulator/index.js';
import { createSqlSource } from '../../connectors/sql/index.js';
import { cimStudentSnapshotMapping } from '../../mappings/cim-student-snapshot/1/index.js';
import { loadTemplateRegistry } from '../cim/templates.js';
import { jobSchema } from '../config/schema.js';
import type { ConnectionConfig } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { runJob, type RunSummary } from '../engine/runner.js';
import { uisCurrentTableNames } from '../sample/uis-current-schema.js';
import { writeCurrentStudents } from '../sample/uis-current.js';
import { openUisDb } from '../sample/uis-db.js';
import { generateDecisions } from '../sample/uis-rows.js';
import { SeededRandom } from '../core/seeded-random.js';
import { DEFAULT_SAMPLE_NOW, UIS_STUDENT_SNAPSHOT_QUERY, UIS_STUDENT_STATUS, uisStudentCodes, updateUisStudent } from '../sample/uis.js';
import type { ServiceEnvironment } from '../services/context.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import type { NextStepsInput } from './next-steps.js';

export const DEMO_KIOSK_JOB = 'cim-kiosks';
const SIMULATED = [
  { id: 'kiosk-a1', token: 'demo-kiosk-a1-token' },
  { id: 'kiosk-b2', token: 'demo-kiosk-b2-token' },
];

export interface DemoKioskOptions {
  dataDir: string;
  unitCode: string;
  seed: number;
  /** push to these kiosks instead of the simulators */
  kioskUrls?: string[];
  say: (line: string) => void;
}

/** Runs the demo's kiosk part; answers its exit code (0 when every kiosk holds everything). */
export async function demoCimPush(env: ServiceEnvironment, o: DemoKioskOptions): Promise<number> {
  o.say('');
  o.say(`== ${DEMO_KIOSK_JOB}: mẫu giấy chứng nhận và sinh viên → máy cấp chứng nhận (CIM) / templates and students → CIM kiosks`);
  const uisPath = join(o.dataDir, 'uis.db');
  await ensureCurrentStudents(uisPath, o.seed);
  const external = (o.kioskUrls ?? []).length > 0;
  const simulators: KioskSimulator[] = [];
  // simulated kiosks start empty at every demo (a demo folder is reused): they get lanes and a
  // ledger target of their own, so they are sent everything; kiosks given by URL keep theirs
  const connection = external ? 'kiosks' : `demo-kiosks-${Date.now().toString(36)}`;
  try {
    const kiosks = external ? await externalKiosks(o.kioskUrls ?? []) : await startSimulators(simulators);
    // the console (demo --serve) lists these kiosks: the connection as a configuration would declare it
    env.loaded.config.connections[connection] = { type: 'cim-kiosk', kiosks: kiosks.map((k) => ({ id: k.id, url: k.url, token: 'env:LIENTHONG_KIOSK_TOKEN' })) } as unknown as ConnectionConfig;
    for (const k of kiosks) o.say(`ki-ốt / kiosk ${k.id}: ${k.url}${external ? '' : k.id === 'kiosk-b2' ? ' (mất kết nối lúc đầu / offline at first)' : ''}`);
    const run = (fullRefresh: boolean): Promise<RunSummary> => runKioskJob(env, uisPath, connection, kiosks, o, fullRefresh);

    // empty kiosks: the first run reads every current student, whatever an earlier demo read
    const first = await run(!external);
    if (!external) {
      const codes = await uisStudentCodes({ driver: 'sqlite', path: uisPath }, UIS_STUDENT_STATUS.studying);
      const target = { driver: 'sqlite' as const, path: uisPath };
      await updateUisStudent(target, codes[0] as string, { status: UIS_STUDENT_STATUS.suspended });
      await updateUisStudent(target, codes[1] as string, { status: UIS_STUDENT_STATUS.withdrawn });
      await updateUisStudent(target, codes[2] as string, { fullName: 'Nguyễn Thị Thu Hà' });
      o.say(`trong lúc kiosk-b2 vắng / while kiosk-b2 is away: ${codes[0]} bảo lưu (suspended), ${codes[1]} thôi học (withdrawn), ${codes[2]} sửa họ tên (name corrected)`);
      await (simulators[1] as KioskSimulator).goOnline();
      o.say('kiosk-b2 hoạt động trở lại / is back');
    }
    const last = external ? first : await run(false);
    const code = exitCodeOf(last as NextStepsInput);
    if (external) return code;
    const [a, b] = simulators as [KioskSimulator, KioskSimulator];
    for (const k of [a, b]) {
      const puts = k.received.filter((r) => r.method !== 'GET');
      o.say(`${k === a ? 'kiosk-a1' : 'kiosk-b2'}: ${k.templates.size} templates, ${k.students.size} students; ${k.applied.length} changes applied from ${puts.length} requests`);
    }
    const same = JSON.stringify([...a.students.entries()].sort()) === JSON.stringify([...b.students.entries()].sort()) && JSON.stringify([...a.templates.entries()].sort()) === JSON.stringify([...b.templates.entries()].sort());
    const once = new Set(b.applied.map((x) => `${x.kind}:${x.key}`)).size === b.applied.length;
    o.say(same && once ? 'kiosk-b2 đã bắt kịp: mỗi thay đổi một lần, đúng thứ tự / kiosk-b2 caught up: every change once, in order' : 'KIOSKS DIFFER: kiosk-b2 did not catch up');
    return same && once ? code : EXIT.partial;
  } finally {
    for (const s of simulators) await s.stop();
  }
}

async function runKioskJob(env: ServiceEnvironment, uisPath: string, connection: string, kiosks: ResolvedKiosk[], o: DemoKioskOptions, fullRefresh: boolean): Promise<RunSummary> {
  const job = jobSchema.parse({
    name: DEMO_KIOSK_JOB,
    source: { connection: 'uis', stream: 'current-students', mode: 'incremental', query: UIS_STUDENT_SNAPSHOT_QUERY, keyFields: ['student_code'], cursorField: 'updated_at' },
    mapping: { name: 'cim-student-snapshot/1' },
    unitCode: o.unitCode,
    destinations: [{ connection, dataset: 'students' }],
  });
  const source = createSqlSource({ driver: 'sqlite', url: uisPath, streams: [{ name: 'current-students', query: UIS_STUDENT_SNAPSHOT_QUERY, keyFields: ['student_code'], cursorField: 'updated_at' }] });
  const destination = new CimKioskDestination({ connection, kiosks, templates: loadTemplateRegistry(join(packageRoot(), 'config/templates/cim')) });
  try {
    const summary = await runJob(job, { store: env.store, source, mapping: cimStudentSnapshotMapping, destinations: [{ config: job.destinations[0]!, connector: destination }], unitCode: o.unitCode, logger: env.logger }, { trigger: 'demo', fullRefresh });
    const c = summary.counts;
    o.say(`lần chạy / run ${summary.runId}: ${summary.outcome} (exit ${exitCodeOf(summary as NextStepsInput)}); read ${c.read}, changed ${c.staged}, held for offline kiosks ${c.deferred}, refused ${c.dead}`);
    for (const r of destination.lastResults) o.say(`  ${r.kioskId}: ${r.end}, sent ${r.sent}, queued ${r.queued}`);
    for (const n of summary.notices) o.say(`  ${n}`);
    if (summary.error) o.say(`  stopped: ${summary.error.code}: ${summary.error.message}`);
    return summary;
  } finally {
    await source.close();
    await destination.close();
  }
}

function resolved(id: string, url: string, token: string): ResolvedKiosk {
  return { id, url, token, concurrency: 1, rateLimit: { perSecond: 200, burst: 200 }, timeoutMs: 5_000, retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 }, allowInsecureHttp: true };
}

async function startSimulators(out: KioskSimulator[]): Promise<ResolvedKiosk[]> {
  const kiosks: ResolvedKiosk[] = [];
  for (const [i, k] of SIMULATED.entries()) {
    const sim = new KioskSimulator();
    const { url } = await sim.start({ kioskId: k.id, token: k.token, startOffline: i === 1 });
    out.push(sim);
    kiosks.push(resolved(k.id, url, k.token));
  }
  return kiosks;
}

/** kiosks given by URL: the token from the environment, the id from each kiosk's own health answer */
async function externalKiosks(urls: string[]): Promise<ResolvedKiosk[]> {
  const token = process.env.LIENTHONG_KIOSK_TOKEN;
  if (!token) throw new ConfigError('KIOSK_TOKEN_MISSING', 'demo --kiosk-url: set LIENTHONG_KIOSK_TOKEN to the token the kiosks accept', { path: 'LIENTHONG_KIOSK_TOKEN' });
  const out: ResolvedKiosk[] = [];
  for (const url of urls) {
    const client = new KioskClient({ id: url, url, token, timeoutMs: 5_000, concurrency: 1 });
    try {
      out.push(resolved((await client.health()).kioskId, url, token));
    } finally {
      client.close();
    }
  }
  return out;
}

/** a demo folder made before the UIS had current students gets them (its graduates stay as they are) */
async function ensureCurrentStudents(uisPath: string, seed: number): Promise<void> {
  const db = await openUisDb({ driver: 'sqlite', path: uisPath });
  try {
    const t = uisCurrentTableNames(db.naming);
    const exists = await db.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, [t.current_students]);
    if (exists.length > 0) return;
    const { uisCurrentDdl } = await import('../sample/uis-current-schema.js');
    for (const sql of uisCurrentDdl('sqlite', db.naming)) await db.exec(sql);
    await writeCurrentStudents(db, { count: 60, seed, now: DEFAULT_SAMPLE_NOW, decisions: generateDecisions(new SeededRandom(seed ^ 0x5eed), DEFAULT_SAMPLE_NOW) });
  } finally {
    await db.close();
  }
}
