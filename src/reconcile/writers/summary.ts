/**
 * The few lines the CLI prints after `lienthong reconcile` and `lienthong demo`: the partition of
 * the source with its sum, the checks against the hub, deadlines and the most frequent codes of
 * each kind, explained, with a pointer to the files that hold the details.
 * Report strings are stripped of control characters so a code or name from the hub cannot send
 * escape sequences to the administrator's terminal.
 */
import { CODE_SECTIONS, CREDENTIAL_STATE_LABEL, TOTAL_LABEL, describeDaysLeft, fillLabel, formatDate, labels, type Lang } from '../i18n.js';
import { CREDENTIAL_STATES, HUB_CHECK_KEYS, PARTITION_KEYS, partitionSum, type ReconciliationReport, type ReconciliationTotals } from '../types.js';

const TOP_CODES = 5;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** True when the report shows no difference and nothing held back, refused, dead or waiting. */
export function reportIsClear(report: ReconciliationReport): boolean {
  const t = report.totals;
  const c = report.credentials?.counts;
  return t.accepted === t.source && HUB_CHECK_KEYS.every((k) => t[k] === 0) && (c === undefined || (c.missing + c.hashDiffers + c.wrongState === 0 && report.credentials?.unavailable === undefined));
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

  const table = (keys: readonly (keyof ReconciliationTotals)[]): void => {
    const width = Math.max(...keys.map((k) => l[TOTAL_LABEL[k]].length));
    const valueWidth = Math.max(...keys.map((k) => n(report.totals[k]).length));
    for (const k of keys) lines.push(`  ${l[TOTAL_LABEL[k]].padEnd(width)}  ${n(report.totals[k]).padStart(valueWidth)}`);
  };
  lines.push(`${l.partitionHeading}:`);
  table(['source', ...PARTITION_KEYS]);
  const sum = partitionSum(report.totals);
  lines.push(`  ${fillLabel(sum === report.totals.source ? l.addsUp : l.doesNotAddUp, { sum: n(sum), source: n(report.totals.source) })}`);
  lines.push(`${l.hubChecksHeading}:`);
  table([...HUB_CHECK_KEYS, 'warnings']);

  if (report.credentials) {
    const c = report.credentials;
    lines.push(`${fillLabel(l.credentialsHeading, { target: clean(c.target) })}:`);
    const width = Math.max(...CREDENTIAL_STATES.map((s) => l[CREDENTIAL_STATE_LABEL[s]].length));
    for (const s of CREDENTIAL_STATES) lines.push(`  ${l[CREDENTIAL_STATE_LABEL[s]].padEnd(width)}  ${n(c.counts[s])}`);
    if (c.withoutPersonalId !== undefined) lines.push(`  ${fillLabel(l.credentialWithoutPersonalId, { n: n(c.withoutPersonalId) })}`);
    if (c.unavailable !== undefined) lines.push(`  ${clean(fillLabel(l.credentialUnavailable, { code: c.unavailable.code, message: c.unavailable.message }))}`);
  }

  if (report.deadlines !== undefined && report.deadlines.length > 0) {
    lines.push(`${l.deadlinesHeading}:`);
    for (const d of report.deadlines) {
      lines.push(
        `  ${clean(d.name)} (${clean(formatDate(d.date, lang))}, ${describeDaysLeft(d.daysLeft, lang)}): ` +
          `${l.totalAccepted} ${n(d.accepted)}, ${l.deadlineWaiting} ${n(d.waiting)}, ${l.deadlineFailed} ${n(d.failed)}, ${l.totalHeldBack} ${n(d.heldBack)}`,
      );
    }
  }

  const explained = new Map(report.codes.map((c) => [c.code, c]));
  for (const { category } of CODE_SECTIONS) {
    const groups = report.byCode.filter((g) => g.category === category).sort((a, b) => b.records - a.records || a.code.localeCompare(b.code));
    if (groups.length === 0) continue;
    lines.push(`${fillLabel(l.summaryCodes, { category: l[TOTAL_LABEL[category]] })}:`);
    const shown = groups.slice(0, TOP_CODES);
    const codeWidth = Math.max(...shown.map((g) => clean(g.code).length));
    const countWidth = Math.max(...shown.map((g) => n(g.records).length));
    for (const g of shown) {
      const e = explained.get(g.code);
      const tail = e?.explained ? `  ${clean(e[lang])}` : '';
      lines.push(`  ${clean(g.code).padEnd(codeWidth)}  ${n(g.records).padStart(countWidth)}${tail}`);
    }
    if (groups.length > TOP_CODES) lines.push(`  ${fillLabel(l.summaryMore, { n: groups.length - TOP_CODES })}`);
  }

  if (reportIsClear(report)) lines.push(l.allClear);
  lines.push(l.summaryFiles);
  return lines.join('\n');
}
