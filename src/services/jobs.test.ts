import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../engine/runner.js';
import { getRun, listJobs, listRuns, nextRunAt, runJobNow } from './jobs.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

let ws: ServiceWorkspace;
let first: RunSummary;
let second: RunSummary;

beforeAll(async () => {
  ws = await openWorkspace(120);
  first = await runJobNow(ws.env, 'diplomas');
  second = await runJobNow(ws.env, 'diplomas', { fullRefresh: true });
}, 60_000);
afterAll(() => ws.close());

describe('runJobNow', () => {
  it('runs the job as `lienthong run` does: a second run over the same source sends nothing new', () => {
    expect(first.outcome).toBe('partial'); // the sample's dirty rows are held back
    expect(first.counts.accepted).toBeGreaterThan(0);
    expect(second.counts.staged).toBe(0);
    expect(second.counts.unchanged).toBe(first.counts.accepted);
  });

  it('is a configuration error for a job that does not exist', async () => {
    await expect(runJobNow(ws.env, 'nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});

describe('listJobs', () => {
  it('gives the schedule with its next run, the last run, the counts and the deadlines', async () => {
    const [j] = await listJobs(ws.env);
    expect(j).toMatchObject({ name: 'diplomas', source: { connection: 'uis', stream: 'diplomas', mode: 'incremental' }, destinations: [{ target: 'hub/vanbangchungchi', connection: 'hub', dataset: 'vanbangchungchi' }], running: false });
    expect(j?.lastRun?.id).toBe(second.runId);
    expect(j?.invalid).toBe(first.counts.invalid);
    expect(j?.targets[0]?.counts.accepted).toBe(first.counts.accepted);
    expect(j?.deadlines.map((d) => d.name)).toEqual(['báo cáo năm']);
    // "0 2 * * *" in Asia/Ho_Chi_Minh: 02:00 in Hà Nội is 19:00 UTC, within the next day
    const next = new Date(j?.schedule?.nextRunAt ?? '');
    expect(j?.schedule).toMatchObject({ cron: '0 2 * * *', timezone: 'Asia/Ho_Chi_Minh' });
    expect(next.toISOString()).toMatch(/T19:00:00\.000Z$/);
    expect(next.getTime() - Date.now()).toBeGreaterThan(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it('asks node-cron for the next run and leaves no task scheduled', async () => {
    const { getTasks } = await import('node-cron');
    const before = getTasks().size;
    expect(await nextRunAt({ cron: '*/15 * * * *', timezone: 'UTC' })).toMatch(/T\d\d:(00|15|30|45):00\.000Z$/);
    expect(getTasks().size).toBe(before);
  });
});

describe('runs', () => {
  it('lists the runs newest first and finds one by its id', async () => {
    expect((await listRuns(ws.env, 'diplomas')).map((r) => r.id)).toEqual([second.runId, first.runId]);
    expect((await listRuns(ws.env, 'diplomas', 1)).map((r) => r.id)).toEqual([second.runId]);
    const r = await getRun(ws.env, 'diplomas', first.runId);
    expect(r).toMatchObject({ id: first.runId, job: 'diplomas', trigger: 'manual', outcome: first.outcome, counts: first.counts });
    await expect(getRun(ws.env, 'diplomas', 'no-such-run')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', kind: 'config' });
    await expect(listRuns(ws.env, 'diplomas', 0)).rejects.toMatchObject({ code: 'LIMIT_INVALID' });
  });
});
