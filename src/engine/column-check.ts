import type { JobDefinition } from '../config/schema.js';
import type { ColumnInfo } from '../core/connector.js';
import { ConfigError } from '../core/errors.js';
import type { Mapping } from '../core/mapping.js';

/**
 * Compares the columns a source query gives (found by a probe, before any row is read) with the
 * columns the job reads: the mapping's required and optional columns, the key fields and the
 * cursor. A misspelled alias (`AS birth_dat`) otherwise reaches the mapping as a missing value and
 * is sent as an UPDATE that erases the field at the hub; a missing column marks every row invalid.
 *
 * Names are compared case-insensitively: PostgreSQL folds unquoted aliases to lower case and
 * Oracle to upper case, so `BIRTH_DATE` and `birth_date` are the same column to the job.
 */
export interface ColumnCheckInput {
  stream: string;
  columns: ColumnInfo[];
  required: readonly string[];
  optional: readonly string[];
  keyFields: string[];
  cursorField?: string;
  /** for messages only */
  job?: string;
  mapping?: string;
}

/**
 * What a job's query must give: the mapping's columns, the key fields and the cursor. Undefined
 * when the mapping does not declare its columns (the caller says so; nothing is compared).
 */
export function jobColumnCheck(job: JobDefinition, mapping: Mapping, columns: ColumnInfo[]): ColumnCheckInput | undefined {
  if (!mapping.columns) return undefined;
  return {
    stream: job.source.stream,
    columns,
    required: mapping.columns.required,
    optional: mapping.columns.optional,
    keyFields: job.source.keyFields,
    cursorField: job.source.cursorField,
    job: job.name,
    mapping: mapping.name,
  };
}

export type ColumnProblemCode = 'COLUMN_MISSING' | 'COLUMN_UNKNOWN' | 'COLUMN_DUPLICATE';

export interface ColumnProblem {
  code: ColumnProblemCode;
  column: string;
  /** the closest name on the other side, when one is close enough to be a likely typo */
  suggestion?: string;
  message: string;
}

const fold = (name: string): string => name.trim().toLowerCase();

/**
 * Optimal string alignment distance (Damerau–Levenshtein where a transposition of two neighbours
 * costs 1): `brith_date` is one edit from `birth_date`, as a person would count it.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[rows - 1] as number[])[cols - 1] as number;
}

/**
 * The candidate closest to `name`, if it is close enough to be a typo: at most a third of the
 * longer name's length in edits (at least 1), or one name contains the other (`dob` vs
 * `student_dob` is not suggested, `birth_date` vs `s_birth_date` is). Ties go to the first candidate.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const n = fold(name);
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const f = fold(c);
    const distance = editDistance(n, f);
    const limit = Math.max(1, Math.floor(Math.max(n.length, f.length) / 3));
    const contained = Math.min(n.length, f.length) >= 4 && (n.includes(f) || f.includes(n));
    if (distance > limit && !contained) continue;
    if (!best || distance < best.distance) best = { name: c, distance };
  }
  return best?.name;
}

/** Every problem between the probed columns and what the job reads; empty when they agree. */
export function checkColumns(input: ColumnCheckInput): ColumnProblem[] {
  const problems: ColumnProblem[] = [];
  const present = new Map<string, string>();
  for (const c of input.columns) {
    const key = fold(c.name);
    const earlier = present.get(key);
    if (earlier !== undefined) {
      problems.push({
        code: 'COLUMN_DUPLICATE',
        column: c.name,
        message: `\`${c.name}\`: the query gives two columns of this name (\`${earlier}\` too); a row keeps only one of them: give each its own alias with AS`,
      });
      continue;
    }
    present.set(key, c.name);
  }

  // what reads each column, for the messages: the source needs its key and cursor, the mapping the rest
  const readers = new Map<string, { name: string; by: string; required: boolean }>();
  const want = (name: string, by: string, required: boolean): void => {
    const key = fold(name);
    const known = readers.get(key);
    if (!known) readers.set(key, { name, by, required });
    else if (required && !known.required) readers.set(key, { name: known.name, by, required });
  };
  for (const k of input.keyFields) want(k, 'keyFields', true);
  if (input.cursorField) want(input.cursorField, 'cursorField', true);
  const mappingName = input.mapping ? `the mapping ${input.mapping}` : 'the mapping';
  for (const c of input.required) want(c, mappingName, true);
  for (const c of input.optional) want(c, mappingName, false);

  const unread = [...present.entries()].filter(([key]) => !readers.has(key)).map(([, name]) => name);
  const missingRequired = [...readers.entries()].filter(([key, r]) => r.required && !present.has(key)).map(([, r]) => r);
  const absent = [...readers.entries()].filter(([key]) => !present.has(key)).map(([, r]) => r.name);

  for (const r of missingRequired) {
    const suggestion = closestName(r.name, unread);
    problems.push({
      code: 'COLUMN_MISSING',
      column: r.name,
      suggestion,
      message: `\`${r.name}\`: missing from the query's result (${r.by} reads it)${suggestion ? `; did you mean \`${suggestion}\`?` : '; add it to the SELECT, or rename a column to it with AS'}`,
    });
  }
  for (const name of unread) {
    // a likely typo is matched first against the columns the job is missing, then any it reads
    const suggestion = closestName(name, absent) ?? closestName(name, [...readers.values()].map((r) => r.name));
    problems.push({
      code: 'COLUMN_UNKNOWN',
      column: name,
      suggestion,
      message: `\`${name}\`: nothing reads this column${suggestion ? `; did you mean \`${suggestion}\`?` : '; remove it from the SELECT, or rename it with AS to a column the mapping reads'}`,
    });
  }
  return problems;
}

/** A configuration error listing every column problem of a stream. */
export class ColumnsMismatchError extends ConfigError {
  readonly problems: ColumnProblem[];
  constructor(input: ColumnCheckInput, problems: ColumnProblem[]) {
    const where = `${input.job ? `job ${input.job}, ` : ''}stream ${input.stream}`;
    const lines = problems.map((p) => `  ${p.code}: ${p.message}`);
    super('COLUMNS_MISMATCH', `${where}: the query's columns do not match what the job reads (nothing was read or sent):\n${lines.join('\n')}`, { job: input.job, stream: input.stream });
    this.problems = problems;
  }
}

/** Throws one ColumnsMismatchError (kind 'config', code COLUMNS_MISMATCH) naming every problem, if any. */
export function assertColumns(input: ColumnCheckInput): void {
  const problems = checkColumns(input);
  if (problems.length > 0) throw new ColumnsMismatchError(input, problems);
}
