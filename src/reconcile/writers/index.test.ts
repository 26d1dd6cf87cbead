import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PARTITION_KEYS, type ReconciliationReport } from '../types.js';
import { CSV_BOM, renderReconciliationJson, writeReconciliationReport } from './index.js';
import { CCCD, CMND, sampleReport } from './testing/sample-report.js';

let base: string | undefined;
afterEach(async () => {
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});

async function tempDir(): Promise<string> {
  base = await mkdtemp(join(tmpdir(), 'lienthong-report-'));
  return base;
}

describe('writeReconciliationReport', () => {
  it('creates the folder and writes the three files, and nothing else', async () => {
    const dir = join(await tempDir(), 'reports', 'hocba-2025', 'latest');
    const paths = await writeReconciliationReport(sampleReport(), dir);
    expect(paths).toEqual({
      jsonPath: join(dir, 'reconciliation.json'),
      csvPath: join(dir, 'reconciliation.csv'),
      htmlPath: join(dir, 'reconciliation.html'),
    });
    expect((await readdir(dir)).sort()).toEqual(['reconciliation.csv', 'reconciliation.html', 'reconciliation.json']);
    expect((await readFile(paths.csvPath, 'utf8')).startsWith(CSV_BOM)).toBe(true);
    expect(await readFile(paths.htmlPath, 'utf8')).toContain('<!DOCTYPE html>');
  });

  it('overwrites the previous report in place', async () => {
    const dir = await tempDir();
    await writeReconciliationReport(sampleReport(), dir);
    const second = { ...sampleReport(), job: 'second-run' };
    const paths = await writeReconciliationReport(second, dir);
    const json = JSON.parse(await readFile(paths.jsonPath, 'utf8')) as ReconciliationReport;
    expect(json.job).toBe('second-run');
    expect((await readdir(dir)).length).toBe(3);
  });

  it('masks personal ids in every file', async () => {
    const paths = await writeReconciliationReport(sampleReport(), await tempDir());
    for (const path of [paths.jsonPath, paths.csvPath, paths.htmlPath]) {
      const text = await readFile(path, 'utf8');
      expect(text, path).not.toContain(CCCD);
      expect(text, path).not.toContain(CMND);
      expect(text, path).toContain('********1234');
    }
  });
});

describe('renderReconciliationJson', () => {
  it('round-trips: the parsed JSON is the report, with only messages masked', async () => {
    const report = sampleReport();
    const paths = await writeReconciliationReport(report, await tempDir());
    const parsed = JSON.parse(await readFile(paths.jsonPath, 'utf8')) as ReconciliationReport;
    expect(parsed.totals).toEqual(report.totals);
    expect(Object.keys(parsed.totals)).toEqual([
      'source', 'accepted', 'pending', 'unsent', 'rejectedByHub', 'dead', 'conflicts', 'heldBack',
      'missingAtHub', 'mismatched', 'goneFromSource', 'extraAtHub', 'warnings',
    ]);
    expect(PARTITION_KEYS.reduce((sum, k) => sum + parsed.totals[k], 0)).toBe(parsed.totals.source);
    const mask = (s: string): string => s.replace(CCCD, '********1234').replace(CMND, '*****6789');
    const expected: ReconciliationReport = {
      ...report,
      issues: report.issues.map((i) => ({ ...i, message: mask(i.message) })),
    };
    expect(parsed).toEqual(expected);
  });

  it('is pretty and has a stable key order whatever order the producer used', () => {
    const report = sampleReport();
    const shuffled = JSON.parse(
      JSON.stringify(report, (_key, value: unknown) =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
      ),
    ) as ReconciliationReport;
    const a = renderReconciliationJson(report);
    expect(renderReconciliationJson(shuffled)).toBe(a);
    expect(a).toMatch(/^\{\n {2}"job": "hocba-2025",\n {2}"dataset"/);
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('leaves out deadlines when the report has none and does not change its input', () => {
    const report = sampleReport();
    delete report.deadlines;
    const before = JSON.stringify(report);
    const parsed = JSON.parse(renderReconciliationJson(report)) as Record<string, unknown>;
    expect('deadlines' in parsed).toBe(false);
    expect(JSON.stringify(report)).toBe(before);
  });
});
