/**
 * `npm run bench`: the diploma pipeline's throughput and memory at 50k and 200k records.
 *
 *   read-map     SQLite source → mapping → content hash (no store, no network)
 *   delivery     records already staged in the ledger → hub simulator (the delivery stage alone)
 *   end-to-end   SQLite source → mapping → ledger → hub simulator, a whole run
 *   end-to-end-pg  the same run reading the same sample from PostgreSQL (bench/pg-end-to-end.ts;
 *                only with LIENTHONG_TEST_PG set): within 1.5× of the SQLite end-to-end rate
 *
 * Each scenario runs in a child process of its own so that its peak RSS is its own; the hub
 * simulator runs in another process with its rate limit lifted. Every scenario runs BENCH_RUNS
 * times (3 by default, interleaved): a scenario's rate is the median of its runs and its peak RSS
 * the highest, as on a shared machine one run can be slowed by a neighbour. Results, with every
 * run, go to bench/results/latest.json. Targets (checked and printed, not asserted): end to end at
 * least half the read+map rate; peak RSS under 300 MB, and at 200k within 1.3× of 50k.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqlSource } from '../connectors/sql/index.js';
import { MinistryHubDestination } from '../connectors/ministry-hub/index.js';
import { getMapping } from '../mappings/index.js';
import { destinationSchema, jobSchema, type JobDefinition } from '../src/config/schema.js';
import { contentHash, hashedJson } from '../src/core/hash.js';
import { serializeEnvelope } from '../connectors/ministry-hub/envelope.js';
import { boundHeapGrowth } from '../src/core/heap.js';
import { silentLogger } from '../src/core/logger.js';
import { packageRoot } from '../src/core/package-root.js';
import { Deliverer } from '../src/engine/deliverer.js';
import { runJob } from '../src/engine/runner.js';
import { generateUisDatabase, UIS_DIPLOMA_QUERY } from '../src/sample/uis.js';
import { spawnHubSimulatorProcess } from '../connectors/ministry-hub/simulator/index.js';
import { openStateStore } from '../stores/sqlite/worker-store.js';
import { dropPgBench, PG_SCENARIO, PG_TARGET_FACTOR, pgBenchSource, pgBenchUrl, preparePgBench } from './pg-end-to-end.js';
import { emptyCounts, targetId, type StageRow } from '../src/store/store.js';

type Scenario = 'read-map' | 'delivery' | 'end-to-end' | typeof PG_SCENARIO;
interface RunResult {
  scenario: Scenario;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
}

interface Result extends RunResult {
  /** every run: the rate above is their median, the peak RSS their highest */
  runs: { seconds: number; recordsPerSecond: number; peakRssMb: number }[];
}

function summarize(runs: RunResult[]): Result {
  const byRate = [...runs].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond);
  const median = byRate[Math.floor((byRate.length - 1) / 2)] as RunResult;
  return {
    ...median,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    runs: runs.map((r) => ({ seconds: r.seconds, recordsPerSecond: r.recordsPerSecond, peakRssMb: r.peakRssMb })),
  };
}

const UNIT = 'BENCH01';
const CLIENT = { id: 'bench', secret: 'bench-secret-0123456789' };
const MAPPING_OPTIONS = { tentruong: 'Trường Đại học Liên Thông', noicap: 'Hà Nội', donvicap: 'Trường Đại học Liên Thông', thongtu: '10/2026', paperSignerName: 'Nguyễn Văn Hiệu', paperSignerTitle: 'Hiệu trưởng' };

function job(): JobDefinition {
  return jobSchema.parse({
    name: 'bench-diplomas',
    source: { connection: 'uis', stream: 'diplomas', mode: 'full', query: UIS_DIPLOMA_QUERY, keyFields: ['diploma_id'], cursorField: 'updated_at' },
    mapping: { name: 'vanbangchungchi/2025', options: MAPPING_OPTIONS },
    destinations: [{ connection: 'hub', dataset: 'vanbangchungchi', batchSize: 500, concurrency: 4, rateLimit: { perSecond: 10_000, burst: 1000 }, retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1000 } }],
  });
}

function source(uisPath: string) {
  const j = job();
  return createSqlSource({ driver: 'sqlite', url: uisPath, streams: [{ name: 'diplomas', query: j.source.query, keyFields: j.source.keyFields, cursorField: j.source.cursorField, initialCursor: '' }] });
}

function destination(url: string): MinistryHubDestination {
  return new MinistryHubDestination({ baseUrl: url, unitCode: UNIT, clientId: CLIENT.id, clientSecret: CLIENT.secret, timeoutMs: 60_000, maxBatchSize: 500, gzipThresholdBytes: 16_384 });
}

async function withHub<T>(dir: string, fn: (url: string) => Promise<T>): Promise<T> {
  const entry = join(packageRoot(), 'dist', 'connectors', 'ministry-hub', 'simulator', 'main.js');
  const hub = await spawnHubSimulatorProcess(entry, ['--port', '0', '--db', join(dir, 'hub.db'), '--client-id', CLIENT.id, '--client-secret', CLIENT.secret, '--unit', UNIT, '--no-rate-limit']);
  try {
    return await fn(hub.url);
  } finally {
    await hub.stop();
  }
}

/** One scenario, in this (child) process; `uisPath` is the PostgreSQL schema for end-to-end-pg. */
async function child(scenario: Scenario, uisPath: string): Promise<Omit<RunResult, 'peakRssMb'>> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-'));
  const j = job();
  const mapping = getMapping(j.mapping.name);
  try {
    if (scenario === 'read-map') {
      const src = source(uisPath);
      const t0 = performance.now();
      let n = 0;
      for await (const r of src.read({ stream: 'diplomas', mode: 'full' })) {
        const m = mapping.map(r, { unitCode: UNIT, options: MAPPING_OPTIONS });
        if (m.ok) contentHash(m.data);
        n++;
      }
      const seconds = (performance.now() - t0) / 1000;
      await src.close();
      return { scenario, records: n, seconds, recordsPerSecond: n / seconds };
    }
    const store = openStateStore(join(dir, 'state.db'));
    return await withHub(dir, async (url) => {
      const dest = destination(url);
      try {
        if (scenario === 'end-to-end' || scenario === PG_SCENARIO) {
          const src = scenario === PG_SCENARIO ? pgBenchSource(j, pgBenchUrl() ?? '', uisPath) : source(uisPath);
          const t0 = performance.now();
          const s = await runJob(j, { store, source: src, mapping, destinations: [{ config: j.destinations[0]!, connector: dest }], unitCode: UNIT, logger: silentLogger() });
          const seconds = (performance.now() - t0) / 1000;
          // the run leaves its source open; a PostgreSQL pool would keep this process alive
          await src.close();
          // the sample is dirty on purpose: a run that held back its invalid records is partial, and
          // that is a complete run; anything else left over (deferred, dead, rejected) is not
          const c = s.counts;
          const complete = s.outcome === 'succeeded' || (s.outcome === 'partial' && c.deferred + c.dead + c.rejected + c.conflicts === 0);
          if (!complete) throw new Error(`bench run ${s.outcome}: ${JSON.stringify({ error: s.error, counts: c })}`);
          return { scenario, records: s.counts.read, seconds, recordsPerSecond: s.counts.read / seconds };
        }
        // delivery: stage everything first (not timed), then drain the outbox to the hub
        const target = targetId('hub', 'vanbangchungchi');
        const src = source(uisPath);
        let batch: StageRow[] = [];
        let staged = 0;
        for await (const r of src.read({ stream: 'diplomas', mode: 'full' })) {
          const m = mapping.map(r, { unitCode: UNIT, options: MAPPING_OPTIONS });
          if (!m.ok) continue;
          // staged as the runner stages: data in its RFC 8785 form, hashed and serialized once
          const { json, hash } = hashedJson(m.data);
          const envelopeJson = serializeEnvelope({ idbanghi: m.idbanghi, sukien: 'NEW', phienban: 1, thoigiancapnhat: m.thoigiancapnhat }, json);
          batch.push({ target, job: j.name, sourceKey: r.key, contentHash: hash, idbanghi: m.idbanghi, phienban: 1, envelopeJson });
          if (batch.length === 1000) {
            await store.stage(dedupe(batch));
            staged += batch.length;
            batch = [];
          }
        }
        await store.stage(dedupe(batch));
        staged += batch.length;
        await src.close();
        const counts = emptyCounts();
        const deliverer = new Deliverer({ target, config: destinationSchema.parse(j.destinations[0]), connector: dest, schemaVersion: mapping.schemaVersion, store, counts, logger: silentLogger(), signal: new AbortController().signal, onFatal: (e) => { throw e; } });
        const t0 = performance.now();
        const n = await deliverer.drainOutbox();
        await deliverer.flush();
        const seconds = (performance.now() - t0) / 1000;
        if (counts.accepted === 0) throw new Error(`nothing accepted of ${staged} staged`);
        return { scenario, records: n, seconds, recordsPerSecond: n / seconds };
      } finally {
        await dest.close();
        await store.close();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dedupe(batch: StageRow[]): StageRow[] {
  const seen = new Map<string, StageRow>();
  for (const s of batch) seen.set(s.idbanghi, s);
  return [...seen.values()];
}

async function parent(): Promise<void> {
  const root = packageRoot();
  const cache = join(root, 'bench', '.cache');
  mkdirSync(cache, { recursive: true });
  const sizes = (process.env.BENCH_SIZES ?? '50000,200000').split(',').map(Number);
  const pgUrl = pgBenchUrl();
  const scenarios: Scenario[] = ['read-map', 'delivery', 'end-to-end', ...(pgUrl ? [PG_SCENARIO] : [])];
  if (!pgUrl) process.stdout.write(`${PG_SCENARIO}: skipped (set LIENTHONG_TEST_PG to a PostgreSQL URL to run it)\n`);
  const rounds = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const results: Result[] = [];
  for (const size of sizes) {
    const uisPath = join(cache, `uis-${size}.db`);
    if (!existsSync(uisPath)) {
      process.stdout.write(`generating a sample UIS of ${size} diplomas…\n`);
      await generateUisDatabase({ driver: 'sqlite', path: uisPath }, { records: size, seed: 2026 });
    }
    if (pgUrl) process.stdout.write(`writing the sample UIS of ${size} diplomas to PostgreSQL…\n`);
    const pgSchema = pgUrl ? await preparePgBench(pgUrl, size) : '';
    const runs = new Map<Scenario, RunResult[]>(scenarios.map((s) => [s, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const scenario of scenarios) {
        const where = scenario === PG_SCENARIO ? pgSchema : uisPath;
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', scenario, where], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
        if (r.status !== 0) throw new Error(`bench ${scenario} ${size} failed:\n${r.stderr}`);
        const line = r.stdout.trim().split('\n').pop() ?? '{}';
        const result = JSON.parse(line) as RunResult;
        runs.get(scenario)?.push(result);
        process.stdout.write(`${scenario.padEnd(11)} ${String(result.records).padStart(7)} records  ${result.recordsPerSecond.toFixed(0).padStart(7)}/s  peak RSS ${result.peakRssMb.toFixed(0)} MB  (run ${round}/${rounds})\n`);
      }
    }
    // (after a failure the schema stays; the next bench drops it before writing it again)
    if (pgUrl) await dropPgBench(pgUrl, pgSchema);
    for (const scenario of scenarios) {
      const result = summarize(runs.get(scenario) ?? []);
      results.push(result);
      process.stdout.write(`${scenario.padEnd(11)} ${String(result.records).padStart(7)} records  ${result.recordsPerSecond.toFixed(0).padStart(7)}/s  peak RSS ${result.peakRssMb.toFixed(0)} MB  (median rate, highest RSS)\n`);
    }
  }
  const find = (s: Scenario, n: number): Result | undefined => results.find((r) => r.scenario === s && Math.abs(r.records - n) / n < 0.05);
  const checks: Record<string, { ok: boolean; detail: string }> = {};
  for (const size of sizes) {
    const e2e = find('end-to-end', size);
    const rm = find('read-map', size);
    if (e2e && rm) checks[`end-to-end ≥ ½ read+map at ${size}`] = { ok: e2e.recordsPerSecond >= rm.recordsPerSecond / 2, detail: `${e2e.recordsPerSecond.toFixed(0)} vs ${rm.recordsPerSecond.toFixed(0)}` };
    const pgE2e = find(PG_SCENARIO, size);
    if (e2e && pgE2e) checks[`end-to-end-pg within ${PG_TARGET_FACTOR}× of end-to-end at ${size}`] = { ok: pgE2e.recordsPerSecond * PG_TARGET_FACTOR >= e2e.recordsPerSecond, detail: `${pgE2e.recordsPerSecond.toFixed(0)} vs ${e2e.recordsPerSecond.toFixed(0)}/s` };
  }
  for (const r of results) checks[`peak RSS < 300 MB: ${r.scenario} ${r.records}`] = { ok: r.peakRssMb < 300, detail: `${r.peakRssMb.toFixed(0)} MB` };
  if (sizes.length >= 2) {
    for (const s of scenarios) {
      const small = results.find((r) => r.scenario === s && r.records <= sizes[0]! * 1.05);
      const large = results.find((r) => r.scenario === s && r.records >= sizes[sizes.length - 1]! * 0.95);
      if (small && large) checks[`RSS at ${large.records} ≤ 1.3× at ${small.records}: ${s}`] = { ok: large.peakRssMb <= small.peakRssMb * 1.3, detail: `${large.peakRssMb.toFixed(0)} vs ${small.peakRssMb.toFixed(0)} MB` };
    }
  }
  for (const [name, c] of Object.entries(checks)) process.stdout.write(`${c.ok ? 'ok  ' : 'MISS'} ${name} (${c.detail})\n`);
  const out = join(root, 'bench', 'results', 'latest.json');
  writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, runsPerScenario: rounds, scenarios: results, targets: checks }, null, 2) + '\n');
  process.stdout.write(`written ${out}\n`);
}

if (process.argv[2] === '--child') {
  // the engine runs as the CLI runs it (src/cli/main.ts bounds the heap's growth at start)
  boundHeapGrowth();
  const scenario = process.argv[3] as Scenario;
  const uisPath = process.argv[4] ?? '';
  const r = await child(scenario, uisPath);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...r, peakRssMb }) + '\n');
} else {
  await parent();
}
