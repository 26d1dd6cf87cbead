/**
 * reconciliation.json: the report as pretty JSON with a stable key order (the order of the
 * type's declaration, whatever order the producer built its objects in), so two reports of the
 * same state are byte-identical and diff cleanly.
 */
import { LEDGER_STATUS_ORDER } from '../i18n.js';
import type {
  DeadlineProgress,
  MismatchEntry,
  ReconciliationReport,
  ReconciliationTotals,
  ReportIssue,
} from '../types.js';
import { maskReport } from './mask.js';

function orderedTotals(t: ReconciliationTotals): ReconciliationTotals {
  return {
    source: t.source,
    accepted: t.accepted,
    rejected: t.rejected,
    pending: t.pending,
    dead: t.dead,
    conflicts: t.conflicts,
    missingAtHub: t.missingAtHub,
    extraAtHub: t.extraAtHub,
    mismatched: t.mismatched,
  };
}

function orderedIssue(i: ReportIssue): ReportIssue {
  return {
    ...(i.idbanghi !== undefined ? { idbanghi: i.idbanghi } : {}),
    ...(i.sourceKey !== undefined ? { sourceKey: i.sourceKey } : {}),
    stage: i.stage,
    code: i.code,
    ...(i.field !== undefined ? { field: i.field } : {}),
    message: i.message,
  };
}

function orderedMismatch(m: MismatchEntry): MismatchEntry {
  return {
    idbanghi: m.idbanghi,
    ...(m.sourceKey !== undefined ? { sourceKey: m.sourceKey } : {}),
    ledgerPhienban: m.ledgerPhienban,
    hubPhienban: m.hubPhienban,
    ledgerHash: m.ledgerHash,
    hubHash: m.hubHash,
    kind: m.kind,
  };
}

function orderedDeadline(d: DeadlineProgress): DeadlineProgress {
  return {
    name: d.name,
    date: d.date,
    daysLeft: d.daysLeft,
    accepted: d.accepted,
    pending: d.pending,
    rejected: d.rejected,
  };
}

/** The report rebuilt with keys in declaration order and personal ids masked in messages. */
export function normalizeReport(report: ReconciliationReport): ReconciliationReport {
  const r = maskReport(report);
  const statusCounts = Object.fromEntries(
    LEDGER_STATUS_ORDER.map((s) => [s, r.statusCounts[s] ?? 0]),
  ) as ReconciliationReport['statusCounts'];
  return {
    job: r.job,
    dataset: r.dataset,
    unitCode: r.unitCode,
    generatedAt: r.generatedAt,
    totals: orderedTotals(r.totals),
    statusCounts,
    missingAtHub: r.missingAtHub.map((m) => ({
      idbanghi: m.idbanghi,
      ...(m.sourceKey !== undefined ? { sourceKey: m.sourceKey } : {}),
      status: m.status,
    })),
    extraAtHub: r.extraAtHub.map((e) => ({ idbanghi: e.idbanghi, phienban: e.phienban })),
    mismatched: r.mismatched.map(orderedMismatch),
    rejectedByCode: r.rejectedByCode.map((g) => ({
      code: g.code,
      count: g.count,
      examples: g.examples.map(orderedIssue),
    })),
    issues: r.issues.map(orderedIssue),
    ...(r.deadlines !== undefined ? { deadlines: r.deadlines.map(orderedDeadline) } : {}),
  };
}

export function renderReconciliationJson(report: ReconciliationReport): string {
  return JSON.stringify(normalizeReport(report), null, 2) + '\n';
}
