/**
 * `node dist/bench/cim-push.js`: student snapshots pushed per second to 4 simulated CIM kiosks
 * through the cim-kiosk destination's lanes (connectors/cim-kiosk): each snapshot goes into the
 * 4 lanes of the state store (on its worker thread, as in production), then every lane is
 * forwarded, the 4 kiosks in parallel, each in order with its own limits. The simulators run in
 * this process, on 127.0.0.1, so their HTTP handling shares the two cores with lienthong.
 *
 * Scenarios: all kiosks online, with concurrency 1 (strict order, the default) and 4 per kiosk;
 * and a catch-up: one kiosk offline while the others are served, then back and sent its backlog.
 * Result key `push` of bench/results/cim.json (read-modify-write: the certificate benchmark writes
 * `certificates` into the same file). BENCH_CIM_SNAPSHOTS sets the snapshots (default 2000).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { CimKioskDestination } from '../connectors/cim-kiosk/destination.js';
import { KioskSimulator } from '../connectors/cim-kiosk/simulator/server.js';
import type { ResolvedKiosk } from '../connectors/cim-kiosk/config.js';
import { loadTemplateRegistry } from '../src/cim/templates.js';
import { packageRoot } from '../src/core/package-root.js';
import type { EncodedRecord } from '../src/core/records.js';
import { openStateStore } from '../stores/sqlite/worker-store.js';

const KIOSKS = 4;
const SNAPSHOTS = Number(process.env.BENCH_CIM_SNAPSHOTS ?? 2000);
const round = (n: number): number => Math.round(n * 100) / 100;

function snapshots(n: number, version: number): EncodedRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const studentId = `2590${String(i).padStart(4, '0')}`;
    const snapshot = { studentId, fullName: `Nguyễn Văn Sinh Viên ${i}`, birthDate: '2007-05-14', programme: 'Công nghệ thông tin', faculty: 'Khoa Công nghệ thông tin', cohort: 'K70', status: 'studying', updatedAt: `2026-10-0${version}T08:00:00` };
    return { idbanghi: studentId, version, contentHash: `h${version}-${i}`, encoded: JSON.stringify({ op: 'put', studentId, snapshot }) };
  });
}

interface Scenario {
  name: string;
  snapshots: number;
  kiosks: number;
  concurrencyPerKiosk: number;
  /** requests that reached the kiosks (templates and snapshots) */
  requests: number;
  enqueueSeconds: number;
  forwardSeconds: number;
  /** snapshots × kiosks delivered per second of forwarding */
  snapshotsPerSecond: number;
  /** the same, per kiosk */
  perKioskPerSecond: number;
}

async function scenario(name: string, concurrency: number, offlineFirst: boolean): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-cim-'));
  const store = openStateStore(join(dir, 'state.db'));
  const sims: KioskSimulator[] = [];
  try {
    const kiosks: ResolvedKiosk[] = [];
    for (let i = 0; i < KIOSKS; i++) {
      const sim = new KioskSimulator();
      const id = `kiosk-${i + 1}`;
      await sim.start({ kioskId: id, token: `t-${id}`, startOffline: offlineFirst && i === 0 });
      sims.push(sim);
      kiosks.push({ id, url: sim.url, token: `t-${id}`, concurrency, rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, timeoutMs: 10_000, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, allowInsecureHttp: false });
    }
    const templates = loadTemplateRegistry(join(packageRoot(), 'config/templates/cim'));
    const log = (): void => undefined;
    const destination = new CimKioskDestination({ connection: 'bench', kiosks, templates });
    await destination.beginRun({ job: 'bench', store, signal: new AbortController().signal, log });
    const t0 = performance.now();
    const batch = snapshots(SNAPSHOTS, 1);
    for (let i = 0; i < batch.length; i += 200) await destination.write(batch.slice(i, i + 200), { dataset: 'students', schemaVersion: 'CimStudentSnapshot/1' });
    const enqueueSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    let end = await destination.endRun();
    if (offlineFirst) {
      if (end.deferred !== SNAPSHOTS + templates.templates.length) throw new Error(`the offline kiosk should hold ${SNAPSHOTS + templates.templates.length} changes, not ${end.deferred}`);
      await (sims[0] as KioskSimulator).goOnline();
      const again = new CimKioskDestination({ connection: 'bench', kiosks, templates });
      await again.beginRun({ job: 'bench', store, signal: new AbortController().signal, log });
      end = await again.endRun();
    }
    const forwardSeconds = (performance.now() - t1) / 1000;
    if (end.deferred !== 0 || end.dead !== 0) throw new Error(`left over: ${end.deferred} deferred, ${end.dead} dead`);
    for (const s of sims) if (s.students.size !== SNAPSHOTS) throw new Error(`a kiosk holds ${s.students.size} of ${SNAPSHOTS} snapshots`);
    const requests = sims.reduce((n, s) => n + s.received.filter((r) => r.method !== 'GET').length, 0);
    return {
      name,
      snapshots: SNAPSHOTS,
      kiosks: KIOSKS,
      concurrencyPerKiosk: concurrency,
      requests,
      enqueueSeconds: round(enqueueSeconds),
      forwardSeconds: round(forwardSeconds),
      snapshotsPerSecond: round((SNAPSHOTS * KIOSKS) / forwardSeconds),
      perKioskPerSecond: round(SNAPSHOTS / forwardSeconds),
    };
  } finally {
    for (const s of sims) await s.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const scenarios = [await scenario('online, concurrency 1 per kiosk (strict order)', 1, false), await scenario('online, concurrency 4 per kiosk', 4, false), await scenario('catch-up: one kiosk offline, then back (concurrency 1)', 1, true)];
  const push = {
    generatedAt: new Date().toISOString(),
    what: 'student snapshots into 4 kiosk lanes of the state store (worker thread), then forwarded to 4 kiosk simulators over HTTP on 127.0.0.1 (same process); snapshotsPerSecond counts each snapshot once per kiosk',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemoryMb: Math.round(totalmem() / 1024 / 1024), node: process.version, platform: process.platform },
    loadAverageAtEnd: loadavg().map(round),
    scenarios,
  };
  const out = join(packageRoot(), 'bench', 'results', 'cim.json');
  mkdirSync(join(packageRoot(), 'bench', 'results'), { recursive: true });
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(out, JSON.stringify({ ...previous, push }, null, 2) + '\n');
  for (const s of scenarios) process.stdout.write(`${s.name}: ${s.snapshotsPerSecond} snapshots/s to ${s.kiosks} kiosks (${s.perKioskPerSecond}/s each; enqueue ${s.enqueueSeconds} s, forward ${s.forwardSeconds} s)\n`);
  process.stdout.write(`written: ${out} (push)\n`);
}

await main();
