import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../engine/runner.js';
import { targetId } from '../store/store.js';
import { runJobNow } from './jobs.js';
import { jobStatuses } from './status.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

const T = targetId('hub', 'vanbangchungchi');
let ws: ServiceWorkspace;
let run: RunSummary;

beforeAll(async () => {
  ws = await openWorkspace(120, '2026-12-31');
  run = await runJobNow(ws.env, 'diplomas');
}, 60_000);
afterAll(() => ws.close());

describe('jobStatuses', () => {
  it("shows the ledger's counts, what the run held back, the cursor, and the run itself", async () => {
    const [s] = await jobStatuses(ws.env, 'diplomas');
    expect(s).toBeDefined();
    if (!s) return;
    expect(s.job).toBe('diplomas');
    expect(s.running).toBe(false);
    expect(s.targets).toEqual([{ target: T, counts: await ws.store.statusCounts(T) }]);
    expect(s.targets[0]?.counts.accepted).toBe(run.counts.accepted);
    expect(run.counts.accepted).toBeGreaterThan(0);
    expect(s.invalid).toBe(run.counts.invalid);
    expect(s.invalid).toBeGreaterThan(0); // the sample has dirty rows the mapping refuses
    expect(s.warnings).toBe(await ws.store.warningCount('diplomas'));
    expect(s.cursor).toMatchObject({ value: expect.stringContaining(ws.manifest.maxUpdatedAt.slice(0, 10)) });
    expect(s.runs.map((r) => r.id)).toEqual([run.runId]);
  });

  it('counts a deadline against the first target, in days from today in Vietnam', async () => {
    const now = new Date('2026-12-29T20:00:00Z'); // 30 December, 03:00 in Hà Nội
    const [s] = await jobStatuses(ws.env, undefined, now);
    expect(s?.deadlines).toEqual([
      { name: 'báo cáo năm', date: '2026-12-31', grades: [], daysLeft: 1, countdown: expect.stringContaining(' / '), vi: expect.any(String), en: expect.stringContaining('1'), accepted: run.counts.accepted, pending: 0, rejectedByHub: run.counts.rejected, heldBack: run.counts.invalid },
    ]);
  });

  it('sees a run in progress by its lock', async () => {
    expect(await ws.store.acquireLock('diplomas', 'another-process', 60_000)).toBe(true);
    try {
      expect((await jobStatuses(ws.env, 'diplomas'))[0]?.running).toBe(true);
    } finally {
      await ws.store.releaseLock('diplomas', 'another-process');
    }
  });

  it('names the jobs there are when asked for one that is not', async () => {
    await expect(jobStatuses(ws.env, 'transcripts')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND', kind: 'config' });
  });
});
