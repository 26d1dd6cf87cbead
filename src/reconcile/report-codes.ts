/**
 * The codes a report shows and their explanations, all from the one catalogue
 * (src/domain/error-codes.ts), the codes reconciliation itself writes for its checks included.
 */
import { explainCode, type CodeExplanation } from './i18n.js';
import type { CodeExplanationEntry, MismatchEntry, ReconciliationReport } from './types.js';

/** The codes of the lines written for the checks against the hub. */
export const RECONCILIATION_CODES = {
  missing: 'MISSING_AT_HUB',
  extra: 'EXTRA_AT_HUB',
  gone: 'GONE_FROM_SOURCE',
  version: 'VERSION_MISMATCH',
  // not HASH_MISMATCH: the hub uses that for a school record's attachment whose sha256 is wrong
  content: 'CONTENT_MISMATCH',
} as const;

export function mismatchCode(kind: MismatchEntry['kind']): string {
  return kind === 'content' ? RECONCILIATION_CODES.content : RECONCILIATION_CODES.version;
}

const UNEXPLAINED: CodeExplanation = {
  vi: 'Chưa có giải thích cho mã này; xem nội dung của từng dòng.',
  en: 'No explanation for this code yet; see the message of each line.',
};

/** Every code that appears anywhere in the report, sorted, each explained in both languages. */
export function codeGlossary(report: Pick<ReconciliationReport, 'issues' | 'warnings' | 'missingAtHub' | 'mismatched' | 'goneFromSource' | 'extraAtHub'>): CodeExplanationEntry[] {
  const codes = new Set<string>();
  for (const i of report.issues) codes.add(i.code);
  for (const w of report.warnings) codes.add(w.code);
  if (report.missingAtHub.length > 0) codes.add(RECONCILIATION_CODES.missing);
  for (const m of report.mismatched) codes.add(mismatchCode(m.kind));
  if (report.goneFromSource.length > 0) codes.add(RECONCILIATION_CODES.gone);
  if (report.extraAtHub.length > 0) codes.add(RECONCILIATION_CODES.extra);
  return [...codes].sort().map((code) => {
    const e = explainCode(code);
    const action = e?.action;
    return { code, vi: (e ?? UNEXPLAINED).vi, en: (e ?? UNEXPLAINED).en, ...(action ? { action } : {}), explained: e !== undefined };
  });
}
