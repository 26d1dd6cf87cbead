import { describe, expect, it } from 'vitest';
import cron from 'node-cron';
import { missedRunSince } from './scheduler.js';

describe('missedRunSince', () => {
  // nightly at 02:00 Vietnam time = 19:00 UTC the day before
  const task = cron.createTask('0 2 * * *', () => undefined, { timezone: 'Asia/Ho_Chi_Minh' });
  const matches = (d: Date): boolean => task.match(d);

  it('finds a nightly run missed while the service was down', () => {
    const lastRun = new Date('2026-06-19T19:00:05Z'); // 20 June 02:00:05 in Hanoi
    const now = new Date('2026-06-21T01:00:00Z'); // 21 June 08:00 in Hanoi: the 21 June 02:00 run was missed
    expect(missedRunSince(matches, lastRun, now)).toBe(true);
  });

  it('finds nothing when the last run is after the last scheduled time', () => {
    const lastRun = new Date('2026-06-20T19:00:03Z'); // 21 June 02:00:03 Hanoi
    const now = new Date('2026-06-21T10:00:00Z');
    expect(missedRunSince(matches, lastRun, now)).toBe(false);
  });

  it('uses the schedule time zone, not UTC', () => {
    // 02:00 UTC is 09:00 in Hanoi: not a scheduled time
    const lastRun = new Date('2026-06-20T19:30:00Z');
    const now = new Date('2026-06-21T02:30:00Z');
    expect(missedRunSince(matches, lastRun, now)).toBe(false);
  });
});

/** what the scheduler's tests build on, with a state store in memory (the caller closes it) */
async function schedulerParts() {
  const { SqliteStateStore } = await import('../../stores/sqlite/sqlite-store.js');
  const { silentLogger } = await import('../core/logger.js');
  const { jobSchema } = await import('../config/schema.js');
  const { Scheduler } = await import('./scheduler.js');
  const { emptyCounts } = await import('../store/store.js');
  return { store: new SqliteStateStore(':memory:'), silentLogger, jobSchema, Scheduler, emptyCounts };
}

describe('Scheduler', () => {
  it('runs a job missed while the service was down once at start, and skips a trigger while it runs', async () => {
    const { store, silentLogger, jobSchema, Scheduler, emptyCounts } = await schedulerParts();
    const job = jobSchema.parse({
      name: 'diplomas',
      schedule: { cron: '0 2 * * *' },
      source: { connection: 'uis', query: 'SELECT 1', keyFields: ['id'], cursorField: 'updated_at' },
      mapping: { name: 'vanbangchungchi/2025' },
      destinations: [{ connection: 'hub', dataset: 'vanbangchungchi' }],
    });
    // the last run was two days ago: the nightly run in between was missed
    const old = await store.startRun('diplomas', 'schedule');
    await store.finishRun(old.id, 'succeeded', emptyCounts(), null);
    store.db.prepare('UPDATE runs SET started_at = ? WHERE id = ?').run(new Date(Date.now() - 2 * 86_400_000).toISOString(), old.id);

    const triggers: string[] = [];
    let release: () => void = () => undefined;
    const running = new Promise<void>((r) => (release = r));
    const scheduler = new Scheduler([job], async (_j, trigger) => {
      triggers.push(trigger);
      await running;
      return { runId: 'x', job: 'diplomas', outcome: 'succeeded', counts: emptyCounts(), error: null, durationMs: 0, notices: [] };
    }, store, silentLogger());
    await scheduler.start();
    expect(triggers).toEqual(['catch-up']);
    const second = scheduler.trigger(job, 'schedule'); // still running: skipped
    expect(triggers).toEqual(['catch-up']);
    release();
    await second;
    await scheduler.stop();
    await store.close();
  });

  it('does the work between runs of its jobs every interval, never while one runs; a run waits for the work in progress', async () => {
    const { store, silentLogger, jobSchema, Scheduler, emptyCounts } = await schedulerParts();
    const job = jobSchema.parse({
      name: 'hocba',
      source: { connection: 'school', query: 'SELECT 1', keyFields: ['id'], cursorField: 'updated_at' },
      mapping: { name: 'vanbangchungchi/2025' },
      destinations: [{ connection: 'hub', dataset: 'vanbangchungchi' }],
    });
    const events: string[] = [];
    let releaseTick: () => void = () => undefined;
    let releaseRun: () => void = () => undefined;
    let failNext = false;
    const scheduler = new Scheduler([job], async () => {
      events.push('run');
      await new Promise<void>((r) => (releaseRun = r));
      return { runId: 'x', job: 'hocba', outcome: 'succeeded', counts: emptyCounts(), error: null, durationMs: 0, notices: [] };
    }, store, silentLogger(), {
      jobs: ['hocba'],
      everyMs: 20,
      tick: async (name) => {
        events.push(`tick ${name}`);
        if (failNext) {
          failNext = false;
          throw new Error('the signing service is down');
        }
        await new Promise<void>((r) => (releaseTick = r));
      },
    });
    await scheduler.start();
    // the interval ticks on its own
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toEqual(['tick hocba']);
    // a run triggered during the tick starts when the tick is over (not refused by the tick's lock)
    const run = scheduler.trigger(job, 'schedule');
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['tick hocba']);
    releaseTick();
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['tick hocba', 'run']);
    // no tick while the job runs
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toEqual(['tick hocba', 'run']);
    // a failed tick is logged and tried again next time
    failNext = true;
    releaseRun();
    await run;
    await new Promise((r) => setTimeout(r, 200));
    expect(events.slice(2, 4)).toEqual(['tick hocba', 'tick hocba']);
    releaseTick();
    await scheduler.stop();
    await store.close();
  });
});
