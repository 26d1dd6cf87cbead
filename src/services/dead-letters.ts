import { getJob } from '../config/load.js';
import type { LedgerEntry, TargetId } from '../store/store.js';
import { targetsOf, type ServiceContext } from './context.js';

/** A record delivery gave up on (`dead`) or that the hub holds in another version (`conflict`). */
export interface DeadLetter {
  target: TargetId;
  idbanghi: string;
  sourceKey: string;
  status: 'dead' | 'conflict';
  phienban: number;
  attempts: number;
  error: LedgerEntry['lastError'];
}

/** Which dead letters to put back: the given ids, those whose last error has this code, or all. */
export type RequeueSelection = { idbanghi: readonly string[] } | { code: string } | { all: true };

export async function listDeadLetters(ctx: ServiceContext, name: string): Promise<DeadLetter[]> {
  const job = getJob(ctx.loaded, name);
  const letters: DeadLetter[] = [];
  for (const t of targetsOf(job)) {
    for await (const e of ctx.store.ledger(t.target, { status: ['dead', 'stale'] })) {
      if (e.job !== job.name) continue;
      letters.push({ target: t.target, idbanghi: e.idbanghi, sourceKey: e.sourceKey, status: e.status === 'stale' ? 'conflict' : 'dead', phienban: e.phienban, attempts: e.attempts, error: e.lastError });
    }
  }
  return letters;
}

/**
 * Puts this job's dead letters back in the queue (conflicts get a phienban above the hub's): the
 * next run of the job sends them. Returns how many were queued again; an id that is not a dead
 * letter of the job is left as it is.
 */
export async function requeueDeadLetters(ctx: ServiceContext, name: string, selection: RequeueSelection): Promise<{ job: string; requeued: number }> {
  const job = getJob(ctx.loaded, name);
  const wanted = 'idbanghi' in selection ? new Set(selection.idbanghi) : undefined;
  const byTarget = new Map<TargetId, string[]>();
  for (const d of await listDeadLetters(ctx, job.name)) {
    if (wanted && !wanted.has(d.idbanghi)) continue;
    if ('code' in selection && d.error?.code !== selection.code) continue;
    byTarget.set(d.target, [...(byTarget.get(d.target) ?? []), d.idbanghi]);
  }
  let requeued = 0;
  for (const [target, ids] of byTarget) requeued += await ctx.store.retryDeadLetters(target, ids);
  return { job: job.name, requeued };
}
