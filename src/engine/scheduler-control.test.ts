import { Writable } from 'node:stream';
import winston from 'winston';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobSchema, type JobDefinition } from '../config/schema.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { emptyCounts } from '../store/store.js';
import { JobLockedError, type RunSummary } from './runner.js';
import { Scheduler, type JobRunner } from './scheduler.js';

const job = (name: string, cron?: string): JobDefinition =>
  jobSchema.parse({
    name,
    ...(cron ? { schedule: { cron } } : {}),
    source: { connection: 'uis', query: 'SELECT 1', keyFields: ['id'], cursorField: 'updated_at' },
    mapping: { name: 'vanbangchungchi/2025' },
    destinations: [{ connection: 'hub', dataset: 'vanbangchungchi' }],
  });

const summary = (runId: string, name: string): RunSummary => ({ runId, job: name, outcome: 'succeeded', counts: emptyCounts(), error: null, durationMs: 0, notices: [] });

let store: SqliteStateStore;
let logLines: string[];
const logger = (): winston.Logger =>
  winston.createLogger({
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: new Writable({ write: (c: Buffer, _e, done) => (logLines.push(c.toString()), done()) }) })],
  });

beforeEach(() => {
  store = new SqliteStateStore(':memory:');
  logLines = [];
});
afterEach(() => store.close());

describe('SchedulerControl', () => {
  it('runs a job now, answering with the run id while the run goes on; a second ask while it runs is "already running"', async () => {
    let release: () => void = () => undefined;
    const running = new Promise<void>((r) => (release = r));
    const runner: JobRunner = async (j, trigger, hooks) => {
      const run = await store.startRun(j.name, trigger);
      hooks?.onRunStarted?.(run.id);
      await running;
      return summary(run.id, j.name);
    };
    const scheduler = new Scheduler([job('diplomas')], runner, store, logger());
    await scheduler.start();
    const first = await scheduler.runNow('diplomas');
    expect(first).toEqual({ runId: (await store.lastRuns('diplomas', 1))[0]?.id });
    expect((await store.lastRuns('diplomas', 1))[0]?.trigger).toBe('console');
    expect(await scheduler.runNow('diplomas')).toEqual({ alreadyRunning: true });
    release();
    await scheduler.stop();
  });

  it('answers "already running" when another process holds the job, and throws what else stopped the run before it started', async () => {
    const locked = new Scheduler([job('diplomas')], async () => Promise.reject(new JobLockedError('diplomas', 'elsewhere')), store, logger());
    expect(await locked.runNow('diplomas')).toEqual({ alreadyRunning: true });
    const broken = new Scheduler([job('diplomas')], async () => Promise.reject(new Error('no source')), store, logger());
    await expect(broken.runNow('diplomas')).rejects.toThrow('no source');
    await expect(broken.runNow('nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('pauses a schedule in the store (a restart keeps it), skips its fires with a log line, and resumes', async () => {
    const triggers: string[] = [];
    const runner: JobRunner = async (j, trigger) => {
      triggers.push(trigger);
      return summary('x', j.name);
    };
    // the last run was two days ago: a nightly run was missed, and start would catch it up
    const old = await store.startRun('diplomas', 'schedule');
    await store.finishRun(old.id, 'succeeded', emptyCounts(), null);
    store.db.prepare('UPDATE runs SET started_at = ? WHERE id = ?').run(new Date(Date.now() - 2 * 86_400_000).toISOString(), old.id);

    const first = new Scheduler([job('diplomas', '0 2 * * *')], runner, store, logger());
    await first.pause('diplomas', 'lan');
    expect(first.isPaused('diplomas')).toBe(true);
    expect((await store.pausedJobs()).map((p) => [p.job, p.by])).toEqual([['diplomas', 'lan']]);

    const restarted = new Scheduler([job('diplomas', '0 2 * * *')], runner, store, logger());
    await restarted.start();
    expect(restarted.isPaused('diplomas')).toBe(true);
    expect(triggers).toEqual([]); // the catch-up of a paused schedule is skipped
    expect(logLines.some((l) => l.includes('schedule paused; this trigger is skipped') && l.includes('catch-up'))).toBe(true);
    expect(restarted.nextRun('diplomas')).toBeNull();

    await restarted.resume('diplomas');
    expect(restarted.isPaused('diplomas')).toBe(false);
    expect(await store.pausedJobs()).toEqual([]);
    const next = restarted.nextRun('diplomas');
    expect(next).not.toBeNull();
    expect(new Date(next as string).getUTCHours()).toBe(19); // 02:00 in Hanoi
    // run now still works on a paused job: a pause stops the schedule, not the operator
    await restarted.pause('diplomas', 'lan');
    await restarted.runNow('diplomas').catch(() => undefined);
    await restarted.stop();
    expect(triggers).toEqual(['console']);
    await expect(restarted.pause('nope', 'lan')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('has no next run for a job without a schedule', async () => {
    const scheduler = new Scheduler([job('manual')], async (j) => summary('x', j.name), store, logger());
    await scheduler.start();
    expect(scheduler.nextRun('manual')).toBeNull();
    await scheduler.stop();
  });
});
