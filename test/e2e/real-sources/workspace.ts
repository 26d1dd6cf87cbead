/**
 * An installation as an IT centre makes it by following the README: `config/lienthong.yaml` with
 * the university database as a secret reference (`url: env:E2E_UIS_URL`), the hub simulator as
 * the hub, and `jobs/diplomas.yaml` with its own SELECT and no initialCursor. The CLI is the
 * built one (`node bin/lienthong.js`), spawned asynchronously: the hub simulator answers from
 * this process and must not be blocked.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { packageRoot } from '../../../src/core/package-root.js';
import { CLIENT_ID, CLIENT_SECRET, UNIT } from '../support.js';

const BIN = join(packageRoot(), 'bin', 'lienthong.js');
const URL_ENV = 'E2E_UIS_URL';

export interface RealWorkspace {
  dir: string;
  configFile: string;
  dataDir: string;
  /** the driver's URL, given to the CLI through the environment only */
  sourceUrl: string;
}

export interface JobOptions {
  query: string;
  /** merged into the job's `source` */
  source?: Record<string, unknown>;
  /** merged into the job's mapping options */
  mappingOptions?: Record<string, unknown>;
  /** merged into the destination */
  destination?: Record<string, unknown>;
  /** top-level keys (e.g. guard) */
  extra?: Record<string, unknown>;
}

export function makeRealWorkspace(driver: 'postgres' | 'mysql', sourceUrl: string, hubUrl: string, job: JobOptions): RealWorkspace {
  const dir = mkdtempSync(join(tmpdir(), `lt-e2e-${driver}-`));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'hub.secret'), CLIENT_SECRET);
  writeFileSync(
    join(dir, 'config', 'lienthong.yaml'),
    YAML.stringify({
      dataDir: '../data',
      jobsDir: '../jobs',
      log: { level: 'info', file: 'logs/lienthong.log' },
      connections: {
        uis: { type: 'sql', driver, url: `env:${URL_ENV}` },
        hub: { type: 'ministry-hub', baseUrl: hubUrl, unitCode: UNIT, clientId: CLIENT_ID, clientSecret: 'file:../hub.secret', timeoutMs: 3000 },
      },
    }),
  );
  const ws = { dir, configFile: join(dir, 'config', 'lienthong.yaml'), dataDir: join(dir, 'data'), sourceUrl };
  writeJob(ws, job);
  return ws;
}

/** (Re)writes jobs/diplomas.yaml: what an engineer edits between two runs. */
export function writeJob(ws: RealWorkspace, job: JobOptions): void {
  const definition = {
    name: 'diplomas',
    description: 'Văn bằng số — CSDL riêng của trường → Trục dữ liệu (e2e)',
    source: { connection: 'uis', stream: 'diplomas', mode: 'incremental', query: job.query, keyFields: ['diploma_id'], cursorField: 'updated_at', ...job.source },
    mapping: {
      name: 'vanbangchungchi/2025',
      options: {
        tentruong: 'Trường Đại học Kiểm Thử',
        noicap: 'Đà Nẵng',
        donvicap: 'Trường Đại học Kiểm Thử',
        thongtu: '10/2026',
        paperSignerName: 'Lê Văn Kiểm',
        paperSignerTitle: 'Hiệu trưởng',
        ...job.mappingOptions,
      },
    },
    destinations: [
      {
        connection: 'hub',
        dataset: 'vanbangchungchi',
        batchSize: 50,
        concurrency: 2,
        rateLimit: { perSecond: 200, burst: 200 },
        timeoutMs: 3000,
        retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
        ...job.destination,
      },
    ],
    ...job.extra,
  };
  writeFileSync(join(ws.dir, 'jobs', 'diplomas.yaml'), YAML.stringify(definition));
}

export interface CliResult {
  code: number | null;
  out: string;
}

export function cli(ws: RealWorkspace, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '-c', ws.configFile, ...args], { env: { ...process.env, [URL_ENV]: ws.sourceUrl } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

export interface StatusJson {
  job: string;
  cursor: unknown;
  invalid: number;
  targets: { target: string; counts: Record<string, number> }[];
  runs: { outcome: string; counts: Record<string, number>; error: { code: string } | null }[];
}

export async function status(ws: RealWorkspace): Promise<StatusJson> {
  const r = await cli(ws, 'status', 'diplomas', '--json');
  if (r.code !== 0) throw new Error(`status exited ${String(r.code)}: ${r.out}`);
  const parsed = JSON.parse(r.out) as StatusJson[];
  return parsed[0] as StatusJson;
}

/** reconcile, then its JSON report */
export async function reconcile(ws: RealWorkspace): Promise<{ result: CliResult; report: Record<string, unknown> & { totals: Record<string, number> } }> {
  const result = await cli(ws, 'reconcile', 'diplomas', '--lang', 'en');
  const text = readFileSync(join(ws.dataDir, 'reports', 'diplomas', 'latest', 'reconciliation.json'), 'utf8');
  return { result, report: JSON.parse(text) as Record<string, unknown> & { totals: Record<string, number> } };
}

/** every file under dir, recursively */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/**
 * Whether the report explains `code` in both languages: an entry naming the code with an
 * `explanation: { vi, en }` (or `vi`/`en` beside it), or a table keyed by the code. The report's
 * exact layout is the report's business; two non-empty texts per code are what the issue asks.
 */
export function explainedInBothLanguages(report: unknown, code: string): boolean {
  const both = (v: unknown): boolean => {
    const o = v as { vi?: unknown; en?: unknown } | null;
    return typeof o === 'object' && o !== null && typeof o.vi === 'string' && o.vi !== '' && typeof o.en === 'string' && o.en !== '' && o.vi !== o.en;
  };
  let found = false;
  const walk = (v: unknown): void => {
    if (found || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (o.code === code && (both(o.explanation) || both(o))) found = true;
    if (both(o[code])) found = true;
    Object.values(o).forEach(walk);
  };
  walk(report);
  return found;
}

/** every object in the report that names `sourceKey` (as a source key) */
export function entriesFor(report: unknown, sourceKey: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (o.sourceKey === sourceKey) out.push(o);
    Object.values(o).forEach(walk);
  };
  walk(report);
  return out;
}
