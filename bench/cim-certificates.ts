/**
 * `node dist/bench/cim-certificates.js`: how many CIM certificates per second lienthong issues
 * (docs/cim.md#certificates), on the sample UIS in SQLite and the real state store:
 *
 * - `issue`: the whole service path of `POST /cim/v1/certificates` without HTTP: read the student
 *   and their results from the UIS, render the PDF (pdfkit, DejaVu, the QR code), sign it with the
 *   university's PKCS#12 (@signpdf), record it in the store — one request after another, as a kiosk
 *   queue is served;
 * - `render-sign`: rendering and signing only, on the same data, to show what the rest costs.
 *
 * Writes key `certificates` of bench/results/cim.json (read-modify-write: another part of the
 * benchmark writes `push`). BENCH_CIM_CERTIFICATES sets N (default 40).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { loadConfig } from '../src/config/load.js';
import { packageRoot } from '../src/core/package-root.js';
import { generateUisDatabase, uisStudentCodes } from '../src/sample/uis.js';
import { createCertificateService } from '../src/certificates/factory.js';
import { templateLookupOf } from '../src/certificates/template-lookup.js';
import { certificatesBlock } from '../src/cli/demo-cim-certificates.js';
import { SqliteStateStore } from '../stores/sqlite/sqlite-store.js';
import { renderCertificatePdf } from '../src/certificates/pdf.js';
import { signPdf } from '../documents/pdf/sign-pdf.js';
import { createTestCa, issueTestCertificate, toPkcs12 } from '../documents/pki/test-pki.js';
import { createUisReader } from '../src/certificates/uis-reader.js';

const N = Number(process.env['BENCH_CIM_CERTIFICATES'] ?? 40);
const TEMPLATES = ['BANG_DIEM_TAM_THOI_VI', 'BANG_DIEM_TAM_THOI_EN', 'XAC_NHAN_SINH_VIEN'] as const;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-cim-'));
  try {
    for (const sub of ['config', 'keys', 'data']) mkdirSync(join(dir, sub));
    const uis = join(dir, 'uis.db');
    await generateUisDatabase({ driver: 'sqlite', path: uis }, { records: 10, seed: 7, currentStudents: 80 });
    const ca = createTestCa({ commonName: 'lienthong Bench CA' });
    const university = issueTestCertificate(ca, { commonName: 'Trường Đại học Liên Thông', organization: 'Trường Đại học Liên Thông' });
    writeFileSync(join(dir, 'keys', 'university.p12'), toPkcs12(university, [ca.certPem], 'bench-pass'));
    writeFileSync(join(dir, 'keys', 'pass'), 'bench-pass\n');
    const configFile = join(dir, 'config', 'lienthong.yaml');
    writeFileSync(configFile, `dataDir: ../data\njobsDir: ../jobs\nconnections:\n  uis: { type: sql, driver: sqlite, url: ../uis.db }\n${certificatesBlock('https://xacthuc.example.edu.vn', { p12: '../keys/university.p12', password: 'file:../keys/pass' })}`);
    const loaded = loadConfig(configFile);
    const store = new SqliteStateStore(loaded.storePath);
    const logger = winston.createLogger({ silent: true });
    const students = await uisStudentCodes({ driver: 'sqlite', path: uis }, 1);
    if (students.length === 0) throw new Error('the sample UIS has no studying student');
    const service = await createCertificateService({ loaded, store, logger }, () => templateLookupOf(loaded));
    const request = (i: number) => ({ kioskId: 'BENCH', requestId: `bench-${i}`, studentId: students[i % students.length] as string, templateCode: TEMPLATES[i % TEMPLATES.length] as string, language: (TEMPLATES[i % TEMPLATES.length] === 'BANG_DIEM_TAM_THOI_EN' ? 'en' : 'vi') as 'vi' | 'en', copies: 1, paymentRef: `P${i}` });

    await service.issue(request(N)); // warm-up: fonts, the PKCS#12, the UIS connection
    let bytes = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) bytes += Buffer.from((await service.issue(request(i))).pdf, 'base64').length;
    const issueSeconds = (performance.now() - t0) / 1000;

    // render and sign only, on one student's data
    const reader = await createUisReader(loaded, loaded.config.certificates!);
    const student = await reader.read(students[0] as string);
    await reader.close();
    if (student === null) throw new Error('student not found');
    const template = templateLookupOf(loaded)('BANG_DIEM_TAM_THOI_VI')!;
    const p12 = readFileSync(join(dir, 'keys', 'university.p12'));
    const t1 = performance.now();
    for (let i = 0; i < N; i++) {
      const pdf = await renderCertificatePdf({ certificateNo: `LTU-2026-${i}`, template, language: 'vi', student, issuer: loaded.config.certificates!, issuedAt: new Date(), verificationCode: '0000-0000-0000-0000-0000', verifyUrl: 'https://xacthuc.example.edu.vn/verify/0000-0000-0000-0000-0000', dataFromSnapshotAt: null });
      await signPdf(pdf, { p12, passphrase: 'bench-pass', reason: 'bench', location: 'Hà Nội', name: 'Trường Đại học Liên Thông' });
    }
    const renderSeconds = (performance.now() - t1) / 1000;
    await store.close();

    const certificates = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      certificates: N,
      issue: { seconds: round(issueSeconds), perSecond: round(N / issueSeconds), meanPdfKb: round(bytes / N / 1024) },
      renderSign: { seconds: round(renderSeconds), perSecond: round(N / renderSeconds) },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const out = join(packageRoot(), 'bench', 'results', 'cim.json');
    mkdirSync(join(packageRoot(), 'bench', 'results'), { recursive: true });
    const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(out, JSON.stringify({ ...previous, certificates }, null, 2) + '\n');
    process.stdout.write(`CIM certificates: ${certificates.issue.perSecond}/s issued (UIS read, render, sign, record), ${certificates.renderSign.perSecond}/s rendered and signed; ${out}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

await main();
