import cron, { type ScheduledTask } from 'node-cron';
import type { JobDefinition } from '../config/schema.js';
import { BugError, ConfigError, LienthongError, asLienthongError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { StateStore } from '../store/store.js';
import type { RunSummary } from './runner.js';

/** What the scheduler hands a run: its trigger, and a callback for the run's id once it has one. */
export interface RunHooks {
  onRunStarted?: (runId: string) => void;
}

export type JobRunner = (job: JobDefinition, trigger: string, hooks?: RunHooks) => Promise<RunSummary>;

/**
 * What the console asks of the scheduler of `lienthong start`: a run now (through the same
 * one-run-per-job guard as the schedule), and pausing a job's schedule.
 */
export interface SchedulerControl {
  /** starts a run in the background and answers as soon as it has its id */
  runNow(jobName: string): Promise<{ runId: string } | { alreadyRunning: true }>;
  pause(jobName: string, by: string): Promise<void>;
  resume(jobName: string): Promise<void>;
  isPaused(jobName: string): boolean;
  /** the next scheduled run (ISO), or null: no schedule, paused, or not started */
  nextRun(jobName: string): string | null;
}

const MINUTE = 60_000;

/**
 * Work the scheduler does for some jobs between their runs, every `everyMs` (a minute): for jobs
 * with remote signing, collect the signers' decisions and send the prepared requests, so an approval
 * given in the afternoon is in before the nightly run. Never while the job runs here; a run
 * triggered during a tick waits for it.
 */
export interface BetweenRuns {
  jobs: readonly string[];
  tick: (job: string) => Promise<void>;
  everyMs?: number;
}
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
export class Scheduler implements SchedulerControl {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, Promise<LienthongError | null>>();
  /** jobs whose schedule is paused (kept in the store, so a restart keeps them paused) */
  private readonly paused = new Set<string>();
  /** the between-runs work in progress, per job */
  private readonly ticking = new Map<string, Promise<void>>();
  private betweenRunsTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: JobDefinition[],
    private readonly runJob: JobRunner,
    private readonly store: StateStore,
    private readonly logger: Logger,
    private readonly betweenRuns?: BetweenRuns,
  ) {}

  /** one round of the between-runs work: each of its jobs that is not running here and not paused */
  async tickBetweenRuns(): Promise<void> {
    const ticks: Promise<void>[] = [];
    for (const name of this.betweenRuns?.jobs ?? []) {
      if (this.running.has(name) || this.ticking.has(name) || this.paused.has(name)) continue;
      const tick = (this.betweenRuns?.tick(name) ?? Promise.resolve())
        .catch((err: unknown) => {
          const e = asLienthongError(err, { job: name });
          this.logger.warn('work between runs failed; tried again next time', { job: name, code: e.code, error: e.message });
        })
        .finally(() => this.ticking.delete(name));
      this.ticking.set(name, tick);
      ticks.push(tick);
    }
    await Promise.all(ticks);
  }

  async start(now: Date = new Date()): Promise<void> {
    if (this.betweenRuns && this.betweenRuns.jobs.length > 0) {
      this.betweenRunsTimer = setInterval(() => void this.tickBetweenRuns(), this.betweenRuns.everyMs ?? MINUTE);
      this.betweenRunsTimer.unref();
    }
    for (const p of await this.store.pausedJobs()) this.paused.add(p.job);
    for (const job of this.jobs) {
      if (!job.schedule) continue;
      const task = cron.schedule(job.schedule.cron, () => this.fire(job, 'schedule'), { timezone: job.schedule.timezone, name: job.name, noOverlap: true });
      this.tasks.set(job.name, task);
      const last = (await this.store.lastRuns(job.name, 1))[0];
      const next = task.getNextRun();
      this.logger.info('job scheduled', { job: job.name, cron: job.schedule.cron, timezone: job.schedule.timezone, nextRun: next?.toISOString(), paused: this.paused.has(job.name) });
      if (last && missedRunSince((d) => task.match(d), new Date(last.startedAt), now)) {
        this.logger.info('a scheduled run was missed while the service was down; running it now', { job: job.name, lastRun: last.startedAt });
        void this.fire(job, 'catch-up');
      }
    }
  }

  /** a fire of the schedule (or its catch-up): skipped, and logged, while the job is paused */
  private fire(job: JobDefinition, trigger: string): Promise<void> {
    if (this.paused.has(job.name)) {
      this.logger.info('schedule paused; this trigger is skipped', { job: job.name, trigger });
      return Promise.resolve();
    }
    return this.trigger(job, trigger);
  }

  /** starts a run unless this job is already running here; resolves when it ends */
  async trigger(job: JobDefinition, trigger: string): Promise<void> {
    await this.launch(job, trigger);
  }

  /**
   * Starts a run unless one of this job runs here already (then answers that one's promise);
   * the promise resolves to the error the run ended with, after logging it, or null.
   */
  private launch(job: JobDefinition, trigger: string, hooks: RunHooks = {}): { started: boolean; done: Promise<LienthongError | null> } {
    const current = this.running.get(job.name);
    if (current) {
      this.logger.warn('job still running; this trigger is skipped', { job: job.name, trigger });
      return { started: false, done: current };
    }
    // a tick holds the job's lock for a moment: the run starts after it rather than being refused
    const done = (this.ticking.get(job.name) ?? Promise.resolve())
      .then(() => this.runJob(job, trigger, hooks))
      .then((s) => {
        this.logger.info('scheduled run ended', { job: job.name, outcome: s.outcome, trigger });
        return null;
      })
      .catch((err: unknown) => {
        const e = err instanceof LienthongError ? err : asLienthongError(err, { job: job.name });
        if (e.code === 'JOB_LOCKED') this.logger.warn('job is running elsewhere; this trigger is skipped', { job: job.name, trigger });
        else this.logger.error('scheduled run failed', { job: job.name, code: e.code, error: e.message });
        return e;
      })
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, done);
    return { started: true, done };
  }

  async runNow(jobName: string): Promise<{ runId: string } | { alreadyRunning: true }> {
    const job = this.jobOf(jobName);
    let startedId: string | null = null;
    let started: (runId: string) => void = () => undefined;
    const hasId = new Promise<string>((resolve) => (started = resolve));
    const launched = this.launch(job, 'console', {
      onRunStarted: (id) => {
        startedId = id;
        started(id);
      },
    });
    if (!launched.started) return { alreadyRunning: true };
    // the run either gets its id or ends before it has one (locked by another process, or failed to start)
    const first = await Promise.race([hasId.then((runId) => ({ runId })), launched.done.then((error) => ({ error }))]);
    if ('runId' in first) return first;
    if (startedId !== null) return { runId: startedId };
    if (first.error?.code === 'JOB_LOCKED') return { alreadyRunning: true };
    if (first.error === null) throw new BugError('RUN_WITHOUT_ID', `the run of ${jobName} ended without an id`, { job: jobName });
    throw first.error;
  }

  async pause(jobName: string, by: string): Promise<void> {
    this.jobOf(jobName);
    await this.store.pauseJob(jobName, by);
    this.paused.add(jobName);
    this.logger.info('schedule paused', { job: jobName, by });
  }

  async resume(jobName: string): Promise<void> {
    this.jobOf(jobName);
    await this.store.resumeJob(jobName);
    this.paused.delete(jobName);
    this.logger.info('schedule resumed', { job: jobName });
  }

  isPaused(jobName: string): boolean {
    return this.paused.has(jobName);
  }

  nextRun(jobName: string): string | null {
    if (this.paused.has(jobName)) return null;
    return this.tasks.get(jobName)?.getNextRun()?.toISOString() ?? null;
  }

  private jobOf(jobName: string): JobDefinition {
    const job = this.jobs.find((j) => j.name === jobName);
    if (!job) throw new ConfigError('JOB_NOT_FOUND', `no job named "${jobName}" (jobs: ${this.jobs.map((j) => j.name).join(', ') || 'none'})`, { job: jobName });
    return job;
  }

  /** stops the schedules and waits for runs in progress */
  async stop(): Promise<void> {
    clearInterval(this.betweenRunsTimer);
    for (const t of this.tasks.values()) await t.destroy();
    this.tasks.clear();
    await Promise.all([...this.running.values(), ...this.ticking.values()]);
  }
}
