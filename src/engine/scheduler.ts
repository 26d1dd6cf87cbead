import cron, { type ScheduledTask } from 'node-cron';
import type { JobDefinition } from '../config/schema.js';
import { LienthongError, asLienthongError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { StateStore } from '../store/store.js';
import type { RunSummary } from './runner.js';

export type JobRunner = (job: JobDefinition, trigger: string) => Promise<RunSummary>;

const MINUTE = 60_000;
/** how far back a missed run is looked for: a service down longer than this only catches up once anyway */
const LOOKBACK_MINUTES = 8 * 24 * 60;

/**
 * Whether a schedule fired (per `matches`, in the schedule's time zone) at some minute after
 * `since` and up to `now`: a run the service missed while it was down.
 */
export function missedRunSince(matches: (date: Date) => boolean, since: Date, now: Date): boolean {
  const first = Math.max(Math.floor(since.getTime() / MINUTE) + 1, Math.floor(now.getTime() / MINUTE) - LOOKBACK_MINUTES);
  for (let m = Math.floor(now.getTime() / MINUTE); m >= first; m--) {
    if (matches(new Date(m * MINUTE))) return true;
  }
  return false;
}

/**
 * Runs each scheduled job on its cron schedule (node-cron, in the job's time zone), one run of a
 * job at a time: the store's job lock keeps a second instance (or a manual `lienthong run`) from
 * starting the same job. At start, a job whose last run is older than its last scheduled time
 * runs once to catch up.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly jobs: JobDefinition[],
    private readonly runJob: JobRunner,
    private readonly store: StateStore,
    private readonly logger: Logger,
  ) {}

  async start(now: Date = new Date()): Promise<void> {
    for (const job of this.jobs) {
      if (!job.schedule) continue;
      const task = cron.schedule(job.schedule.cron, () => this.trigger(job, 'schedule'), { timezone: job.schedule.timezone, name: job.name, noOverlap: true });
      this.tasks.push(task);
      const last = (await this.store.lastRuns(job.name, 1))[0];
      const next = task.getNextRun();
      this.logger.info('job scheduled', { job: job.name, cron: job.schedule.cron, timezone: job.schedule.timezone, nextRun: next?.toISOString() });
      if (last && missedRunSince((d) => task.match(d), new Date(last.startedAt), now)) {
        this.logger.info('a scheduled run was missed while the service was down; running it now', { job: job.name, lastRun: last.startedAt });
        void this.trigger(job, 'catch-up');
      }
    }
  }

  /** starts a run unless this job is already running here; resolves when it ends */
  trigger(job: JobDefinition, trigger: string): Promise<void> {
    const current = this.running.get(job.name);
    if (current) {
      this.logger.warn('job still running; this trigger is skipped', { job: job.name, trigger });
      return current;
    }
    const p = this.runJob(job, trigger)
      .then((s) => {
        this.logger.info('scheduled run ended', { job: job.name, outcome: s.outcome });
      })
      .catch((err: unknown) => {
        const e = err instanceof LienthongError ? err : asLienthongError(err, { job: job.name });
        if (e.code === 'JOB_LOCKED') this.logger.warn('job is running elsewhere; this trigger is skipped', { job: job.name, trigger });
        else this.logger.error('scheduled run failed', { job: job.name, code: e.code, error: e.message });
        return undefined;
      })
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, p);
    return p;
  }

  /** stops the schedules and waits for runs in progress */
  async stop(): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks.length = 0;
    await Promise.all(this.running.values());
  }
}
