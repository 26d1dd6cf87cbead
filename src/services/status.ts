import { getJob } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import type { CursorValue } from '../core/cursor.js';
import { isAwaitingSignature } from '../core/transform.js';
import type { LedgerStatus, RunRow, TargetId } from '../store/store.js';
import { targetsOf, type ServiceContext } from './context.js';
import { deadlineStatus, type DeadlineStatus } from './deadlines.js';
import { kioskHealth } from './kiosks.js';
import type { KioskHealth } from '../store/kiosk-store.js';

// `lienthong status` must answer in well under half a second: this module imports no engine,
// connector or logging code.

export interface TargetCounts {
  target: TargetId;
  counts: Record<LedgerStatus, number>;
}

/** What `lienthong status` shows of one job (and `--json` prints as it is). */
export interface JobStatus {
  job: string;
  /** a run holds the job's lock now (here or in another process) */
  running: boolean;
  cursor: CursorValue | null;
  /** records held back at the source by the runs (invalid, refused at signing, duplicates) */
  invalid: number;
  /** records held back until their signers approve (remote signing), not counted in `invalid` */
  awaitingSignature?: number;
  /** records sent with mapping warnings */
  warnings: number;
  targets: TargetCounts[];
  deadlines: DeadlineStatus[];
  /** the last five runs, newest first */
  runs: RunRow[];
  /** the CIM kiosks the job sends to (cim-kiosk destinations): health and queue */
  kiosks?: KioskHealth[];
}

/** A job's ledger counts per target, held-back count and warnings count. */
export async function jobCounts(ctx: ServiceContext, job: JobDefinition): Promise<{ targets: TargetCounts[]; invalid: number; awaitingSignature: number; warnings: number }> {
  const targets: TargetCounts[] = [];
  for (const t of targetsOf(job)) targets.push({ target: t.target, counts: await ctx.store.statusCounts(t.target) });
  let invalid = 0;
  let awaitingSignature = 0;
  for await (const r of ctx.store.listInvalid(job.name)) {
    if (isAwaitingSignature(r)) awaitingSignature++;
    else invalid++;
  }
  return { targets, invalid, awaitingSignature, warnings: await ctx.store.warningCount(job.name) };
}

/**
 * The deadlines of a job, counted against its first target: a deadline for some grades (e.g. grades
 * 5 and 9 earlier) counts only the ledger rows of those grades (ledger.grade, from the mapping's
 * gradeField at staging).
 */
export async function jobDeadlines(ctx: ServiceContext, job: JobDefinition, targets: TargetCounts[], heldBack: number, now: Date = new Date()): Promise<DeadlineStatus[]> {
  const first = targets[0];
  const out: DeadlineStatus[] = [];
  for (const d of job.deadlines) {
    const counts = first && d.grades ? await ctx.store.statusCountsByGrade(first.target, d.grades) : first?.counts;
    out.push(deadlineStatus(d, counts, heldBack, now));
  }
  return out;
}

/** Status of every job, or of the one named (a ConfigError JOB_NOT_FOUND when there is none). */
export async function jobStatuses(ctx: ServiceContext, name?: string, now: Date = new Date()): Promise<JobStatus[]> {
  const jobs = name !== undefined ? [getJob(ctx.loaded, name)] : [...ctx.loaded.jobs.values()];
  const result: JobStatus[] = [];
  for (const job of jobs) {
    const runs = await ctx.store.lastRuns(job.name, 5);
    const { targets, invalid, awaitingSignature, warnings } = await jobCounts(ctx, job);
    const lock = await ctx.store.lockHolder(job.name);
    const cursor = await ctx.store.getCursor(job.name, job.source.stream);
    // a record waiting for its signers is not sent yet: the deadline board counts it as held back
    const kiosks = await kioskHealth(ctx, job);
    result.push({ job: job.name, running: lock !== null, cursor, invalid, awaitingSignature, warnings, targets, deadlines: await jobDeadlines(ctx, job, targets, invalid + awaitingSignature, now), runs, ...(kiosks.length > 0 ? { kiosks } : {}) });
  }
  return result;
}
