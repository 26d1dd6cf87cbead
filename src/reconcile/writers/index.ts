/**
 * Writes the three files of a reconciliation report into one folder (the caller passes
 * `DIR/reports/<job>/latest/`). Each file is written to a temporary name and renamed into place,
 * so an administrator opening `latest/` never sees half a report.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReconciliationReport } from '../types.js';
import { renderReconciliationCsv } from './csv.js';
import { renderReconciliationHtml } from './html.js';
import { renderReconciliationJson } from './json.js';

export { renderReconciliationCsv, reconciliationCsvRows, csvCell, CSV_BOM, CSV_COLUMNS } from './csv.js';
export type { CsvColumn, CsvRow } from './csv.js';
export { renderReconciliationHtml } from './html.js';
export { renderReconciliationJson, normalizeReport } from './json.js';
export { maskReport } from './mask.js';
export { renderReconciliationSummary, reportIsClear } from './summary.js';

export const REPORT_FILE_NAMES = {
  json: 'reconciliation.json',
  csv: 'reconciliation.csv',
  html: 'reconciliation.html',
} as const;

export interface ReportPaths {
  jsonPath: string;
  csvPath: string;
  htmlPath: string;
}

async function writeFileAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeReconciliationReport(
  report: ReconciliationReport,
  dir: string,
): Promise<ReportPaths> {
  // render everything first: a rendering bug must not leave a mix of old and new files
  const json = renderReconciliationJson(report);
  const csv = renderReconciliationCsv(report);
  const html = renderReconciliationHtml(report);

  await mkdir(dir, { recursive: true });
  const paths: ReportPaths = {
    jsonPath: join(dir, REPORT_FILE_NAMES.json),
    csvPath: join(dir, REPORT_FILE_NAMES.csv),
    htmlPath: join(dir, REPORT_FILE_NAMES.html),
  };
  await writeFileAtomically(paths.jsonPath, json);
  await writeFileAtomically(paths.csvPath, csv);
  await writeFileAtomically(paths.htmlPath, html);
  return paths;
}
