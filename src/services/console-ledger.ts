import { getJob } from '../config/load.js';
import type { JsonValue } from '../core/records.js';
import { ConfigError } from '../core/errors.js';
import { looksLikePersonalId, subjectHash } from '../core/subject-hash.js';
import type { LedgerLookup } from '../store/console-store.js';
import type { LedgerEntry, TargetId } from '../store/store.js';
import { targetsOf, type ServiceContext } from './context.js';
import { maskPersonalData } from './console-mask.js';
import { findRecord, parseStatuses, type RecordView } from './ledger.js';

export type LedgerMatch = 'sourceKey' | 'idbanghi' | 'personalId';

export interface LedgerSearch {
  job: string;
  /** the target paged through when there was no search text; null for a search (it covers every target) */
  target: TargetId | null;
  /** how the search text matched, or null (no text, or nothing found) */
  matchedBy: LedgerMatch | null;
  entries: LedgerEntry[];
  /** pass as `after` for the next page; null after the last (a search answers one page) */
  next: string | null;
}

export interface LedgerSearchOptions {
  q?: string;
  target?: string;
  status?: readonly string[];
  after?: string;
  limit?: number;
}

/** rows a search by text answers at most (a source key or a person has a handful) */
const SEARCH_LIMIT = 200;

/**
 * The console's ledger search, by the store's indexes only (a million rows answer in
 * milliseconds). A search text that looks like a personal id (9 or 12 digits) is matched by the
 * keyed subject hash and nothing else: were it tried as a source key too, a source keyed by the
 * personal id would answer with the id itself (the caller must not echo, log or audit it either).
 * Any other text is tried as an idbanghi, then as a source key. Without a text, one page of a
 * target's ledger (the job's first target unless named) in idbanghi order.
 */
export async function searchLedger(ctx: ServiceContext, name: string, options: LedgerSearchOptions = {}): Promise<LedgerSearch> {
  const job = getJob(ctx.loaded, name);
  const store = ctx.store;
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ConfigError('LIMIT_INVALID', `a page holds 1 to 1000 records (got ${limit})`);
  const status = options.status && options.status.length > 0 ? parseStatuses(options.status) : undefined;
  const q = options.q?.trim() ?? '';
  if (q === '') {
    const targets = targetsOf(job);
    const target = options.target ?? targets[0]?.target;
    if (target === undefined || !targets.some((t) => t.target === target)) {
      throw new ConfigError('TARGET_UNKNOWN', `job ${job.name} does not deliver to ${String(options.target)} (targets: ${targets.map((t) => t.target).join(', ')})`, { job: job.name });
    }
    // one row more than asked says whether there is a next page
    const rows = await store.ledgerPageOf(target, job.name, { ...(status ? { status } : {}), ...(options.after ? { after: options.after } : {}), limit: limit + 1 });
    const entries = rows.slice(0, limit);
    return { job: job.name, target, matchedBy: null, entries, next: rows.length > limit ? (entries[entries.length - 1]?.idbanghi ?? null) : null };
  }
  const keep = (rows: LedgerEntry[]): LedgerEntry[] => (status ? rows.filter((r) => status.includes(r.status)) : rows).slice(0, limit);
  const tries: [LedgerMatch, LedgerLookup][] = looksLikePersonalId(q)
    ? [['personalId', { subjectHash: subjectHash(await store.subjectKey(), q) }]]
    : [
        ['idbanghi', { idbanghi: q }],
        ['sourceKey', { sourceKey: q }],
      ];
  for (const [matchedBy, lookup] of tries) {
    const rows = await store.findLedger(job.name, lookup, SEARCH_LIMIT);
    if (rows.length > 0) return { job: job.name, target: null, matchedBy, entries: keep(rows), next: null };
  }
  return { job: job.name, target: null, matchedBy: null, entries: [], next: null };
}

export interface RecordDetail {
  record: RecordView;
  /** the envelope still in the outbox (a parsed JSON object), masked unless `unmask`; null when none or not a JSON object */
  envelope: JsonValue | null;
  /** whether personal data in `envelope` was masked */
  masked: boolean;
}

function parseEnvelope(text: string | null): JsonValue | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as JsonValue;
    // an envelope is an object; anything else is not a record to show field by field
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    // a destination whose wire form is not JSON: nothing to show field by field
    return null;
  }
}

/**
 * One record of a job by its idbanghi: what `findRecord` finds (its ledger rows by the index, the
 * runs' held-back reasons and warnings for it), and its envelope from the outbox of the first
 * target that still keeps one. Personal data is masked unless `unmask` (the route decides who
 * may). A ConfigError LEDGER_RECORD_NOT_FOUND when the store knows nothing of it.
 */
export async function recordDetail(ctx: ServiceContext, name: string, idbanghi: string, unmask: boolean): Promise<RecordDetail> {
  const record = await findRecord(ctx, name, { idbanghi });
  if (record.ledger.length === 0 && record.heldBack.length === 0 && record.warnings.length === 0) {
    throw new ConfigError('LEDGER_RECORD_NOT_FOUND', `job ${record.job} has no record ${idbanghi} in the state store`, { job: record.job, record: idbanghi });
  }
  let envelope: JsonValue | null = null;
  for (const e of record.ledger) {
    envelope = parseEnvelope(await ctx.store.outboxText(e.target, idbanghi));
    if (envelope !== null) break;
  }
  if (unmask) return { record, envelope, masked: false };
  return { record: maskRecordView(record), envelope: envelope === null ? null : maskPersonalData(envelope), masked: true };
}

/** the messages of a record's errors and warnings may quote a personal id: masked like any free text */
function maskRecordView(record: RecordView): RecordView {
  return maskPersonalData(record as unknown as JsonValue) as unknown as RecordView;
}
