/**
 * The few lines the CLI prints after `lienthong reconcile` and `lienthong demo`: totals, deadlines
 * and the most frequent rejection codes, with a pointer to the files that hold the details.
 * Report strings are stripped of control characters so a code or name from the hub cannot send
 * escape sequences to the administrator's terminal.
 */
import {
  TOTALS_ORDER,
  describeDaysLeft,
  explainCodeIn,
  fillLabel,
  formatDate,
  labels,
  type Lang,
} from '../i18n.js';
import type { ReconciliationReport } from '../types.js';

const TOP_CODES = 5;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(text: string): string {
  return text.replace(CONTROL, ' ');
}

export function renderReconciliationSummary(report: ReconciliationReport, lang: Lang): string {
  const l = labels[lang];
  const numbers = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US');
  const n = (v: number): string => numbers.format(v);
  const lines: string[] = [];

  lines.push(`${l.summaryTitle}: ${clean(report.job)}`);
  lines.push(
    `  ${l.dataset}: ${clean(report.dataset)} | ${l.unit}: ${clean(report.unitCode)} | ${l.generatedAt}: ${clean(report.generatedAt)}`,
  );

  const width = Math.max(...TOTALS_ORDER.map((t) => l[t.label].length));
  const valueWidth = Math.max(...TOTALS_ORDER.map((t) => n(report.totals[t.key]).length));
  for (const { key, label } of TOTALS_ORDER) {
    lines.push(`  ${l[label].padEnd(width)}  ${n(report.totals[key]).padStart(valueWidth)}`);
  }

  if (report.deadlines !== undefined && report.deadlines.length > 0) {
    lines.push(`${l.deadlinesHeading}:`);
    for (const d of report.deadlines) {
      lines.push(
        `  ${clean(d.name)} (${clean(formatDate(d.date, lang))}, ${describeDaysLeft(d.daysLeft, lang)}): ` +
          `${l.totalAccepted} ${n(d.accepted)}, ${l.totalPending} ${n(d.pending)}, ${l.totalRejected} ${n(d.rejected)}`,
      );
    }
  }

  const groups = [...report.rejectedByCode].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  if (groups.length > 0) {
    lines.push(`${l.summaryTopCodes}:`);
    const shown = groups.slice(0, TOP_CODES);
    const codeWidth = Math.max(...shown.map((g) => clean(g.code).length));
    const countWidth = Math.max(...shown.map((g) => n(g.count).length));
    for (const g of shown) {
      const code = clean(g.code);
      const explanation = explainCodeIn(g.code, lang);
      const tail = explanation === g.code ? '' : `  ${explanation}`;
      lines.push(`  ${code.padEnd(codeWidth)}  ${n(g.count).padStart(countWidth)}${tail}`);
    }
    if (groups.length > TOP_CODES) lines.push(`  ${fillLabel(l.summaryMore, { n: groups.length - TOP_CODES })}`);
  }

  const clear =
    report.missingAtHub.length === 0 &&
    report.extraAtHub.length === 0 &&
    report.mismatched.length === 0 &&
    report.issues.length === 0;
  if (clear) lines.push(l.allClear);
  lines.push(l.summaryFiles);
  return lines.join('\n');
}
