import type { JobDefinition } from '../config/schema.js';
import type { SourceConnector } from '../core/connector.js';
import { asLienthongError } from '../core/errors.js';
import type { Mapping, MappingContext, MappingResult } from '../core/mapping.js';
import type { JsonValue, SourceRecord } from '../core/records.js';
import { maskPersonalIdsInText } from '../core/redact.js';
import { hashedJson } from '../core/hash.js';
import { buildMapping, buildSource, unitCodeOf } from '../engine/assemble.js';
import { checkColumns, ColumnsMismatchError, type ColumnCheckInput, type ColumnProblem } from '../engine/column-check.js';
import type { JobEnvironment } from '../engine/jobs.js';
import { targetId } from '../store/store.js';

/** What probing a job's query found: the problems, or why the column check could not be done. */
export interface ProbeOutcome {
  /** result columns of the query, when the source could probe it */
  columns?: number;
  problems: ColumnProblem[];
  /** why part of the check was not done (nothing is skipped without saying so) */
  notes: string[];
  input?: ColumnCheckInput;
}

/**
 * Probes a job's query (its result columns, without reading a row) and compares them with what
 * the job reads. A query the database refuses throws (a ConfigError from the source).
 */
export async function probeJob(source: SourceConnector, job: JobDefinition, mapping: Mapping, signal?: AbortSignal): Promise<ProbeOutcome> {
  if (!source.probe) return { problems: [], notes: [`the ${source.type} source cannot probe its query: columns not checked`] };
  const probe = source.checkStream ? await source.checkStream(job.source.stream, signal) : await source.probe(job.source.stream, signal);
  if (!mapping.columns) {
    return { columns: probe.columns.length, problems: [], notes: [`the mapping ${mapping.name} does not declare the columns it reads: columns not compared`] };
  }
  const input: ColumnCheckInput = {
    stream: job.source.stream,
    columns: probe.columns,
    required: mapping.columns.required,
    optional: mapping.columns.optional,
    keyFields: job.source.keyFields,
    cursorField: job.source.cursorField,
    job: job.name,
    mapping: mapping.name,
  };
  return { columns: probe.columns.length, problems: checkColumns(input), notes: [], input };
}

/** Personal ids masked in every string of a mapped record (a dry run prints to a terminal). */
export function maskJson(value: JsonValue): JsonValue {
  if (typeof value === 'string') return maskPersonalIdsInText(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v)]));
  return value;
}

export interface DryRunOptions {
  limit: number;
  fullRefresh?: boolean;
  out: (line: string) => void;
  signal?: AbortSignal;
}

export interface DryRunResult {
  read: number;
  valid: number;
  invalid: number;
  unchanged: number;
}

/**
 * `lienthong run <job> --dry-run`: probes the query, checks its columns, reads up to `limit` rows
 * from where the next run would start, maps them and prints what would be sent (personal ids
 * masked) or why a record would be held back. It writes nothing to the ledger, moves no cursor,
 * signs nothing and sends nothing: the ledger is only read, to tell a new record from an update.
 */
export async function dryRun(env: JobEnvironment, job: JobDefinition, o: DryRunOptions): Promise<DryRunResult> {
  const mapping = buildMapping(job);
  const context: MappingContext = { unitCode: unitCodeOf(env.loaded, job, env.overrides), options: job.mapping.options };
  const source = buildSource(env.loaded, job, env.overrides);
  const result: DryRunResult = { read: 0, valid: 0, invalid: 0, unchanged: 0 };
  try {
    const probe = await probeJob(source, job, mapping, o.signal);
    for (const note of probe.notes) o.out(`note: ${note}`);
    if (probe.problems.length > 0 && probe.input) throw new ColumnsMismatchError(probe.input, probe.problems);
    if (probe.columns !== undefined) o.out(`query ${job.source.stream}: ${probe.columns} columns${mapping.columns ? ', all read by the job' : ''}`);

    const cursor = o.fullRefresh ? null : await env.store.getCursor(job.name, job.source.stream);
    const first = job.destinations[0];
    const target = first ? targetId(first.connection, first.dataset) : undefined;
    o.out(`reading up to ${o.limit} record(s) ${cursor === null ? 'from the beginning' : 'changed since the saved cursor'} (dry run: nothing is written, signed or sent)`);
    if (job.transform) o.out('note: this job signs its records; a dry run does not sign them, so no document is shown');
    o.out('');

    const show = async (record: SourceRecord): Promise<void> => {
      result.read++;
      const head = `[${result.read}] source ${record.key}`;
      let mapped: MappingResult;
      try {
        mapped = mapping.map(record, context);
      } catch (err) {
        const e = asLienthongError(err, { job: job.name, record: record.key });
        mapped = { ok: false, errors: [{ field: 'record', code: e.code, message: `the mapping failed on this record: ${e.message}` }] };
      }
      if (!mapped.ok) {
        result.invalid++;
        o.out(`${head}${mapped.idbanghi ? ` → ${mapped.idbanghi}` : ''}: INVALID, would be held back`);
        for (const fe of mapped.errors) o.out(`    ${fe.field} ${fe.code}: ${maskPersonalIdsInText(fe.message)}`);
        return;
      }
      result.valid++;
      // the ledger is only read: it tells a new record from an update, and an unchanged one
      const entry = target ? (await env.store.getLedgerEntries(target, [mapped.idbanghi])).get(mapped.idbanghi) : undefined;
      if (entry && entry.contentHash === hashedJson(mapped.data).hash) {
        result.unchanged++;
        o.out(`${head} → ${mapped.idbanghi}: unchanged since phienban ${entry.phienban}, would not be sent`);
        return;
      }
      const sukien = mapped.sukien === 'CANCEL' ? 'CANCEL' : entry ? 'UPDATE' : mapped.sukien;
      o.out(`${head} → ${mapped.idbanghi} ${sukien} phienban ${(entry?.phienban ?? 0) + 1}, thoigiancapnhat ${mapped.thoigiancapnhat}`);
      for (const w of mapped.warnings ?? []) o.out(`    warning ${w.field} ${w.code}: ${maskPersonalIdsInText(w.message)}`);
      o.out(`    ${JSON.stringify(maskJson(mapped.data))}`);
    };

    const rows = source.read({ stream: job.source.stream, mode: cursor === null ? 'full' : 'incremental', cursor, signal: o.signal });
    for await (const record of rows) {
      await show(record);
      // leaving the loop closes the source's cursor: no more rows are read than shown
      if (result.read >= o.limit) break;
    }
  } finally {
    await source.close();
  }
  o.out('');
  o.out(`dry run of ${job.name}: read ${result.read}, valid ${result.valid} (unchanged ${result.unchanged}), invalid ${result.invalid}; nothing was written or sent`);
  return result;
}
