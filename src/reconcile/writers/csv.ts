/**
 * reconciliation.csv: one line per issue, missing record, extra record and mismatch, for an
 * administrator to sort and filter in a spreadsheet.
 *
 * - UTF-8 with a byte order mark: without it Excel on Windows reads the file as the ANSI code page
 *   and Vietnamese turns to mojibake.
 * - RFC 4180: CRLF line ends; a cell with a comma, quote or line break is quoted, quotes doubled.
 * - Formula injection: a cell that starts with = + - @ (or tab / carriage return) would be run as
 *   a formula by a spreadsheet; such a cell gets a leading apostrophe.
 */
import { fillLabel, labels } from '../i18n.js';
import type { MismatchEntry, ReconciliationReport } from '../types.js';
import { maskReport } from './mask.js';

export const CSV_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'category',
  'idbanghi',
  'source_key',
  'stage',
  'code',
  'field',
  'message',
  'ledger_phienban',
  'hub_phienban',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRow = Record<CsvColumn, string>;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, made formula-safe and quoted when RFC 4180 asks for it. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(values: Partial<CsvRow> & Pick<CsvRow, 'category'>): CsvRow {
  const out = {} as CsvRow;
  for (const c of CSV_COLUMNS) out[c] = values[c] ?? '';
  return out;
}

/** The codes of the lines written for the missing / extra / mismatched lists. */
export const RECONCILIATION_CODES = {
  missing: 'MISSING_AT_HUB',
  extra: 'EXTRA_AT_HUB',
  version: 'VERSION_MISMATCH',
  // not HASH_MISMATCH: the hub uses that for a school record's attachment whose sha256 is wrong
  hash: 'CONTENT_MISMATCH',
} as const;

function mismatchCode(kind: MismatchEntry['kind']): string {
  return kind === 'version' ? RECONCILIATION_CODES.version : RECONCILIATION_CODES.hash;
}

/**
 * The report's lines, in the order issues, missing, extra, mismatched; messages in Vietnamese.
 * A reconciliation-stage issue about a record that also has a missing / extra / mismatch line is
 * left out, so a producer that lists a difference in both places does not get two lines for it
 * (the structured line carries more: the versions).
 */
export function reconciliationCsvRows(report: ReconciliationReport): CsvRow[] {
  const r = maskReport(report);
  const l = labels.vi;
  const rows: CsvRow[] = [];
  const covered = new Set<string>([
    ...r.missingAtHub.map((m) => m.idbanghi),
    ...r.extraAtHub.map((e) => e.idbanghi),
    ...r.mismatched.map((m) => m.idbanghi),
  ]);
  for (const i of r.issues) {
    if (i.stage === 'reconciliation' && i.idbanghi !== undefined && covered.has(i.idbanghi)) continue;
    rows.push(
      row({
        category: 'issue',
        idbanghi: i.idbanghi,
        source_key: i.sourceKey,
        stage: i.stage,
        code: i.code,
        field: i.field,
        message: i.message,
      }),
    );
  }
  for (const m of r.missingAtHub) {
    rows.push(
      row({
        category: 'missing',
        idbanghi: m.idbanghi,
        source_key: m.sourceKey,
        stage: 'reconciliation',
        code: RECONCILIATION_CODES.missing,
        message: fillLabel(l.csvMissingMessage, { status: m.status }),
      }),
    );
  }
  for (const e of r.extraAtHub) {
    rows.push(
      row({
        category: 'extra',
        idbanghi: e.idbanghi,
        stage: 'reconciliation',
        code: RECONCILIATION_CODES.extra,
        message: fillLabel(l.csvExtraMessage, { phienban: e.phienban }),
        hub_phienban: String(e.phienban),
      }),
    );
  }
  for (const m of r.mismatched) {
    const message =
      m.kind === 'version'
        ? fillLabel(l.csvMismatchVersionMessage, { ledger: m.ledgerPhienban, hub: m.hubPhienban })
        : fillLabel(l.csvMismatchHashMessage, {
            ledger: m.ledgerPhienban,
            ledgerHash: m.ledgerHash,
            hubHash: m.hubHash,
          });
    rows.push(
      row({
        category: 'mismatch',
        idbanghi: m.idbanghi,
        source_key: m.sourceKey,
        stage: 'reconciliation',
        code: mismatchCode(m.kind),
        message,
        ledger_phienban: String(m.ledgerPhienban),
        hub_phienban: String(m.hubPhienban),
      }),
    );
  }
  return rows;
}

/** The whole file: BOM, header line, one line per row, each ending in CRLF. */
export function renderReconciliationCsv(report: ReconciliationReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of reconciliationCsvRows(report)) {
    lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  }
  return CSV_BOM + lines.map((line) => line + '\r\n').join('');
}
