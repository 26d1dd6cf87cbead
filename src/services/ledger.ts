import { getJob } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { InvalidRecord, LedgerEntry, LedgerStatus, RecordWarnings, TargetId } from '../store/store.js';
import { targetsOf, type ServiceContext } from './context.js';

export const LEDGER_STATUSES: readonly LedgerStatus[] = ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'];

/** Everything the store holds about one record of a job. */
export interface RecordView {
  job: string;
  /** the job's ledger rows of this record, one per target */
  ledger: LedgerEntry[];
  /** why the runs held it back at the source, if they did */
  heldBack: InvalidRecord[];
  warnings: RecordWarnings[];
}

/** A record asked for by the source's key or by its national record id. */
export type RecordQuery = { sourceKey: string } | { idbanghi: string };

export function parseStatuses(values: readonly string[]): LedgerStatus[] {
  for (const v of values) {
    if (!(LEDGER_STATUSES as readonly string[]).includes(v)) throw new ConfigError('LEDGER_STATUS_UNKNOWN', `unknown ledger status "${v}" (statuses: ${LEDGER_STATUSES.join(', ')})`);
  }
  return values as LedgerStatus[];
}

async function collect<T>(rows: AsyncIterable<T>, keep: (row: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) if (keep(r)) out.push(r);
  return out;
}

/** how many ledger rows a lookup answers at most (one per target, a few targets per job) */
const LOOKUP_LIMIT = 100;

/**
 * A record's ledger rows (by an index of the store: source key or idbanghi), held-back reasons and
 * warnings. Rows another job keeps in the same dataset are not this job's and are left out.
 */
export async function findRecord(ctx: ServiceContext, name: string, query: RecordQuery): Promise<RecordView> {
  const job = getJob(ctx.loaded, name);
  const targets = new Set(targetsOf(job).map((t) => t.target));
  const ledger = (await ctx.store.findLedger(job.name, query, LOOKUP_LIMIT)).filter((e) => targets.has(e.target));
  const sourceKeys = new Set(ledger.map((e) => e.sourceKey));
  if ('sourceKey' in query) sourceKeys.add(query.sourceKey);
  const matches = (r: { sourceKey: string; idbanghi: string | null }): boolean => sourceKeys.has(r.sourceKey) || ('idbanghi' in query && r.idbanghi === query.idbanghi);
  return { job: job.name, ledger, heldBack: await collect(ctx.store.listInvalid(job.name), matches), warnings: await collect(ctx.store.listWarnings(job.name), matches) };
}

/**
 * A record's history. The state store keeps the latest version of each record per target (its
 * phienban, content hash, status and times), not the versions before it; so the history is what
 * the ledger rows hold, and `complete` says it is not the full list of versions.
 */
export async function recordHistory(ctx: ServiceContext, name: string, idbanghi: string): Promise<{ idbanghi: string; complete: false; note: string; record: RecordView }> {
  const record = await findRecord(ctx, name, { idbanghi });
  return { idbanghi, complete: false, note: 'the state store keeps only the latest version of each record per target', record };
}

export interface LedgerPage {
  job: string;
  target: TargetId;
  entries: LedgerEntry[];
  /** pass as `after` for the next page; null after the last */
  next: string | null;
}

function targetOf(job: JobDefinition, target: string | undefined): TargetId {
  const targets = targetsOf(job);
  if (target === undefined) return (targets[0] as { target: TargetId }).target;
  if (!targets.some((t) => t.target === target)) throw new ConfigError('TARGET_UNKNOWN', `job ${job.name} does not deliver to ${target} (targets: ${targets.map((t) => t.target).join(', ')})`, { job: job.name });
  return target;
}

/** One page of a job's ledger at one target (its first by default), in idbanghi order, optionally by status (read by index, never a scan). */
export async function ledgerPage(ctx: ServiceContext, name: string, options: { target?: string; status?: readonly string[]; after?: string; limit?: number } = {}): Promise<LedgerPage> {
  const job = getJob(ctx.loaded, name);
  const target = targetOf(job, options.target);
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ConfigError('LIMIT_INVALID', `a page holds 1 to 10000 records (got ${limit})`);
  const status = options.status && options.status.length > 0 ? parseStatuses(options.status) : undefined;
  // one more than asked: whether a next page exists
  const rows = await ctx.store.ledgerPageOf(target, job.name, { status, after: options.after, limit: limit + 1 });
  const entries = rows.slice(0, limit);
  return { job: job.name, target, entries, next: rows.length > limit ? (entries[entries.length - 1]?.idbanghi ?? null) : null };
}
