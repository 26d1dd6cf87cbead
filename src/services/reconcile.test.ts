import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../engine/runner.js';
import type { InvalidRecord } from '../store/store.js';
import { runJobNow } from './jobs.js';
import { reconcileJob } from './reconcile.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

let ws: ServiceWorkspace;
let run: RunSummary;
const pair: string[] = [];

beforeAll(async () => {
  ws = await openWorkspace(120);
  // two clean diplomas typed with one serial number: both map to one national record id
  const db = new Database(join(ws.dir, 'uis.db'));
  const dirty = new Set(ws.manifest.dirty.map((d) => d.diplomaId));
  const clean = (db.prepare('SELECT diploma_id AS id, serial_no AS serial FROM diplomas ORDER BY diploma_id').all() as { id: number; serial: string }[]).filter((r) => !dirty.has(r.id));
  const [a, b] = clean.slice(10, 12) as [{ id: number; serial: string }, { id: number; serial: string }];
  db.prepare('UPDATE diplomas SET serial_no = ? WHERE diploma_id = ?').run(a.serial, b.id);
  db.close();
  pair.push(String(a.id), String(b.id));
  run = await runJobNow(ws.env, 'diplomas');
}, 60_000);
afterAll(() => ws.close());

describe('reconcileJob', () => {
  it('writes the report and returns it: every source record counted once, as the run left it', async () => {
    const { report, paths } = await reconcileJob(ws.env, 'diplomas');
    for (const p of [paths.htmlPath, paths.jsonPath, paths.csvPath]) expect(existsSync(p)).toBe(true);
    expect(JSON.parse(readFileSync(paths.jsonPath, 'utf8'))).toMatchObject({ job: 'diplomas', totals: { source: 120 } });
    expect(report.totals).toMatchObject({ source: 120, accepted: run.counts.accepted, heldBack: run.counts.invalid, missingAtHub: 0, unsent: 0, pending: 0 });
  });

  it('holds both records of a duplicate id and says so in the words the run stored', async () => {
    const { report } = await reconcileJob(ws.env, 'diplomas');
    const dup = report.issues.filter((i) => i.code === 'DUPLICATE_IDBANGHI');
    expect(dup.map((i) => i.sourceKey).sort()).toEqual([...pair].sort());
    const stored = new Map<string, InvalidRecord>();
    for await (const inv of ws.store.listInvalid('diplomas')) stored.set(inv.sourceKey, inv);
    for (const i of dup) {
      const byRun = stored.get(i.sourceKey ?? '')?.errors[0];
      expect(byRun).toMatchObject({ code: 'DUPLICATE_IDBANGHI', field: 'idbanghi' });
      expect(i.message).toBe(byRun?.message);
      expect(i.otherSourceKeys).toEqual(pair.filter((k) => k !== i.sourceKey));
    }
  });

  it('a job that does not exist is a configuration error', async () => {
    await expect(reconcileJob(ws.env, 'nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
