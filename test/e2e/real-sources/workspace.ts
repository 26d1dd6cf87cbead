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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { packageRoot } from '../../../src/core/package-root.js';
import { CLIENT_ID, CLIENT_SECRET, UNIT } from '../support.js';

const BIN = join(packageRoot(), 'bin', 'lienthong.js');
const URL_ENV = 'E2E_UIS_URL';

export type RealDriver = 'postgres' | 'mysql';

export interface RealWorkspace {
  driver: RealDriver;
  dir: string;
  configFile: string;
  dataDir: string;
  /** the driver's URL, given to the CLI through the environment only */
  sourceUrl: string;
}

/** Changes to the fixture job (fixtures/diplomas.<database>.yaml) a test makes. */
export interface JobOptions {
  /** replaces the SELECT */
  query?: string;
  /** merged into the job's `source` */
  source?: Record<string, unknown>;
  /** merged into the job's mapping options */
  mappingOptions?: Record<string, unknown>;
  /** merged into the destination */
  destination?: Record<string, unknown>;
  /** top-level keys (e.g. guard) */
  extra?: Record<string, unknown>;
}

export function makeRealWorkspace(driver: RealDriver, sourceUrl: string, hubUrl: string, job: JobOptions = {}): RealWorkspace {
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
  const ws = { driver, dir, configFile: join(dir, 'config', 'lienthong.yaml'), dataDir: join(dir, 'data'), sourceUrl };
  writeJob(ws, job);
  return ws;
}

type FixtureJob = { source: Record<string, unknown> & { query: string }; mapping: { options: Record<string, unknown> }; destinations: Record<string, unknown>[] };

function fixtureJob(driver: RealDriver): FixtureJob {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', `diplomas.${driver === 'mysql' ? 'mariadb' : 'postgres'}.yaml`);
  return YAML.parse(readFileSync(file, 'utf8')) as FixtureJob;
}

/**
 * The fixture job's SELECT, with aliases renamed (`{ birth_date: 'birth_dat' }`: the typo case).
 * A rename that finds nothing to rename throws: the test would prove nothing.
 */
export function jobQuery(driver: RealDriver, rename: Record<string, string> = {}): string {
  let query = fixtureJob(driver).source.query;
  for (const [from, to] of Object.entries(rename)) {
    const renamed = query.replace(new RegExp(`\\bAS ${from}\\b`), `AS ${to}`);
    if (renamed === query) throw new Error(`no alias ${from} in the ${driver} fixture query`);
    query = renamed;
  }
  return query;
}

/** (Re)writes jobs/diplomas.yaml from the fixture with `job`'s changes: what an engineer edits between two runs. */
export function writeJob(ws: RealWorkspace, job: JobOptions = {}): void {
  const definition = fixtureJob(ws.driver);
  if (job.query !== undefined) definition.source.query = job.query;
  Object.assign(definition.source, job.source);
  Object.assign(definition.mapping.options, job.mappingOptions);
  definition.destinations[0] = { ...definition.destinations[0], ...job.destination };
  writeFileSync(join(ws.dir, 'jobs', 'diplomas.yaml'), YAML.stringify({ ...definition, ...job.extra }));
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
