import type { JobDefinition } from '../config/schema.js';
import type { SourceConnector } from '../core/connector.js';
import type { Mapping } from '../core/mapping.js';
import { checkColumns, jobColumnCheck, type ColumnCheckInput, type ColumnProblem } from '../engine/column-check.js';

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
  const input = jobColumnCheck(job, mapping, probe.columns);
  if (!input) {
    return { columns: probe.columns.length, problems: [], notes: [`the mapping ${mapping.name} does not declare the columns it reads: columns not compared`] };
  }
  return { columns: probe.columns.length, problems: checkColumns(input), notes: [], input };
}
