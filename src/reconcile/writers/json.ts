/**
 * reconciliation.json: the report as pretty JSON with a stable key order (the order of the
 * type's declaration, whatever order the producer built its objects in), so two reports of the
 * same state are byte-identical and diff cleanly.
 */
import { LEDGER_STATUS_ORDER } from '../i18n.js';
import { CREDENTIAL_STATES } from '../types.js';
import type {
  CodeGroup,
  CredentialCheck,
  DeadlineProgress,
  MismatchEntry,
  ReconciliationReport,
  ReconciliationTotals,
  ReportIssue,
  ReportWarning,
  WaitingEntry,
} from '../types.js';
import { maskReport } from './mask.js';

/** `{ key: value }` when the value is there, `{}` otherwise: optional keys stay absent, never null. */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function orderedTotals(t: ReconciliationTotals): ReconciliationTotals {
  return {
    source: t.source,
    accepted: t.accepted,
    pending: t.pending,
    unsent: t.unsent,
    rejectedByHub: t.rejectedByHub,
    dead: t.dead,
    conflicts: t.conflicts,
    heldBack: t.heldBack,
    missingAtHub: t.missingAtHub,
    mismatched: t.mismatched,
    goneFromSource: t.goneFromSource,
    extraAtHub: t.extraAtHub,
    warnings: t.warnings,
  };
}

function orderedIssue(i: ReportIssue): ReportIssue {
  return {
    category: i.category,
    ...opt('idbanghi', i.idbanghi),
    ...opt('sourceKey', i.sourceKey),
    code: i.code,
    ...opt('field', i.field),
    message: i.message,
    ...opt('otherSourceKeys', i.otherSourceKeys ? [...i.otherSourceKeys] : undefined),
    ...opt('hubPhienban', i.hubPhienban),
  };
}

function orderedWarning(w: ReportWarning): ReportWarning {
  return { sourceKey: w.sourceKey, ...opt('idbanghi', w.idbanghi), code: w.code, ...opt('field', w.field), message: w.message };
}

function orderedWaiting(w: WaitingEntry): WaitingEntry {
  return { idbanghi: w.idbanghi, sourceKey: w.sourceKey, category: w.category, ...opt('ledgerStatus', w.ledgerStatus) };
}

function orderedMismatch(m: MismatchEntry): MismatchEntry {
  return {
    idbanghi: m.idbanghi,
    ...opt('sourceKey', m.sourceKey),
    ledgerPhienban: m.ledgerPhienban,
    hubPhienban: m.hubPhienban,
    ledgerHash: m.ledgerHash,
    hubHash: m.hubHash,
    kind: m.kind,
  };
}

function orderedGroup(g: CodeGroup): CodeGroup {
  return { category: g.category, code: g.code, records: g.records, examples: [...g.examples] };
}

function orderedDeadline(d: DeadlineProgress): DeadlineProgress {
  return {
    name: d.name,
    date: d.date,
    daysLeft: d.daysLeft,
    accepted: d.accepted,
    waiting: d.waiting,
    failed: d.failed,
    heldBack: d.heldBack,
  };
}

function orderedCredentials(c: CredentialCheck): CredentialCheck {
  return {
    target: c.target,
    counts: Object.fromEntries(CREDENTIAL_STATES.map((s) => [s, c.counts[s]])) as CredentialCheck['counts'],
    entries: c.entries.map((e) => ({ idbanghi: e.idbanghi, sourceKey: e.sourceKey, state: e.state, hubHash: e.hubHash, ...opt('heldHash', e.heldHash) })),
    ...opt('withoutPersonalId', c.withoutPersonalId),
    ...opt('unavailable', c.unavailable && { code: c.unavailable.code, message: c.unavailable.message }),
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
    issues: r.issues.map(orderedIssue),
    byCode: r.byCode.map(orderedGroup),
    waiting: r.waiting.map(orderedWaiting),
    warnings: r.warnings.map(orderedWarning),
    missingAtHub: r.missingAtHub.map((m) => ({ idbanghi: m.idbanghi, sourceKey: m.sourceKey, ledgerPhienban: m.ledgerPhienban })),
    mismatched: r.mismatched.map(orderedMismatch),
    goneFromSource: r.goneFromSource.map((g) => ({ idbanghi: g.idbanghi, sourceKey: g.sourceKey, ledgerStatus: g.ledgerStatus, hubPhienban: g.hubPhienban })),
    extraAtHub: r.extraAtHub.map((e) => ({ idbanghi: e.idbanghi, phienban: e.phienban })),
    codes: r.codes.map((c) => ({ code: c.code, vi: c.vi, en: c.en, ...(c.action ? { action: { vi: c.action.vi, en: c.action.en } } : {}), explained: c.explained })),
    ...opt('deadlines', r.deadlines?.map(orderedDeadline)),
    ...opt('credentials', r.credentials && orderedCredentials(r.credentials)),
  };
}

export function renderReconciliationJson(report: ReconciliationReport): string {
  return JSON.stringify(normalizeReport(report), null, 2) + '\n';
}
