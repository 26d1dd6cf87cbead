/**
 * reconciliation.csv: the totals, then one line per problem of a source record, per record still
 * to send, per warning and per difference with the hub, for an administrator to sort and filter in
 * a spreadsheet. The `category` column is the report's own key (`heldBack`, `rejectedByHub`, …,
 * `total` for the totals lines), so the lines of one count can be filtered and counted.
 *
 * - UTF-8 with a byte order mark: without it Excel on Windows reads the file as the ANSI code page
 *   and Vietnamese turns to mojibake.
 * - RFC 4180: CRLF line ends; a cell with a comma, quote or line break is quoted, quotes doubled.
 * - Formula injection: a cell that starts with = + - @ (or tab / carriage return) would be run as
 *   a formula by a spreadsheet; such a cell gets a leading apostrophe.
 */
import { CREDENTIAL_STATE_LABEL, TOTAL_LABEL, fillLabel, labels } from '../i18n.js';
import { CREDENTIAL_STATES } from '../types.js';
import { RECONCILIATION_CODES, mismatchCode } from '../report-codes.js';
import type { MismatchEntry, ReconciliationReport, ReconciliationTotals } from '../types.js';
import { maskReport } from './mask.js';

export const CSV_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'category',
  'idbanghi',
  'source_key',
  'other_source_keys',
  'code',
  'field',
  'message',
  'explanation_vi',
  'explanation_en',
  'ledger_phienban',
  'hub_phienban',
  'count',
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

const str = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

function mismatchMessage(m: MismatchEntry): string {
  const l = labels.vi;
  switch (m.kind) {
    case 'older':
      return fillLabel(l.csvMismatchOlderMessage, { ledger: m.ledgerPhienban, hub: m.hubPhienban });
    case 'newer':
      return fillLabel(l.csvMismatchNewerMessage, { ledger: m.ledgerPhienban, hub: m.hubPhienban });
    case 'content':
      return fillLabel(l.csvMismatchContentMessage, { ledger: m.ledgerPhienban, ledgerHash: m.ledgerHash, hubHash: m.hubHash });
  }
}

/**
 * The report's lines, in the order totals, issues, waiting, warnings, missing, mismatched, gone,
 * extra; messages in Vietnamese, every code explained in both languages.
 */
export function reconciliationCsvRows(report: ReconciliationReport): CsvRow[] {
  const r = maskReport(report);
  const l = labels.vi;
  const explained = new Map(r.codes.map((c) => [c.code, c]));
  const coded = (code: string): Pick<CsvRow, 'code' | 'explanation_vi' | 'explanation_en'> => ({
    code,
    explanation_vi: explained.get(code)?.vi ?? '',
    explanation_en: explained.get(code)?.en ?? '',
  });
  const rows: CsvRow[] = [];
  for (const key of Object.keys(TOTAL_LABEL) as (keyof ReconciliationTotals)[]) {
    rows.push(row({ category: 'total', code: key, message: l[TOTAL_LABEL[key]], count: String(r.totals[key]) }));
  }
  for (const i of r.issues) {
    rows.push(
      row({
        category: i.category,
        idbanghi: i.idbanghi,
        source_key: i.sourceKey,
        other_source_keys: i.otherSourceKeys?.join(' '),
        ...coded(i.code),
        field: i.field,
        message: i.hubPhienban === undefined ? i.message : `${i.message} (${fillLabel(l.csvHubHolds, { phienban: i.hubPhienban })})`,
        hub_phienban: str(i.hubPhienban),
      }),
    );
  }
  for (const w of r.waiting) {
    const message = w.category === 'pending' ? fillLabel(l.csvPendingMessage, { status: w.ledgerStatus ?? '' }) : l.csvUnsentMessage;
    rows.push(row({ category: w.category, idbanghi: w.idbanghi, source_key: w.sourceKey, message }));
  }
  for (const w of r.warnings) {
    rows.push(row({ category: 'warnings', idbanghi: w.idbanghi, source_key: w.sourceKey, ...coded(w.code), field: w.field, message: w.message }));
  }
  for (const m of r.missingAtHub) {
    rows.push(
      row({
        category: 'missingAtHub',
        idbanghi: m.idbanghi,
        source_key: m.sourceKey,
        ...coded(RECONCILIATION_CODES.missing),
        message: fillLabel(l.csvMissingMessage, { ledger: m.ledgerPhienban }),
        ledger_phienban: String(m.ledgerPhienban),
      }),
    );
  }
  for (const m of r.mismatched) {
    rows.push(
      row({
        category: 'mismatched',
        idbanghi: m.idbanghi,
        source_key: m.sourceKey,
        ...coded(mismatchCode(m.kind)),
        message: mismatchMessage(m),
        ledger_phienban: String(m.ledgerPhienban),
        hub_phienban: String(m.hubPhienban),
      }),
    );
  }
  for (const g of r.goneFromSource) {
    rows.push(
      row({
        category: 'goneFromSource',
        idbanghi: g.idbanghi,
        source_key: g.sourceKey,
        ...coded(RECONCILIATION_CODES.gone),
        message: fillLabel(l.csvGoneMessage, { hub: g.hubPhienban, status: g.ledgerStatus }),
        hub_phienban: String(g.hubPhienban),
      }),
    );
  }
  for (const e of r.extraAtHub) {
    rows.push(
      row({
        category: 'extraAtHub',
        idbanghi: e.idbanghi,
        ...coded(RECONCILIATION_CODES.extra),
        message: fillLabel(l.csvExtraMessage, { phienban: e.phienban }),
        hub_phienban: String(e.phienban),
      }),
    );
  }
  // the credential column (VNeID): every record the credential service does not hold as the hub does
  for (const c of r.credentials?.entries ?? []) {
    if (c.state === 'published' || c.state === 'revoked' || c.state === 'cancelledUnpublished') continue;
    rows.push(
      row({
        category: `credentials:${c.state}`,
        idbanghi: c.idbanghi,
        source_key: c.sourceKey,
        message: fillLabel(l.csvCredentialMessage, { state: l[CREDENTIAL_STATE_LABEL[c.state]], hubHash: c.hubHash, heldHash: c.heldHash ?? '-' }),
      }),
    );
  }
  if (r.credentials?.unavailable) rows.push(row({ category: 'credentials:unavailable', code: r.credentials.unavailable.code, message: fillLabel(l.credentialUnavailable, { code: r.credentials.unavailable.code, message: r.credentials.unavailable.message }) }));
  for (const state of CREDENTIAL_STATES) {
    if (r.credentials) rows.push(row({ category: 'total', code: `credentials:${state}`, message: l[CREDENTIAL_STATE_LABEL[state]], count: String(r.credentials.counts[state]) }));
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
