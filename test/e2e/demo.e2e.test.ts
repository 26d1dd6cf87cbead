import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { runDemo, type DemoOptions } from '../../src/cli/demo.js';
import { DEMO_SIGNING_CLIENT_ID } from '../../src/cli/demo-signing.js';
import { SigningSimulator } from '../../connectors/remote-signing/simulator/index.js';
import { generateSchoolDatabase } from '../../src/sample/school.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { hasXmlsec1, xmlsec1Verdicts } from '../../documents/xmldsig/testing/xmlsec1.js';
import { packageRoot } from '../../src/core/package-root.js';
import type { ReconciliationReport } from '../../src/reconcile/types.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';

function report(dir: string, job: string): ReconciliationReport {
  return JSON.parse(readFileSync(join(dir, 'reports', job, 'latest', 'reconciliation.json'), 'utf8')) as ReconciliationReport;
}

/** runs the demo, its printed lines kept */
async function demo(dir: string, lang: 'vi' | 'en'): Promise<{ code: number; out: string }> {
  return demoWith({ records: 300, pupils: 12, seed: 3, dataDir: dir, lang });
}

async function demoWith(options: DemoOptions, approvalTimeoutMs?: number): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const code = await runDemo({ ...options, approvalTimeoutMs });
    return { code, out: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

/**
 * `lienthong demo` end to end, small: both jobs run to the end against the bundled simulators (the
 * school's people approve on the remote signing simulator; lienthong holds only the seal), reports
 * and the delivered documents are written, and a second run on the same folder sends nothing.
 */
describe('lienthong demo', () => {
  it('syncs diplomas and remotely signed school records, reconciles, and resumes without resending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-'));
    const { code, out } = await demo(dir, 'en');
    expect(code, out).toBe(0);
    // only the organisations' certificates are held (the school's seal, the university's for the CIM
    // certificates); the people approved on the simulator, and the demo printed each approval
    expect(readdirSync(join(dir, 'pki', 'keys')).sort()).toEqual(['school.p12', 'university.p12']);
    // the four CIM certificates, requested as a kiosk does, each with its verify URL
    const certificates = readdirSync(join(dir, 'documents', 'cim')).sort();
    expect(certificates).toEqual(['LTU-2026-000001.pdf', 'LTU-2026-000002.pdf', 'LTU-2026-000003.pdf', 'LTU-2026-000004.pdf'].map((f) => f.replace('2026', String(new Date(Date.now() + 7 * 3600_000).getUTCFullYear()))));
    expect(out.match(/verify: http:\/\/127\.0\.0\.1:8080\/verify\/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}/g)).toHaveLength(4);
    expect(out).toContain('first code looked up: hợp lệ / genuine');
    expect(readdirSync(join(dir, 'pki')).filter((f) => f.endsWith('.crt')).sort()).toEqual(['ca.crt', 'signing-ca.crt']);
    const approvals = out.split('\n').filter((l) => /approved, waited \d+ ms/.test(l));
    // the sample school has a teacher who left: the principal signs that subject in place (KyThay)
    for (const role of ['subject:', 'subject-in-place', 'homeroom', 'principal']) expect(approvals.some((l) => l.includes(` ${role}`)), role).toBe(true);
    expect(approvals.every((l) => /^ {2}\S+\/\S+\/\d{4}-\d{4} \S+(?: \([^)]*\))? \*{8}\d{4}: approved, waited \d+ ms/.test(l)), approvals.join('\n')).toBe(true);
    expect(out).toMatch(/approvals waited for: [1-9]\d*/);
    expect(out).not.toMatch(/\b\d{12}\b(?!\.p12)/);

    const diplomas = report(dir, 'diplomas');
    expect(diplomas.totals).toMatchObject({ source: 300, pending: 0, dead: 0, missingAtHub: 0, extraAtHub: 0, mismatched: 0 });
    expect(diplomas.totals.accepted + diplomas.totals.rejectedByHub + diplomas.totals.heldBack).toBe(300);
    const hocba = report(dir, 'hocba-thcsthpt');
    expect(hocba.totals).toMatchObject({ source: 12, pending: 0, dead: 0, missingAtHub: 0, mismatched: 0 });
    expect(hocba.totals.accepted).toBeGreaterThan(0);
    expect(hocba.deadlines?.map((d) => d.date)).toEqual(['2026-06-25', '2026-08-10']);

    // the documents as delivered to the hub (<idbanghi>.xml), each verified against the CAs in DIR/pki
    const docs = readdirSync(join(dir, 'documents', 'hocba')).filter((f) => f.endsWith('.xml'));
    expect(docs).toHaveLength(hocba.totals.accepted);
    const ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
    const signingCa = readFileSync(join(dir, 'pki', 'signing-ca.crt'), 'utf8');
    expect(signingCa).toContain('BEGIN CERTIFICATE');
    const first = docs[0] ?? '';
    const firstXml = readFileSync(join(dir, 'documents', 'hocba', first), 'utf8');
    const verified = await verifyHocBa(firstXml, { trustedCaPems: [ca, signingCa] });
    expect(verified.valid, verified.errors.join('; ')).toBe(true);
    // the people's signatures chain to the signing service's CA only: the seal's CA alone does not do
    expect((await verifyHocBa(firstXml, { trustedCaPems: [ca] })).valid).toBe(false);
    expect(existsSync(join(dir, 'reports', 'diplomas', 'latest', 'reconciliation.html'))).toBe(true);
    if (hasXmlsec1) {
      // independently: each person's signature against the signing CA, the seal against the seal's CA
      const ids = [...firstXml.matchAll(/<ds:Signature[^>]*\bId="([^"]+)"/g)].map((m) => m[1] ?? '');
      const people = ids.filter((id) => id !== 'sig-dv');
      expect(people).toEqual(expect.arrayContaining(['sig-gvcn', 'sig-ht']));
      const messages: string[] = [];
      expect(xmlsec1Verdicts(firstXml, { dir, caPath: join(dir, 'pki', 'signing-ca.crt'), signatureIds: people, messages }), messages.join('\n')).toEqual(Object.fromEntries(people.map((id) => [id, true])));
      expect(xmlsec1Verdicts(firstXml, { dir, caPath: join(dir, 'pki', 'ca.crt'), signatureIds: ['sig-dv'], messages }), messages.join('\n')).toEqual({ 'sig-dv': true });
    } else console.warn('xmlsec1 not installed: the delivered documents are not checked independently');

    // lienthong verify with the CAs in DIR/pki: the delivered XML verifies; a changed score does not, and is named
    const bin = join(packageRoot(), 'bin', 'lienthong.js');
    const xmlFile = join(dir, 'documents', 'hocba', first);
    const ok = spawnSync(process.execPath, [bin, 'verify', '--ca', join(dir, 'pki', 'ca.crt'), '--ca', join(dir, 'pki', 'signing-ca.crt'), xmlFile], { encoding: 'utf8' });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/hieutruong: .+ at \d{4}-\d{2}-\d{2}T/);
    const tampered = join(dir, 'tampered.xml');
    writeFileSync(tampered, readFileSync(xmlFile, 'utf8').replace(/<diemhocky1>(\d)/, (_m, d: string) => `<diemhocky1>${d === '9' ? '8' : '9'}`));
    const bad = spawnSync(process.execPath, [bin, 'verify', '-c', join(dir, 'config', 'lienthong.yaml'), tampered], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`1 of 1 document(s) failed: ${tampered}`);
    expect(bad.stdout).toContain('does not match its signed digest');

    // a second run resumes: nothing new is sent, nobody is asked again (the simulator's CA is kept)
    const again = await demo(dir, 'vi');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('approvals waited for: 0');
    // the same kiosk requests again: the same certificates, no new number, no second fee
    expect(readdirSync(join(dir, 'documents', 'cim')).sort()).toEqual(certificates);
    expect(readFileSync(join(dir, 'pki', 'signing-ca.crt'), 'utf8')).toBe(signingCa);
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

/**
 * `lienthong demo --signing-url URL --signing-ca FILE`: the signers are on another service (here a
 * second simulator where people approve by hand). Unanswered, the demo exits 3 naming who it waits
 * for; once they approved, the demo run again delivers everything and exits 0.
 */
describe('lienthong demo with another remote signing service', () => {
  it('waits for the approvals people give, exits 3 naming who is awaited, then delivers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-ext-'));
    const service = new SigningSimulator();
    try {
      // the demo reuses a school database and a client secret already there: the service knows both
      const schoolPath = join(dir, 'school.db');
      await generateSchoolDatabase({ driver: 'sqlite', path: schoolPath }, { pupils: 4, seed: 3 });
      const db = new Database(schoolPath, { readonly: true });
      const principal = db.prepare('SELECT ten_hieu_truong AS name, cccd_hieu_truong AS id FROM dm_truong').get() as { name: string; id: string };
      const teachers = db.prepare('SELECT DISTINCT so_cccd AS id, ho_ten AS name FROM dm_giao_vien WHERE length(so_cccd) = 12').all() as { id: string; name: string }[];
      db.close();
      mkdirSync(join(dir, 'secrets'), { recursive: true });
      writeFileSync(join(dir, 'secrets', 'signing-client-secret'), 'people-sign\n');
      const caFile = join(dir, 'their-ca.crt');
      await service.start({ clients: [{ clientId: DEMO_SIGNING_CLIENT_ID, clientSecret: 'people-sign' }], policy: { mode: 'manual' }, caCertPath: caFile });
      for (const p of [...teachers, principal]) service.addSigner({ personalId: p.id, name: p.name });

      const options = { records: 40, pupils: 4, seed: 3, dataDir: dir, lang: 'en' as const, signingUrl: service.url, signingCa: caFile, approvalPollMs: 300 };
      const waiting = await demoWith(options, 2000);
      expect(waiting.code, waiting.out).toBe(3);
      expect(waiting.out).toMatch(/NOT SIGNED YET: hocba-thcsthpt: \d+ record\(s\) wait for the approval of: subject:\S+ \(\*{8}\d{4}\)/);
      expect(readFileSync(join(dir, 'pki', 'signing-ca.crt'), 'utf8')).toBe(readFileSync(caFile, 'utf8'));
      expect(service.pending().length).toBeGreaterThan(0);

      // the teachers approve what they were sent; the homeroom teachers and the principal approve at once
      for (const t of service.pending()) service.approve(t.transactionId);
      service.setPolicy({ mode: 'auto', delayMs: 20 });
      const done = await demoWith(options, 120_000);
      expect(done.code, done.out).toBe(0);
      expect(done.out).toMatch(/approvals waited for: [1-9]/);
      const xml = readdirSync(join(dir, 'documents', 'hocba')).filter((f) => f.endsWith('.xml'));
      expect(xml.length).toBeGreaterThan(0);
      const verified = await verifyHocBa(readFileSync(join(dir, 'documents', 'hocba', xml[0] ?? ''), 'utf8'), { trustedCaPems: [readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8'), readFileSync(caFile, 'utf8')] });
      expect(verified.valid, verified.errors.join('; ')).toBe(true);
    } finally {
      await service.stop();
    }
  }, 240_000);
});
