import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { packageRoot } from '../../src/core/package-root.js';
import type { ReconciliationReport } from '../../src/reconcile/types.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';

function report(dir: string, job: string): ReconciliationReport {
  return JSON.parse(readFileSync(join(dir, 'reports', job, 'latest', 'reconciliation.json'), 'utf8')) as ReconciliationReport;
}

/**
 * `lienthong demo` end to end, small: both jobs run to the end against the bundled simulator,
 * reports and signed documents are written, and a second run on the same folder sends nothing.
 */
describe('lienthong demo', () => {
  it('syncs diplomas and signed school records, reconciles, and resumes without resending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-'));
    const code = await runDemo({ records: 300, pupils: 12, seed: 3, dataDir: dir, lang: 'en', quiet: true });
    expect(code).toBe(0);

    const diplomas = report(dir, 'diplomas');
    expect(diplomas.totals).toMatchObject({ source: 300, pending: 0, dead: 0, missingAtHub: 0, extraAtHub: 0, mismatched: 0 });
    expect(diplomas.totals.accepted + diplomas.totals.rejectedByHub + diplomas.totals.heldBack).toBe(300);
    const hocba = report(dir, 'hocba-thcsthpt');
    expect(hocba.totals).toMatchObject({ source: 12, pending: 0, dead: 0, missingAtHub: 0, mismatched: 0 });
    expect(hocba.totals.accepted).toBeGreaterThan(0);
    expect(hocba.deadlines?.map((d) => d.date)).toEqual(['2026-06-25', '2026-08-10']);

    // the latest documents of each record (<idbanghi>.xml/.pdf; each version is also kept as .v<N>.)
    const docs = readdirSync(join(dir, 'documents', 'hocba')).filter((f) => !/\.v\d+\.(xml|pdf)$/.test(f));
    expect(docs.filter((f) => f.endsWith('.xml'))).toHaveLength(hocba.totals.accepted);
    expect(docs.filter((f) => f.endsWith('.pdf'))).toHaveLength(hocba.totals.accepted);
    const ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
    expect(ca).toContain('BEGIN CERTIFICATE');
    const first = docs.find((f) => f.endsWith('.xml'));
    const verified = await verifyHocBa(readFileSync(join(dir, 'documents', 'hocba', first ?? ''), 'utf8'), { trustedCaPems: [ca] });
    expect(verified.valid, verified.errors.join('; ')).toBe(true);
    expect(existsSync(join(dir, 'reports', 'diplomas', 'latest', 'reconciliation.html'))).toBe(true);

    // lienthong verify: the kept XML and PDF verify; a changed score does not, and is named
    const bin = join(packageRoot(), 'bin', 'lienthong.js');
    const xmlFile = join(dir, 'documents', 'hocba', first ?? '');
    const pdfFile = xmlFile.replace(/\.xml$/, '.pdf');
    const ok = spawnSync(process.execPath, [bin, 'verify', '--ca', join(dir, 'pki', 'ca.crt'), xmlFile, pdfFile], { encoding: 'utf8' });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/hieutruong: .+ at \d{4}-\d{2}-\d{2}T/);
    expect(ok.stdout).toContain('(whole document)');
    const tampered = join(dir, 'tampered.xml');
    writeFileSync(tampered, readFileSync(xmlFile, 'utf8').replace(/<diemhocky1>(\d)/, (_m, d: string) => `<diemhocky1>${d === '9' ? '8' : '9'}`));
    const bad = spawnSync(process.execPath, [bin, 'verify', '-c', join(dir, 'config', 'lienthong.yaml'), tampered], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`1 of 1 document(s) failed: ${tampered}`);
    expect(bad.stdout).toContain('does not match its signed digest');

    // a second run resumes: nothing new is sent
    const again = await runDemo({ records: 300, pupils: 12, seed: 3, dataDir: dir, lang: 'vi', quiet: true });
    expect(again).toBe(0);
    expect(report(dir, 'diplomas').totals.accepted).toBe(diplomas.totals.accepted);
    expect(report(dir, 'hocba-thcsthpt').totals.accepted).toBe(hocba.totals.accepted);
    const store = new SqliteStateStore(join(dir, 'state.db'));
    try {
      for (const job of ['diplomas', 'hocba-thcsthpt']) {
        const [last, first] = await store.lastRuns(job, 2);
        expect(first?.counts.staged, job).toBeGreaterThan(0);
        // only the records held back by the first run are read again (by key), and nothing is sent
        expect(last?.counts).toMatchObject({ read: first?.counts.invalid, staged: 0, sent: 0 });
      }
    } finally {
      await store.close();
    }
  }, 240_000);
});
