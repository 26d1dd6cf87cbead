import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getJob } from '../config/load.js';
import { ConfigError } from '../core/errors.js';
import { reportDir } from '../reconcile/configured-job.js';
import type { ReconciliationReport } from '../reconcile/types.js';
import { maskReport, REPORT_FILE_NAMES } from '../reconcile/writers/index.js';
import type { ReconciliationSummary } from '../store/console-store.js';
import type { LedgerEntry, RunCounts, RunRow } from '../store/store.js';
import { targetsOf, type ServiceContext, type ServiceEnvironment } from './context.js';
import { reconcileJob } from './reconcile.js';

export interface RunDetail {
  run: RunRow;
  /** records read per second over the run's duration; null when it has none yet */
  rate: number | null;
  /** from start to finish, or to now for a run still going */
  durationMs: number | null;
  /** the hub's refusals settled during the run, per code, most frequent first */
  rejectionsByCode: { code: string; count: number }[];
  /** true when more rejected rows than REJECTIONS_READ exist: the counts are of the newest read */
  rejectionsTruncated: boolean;
}

/** rejected ledger rows read per target for a run's rejections: a bound, not a scan of the ledger */
export const REJECTIONS_READ = 1000;

/**
 * A run's detail. Its rejections by code come from the ledger's rejected rows (by the status
 * index, at most REJECTIONS_READ per target) last answered while the run went on: the ledger keeps
 * each record's latest answer, so a record rejected by this run and accepted later no longer
 * counts. A rejection names field errors (each with its code) or, failing that, its own code.
 */
export async function runDetail(ctx: ServiceContext, runId: string, now: Date = new Date()): Promise<RunDetail> {
  const store = ctx.store;
  const run = await store.getRun(runId);
  if (!run) throw new ConfigError('RUN_NOT_FOUND', `there is no run ${runId}`, { run: runId });
  const started = Date.parse(run.startedAt);
  const ended = run.finishedAt === null ? now.getTime() : Date.parse(run.finishedAt);
  const durationMs = Number.isFinite(started) && Number.isFinite(ended) ? Math.max(0, ended - started) : null;
  const rate = durationMs !== null && durationMs > 0 ? Math.round((run.counts.read / (durationMs / 1000)) * 100) / 100 : null;
  const job = ctx.loaded.jobs.get(run.job);
  const counts = new Map<string, number>();
  let truncated = false;
  for (const t of job ? targetsOf(job) : []) {
    const rows = await store.ledgerPageOf(t.target, run.job, { status: ['rejected'], limit: REJECTIONS_READ + 1 });
    if (rows.length > REJECTIONS_READ) truncated = true;
    for (const row of rows.slice(0, REJECTIONS_READ)) {
      if (!answeredDuring(row, started, ended)) continue;
      for (const code of codesOf(row)) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  const rejectionsByCode = [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { run, rate, durationMs, rejectionsByCode, rejectionsTruncated: truncated };
}

function answeredDuring(row: LedgerEntry, started: number, ended: number): boolean {
  const at = Date.parse(row.updatedAt);
  return at >= started && at <= ended;
}

/** each distinct code a rejected row names (a record counts once per code) */
function codesOf(row: LedgerEntry): string[] {
  const fieldCodes = (row.lastError?.errors ?? []).map((e) => e.code).filter((c): c is string => typeof c === 'string' && c.length > 0);
  if (fieldCodes.length > 0) return [...new Set(fieldCodes)];
  return [row.lastError?.code ?? 'UNKNOWN'];
}

export interface JobReports {
  /** the latest report as written under `<dataDir>/reports/<job>/latest/`, or null when none yet */
  report: ReconciliationReport | null;
  /** the recorded reconciliations, newest first */
  history: ReconciliationSummary[];
  /** the job's last runs, oldest first (what a chart of status over time draws) */
  runs: { id: string; startedAt: string; outcome: RunRow['outcome']; counts: RunCounts }[];
}

/** how many reconciliations and runs the report page charts */
export const REPORT_HISTORY = 50;

export async function jobReports(ctx: ServiceContext, name: string): Promise<JobReports> {
  const job = getJob(ctx.loaded, name);
  const store = ctx.store;
  let report: ReconciliationReport | null = null;
  try {
    report = JSON.parse(await readFile(join(reportDir(ctx.loaded, job.name), REPORT_FILE_NAMES.json), 'utf8')) as ReconciliationReport;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const runs = (await store.lastRuns(job.name, REPORT_HISTORY)).reverse().map((r) => ({ id: r.id, startedAt: r.startedAt, outcome: r.outcome, counts: r.counts }));
  return { report, history: await store.reconciliations(job.name, REPORT_HISTORY), runs };
}

/** the totals a reconciliation keeps in its history: what the chart of status over time needs */
export function summaryOfReport(report: ReconciliationReport): ReconciliationSummary {
  const byCode: Record<string, number> = {};
  for (const g of report.byCode) byCode[g.code] = (byCode[g.code] ?? 0) + g.records;
  return { job: report.job, generatedAt: report.generatedAt, statusCounts: report.statusCounts, totals: { ...report.totals }, byCode };
}

/** Reconciles the job now (the report files written as `lienthong reconcile` writes them) and records its totals. */
export async function reconcileAndRecord(env: ServiceEnvironment, name: string): Promise<ReconciliationReport> {
  const { report } = await reconcileJob(env, name);
  await env.store.recordReconciliation(summaryOfReport(report));
  // the files are masked by their writers; the answer is too
  return maskReport(report);
}
