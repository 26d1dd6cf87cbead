/**
 * Test support for the cim-kiosk destination: kiosk simulators, and a job that reads the current
 * students of a UIS through the sql source and pushes them to the kiosks, run by the real engine
 * on a real state store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlSource } from '../../sql/index.js';
import { jobSchema } from '../../../src/config/schema.js';
import { loadTemplateRegistry, type TemplateRegistry } from '../../../src/cim/templates.js';
import { packageRoot } from '../../../src/core/package-root.js';
import { silentLogger } from '../../../src/core/logger.js';
import { runJob, type RunSummary } from '../../../src/engine/runner.js';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';
import type { StateStore } from '../../../src/store/store.js';
import { openStateStore } from '../../../stores/sqlite/worker-store.js';
import { cimStudentSnapshotMapping } from '../../../mappings/cim-student-snapshot/1/index.js';
import { CimKioskDestination } from '../destination.js';
import type { ResolvedKiosk } from '../config.js';
import { KioskSimulator, type KioskSimulatorOptions } from '../simulator/server.js';

export const SHIPPED_TEMPLATES = (): TemplateRegistry => loadTemplateRegistry(join(packageRoot(), 'config/templates/cim'));

/** `n` kiosk simulators `kiosk-1`…, token `token-<id>` */
export async function startKiosks(n: number, options: Partial<KioskSimulatorOptions>[] = []): Promise<KioskSimulator[]> {
  const kiosks: KioskSimulator[] = [];
  for (let i = 0; i < n; i++) {
    const k = new KioskSimulator();
    const kioskId = `kiosk-${i + 1}`;
    await k.start({ kioskId, token: `token-${kioskId}`, ...(options[i] ?? {}) });
    kiosks.push(k);
  }
  return kiosks;
}

export function resolvedKiosk(sim: KioskSimulator, id: string, overrides: Partial<ResolvedKiosk> = {}): ResolvedKiosk {
  return {
    id,
    url: sim.url,
    token: `token-${id}`,
    concurrency: 1,
    rateLimit: { perSecond: 100_000, burst: 10_000 },
    timeoutMs: 2_000,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    allowInsecureHttp: false,
    ...overrides,
  };
}

export interface KioskJobOptions {
  /** sql source: a SQLite path or a database URL */
  driver: 'sqlite' | 'postgres' | 'mysql';
  url: string;
  query: string;
  kiosks: ResolvedKiosk[];
  templates?: TemplateRegistry;
  mappingOptions?: Record<string, unknown>;
  statePath?: string;
}

export interface KioskJobHarness {
  store: StateStore;
  statePath: string;
  run(overrides?: { kiosks?: ResolvedKiosk[]; templates?: TemplateRegistry }): Promise<RunSummary & { exitCode: number; destination: CimKioskDestination }>;
  close(): Promise<void>;
}

/** A job `kiosk-students` as a configuration would make it, on its own state store. */
export function kioskJob(o: KioskJobOptions): KioskJobHarness {
  const statePath = o.statePath ?? join(mkdtempSync(join(tmpdir(), 'lt-kiosk-')), 'state.db');
  const store = openStateStore(statePath, { thread: 'current' });
  const job = jobSchema.parse({
    name: 'kiosk-students',
    source: { connection: 'uis', stream: 'students', mode: 'incremental', query: o.query, keyFields: ['student_code'], cursorField: 'updated_at' },
    mapping: { name: 'cim-student-snapshot/1', options: o.mappingOptions ?? {} },
    unitCode: 'DHLT',
    destinations: [{ connection: 'kiosks', dataset: 'students', batchSize: 200, concurrency: 1, rateLimit: { perSecond: 100_000, burst: 10_000 } }],
  });
  return {
    store,
    statePath,
    async run(overrides = {}) {
      const source = createSqlSource({ driver: o.driver, url: o.url, streams: [{ name: 'students', query: o.query, keyFields: ['student_code'], cursorField: 'updated_at' }] });
      const destination = new CimKioskDestination({ connection: 'kiosks', kiosks: overrides.kiosks ?? o.kiosks, templates: overrides.templates ?? o.templates ?? SHIPPED_TEMPLATES() });
      try {
        const summary = await runJob(job, { store, source, mapping: cimStudentSnapshotMapping, destinations: [{ config: job.destinations[0]!, connector: destination }], unitCode: 'DHLT', logger: silentLogger() });
        return { ...summary, exitCode: exitCodeOf(summary), destination };
      } finally {
        await source.close();
        await destination.close();
      }
    },
    close: () => store.close(),
  };
}

/** the student changes a kiosk applied, as `key:op:status` */
export function studentChanges(sim: KioskSimulator): string[] {
  return sim.applied.filter((a) => a.kind === 'student').map((a) => `${a.key}:${a.op}${a.body ? `:${String(a.body.status)}` : ''}`);
}
