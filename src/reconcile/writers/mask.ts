/**
 * The last line of defence before a report leaves the process: the code that builds a report
 * already masks personal ids, but a message quoted from a source or from the hub may still
 * carry one (e.g. "sodinhdanh 079203001234 không hợp lệ"). Every writer passes the report
 * through here, so a 9- or 12-digit number in free text never reaches a file or a terminal.
 *
 * Only free text is masked (messages, field paths). Identifiers (idbanghi, source key) are
 * left as they are: they name the record, and the report's producer keeps personal ids out of them.
 */
import { maskPersonalIdsInText } from '../../core/redact.js';
import type { ReconciliationReport, ReportIssue, ReportWarning } from '../types.js';

export function maskIssue(issue: ReportIssue): ReportIssue {
  const masked: ReportIssue = { ...issue, message: maskPersonalIdsInText(issue.message) };
  if (issue.field !== undefined) masked.field = maskPersonalIdsInText(issue.field);
  return masked;
}

export function maskWarning(warning: ReportWarning): ReportWarning {
  const masked: ReportWarning = { ...warning, message: maskPersonalIdsInText(warning.message) };
  if (warning.field !== undefined) masked.field = maskPersonalIdsInText(warning.field);
  return masked;
}

/** A copy of the report with personal ids masked in every message; the input is not changed. */
export function maskReport(report: ReconciliationReport): ReconciliationReport {
  return {
    ...report,
    issues: report.issues.map(maskIssue),
    warnings: report.warnings.map(maskWarning),
  };
}
