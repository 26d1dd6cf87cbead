/**
 * End to end on a UIS unlike the sample: PostgreSQL, Vietnamese quoted identifiers, dates as
 * dd/mm/yyyy text, credits and scores as text with a decimal comma. Then the UIS goes away: the
 * certificate is made from the last data read, and says so (the record and the PDF).
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { pdfToText, popplerAvailable } from '../../documents/pdf/poppler.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { buildConsole } from '../server/app.js';
import { RunProgressHub } from '../server/progress.js';
import { createKioskToken } from './kiosk-tokens.js';
import { openCertificateWorkspace, type CertificateWorkspace } from './testing/fixture.js';

const PG = process.env['LIENTHONG_TEST_PG'];
const SCHEMA = 'cim_cert_e2e';
const logger = winston.createLogger({ silent: true });

const STUDENTS = `SELECT sv."MãSV" AS student_id, sv."HọTên" AS full_name, sv."NgàySinh" AS birth_date, n."TênNgành" AS programme, n."Khoa" AS faculty,
  sv."KhóaHọc" AS cohort, sv."TrạngThái" AS status, sv."SốQĐ" AS graduation_decision, sv."NgàyQĐ" AS graduation_date
  FROM ${SCHEMA}."SinhViên" sv JOIN ${SCHEMA}."Ngành" n ON n."MãNgành" = sv."MãNgành"`;
const RESULTS = `SELECT kq."MãSV" AS student_id, kq."MãHP" AS course_code, hp."TênHP" AS course_name, hp."TênTiếngAnh" AS course_name_en,
  hp."SốTC" AS credits, kq."Điểm" AS score10, kq."HọcKỳ" AS semester
  FROM ${SCHEMA}."KếtQuảHọcTập" kq JOIN ${SCHEMA}."HọcPhần" hp ON hp."MãHP" = kq."MãHP"`;

describe.skipIf(!PG)('certificates from a PostgreSQL UIS unlike the sample, and while it is down', () => {
  let ws: CertificateWorkspace;
  let store: SqliteStateStore;
  let loaded: LoadedConfig;
  let token: string;
  const apps: FastifyInstance[] = [];

  const build = async (overrides?: Record<string, Record<string, string>>): Promise<FastifyInstance> => {
    const app = await buildConsole({ env: { loaded, store, logger, ...(overrides ? { overrides } : {}) }, scheduler: null, progress: new RunProgressHub(), metrics: null, tls: false });
    apps.push(app);
    return app;
  };
  const issue = async (app: FastifyInstance, body: Record<string, unknown>) => {
    const r = await app.inject({ method: 'POST', url: '/cim/v1/certificates', headers: { authorization: `Bearer ${token}` }, payload: { kioskId: 'KHU-A', copies: 1, paymentRef: 'VNPAY-77', language: 'vi', ...body } });
    return { status: r.statusCode, json: r.json() as { certificateNo: string; pdf: string; error?: { code: string } }, headers: r.headers };
  };

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: PG });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}."Ngành" ("MãNgành" text PRIMARY KEY, "TênNgành" text, "Khoa" text);
      CREATE TABLE ${SCHEMA}."SinhViên" ("MãSV" text PRIMARY KEY, "HọTên" text, "NgàySinh" text, "MãNgành" text, "KhóaHọc" text, "TrạngThái" text, "SốQĐ" text, "NgàyQĐ" text);
      CREATE TABLE ${SCHEMA}."HọcPhần" ("MãHP" text PRIMARY KEY, "TênHP" text, "TênTiếngAnh" text, "SốTC" text);
      CREATE TABLE ${SCHEMA}."KếtQuảHọcTập" ("MãSV" text, "MãHP" text, "Điểm" text, "HọcKỳ" text);
      INSERT INTO ${SCHEMA}."Ngành" VALUES ('7480201', 'Công nghệ thông tin', 'Trường Công nghệ Thông tin và Truyền thông');
      INSERT INTO ${SCHEMA}."SinhViên" VALUES ('Đ21-0042', 'Lê Thị Ánh Tuyết', '09/08/2003', '7480201', 'K66', 'Đang học', NULL, NULL),
        ('Đ19-0007', 'Phạm Quốc Việt', '1/2/2001', '7480201', 'K64', 'Đã tốt nghiệp', '987/QĐ-ĐHBK', '15/07/2026');
      INSERT INTO ${SCHEMA}."HọcPhần" VALUES ('IT3011', 'Cấu trúc dữ liệu và giải thuật', 'Data Structures and Algorithms', '3'), ('IT3090', 'Cơ sở dữ liệu', 'Databases', '3');
      INSERT INTO ${SCHEMA}."KếtQuảHọcTập" VALUES ('Đ21-0042', 'IT3011', '9,2', '2022.1'), ('Đ21-0042', 'IT3090', '6,4', '2022.2'), ('Đ19-0007', 'IT3011', '8', '2020.1');`);
    await client.end();
    ws = openCertificateWorkspace({ uisConnectionYaml: `  uis: { type: sql, driver: postgres, url: "${PG}" }\n`, students: STUDENTS, results: RESULTS });
    loaded = loadConfig(ws.configFile);
    store = new SqliteStateStore(loaded.storePath);
    token = await createKioskToken(store, 'KHU-A', 'os:test', 'cli');
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await store?.close();
    ws?.close();
    if (PG) {
      const client = new pg.Client({ connectionString: PG });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await client.end();
    }
  });

  it('issues a transcript with the Vietnamese identifiers, text dates and decimal commas read right', async () => {
    const app = await build();
    const r = await issue(app, { requestId: 'pg-1', studentId: 'Đ21-0042', templateCode: 'BANG_DIEM_TAM_THOI_VI' });
    expect(r.status, JSON.stringify(r.json.error)).toBe(200);
    const c = await store.certificateByRequest('KHU-A', 'pg-1');
    expect(c).toMatchObject({ dataSource: 'uis', holderMasked: 'L. T. Á. Tuyết' });
    if (popplerAvailable()) {
      const text = (await pdfToText(Buffer.from(r.json.pdf, 'base64'), { layout: true })).normalize('NFC');
      expect(text).toContain('Ngày sinh: 09/08/2003');
      expect(text).toContain('Mã số sinh viên: Đ21-0042');
      expect(text).toMatch(/IT3011\s+Cấu trúc dữ liệu và giải thuật\s+3\s+9\.2\s+4\.0\s+A/);
      expect(text).toMatch(/IT3090\s+Cơ sở dữ liệu\s+3\s+6\.4\s+2\.0\s+C/);
      expect(text).toContain('3.00 (thang 4)');
      expect(text).toContain('Xếp loại: Khá');
    }
  });

  it('while the UIS is down: uses the last data read and records it; a student never read is 503 with Retry-After', async () => {
    const down = await build({ uis: { url: 'postgres://postgres@127.0.0.1:1/test' } });
    const r = await issue(down, { requestId: 'pg-2', studentId: 'Đ21-0042', templateCode: 'BANG_DIEM_TAM_THOI_EN', language: 'en' });
    expect(r.status, JSON.stringify(r.json.error)).toBe(200);
    const c = await store.certificateByRequest('KHU-A', 'pg-2');
    expect(c?.dataSource).toBe('snapshot');
    expect(c?.dataReadAt).toBe((await store.certificateByRequest('KHU-A', 'pg-1'))?.dataReadAt);
    if (popplerAvailable()) {
      const text = (await pdfToText(Buffer.from(r.json.pdf, 'base64'))).normalize('NFC');
      expect(text).toContain('the student information system was unreachable');
      expect(text).toContain('Data Structures and Algorithms');
    }
    const never = await issue(down, { requestId: 'pg-3', studentId: 'Đ19-0007', templateCode: 'CN_TOT_NGHIEP_TAM_THOI' });
    expect(never.status).toBe(503);
    expect(never.json.error?.code).toBe('CIM_UIS_UNAVAILABLE');
    expect(Number(never.headers['retry-after'])).toBeGreaterThan(0);
    expect(await store.certificateByRequest('KHU-A', 'pg-3')).toBeNull();
  });
});
