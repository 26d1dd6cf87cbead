import { kioskLines } from './format-kiosks.js';
import type { RunSummary } from '../engine/runner.js';
import type { CheckReport } from '../services/check.js';
import type { DeadLetter } from '../services/dead-letters.js';
import type { DryRunResult } from '../services/dry-run.js';
import type { JobStatus } from '../services/status.js';
import { nextSteps, type Lang, type NextStepsInput } from './next-steps.js';

// What the commands print, made from the services' results: pure functions from a result to
// lines, so the words can be tested without a terminal. Only types are imported from services.

/** The run's counts, then what the operator must do next. */
export function runSummaryLines(s: RunSummary, language: Lang = 'vi'): string[] {
  const c = s.counts as NextStepsInput['counts'];
  const lines = [
    `job ${s.job} run ${s.runId}: ${s.outcome} in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  read ${c.read}, valid ${c.mapped}, invalid ${c.invalid}, unchanged ${c.unchanged}, staged ${c.staged}${c.warnings === undefined ? '' : `, with warnings ${c.warnings}`}${c.awaitingSignature ? `, awaiting signatures ${c.awaitingSignature}` : ''}`,
    `  accepted ${c.accepted}, rejected by hub ${c.rejected}, conflicts ${c.conflicts}, dead ${c.dead}${c.deferred === undefined ? '' : `, deferred to the next run ${c.deferred}`}, retries ${c.retried}`,
  ];
  if (s.error) lines.push(`  stopped: ${s.error.code}: ${s.error.message}`);
  // what the run itself wants heard (e.g. a plain-http hub allowed by allowInsecureHttp)
  for (const n of s.notices ?? []) lines.push(`  note: ${n}`);
  lines.push(language === 'vi' ? '  Việc cần làm tiếp:' : '  What to do next:');
  for (const line of nextSteps(s as NextStepsInput, language)) lines.push(`  - ${line}`);
  return lines;
}

/** A saved cursor as text: a typed cursor ({ type, value }) shows its value and type. */
export function cursorText(cursor: unknown): string {
  if (cursor === null || cursor === undefined) return '(none)';
  if (typeof cursor === 'object' && 'value' in cursor) {
    const c = cursor as { type?: unknown; value: unknown };
    return `${String(c.value)}${typeof c.type === 'string' ? ` (${c.type})` : ''}`;
  }
  return String(cursor);
}

export function statusLines(result: JobStatus[]): string[] {
  const lines: string[] = [];
  for (const r of result) {
    lines.push(`${r.job}${r.running ? ' (running)' : ''}   cursor: ${cursorText(r.cursor)}   held back at source: ${r.invalid}${r.awaitingSignature ? `   awaiting signatures: ${r.awaitingSignature}` : ''}   with warnings: ${r.warnings}`);
    for (const t of r.targets) lines.push(`  ${t.target}: ${Object.entries(t.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const d of r.deadlines) lines.push(`  hạn/deadline ${d.name}${d.grades.length > 0 ? ` (khối/grades ${d.grades.join(', ')})` : ''} ${d.date}: ${d.countdown}; accepted ${d.accepted}, pending ${d.pending}, rejected by hub ${d.rejectedByHub}, held back ${d.heldBack}`);
    lines.push(...kioskLines(r.kiosks));
    for (const run of r.runs) lines.push(`  run ${run.id} ${run.trigger} ${run.startedAt} ${run.outcome}: read ${run.counts.read}, accepted ${run.counts.accepted}, invalid ${run.counts.invalid}, warnings ${run.counts.warnings ?? 0}, deferred ${run.counts.deferred ?? 0}${run.counts.awaitingSignature ? `, awaiting signatures ${run.counts.awaitingSignature}` : ''}, dead ${run.counts.dead}${run.error ? `, ${run.error.code}` : ''}`);
  }
  return lines;
}

export function checkLines(report: CheckReport): string[] {
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.type === 'unused') lines.push(`${f.connection}: not used by any job (not checked)`);
    else if (f.type === 'connection') lines.push(`${f.connection}: ${f.ok ? 'ok' : 'FAILED'}: ${f.message}`);
    else if (f.message !== undefined) lines.push(`  job ${f.job}: FAILED: ${f.message}`);
    else {
      for (const note of f.notes) lines.push(`  job ${f.job}: note: ${note}`);
      if (f.problems.length === 0) {
        if (f.columns !== undefined) lines.push(`  job ${f.job}: query ok, ${f.columns} columns${f.allRead ? ', all read by the job' : ''}`);
        continue;
      }
      lines.push(`  job ${f.job}: the query's columns do not match what the job reads:`);
      for (const p of f.problems) lines.push(`    ${p.code}: ${p.message}`);
    }
  }
  return lines;
}

export function dryRunLines(r: DryRunResult): string[] {
  const lines = r.notes.map((n) => `note: ${n}`);
  if (r.columns !== undefined) lines.push(`query ${r.stream}: ${r.columns} columns${r.allRead ? ', all read by the job' : ''}`);
  lines.push(`reading up to ${r.limit} record(s) ${r.from === 'beginning' ? 'from the beginning' : 'changed since the saved cursor'} (dry run: nothing is written, signed or sent)`);
  if (r.signs) lines.push('note: this job signs its records; a dry run does not sign them, so no document is shown');
  lines.push('');
  for (const rec of r.records) {
    const head = `[${rec.n}] source ${rec.sourceKey}`;
    if (rec.outcome === 'invalid') {
      lines.push(`${head}${rec.idbanghi ? ` → ${rec.idbanghi}` : ''}: INVALID, would be held back`);
      for (const fe of rec.errors) lines.push(`    ${fe.field} ${fe.code}: ${fe.message}`);
    } else if (rec.outcome === 'unchanged') {
      lines.push(`${head} → ${rec.idbanghi}: unchanged since phienban ${rec.phienban}, would not be sent`);
    } else {
      lines.push(`${head} → ${rec.idbanghi} ${rec.sukien} phienban ${rec.phienban}, thoigiancapnhat ${rec.thoigiancapnhat}`);
      for (const w of rec.warnings) lines.push(`    warning ${w.field} ${w.code}: ${w.message}`);
      lines.push(`    ${JSON.stringify(rec.data)}`);
    }
  }
  lines.push('', `dry run of ${r.job}: read ${r.read}, valid ${r.valid} (unchanged ${r.unchanged}), invalid ${r.invalid}; nothing was written or sent`);
  return lines;
}

export function deadLetterLine(d: DeadLetter, json: boolean): string {
  if (json) return JSON.stringify({ target: d.target, idbanghi: d.idbanghi, sourceKey: d.sourceKey, status: d.status === 'conflict' ? 'stale' : 'dead', phienban: d.phienban, attempts: d.attempts, error: d.error });
  return `${d.target} ${d.idbanghi} (source ${d.sourceKey}) ${d.status} phienban ${d.phienban} after ${d.attempts} attempts: ${d.error?.code ?? ''} ${d.error?.message ?? ''}`;
}
