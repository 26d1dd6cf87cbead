import { getJob } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import type { MappingContext } from '../core/mapping.js';
import type { FieldError, JsonValue, RecordEvent, SourceRecord } from '../core/records.js';
import { maskPersonalIdsInText } from '../core/redact.js';
import { buildMapping, buildSource, unitCodeOf } from '../engine/assemble.js';
import { duplicateError, mapRecord, type MapStep } from '../engine/chunk-mapper.js';
import { planStaging } from '../engine/commit-chunk.js';
import { ColumnsMismatchError } from '../engine/column-check.js';
import { targetId } from '../store/store.js';
import type { ServiceEnvironment } from './context.js';
import { probeJob } from './probe.js';

/** Personal ids masked in every string of a mapped record (a dry run's records are shown to people). */
export function maskJson(value: JsonValue): JsonValue {
  if (typeof value === 'string') return maskPersonalIdsInText(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v)]));
  return value;
}

const masked = (errors: readonly FieldError[]): FieldError[] => errors.map((e) => ({ ...e, message: maskPersonalIdsInText(e.message) }));

/** One record of a dry run: what the run would do with it. Personal ids are masked. */
export type DryRunRecord =
  | { n: number; sourceKey: string; outcome: 'invalid'; idbanghi: string | null; errors: FieldError[] }
  | { n: number; sourceKey: string; outcome: 'unchanged'; idbanghi: string; phienban: number }
  | { n: number; sourceKey: string; outcome: 'send'; idbanghi: string; sukien: RecordEvent; phienban: number; thoigiancapnhat: string; warnings: FieldError[]; data: JsonValue };

export interface DryRunResult {
  job: string;
  stream: string;
  /** result columns of the query, when the source could probe it */
  columns?: number;
  /** the mapping declares its columns and every one was found */
  allRead: boolean;
  /** what the column check could not do, said out loud */
  notes: string[];
  limit: number;
  /** read from the beginning (a full refresh or no saved cursor) or from the saved cursor */
  from: 'beginning' | 'cursor';
  /** the job signs its records; a dry run does not, so no document is shown */
  signs: boolean;
  records: DryRunRecord[];
  read: number;
  valid: number;
  invalid: number;
  unchanged: number;
}

/**
 * `lienthong run <job> --dry-run`: probes the query, checks its columns (a ColumnsMismatchError
 * when they do not fit), reads up to `limit` rows from where the next run would start and maps
 * them through the run's own mapping step. It writes nothing to the ledger, moves no cursor,
 * signs nothing and sends nothing: the ledger is only read, to tell a new record from an update.
 */
export async function dryRun(env: ServiceEnvironment, name: string, o: { limit: number; fullRefresh?: boolean; signal?: AbortSignal }): Promise<DryRunResult> {
  const job = getJob(env.loaded, name);
  const mapping = buildMapping(job);
  const context: MappingContext = { unitCode: unitCodeOf(env.loaded, job, env.overrides), options: job.mapping.options };
  const source = buildSource(env.loaded, job, env.overrides);
  try {
    const probe = await probeJob(source, job, mapping, o.signal);
    if (probe.problems.length > 0 && probe.input) throw new ColumnsMismatchError(probe.input, probe.problems);
    const cursor = o.fullRefresh ? null : await env.store.getCursor(job.name, job.source.stream);
    const result: DryRunResult = {
      job: job.name,
      stream: job.source.stream,
      ...(probe.columns === undefined ? {} : { columns: probe.columns }),
      allRead: mapping.columns !== undefined,
      notes: probe.notes,
      limit: o.limit,
      from: cursor === null ? 'beginning' : 'cursor',
      signs: job.transform !== undefined,
      records: [],
      read: 0,
      valid: 0,
      invalid: 0,
      unchanged: 0,
    };
    const rows = source.read({ stream: job.source.stream, mode: cursor === null ? 'full' : 'incremental', cursor, signal: o.signal });
    for await (const record of rows) {
      const seen = await wouldDo(env, job, record, ++result.read, mapRecord(record, mapping, context, job.name));
      result.records.push(seen);
      if (seen.outcome === 'invalid') result.invalid++;
      else result.valid++;
      if (seen.outcome === 'unchanged') result.unchanged++;
      // leaving the loop closes the source's cursor: no more rows are read than shown
      if (result.read >= o.limit) break;
    }
    return result;
  } finally {
    await source.close();
  }
}

/** What a run would do with one mapped record; the ledger (of the first target) is only read. */
async function wouldDo(env: ServiceEnvironment, job: JobDefinition, record: SourceRecord, n: number, mapped: MapStep): Promise<DryRunRecord> {
  if (!mapped.ok) return { n, sourceKey: record.key, outcome: 'invalid', idbanghi: mapped.idbanghi, errors: masked(mapped.errors) };
  const first = job.destinations[0];
  // it tells a new record from an update, and an unchanged one
  const entry = first ? (await env.store.getLedgerEntries(targetId(first.connection, first.dataset), [mapped.idbanghi])).get(mapped.idbanghi) : undefined;
  // the run's own decision, so the dry run shows what the run would do, a duplicate included
  const plan = planStaging({ key: record.key, hash: mapped.hash, sukien: mapped.sukien }, entry, job.name);
  if (plan.action === 'duplicate') return { n, sourceKey: record.key, outcome: 'invalid', idbanghi: mapped.idbanghi, errors: masked([duplicateError(plan.otherKey)]) };
  if (plan.action === 'unchanged') return { n, sourceKey: record.key, outcome: 'unchanged', idbanghi: mapped.idbanghi, phienban: plan.phienban };
  return { n, sourceKey: record.key, outcome: 'send', idbanghi: mapped.idbanghi, sukien: plan.sukien, phienban: plan.phienban, thoigiancapnhat: mapped.thoigiancapnhat, warnings: masked(mapped.warnings ?? []), data: maskJson(mapped.data) };
}
