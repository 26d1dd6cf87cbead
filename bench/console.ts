/**
 * `npm run bench` (console part): the web console's API over a ledger of ROWS (1,000,000) records.
 * The parent fills a state store (bench/console-data.ts), starts the console in a child process
 * (bench/console-server.ts: the server, the API routes and /metrics on an ephemeral port, with an
 * API token), and loads each endpoint with autocannon for DURATION seconds at CONNECTIONS
 * connections, one endpoint after the other:
 *
 *   dashboard            GET  /api/v1/jobs
 *   search-personal-id   POST /api/v1/ledger/search {job, q: a 12-digit personal id}
 *   search-source-key    POST /api/v1/ledger/search {job, q: a source key}
 *   run-detail           GET  /api/v1/runs/:id
 *   metrics              GET  /metrics (a Prometheus scrape)
 *
 * Every response's time is kept (autocannon's own percentiles have no p95), so p50/p95/p99 are
 * exact; an answer other than 200 fails the bench (the speed of a 401 says nothing). Results, with
 * the machine's facts, go to bench/results/console.json. Target: p95 under 200 ms for each
 * endpoint, checked and printed, not asserted.
 *
 *   CONSOLE_BENCH_ROWS (1000000), CONSOLE_BENCH_SECONDS (5), CONSOLE_BENCH_CONNECTIONS (4)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config/load.js';
import { packageRoot } from '../src/core/package-root.js';
import { targetId } from '../src/store/store.js';
import { fillLedger, personalIdOf } from './console-data.js';

const TARGET_P95_MS = 200;
const ROWS = Number(process.env.CONSOLE_BENCH_ROWS ?? 1_000_000);
const SECONDS = Number(process.env.CONSOLE_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CONSOLE_BENCH_CONNECTIONS ?? 4);
const JOB = 'diplomas';
const TARGET = targetId('hub', 'vanbangchungchi');

/** what bench/console.ts uses of autocannon (it ships no types) */
interface AutocannonRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers: Record<string, string>; requests: AutocannonRequest[] }, done: (err: Error | null, result: { requests: { average: number }; errors: number; timeouts: number }) => void) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface EndpointResult {
  name: string;
  request: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  p95UnderTarget: boolean;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (n: number): number => Math.round(n * 100) / 100;

function load(name: string, url: string, token: string, requests: AutocannonRequest[]): Promise<EndpointResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const bad = new Map<number, number>();
    const started = process.hrtime.bigint();
    const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, requests }, (err, result) => {
      if (err) return reject(err);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (bad.size > 0) return reject(new Error(`${name}: answers other than 200: ${[...bad].map(([s, n]) => `${n}× ${s}`).join(', ')}`));
      if (result.errors > 0 || result.timeouts > 0) return reject(new Error(`${name}: ${result.errors} errors, ${result.timeouts} timeouts`));
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      resolve({
        name,
        request: `${requests[0]?.method} ${requests[0]?.path}`,
        requests: times.length,
        requestsPerSecond: round(times.length / seconds),
        p50Ms: round(percentile(times, 50)),
        p95Ms: round(p95),
        p99Ms: round(percentile(times, 99)),
        maxMs: round(times[times.length - 1] ?? NaN),
        p95UnderTarget: p95 < TARGET_P95_MS,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode === 200) times.push(ms);
      else bad.set(statusCode, (bad.get(statusCode) ?? 0) + 1);
    });
  });
}

/** A configuration with the shipped diploma job (its hub is never called: nothing runs). */
function workspace(dir: string): string {
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'jobs'));
  copyFileSync(join(packageRoot(), 'jobs', 'diplomas.yaml'), join(dir, 'jobs', 'diplomas.yaml'));
  writeFileSync(join(dir, 'hub.secret'), 'bench-secret-0123456789');
  writeFileSync(
    join(dir, 'config', 'lienthong.yaml'),
    ['version: 1', 'dataDir: ../data', 'jobsDir: ../jobs', 'log: { level: warn, file: logs/lienthong.log }', 'connections:', '  uis: { type: sql, driver: sqlite, url: ../uis.db }', '  hub: { type: ministry-hub, baseUrl: "http://127.0.0.1:9", unitCode: BENCH01, clientId: bench, clientSecret: "file:../hub.secret" }', ''].join('\n'),
  );
  return join(dir, 'config', 'lienthong.yaml');
}

function startServer(configFile: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  const file = join(fileURLToPath(new URL('.', import.meta.url)), 'console-server.js');
  const child = spawn(process.execPath, [file, configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the console exited ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({ child, url, token });
    });
  });
}

/**
 * One request of each kind before the load, checked: a search that finds nothing, or a run that is
 * not there, would be measured as fast as it is wrong.
 */
async function checkAnswers(url: string, token: string, filled: Awaited<ReturnType<typeof fillLedger>>): Promise<void> {
  const ask = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(url + path, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const expectThat = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`bench check failed: ${what}`);
  };
  const jobs = (await ask('/api/v1/jobs')).jobs as { name: string }[];
  expectThat(jobs.length === 1 && jobs[0]?.name === JOB, 'the dashboard lists the job');
  const i = filled.picks[2] ?? 0;
  const byId = await ask('/api/v1/ledger/search', { job: JOB, q: personalIdOf(i) });
  expectThat(byId.matchedBy === 'personalId' && (byId.entries as { idbanghi: string }[])[0]?.idbanghi === filled.idbanghis[2], 'a personal id finds its record');
  const byKey = await ask('/api/v1/ledger/search', { job: JOB, q: filled.sourceKeys[2] });
  expectThat(byKey.matchedBy === 'sourceKey' && (byKey.entries as unknown[]).length === 1, 'a source key finds its record');
  const run = (await ask(`/api/v1/runs/${filled.runIds[1]}`)).run as { id: string };
  expectThat(run.id === filled.runIds[1], 'a run is found by its id');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-console-'));
  try {
    const configFile = workspace(dir);
    const loaded = loadConfig(configFile);
    mkdirSync(loaded.dataDir, { recursive: true, mode: 0o700 });
    console.log(`filling a ledger of ${ROWS} rows…`);
    const cpuBefore = process.cpuUsage();
    const filled = await fillLedger(loaded.storePath, { job: JOB, target: TARGET, rows: ROWS });
    const cpu = process.cpuUsage(cpuBefore);
    // on a shared machine the wall time says how busy it was; the CPU time is the fill's own cost
    const fillCpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(`  ${filled.rows} rows and a run history in ${filled.seconds.toFixed(1)} s (${fillCpuSeconds.toFixed(1)} s of CPU)`);
    const { child, url, token } = await startServer(configFile);
    try {
      const search = (q: string): AutocannonRequest => ({ method: 'POST', path: '/api/v1/ledger/search', body: JSON.stringify({ job: JOB, q }) });
      const endpoints: [string, AutocannonRequest[]][] = [
        ['dashboard', [{ method: 'GET', path: '/api/v1/jobs' }]],
        ['search-personal-id', filled.picks.map((i) => search(personalIdOf(i)))],
        ['search-source-key', filled.sourceKeys.map(search)],
        ['run-detail', filled.runIds.map((id) => ({ method: 'GET' as const, path: `/api/v1/runs/${id}` }))],
        ['metrics', [{ method: 'GET', path: '/metrics' }]],
      ];
      await checkAnswers(url, token, filled);
      const results: EndpointResult[] = [];
      for (const [name, requests] of endpoints) {
        const r = await load(name, url, token, requests);
        results.push(r);
        console.log(`  ${name.padEnd(20)} ${String(r.requestsPerSecond).padStart(8)} req/s  p50 ${r.p50Ms} ms  p95 ${r.p95Ms} ms  p99 ${r.p99Ms} ms  ${r.p95UnderTarget ? 'ok' : `OVER ${TARGET_P95_MS} ms`}`);
      }
      const out = {
        generatedAt: new Date().toISOString(),
        // a busy machine (other work on its cores) slows every endpoint alike: the load says how busy it was
        loadAverageAtEnd: loadavg().map(round),
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, totalMemoryMb: Math.round(totalmem() / 2 ** 20), node: process.version, platform: process.platform },
        ledgerRows: filled.rows,
        fillSeconds: round(filled.seconds),
        fillCpuSeconds: round(fillCpuSeconds),
        load: { tool: 'autocannon', secondsPerEndpoint: SECONDS, connections: CONNECTIONS, server: 'a child process (worker-thread SQLite store, as lienthong start)' },
        targetP95Ms: TARGET_P95_MS,
        allUnderTarget: results.every((r) => r.p95UnderTarget),
        endpoints: results,
      };
      const resultsDir = join(packageRoot(), 'bench', 'results');
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, 'console.json'), JSON.stringify(out, null, 2) + '\n');
      console.log(`results: ${join(resultsDir, 'console.json')}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
