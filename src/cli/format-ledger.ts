import type { JobSummary } from '../services/jobs.js';
import type { LedgerPage, RecordView } from '../services/ledger.js';
import type { LedgerEntry, RunRow } from '../store/store.js';

// What `jobs`, `runs` and `ledger` print: what the store keeps (keys, national record ids,
// statuses, the last error), the same fields `dead-letters list` and `status` show.

const counts = (c: Record<string, number>): string => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ');

export function jobLines(jobs: JobSummary[]): string[] {
  const lines: string[] = [];
  for (const j of jobs) {
    lines.push(`${j.name}${j.running ? ' (running)' : ''}: ${j.description ?? ''}`);
    lines.push(`  schedule: ${j.schedule ? `"${j.schedule.cron}" ${j.schedule.timezone}, next run ${j.schedule.nextRunAt ?? '(never)'}` : '(none: runs when asked)'}`);
    lines.push(`  last run: ${j.lastRun ? `${j.lastRun.id} ${j.lastRun.startedAt} ${j.lastRun.outcome}` : '(none yet)'}`);
    for (const t of j.targets) lines.push(`  ${t.target}: ${counts(t.counts)}`);
    lines.push(`  held back at source: ${j.invalid}, with warnings: ${j.warnings}`);
    for (const d of j.deadlines) lines.push(`  hạn/deadline ${d.name} ${d.date}: ${d.countdown}`);
  }
  return lines;
}

export function runLines(runs: RunRow[]): string[] {
  return runs.map(
    (r) => `${r.id} ${r.trigger} ${r.startedAt} → ${r.finishedAt ?? '…'} ${r.outcome}: ${counts(r.counts as unknown as Record<string, number>)}${r.error ? `; ${r.error.code}: ${r.error.message}` : ''}`,
  );
}

const entryLine = (e: LedgerEntry): string =>
  `${e.target} ${e.idbanghi} (source ${e.sourceKey}) ${e.status} phienban ${e.phienban}, attempts ${e.attempts}, updated ${e.updatedAt}${e.acceptedAt ? `, accepted ${e.acceptedAt}` : ''}${e.lastError ? `; ${e.lastError.code}: ${e.lastError.message}` : ''}`;

export function recordLines(v: RecordView): string[] {
  const lines = v.ledger.map(entryLine);
  for (const h of v.heldBack) for (const e of h.errors) lines.push(`held back (source ${h.sourceKey}, run ${h.runId}): ${e.field} ${e.code}: ${e.message}`);
  for (const w of v.warnings) for (const e of w.warnings) lines.push(`warning (source ${w.sourceKey}): ${e.field} ${e.code}: ${e.message}`);
  if (lines.length === 0) lines.push(`job ${v.job}: no such record in the ledger, held back or with warnings`);
  return lines;
}

export function ledgerPageLines(p: LedgerPage): string[] {
  const lines = p.entries.map(entryLine);
  lines.push(`${p.entries.length} record(s) of ${p.job} at ${p.target}${p.next === null ? '' : `; next page: --after ${p.next}`}`);
  return lines;
}
