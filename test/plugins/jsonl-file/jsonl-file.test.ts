import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { packageRoot } from '../../../src/core/package-root.js';
import { silentLogger } from '../../../src/core/logger.js';
import { runConfiguredJob } from '../../../src/engine/jobs.js';
import { reconcileConfiguredJob } from '../../../src/reconcile/configured-job.js';
import { plugins } from '../../../src/plugins.js';
import { generateUisDatabase, updateUisDiplomas } from '../../../src/sample/uis.js';
import { SqliteStateStore } from '../../../stores/sqlite/sqlite-store.js';
import { targetId } from '../../../src/store/store.js';
import { jsonlFilePlugin } from './plugin.js';

/**
 * A destination type added by one folder and one registration: the shipped diploma job, sending
 * to a jsonl-file connection instead of the hub, runs through the engine and is reconciled.
 */

const RECORDS = 120;
const T = targetId('files', 'vanbangchungchi');

interface Line {
  idbanghi: string;
  version: number;
  event: string;
  contentHash: string;
  data: Record<string, unknown>;
}

describe('a jsonl-file destination in a job', () => {
  let dir: string;
  let store: SqliteStateStore;

  beforeAll(async () => {
    plugins.register(jsonlFilePlugin);
    dir = mkdtempSync(join(tmpdir(), 'lt-jsonl-job-'));
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'jobs'));
    const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'diplomas.yaml'), 'utf8')) as Record<string, unknown>;
    // no ministry-hub connection to take the unit code from: the job says it
    job.unitCode = 'LTU01';
    job.destinations = [{ connection: 'files', dataset: 'vanbangchungchi', batchSize: 50 }];
    writeFileSync(join(dir, 'jobs', 'diplomas.yaml'), YAML.stringify(job));
    writeFileSync(
      join(dir, 'config', 'lienthong.yaml'),
      YAML.stringify({
        dataDir: '../data',
        jobsDir: '../jobs',
        connections: { uis: { type: 'sql', driver: 'sqlite', url: '../uis.db' }, files: { type: 'jsonl-file', dir: '../out', maxBatchSize: 40 } },
      }),
    );
    await generateUisDatabase({ driver: 'sqlite', path: join(dir, 'uis.db') }, { records: RECORDS, seed: 3 });
    store = new SqliteStateStore(loadConfig(join(dir, 'config', 'lienthong.yaml')).storePath);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    plugins.unregister(jsonlFilePlugin);
  });

  const load = () => {
    const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
    return { loaded, job: loaded.jobs.get('diplomas')! };
  };
  const lines = (): Line[] =>
    readFileSync(join(dir, 'out', 'vanbangchungchi.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Line);

  it('validate knows the new type: its options are checked by its own schema', () => {
    const file = join(dir, 'config', 'bad.yaml');
    writeFileSync(file, YAML.stringify({ jobsDir: '../none', connections: { files: { type: 'jsonl-file', dir: 'x', flush: true } } }));
    expect(() => loadConfig(file)).toThrow(/connections\.files: unknown option "flush": a jsonl-file connection accepts type, dir, maxBatchSize/);
  });

  it('runs the job: every valid record written once, as the destination encodes it', async () => {
    const { loaded, job } = load();
    const summary = await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test' });
    expect(summary.error).toBeNull();
    expect(summary.counts.read).toBe(RECORDS);
    expect(summary.counts.accepted).toBe(summary.counts.mapped);
    expect(summary.counts.mapped).toBeGreaterThan(RECORDS * 0.9);
    const written = lines();
    expect(written.length).toBe(summary.counts.accepted);
    expect(new Set(written.map((l) => l.idbanghi)).size).toBe(written.length);
    for (const l of written) expect(l).toMatchObject({ version: 1, event: expect.stringMatching(/^(NEW|UPDATE|CANCEL)$/) as unknown });
    const counts = await store.statusCounts(T);
    expect(counts.accepted).toBe(summary.counts.accepted);
    expect(counts.pending + counts.sent + counts.dead + counts.stale + counts.rejected).toBe(0);
    // the unit code came from the job
    expect(written.every((l) => JSON.stringify(l.data).includes('LTU01'))).toBe(true);
  }, 60_000);

  it('a second run writes nothing; a changed record goes out once at version 2', async () => {
    const { loaded, job } = load();
    const before = lines().length;
    await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test' });
    expect(lines().length).toBe(before);
    const changed = await updateUisDiplomas({ driver: 'sqlite', path: join(dir, 'uis.db') }, { count: 3, seed: 5 });
    expect(changed.length).toBeGreaterThan(0);
    await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test' });
    const after = lines();
    expect(after.length).toBeGreaterThan(before);
    expect(after.slice(before).every((l) => l.version === 2 && l.event !== 'NEW')).toBe(true);
  }, 60_000);

  it('is reconciled against what the file holds', async () => {
    const { loaded, job } = load();
    const { report } = await reconcileConfiguredJob({ loaded, store, logger: silentLogger() }, job);
    const t = report.totals;
    expect(t.source).toBe(RECORDS);
    expect(t.accepted).toBe((await store.statusCounts(T)).accepted);
    expect(t.missingAtHub + t.mismatched + t.extraAtHub + t.goneFromSource).toBe(0);
    expect(t.accepted + t.heldBack).toBe(RECORDS);
  }, 60_000);
});
