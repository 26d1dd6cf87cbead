import { getJob } from '../config/load.js';
import { plugins } from '../plugins.js';
import { STORE_PAGE, type LedgerEntry, type RequeueItem, type TargetId } from '../store/store.js';
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

/** a ledger row that is dead or stale, as a dead letter */
export function deadLetterOf(target: TargetId, e: LedgerEntry): DeadLetter {
  return { target, idbanghi: e.idbanghi, sourceKey: e.sourceKey, status: e.status === 'stale' ? 'conflict' : 'dead', phienban: e.phienban, attempts: e.attempts, error: e.lastError };
}

export async function listDeadLetters(ctx: ServiceContext, name: string): Promise<DeadLetter[]> {
  const job = getJob(ctx.loaded, name);
  const letters: DeadLetter[] = [];
  for (const t of targetsOf(job)) {
    // by the store's status index, page by page: the dead letters, not the whole ledger, are read
    let after: string | undefined;
    for (;;) {
      const rows = await ctx.store.ledgerPageOf(t.target, job.name, { status: ['dead', 'stale'], ...(after === undefined ? {} : { after }), limit: STORE_PAGE });
      for (const e of rows) letters.push(deadLetterOf(t.target, e));
      const last = rows[rows.length - 1];
      if (rows.length < STORE_PAGE || last === undefined) break;
      after = last.idbanghi;
    }
  }
  return letters;
}

/** A selected dead letter that was not queued again, and why. */
export interface NotRequeued {
  target: TargetId;
  idbanghi: string;
  reason: string;
}

export interface RequeueResult {
  job: string;
  /** how many records were queued again */
  requeued: number;
  /** the selected ones that were not, each with its reason */
  notRequeued: NotRequeued[];
}

/**
 * Puts this job's dead letters back in the queue: the next run of the job sends them. A dead
 * letter goes back at its version; a conflict goes above the version the destination holds,
 * re-encoded there by its destination plugin (`reversion`: the outbox text is the destination's
 * own format). An id that is not a dead letter of the job is left as it is; a selected record
 * that cannot be queued again is in `notRequeued` with the reason.
 */
export async function requeueDeadLetters(ctx: ServiceContext, name: string, selection: RequeueSelection): Promise<RequeueResult> {
  const job = getJob(ctx.loaded, name);
  const wanted = 'idbanghi' in selection ? new Set(selection.idbanghi) : undefined;
  const byTarget = new Map<TargetId, { connection: string; ids: string[] }>();
  const connectionOf = new Map(targetsOf(job).map((t) => [t.target, t.connection]));
  for (const d of await listDeadLetters(ctx, job.name)) {
    if (wanted && !wanted.has(d.idbanghi)) continue;
    if ('code' in selection && d.error?.code !== selection.code) continue;
    const group = byTarget.get(d.target) ?? { connection: connectionOf.get(d.target) ?? '', ids: [] };
    group.ids.push(d.idbanghi);
    byTarget.set(d.target, group);
  }
  let requeued = 0;
  const notRequeued: NotRequeued[] = [];
  for (const [target, { connection, ids }] of byTarget) {
    const type = ctx.loaded.config.connections[connection]?.type;
    const reversion = type === undefined ? undefined : plugins.destination(type)?.reversion;
    const items: RequeueItem[] = [];
    for (const d of await ctx.store.deadLetters(target, ids)) {
      if (d.encoded === null) {
        notRequeued.push({ target, idbanghi: d.idbanghi, reason: 'nothing left to send: the outbox keeps no text for it (run the job again after a change of the source record)' });
      } else if (d.status === 'dead') {
        items.push({ idbanghi: d.idbanghi, phienban: d.phienban });
      } else if (!reversion) {
        notRequeued.push({ target, idbanghi: d.idbanghi, reason: `a version conflict: the ${type ?? 'unknown'} destination of ${connection} cannot encode a record at another version (its plugin has no reversion), so it cannot be sent above the version held there` });
      } else {
        // the destination holds another version: ours must go above it to count
        const phienban = Math.max(d.phienban, d.heldVersion ?? d.phienban) + 1;
        items.push({ idbanghi: d.idbanghi, phienban: d.phienban, reencoded: { phienban, encoded: reversion(d.encoded, phienban) } });
      }
    }
    requeued += await ctx.store.requeue(target, items);
  }
  return { job: job.name, requeued, notRequeued };
}
