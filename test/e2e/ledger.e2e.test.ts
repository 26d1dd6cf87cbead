import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { generateUisDatabase } from '../../src/sample/uis.js';
import type { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import type { JobSummary } from '../../src/services/jobs.js';
import type { LedgerPage, RecordView } from '../../src/services/ledger.js';
import type { RunRow } from '../../src/store/store.js';
import { makeWorkspace, startHub, type Workspace } from './support.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');

/** `lienthong jobs`, `runs` and `ledger`: the services' read-only answers from the command line. */
describe('lienthong jobs, runs, ledger', () => {
  let hub: HubSimulator;
  let ws: Workspace;
  let heldBack = 0;

  function cli(...args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, '-c', ws.configFile, ...args]);
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
  }

  beforeAll(async () => {
    const started = await startHub({}, { rateLimit: false });
    hub = started.hub;
    ws = makeWorkspace(started.url, { batchSize: 100, rateLimit: { perSecond: 1000, burst: 1000 } }, 'lt-ledger-');
    const sample = await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 120, seed: 42 });
    expect((await cli('run', 'diplomas')).code).toBe(3); // the sample's dirty rows are held back
    // every dirty row the mapping cannot fix is held back (a duplicate holds its twin too)
    heldBack = (JSON.parse((await cli('status', '--json')).out) as { invalid: number }[])[0]?.invalid ?? -1;
    expect(heldBack).toBeGreaterThanOrEqual(sample.dirty.filter((d) => !d.fixable).length);
    expect(heldBack).toBeGreaterThan(0);
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('jobs: the schedule with its next run and the last run', async () => {
    const text = await cli('jobs');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/schedule: "0 2 \* \* \*" Asia\/Ho_Chi_Minh, next run \d{4}-\d\d-\d\dT19:00:00\.000Z/);
    const [job] = JSON.parse((await cli('jobs', '--json')).out) as JobSummary[];
    expect(job).toMatchObject({ name: 'diplomas', invalid: heldBack, lastRun: { outcome: 'partial' } });
  });

  it('runs: the list, and one run by its id; an unknown id exits 2', async () => {
    const [run] = JSON.parse((await cli('runs', 'diplomas', '--json')).out) as RunRow[];
    expect(run).toMatchObject({ job: 'diplomas', outcome: 'partial', counts: { invalid: heldBack } });
    const one = await cli('runs', 'diplomas', run?.id ?? '');
    expect(one.out).toContain(`${run?.id} manual`);
    const missing = await cli('runs', 'diplomas', 'no-such-run');
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('has no run no-such-run');
  });

  it('ledger: pages that chain, one record by id or key, a bad status exits 2', async () => {
    const first = JSON.parse((await cli('ledger', 'diplomas', '--limit', '50', '--json')).out) as LedgerPage;
    expect(first.entries).toHaveLength(50);
    expect(first.next).toBe(first.entries[49]?.idbanghi);
    const second = await cli('ledger', 'diplomas', '--limit', '50', '--after', first.next ?? '');
    expect(second.out.split('\n').filter((l) => l.startsWith('hub/vanbangchungchi '))).toHaveLength(50);
    const e = first.entries[0];
    const byId = JSON.parse((await cli('ledger', 'diplomas', '--id', e?.idbanghi ?? '', '--json')).out) as RecordView;
    expect(byId.ledger).toEqual([e]);
    expect((await cli('ledger', 'diplomas', '--key', e?.sourceKey ?? '')).out).toContain(`${e?.idbanghi} (source ${e?.sourceKey}) accepted phienban 1`);
    const bad = await cli('ledger', 'diplomas', '--status', 'lost');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('unknown ledger status "lost"');
  });
});
