import { createTask } from 'node-cron';
import { getJob } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { RunOptions, RunSummary } from '../engine/runner.js';
import type { RunRow } from '../store/store.js';
import { targetsOf, type JobTarget, type ServiceContext, type ServiceEnvironment } from './context.js';
import type { DeadlineStatus } from './deadlines.js';
import { jobCounts, jobDeadlines, type TargetCounts } from './status.js';

/** One job as a list of jobs shows it. */
export interface JobSummary {
  name: string;
  description: string | null;
  file: string;
  source: { connection: string; stream: string; mode: string };
  destinations: JobTarget[];
  /** null when the job runs only when asked */
  schedule: { cron: string; timezone: string; nextRunAt: string | null } | null;
  running: boolean;
  lastRun: RunRow | null;
  invalid: number;
  /** records held back until their signers approve (remote signing) */
  awaitingSignature: number;
  warnings: number;
  targets: TargetCounts[];
  deadlines: DeadlineStatus[];
}

/**
 * The next time a cron expression fires from now, in its time zone, as an ISO instant: asked of
 * the library the scheduler runs on (node-cron), so the two cannot disagree. The task is made
 * stopped and destroyed at once: nothing is scheduled.
 */
export async function nextRunAt(schedule: { cron: string; timezone: string }): Promise<string | null> {
  const task = createTask(schedule.cron, () => undefined, { timezone: schedule.timezone });
  try {
    return task.getNextRuns(1)[0]?.toISOString() ?? null;
  } finally {
    await task.destroy();
  }
}

async function summaryOf(ctx: ServiceContext, job: JobDefinition & { file: string }, now: Date): Promise<JobSummary> {
  const { targets, invalid, awaitingSignature, warnings } = await jobCounts(ctx, job);
  const lastRun = (await ctx.store.lastRuns(job.name, 1))[0] ?? null;
  return {
    name: job.name,
    description: job.description ?? null,
    file: job.file,
    source: { connection: job.source.connection, stream: job.source.stream, mode: job.source.mode },
    destinations: targetsOf(job),
    schedule: job.schedule ? { cron: job.schedule.cron, timezone: job.schedule.timezone, nextRunAt: await nextRunAt(job.schedule) } : null,
    running: (await ctx.store.lockHolder(job.name)) !== null,
    lastRun,
    invalid,
    awaitingSignature,
    warnings,
    targets,
    deadlines: await jobDeadlines(ctx, job, targets, invalid + awaitingSignature, now),
  };
}

/** Every configured job: its schedule and next run, last run, ledger counts and deadlines. */
export async function listJobs(ctx: ServiceContext, now: Date = new Date()): Promise<JobSummary[]> {
  const result: JobSummary[] = [];
  for (const job of ctx.loaded.jobs.values()) result.push(await summaryOf(ctx, job, now));
  return result;
}

/** The job's last runs, newest first. */
export async function listRuns(ctx: ServiceContext, name: string, limit = 20): Promise<RunRow[]> {
  const job = getJob(ctx.loaded, name);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('LIMIT_INVALID', `a limit is a whole number of at least 1 (got ${limit})`);
  return ctx.store.lastRuns(job.name, limit);
}

/** One run of a job, by its id (a ConfigError RUN_NOT_FOUND when the job has no such run). */
export async function getRun(ctx: ServiceContext, name: string, runId: string): Promise<RunRow> {
  const job = getJob(ctx.loaded, name);
  const run = await ctx.store.getRun(runId);
  if (!run || run.job !== job.name) throw new ConfigError('RUN_NOT_FOUND', `job ${job.name} has no run ${runId}`, { job: job.name, run: runId });
  return run;
}

/** Runs a job once now, as `lienthong run` does; the summary says how it ended (it does not throw for a failed run). */
export async function runJobNow(env: ServiceEnvironment, name: string, options: RunOptions = {}): Promise<RunSummary> {
  const job = getJob(env.loaded, name);
  // the engine, the connectors and their drivers load only to run: listing jobs does not need them
  const { runConfiguredJob } = await import('../engine/jobs.js');
  return runConfiguredJob(env, job, { trigger: 'manual', ...options });
}
