import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { loadConfig } from '../config/load.js';
import { checkPdfSignatures, pdfToText, popplerAvailable, withNssTrustStore, certutilAvailable } from '../../documents/pdf/poppler.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { buildConsole } from '../server/app.js';
import { RunProgressHub } from '../server/progress.js';
import { addUser } from '../services/users.js';
import { login } from '../server/testing/console-workspace.js';
import { VERIFICATION_CODE_PATTERN } from './codes.js';
import type { CertificateAnswer } from './issue.js';
import { createKioskToken } from './kiosk-tokens.js';
import { openCertificateWorkspace, TEST_STUDENTS, type CertificateWorkspace } from './testing/fixture.js';

const hasPoppler = popplerAvailable();
const hasZbar = spawnSync('zbarimg', ['--version'], { stdio: 'ignore' }).error === undefined;
const logger = winston.createLogger({ silent: true });

let ws: CertificateWorkspace;
let store: SqliteStateStore;
let app: FastifyInstance;
let token: string;

type Answer = CertificateAnswer;

function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kioskId: 'KIOSK-A1', requestId: 'r-1', studentId: TEST_STUDENTS.current, templateCode: 'BANG_DIEM_TAM_THOI_VI', language: 'vi', copies: 1, paymentRef: 'PAY-0001', ...overrides };
}

async function issue(body: Record<string, unknown>, bearer: string | null = token): Promise<{ status: number; json: Answer & { error?: { code: string } } }> {
  const r = await app.inject({ method: 'POST', url: '/cim/v1/certificates', payload: body, headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } });
  return { status: r.statusCode, json: r.json() };
}

beforeAll(async () => {
  ws = openCertificateWorkspace();
  const loaded = loadConfig(ws.configFile);
  store = new SqliteStateStore(loaded.storePath);
  app = await buildConsole({ env: { loaded, store, logger }, scheduler: null, progress: new RunProgressHub(), metrics: null, tls: false });
  token = await createKioskToken(store, 'KIOSK-A1', 'os:test', 'cli');
});

afterAll(async () => {
  await app.close();
  await store.close();
  ws.close();
});

describe('POST /cim/v1/certificates', () => {
  it('refuses a request without a kiosk token, with a forged one and with a console-shaped one (401, audited)', async () => {
    expect((await issue(request(), null)).status).toBe(401);
    const forged = `ltk_${'A'.repeat(43)}`;
    const r = await issue(request(), forged);
    expect(r.status).toBe(401);
    expect(r.json.error?.code).toBe('CIM_KIOSK_UNAUTHENTICATED');
    expect((await issue(request(), `lt_${'B'.repeat(43)}`)).status).toBe(401);
    const denied = await store.auditEntries({ action: 'kiosk.denied' });
    expect(denied.length).toBe(3);
  });

  it('refuses a kiosk token used in another kiosk\'s name (403)', async () => {
    const r = await issue(request({ kioskId: 'KIOSK-B2' }));
    expect(r.status).toBe(403);
  });

  it('issues once per requestId: the same request twice gives one certificate and one fee; another body under it is a 409', async () => {
    const first = await issue(request());
    expect(first.status).toBe(200);
    expect(first.json.certificateNo).toMatch(/^LTU-\d{4}-000001$/);
    expect(first.json.verificationCode).toMatch(VERIFICATION_CODE_PATTERN);
    expect(first.json.feeVnd).toBe(20_000);
    const again = await issue(request());
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const report = await store.certificateReport({});
    expect(report.reduce((n, r) => n + r.certificates, 0)).toBe(1);
    expect(report.reduce((n, r) => n + r.feeVnd, 0)).toBe(20_000);
    const conflict = await issue(request({ paymentRef: 'PAY-0002' }));
    expect(conflict.status).toBe(409);
    expect(conflict.json.error?.code).toBe('CIM_REQUEST_CONFLICT');
  });

  it('makes one certificate when the same request arrives twice at once (a kiosk retrying a slow answer)', async () => {
    const [a, b] = await Promise.all([issue(request({ requestId: 'r-twice' })), issue(request({ requestId: 'r-twice' }))]);
    expect(a.status).toBe(200);
    expect(b.json).toEqual(a.json);
    expect((await store.listCertificates()).filter((c) => c.requestId === 'r-twice')).toHaveLength(1);
  });

  it('answers 404 for a student the UIS does not have and for a template the registry does not have, issuing nothing', async () => {
    expect((await issue(request({ requestId: 'r-404', studentId: 'SV0000000' }))).status).toBe(404);
    expect((await issue(request({ requestId: 'r-400', templateCode: 'NO-SUCH' }))).status).toBe(404);
    expect((await store.listCertificates()).length).toBe(2);
  });

  it('records the certificate: number, template, unit, language, fee, payment reference, SHA-256, kiosk, masked holder, code', async () => {
    const c = await store.certificateByRequest('KIOSK-A1', 'r-1');
    expect(c).toMatchObject({ templateCode: 'BANG_DIEM_TAM_THOI_VI', ownerUnit: 'PDT', language: 'vi', feeVnd: 20_000, paymentRef: 'PAY-0001', kioskId: 'KIOSK-A1', holderMasked: 'N. T. T. Hương', dataSource: 'uis', state: 'issued' });
    expect(c?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c?.studentKey).not.toContain(TEST_STUDENTS.current);
  });
});

describe.skipIf(!hasPoppler)('the certificate PDF', () => {
  let vi: Buffer;
  let en: Buffer;
  let answerVi: Answer;
  beforeAll(async () => {
    answerVi = (await issue(request({ requestId: 'pdf-vi' }))).json;
    vi = Buffer.from(answerVi.pdf, 'base64');
    en = Buffer.from((await issue(request({ requestId: 'pdf-en', language: 'en', templateCode: 'BANG_DIEM_TAM_THOI_EN' }))).json.pdf, 'base64');
  });

  it('is signed over the whole document, and its SHA-256 is the one answered', async () => {
    const report = await checkPdfSignatures(vi);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]?.valid, report.output).toBe(true);
    expect(report.signatures[0]?.totalDocumentSigned, report.output).toBe(true);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(vi).digest('hex')).toBe(answerVi.sha256);
  });

  it.skipIf(!certutilAvailable())('chains to the university\'s CA (pdfsig with an NSS store trusting it)', async () => {
    const report = await withNssTrustStore(ws.ca.certPem, (nssDir) => checkPdfSignatures(vi, { nssDir }));
    expect(report.signatures[0]?.certificateValidation, report.output).toBe('Certificate is Trusted.');
  });

  it('reads back in Vietnamese with its diacritics, the grades on both scales, GPA and classification', async () => {
    const text = (await pdfToText(vi, { layout: true })).normalize('NFC');
    for (const expected of ['BẢNG ĐIỂM TẠM THỜI', 'Nguyễn Thị Thu Hương', 'Trường Đại học Liên Thông'.toUpperCase(), 'PHÒNG ĐÀO TẠO', 'Tin học đại cương', 'Triết học Mác - Lênin', 'Mã xác thực', answerVi.certificateNo, answerVi.verificationCode]) {
      expect(text).toContain(expected);
    }
    // IT1110 8.7 → A, 4.0; MI1111 best of 3.5 and 7.2 → 7.2, B, 3.0; SSH1111 8.45 → 8.5 (half up), A
    expect(text).toMatch(/IT1110\s+Tin học đại cương\s+4\s+8\.7\s+4\.0\s+A/);
    expect(text).toMatch(/MI1111\s+Giải tích I\s+4\s+7\.2\s+3\.0\s+B/);
    expect(text).toMatch(/SSH1111.*8\.5\s+4\.0\s+A/);
    // (4·4 + 4·3 + 3·2.5 + 3·4) / 14 = 3.39 → Giỏi, in the template's own paragraph
    expect(text).toMatch(/Điểm trung bình tích lũy: 3\.39 \(thang 4\), 7\.82 \(thang 10\)\. Số tín chỉ tích lũy: 14\. Xếp loại: Giỏi\./);
    expect(text).toContain('TRƯỞNG PHÒNG ĐÀO TẠO');
  });

  it('reads back in English with the English course names and classification', async () => {
    const text = (await pdfToText(en, { layout: true })).normalize('NFC');
    for (const expected of ['TEMPORARY ACADEMIC TRANSCRIPT', 'TRAINING OFFICE', 'Nguyễn Thị Thu Hương', 'Introduction to Computing', 'Calculus I', 'Cumulative GPA: 3.39', 'Classification: Very good', 'Verification code', 'HEAD OF THE TRAINING OFFICE']) {
      expect(text).toContain(expected);
    }
  });

  it.skipIf(!hasZbar)('carries a QR code that decodes (zbarimg) to the verify URL of its code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-cim-qr-'));
    try {
      writeFileSync(join(dir, 'c.pdf'), vi);
      const raster = spawnSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', join(dir, 'c.pdf'), join(dir, 'page')]);
      expect(raster.status).toBe(0);
      const scan = spawnSync('zbarimg', ['--quiet', '--raw', join(dir, 'page-1.png')], { encoding: 'utf8' });
      expect(scan.status, scan.stderr).toBe(0);
      expect(scan.stdout.trim()).toBe(`https://xacthuc.example.edu.vn/verify/${answerVi.verificationCode}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders the status confirmation and the temporary graduation certificate', async () => {
    const statusAnswer = (await issue(request({ requestId: 'st-1', templateCode: 'XAC_NHAN_SINH_VIEN' }))).json;
    expect(statusAnswer.feeVnd).toBe(0);
    const status = (await pdfToText(Buffer.from(statusAnswer.pdf, 'base64'))).normalize('NFC').replace(/\s+/g, ' ');
    expect(status).toContain('GIẤY XÁC NHẬN SINH VIÊN');
    expect(status).toContain('Là sinh viên khóa K68, ngành Công nghệ thông tin, Khoa Công nghệ Thông tin; tình trạng: Đang học.');
    const statusEn = (await pdfToText(Buffer.from((await issue(request({ requestId: 'st-2', templateCode: 'XAC_NHAN_SINH_VIEN', language: 'en' }))).json.pdf, 'base64'))).replace(/\s+/g, ' ');
    expect(statusEn).toContain('status: Studying.');
    const grad = await issue(request({ requestId: 'gr-1', templateCode: 'CN_TOT_NGHIEP_TAM_THOI', studentId: TEST_STUDENTS.graduate, language: 'en' }));
    expect(grad.json.feeVnd).toBe(30_000);
    const text = (await pdfToText(Buffer.from(grad.json.pdf, 'base64'))).normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('TEMPORARY GRADUATION CERTIFICATE');
    expect(text).toContain('Graduation decision: 1234/QĐ-ĐHLT (30/06/2026)');
    expect(text).toContain('Has graduated in Kế toán under Decision No. 1234/QĐ-ĐHLT of 30/06/2026, with the classification Very good.');
  });
});

describe('GET /verify/:code', () => {
  let answer: Answer;
  beforeAll(async () => {
    answer = (await issue(request({ requestId: 'verify-1' }))).json;
  });

  it('answers genuine as JSON with nothing personal but the masked name', async () => {
    const r = await app.inject({ method: 'GET', url: `/verify/${answer.verificationCode}`, headers: { accept: 'application/json' }, remoteAddress: '10.0.0.1' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ genuine: true, certificateNo: answer.certificateNo, templateCode: 'BANG_DIEM_TAM_THOI_VI', holder: 'N. T. T. Hương', sha256: answer.sha256, revoked: false });
    expect(r.body).not.toContain(TEST_STUDENTS.current);
    expect(r.body).not.toContain('2005');
    expect(r.body).not.toContain('Nguyễn');
  });

  it('answers an HTML page in Vietnamese, and in English with ?lang=en', async () => {
    const vi = await app.inject({ method: 'GET', url: `/verify/${answer.verificationCode}`, remoteAddress: '10.0.0.2' });
    expect(vi.headers['content-type']).toContain('text/html');
    expect(vi.body).toContain('Giấy chứng nhận hợp lệ');
    expect(vi.body).toContain('href="?lang=en"');
    const en = await app.inject({ method: 'GET', url: `/verify/${answer.verificationCode.toLowerCase()}?lang=en`, remoteAddress: '10.0.0.2' });
    expect(en.body).toContain('Genuine certificate');
  });

  it('answers 404 for an unknown code (HTML and JSON)', async () => {
    const r = await app.inject({ method: 'GET', url: '/verify/0000-0000-0000-0000-0000', headers: { accept: 'application/json' }, remoteAddress: '10.0.0.3' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ genuine: false, error: { code: 'CIM_CODE_NOT_FOUND' } });
    const html = await app.inject({ method: 'GET', url: '/verify/not-a-code', remoteAddress: '10.0.0.3' });
    expect(html.statusCode).toBe(404);
  });

  it('limits guessing per address (429 with Retry-After), not the other addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await app.inject({ method: 'GET', url: `/verify/AAAA-AAAA-AAAA-AAAA-AA${String(i).padStart(2, '0')}`, headers: { accept: 'application/json' }, remoteAddress: '10.0.0.9' });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 8).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    const other = await app.inject({ method: 'GET', url: `/verify/${answer.verificationCode}`, headers: { accept: 'application/json' }, remoteAddress: '10.0.0.10' });
    expect(other.statusCode).toBe(200);
  });

  it('says revoked after an admin revokes it in the console (audited); an operator may not', async () => {
    await addUser(store, 'admin', 'admin', 'admin-password-1');
    await addUser(store, 'operator', 'operator', 'operator-password-1');
    const op = await login(app, 'operator', 'operator-password-1');
    const refused = await app.inject({ method: 'POST', url: `/api/v1/cim/certificates/${answer.certificateNo}/revoke`, payload: { reason: 'sai thông tin' }, headers: { cookie: `lt_session=${op.cookie}`, 'x-csrf-token': op.csrfToken } });
    expect(refused.statusCode).toBe(403);
    const admin = await login(app, 'admin', 'admin-password-1');
    const r = await app.inject({ method: 'POST', url: `/api/v1/cim/certificates/${answer.certificateNo}/revoke`, payload: { reason: 'cấp nhầm người' }, headers: { cookie: `lt_session=${admin.cookie}`, 'x-csrf-token': admin.csrfToken } });
    expect(r.statusCode).toBe(200);
    const v = await app.inject({ method: 'GET', url: `/verify/${answer.verificationCode}`, headers: { accept: 'application/json' }, remoteAddress: '10.0.0.11' });
    expect(v.json()).toMatchObject({ genuine: true, revoked: true });
    const html = await app.inject({ method: 'GET', url: `/verify/${answer.verificationCode}`, remoteAddress: '10.0.0.11' });
    expect(html.body).toContain('ĐÃ BỊ THU HỒI');
    const audit = await store.auditEntries({ action: 'certificate.revoke' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'admin', subject: answer.certificateNo });
  });
});

describe('the console API of certificates', () => {
  it('gives operators the fees report (JSON and CSV) and the list, with the holder masked; viewers get 403', async () => {
    await addUser(store, 'viewer', 'viewer', 'viewer-password-1');
    const op = await login(app, 'operator', 'operator-password-1');
    const headers = { cookie: `lt_session=${op.cookie}` };
    const report = await app.inject({ url: '/api/v1/cim/certificates/report', headers });
    expect(report.statusCode).toBe(200);
    const body = report.json() as { rows: { templateCode: string; ownerUnit: string; language: string; feeVnd: number; certificates: number }[]; totals: { feeVnd: number } };
    expect(body.rows.find((r) => r.templateCode === 'BANG_DIEM_TAM_THOI_VI')).toMatchObject({ ownerUnit: 'PDT', language: 'vi' });
    expect(body.totals.feeVnd).toBe(body.rows.reduce((n, r) => n + r.feeVnd, 0));
    const csv = await app.inject({ url: '/api/v1/cim/certificates/report?format=csv', headers });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('month,template,unit,language,certificates,copies,fee_vnd,revoked');
    const list = await app.inject({ url: '/api/v1/cim/certificates', headers });
    const rows = (list.json() as { certificates: Record<string, unknown>[] }).certificates;
    expect(rows.length).toBeGreaterThan(3);
    expect(rows[0]).not.toHaveProperty('studentKey');
    expect(rows[0]).not.toHaveProperty('verificationCode');
    expect(list.body).not.toContain('Nguyễn Thị');
    const viewer = await login(app, 'viewer', 'viewer-password-1');
    expect((await app.inject({ url: '/api/v1/cim/certificates/report', headers: { cookie: `lt_session=${viewer.cookie}` } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/certificates' })).statusCode).toBe(200);
  });
});

describe('a server without a certificates: block', () => {
  it('answers 503 CIM_NOT_CONFIGURED to a kiosk with a valid token, and says why in the log', async () => {
    const { openConsoleWorkspace } = await import('../server/testing/console-workspace.js');
    const bare = await openConsoleWorkspace();
    try {
      const server = await bare.build();
      const kioskToken = await createKioskToken(bare.store, 'KIOSK-A1', 'os:test', 'cli');
      const r = await server.inject({ method: 'POST', url: '/cim/v1/certificates', payload: request(), headers: { authorization: `Bearer ${kioskToken}` } });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ error: { code: 'CIM_NOT_CONFIGURED' } });
      expect(bare.logLines.join('')).toContain('no certificates: block');
    } finally {
      await bare.close();
    }
  });
});
