/**
 * A certificate service for tests and the benchmark: a configuration with a `certificates:` block,
 * a UIS (SQLite file, its own schema) with students and course results, a throw-away CA and the
 * university's PKCS#12, the four templates of the contract, and the real SQLite state store.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTestCa, issueTestCertificate, toPkcs12, type TestCa } from '../../../documents/pki/test-pki.js';
import { packageRoot } from '../../core/package-root.js';
import { loadTemplateRegistry } from '../../cim/templates.js';
import { certificateTemplateOf } from '../content.js';
import type { TemplateLookup } from '../issue.js';

/** the shipped template registry (config/templates/cim): the tests issue the real templates */
export const SHIPPED_TEMPLATES_DIR = join(packageRoot(), 'config', 'templates', 'cim');

export const testTemplates: TemplateLookup = (() => {
  const templates = new Map(loadTemplateRegistry(SHIPPED_TEMPLATES_DIR).templates.map((t) => [t.code, certificateTemplateOf(t)]));
  return (code: string) => templates.get(code);
})();

export const TEST_STUDENTS = {
  current: 'SV2023001',
  graduate: 'SV2020015',
} as const;

export const UIS_STUDENTS_QUERY = `SELECT s.code AS student_id, s.full_name, s.birth_date, p.name AS programme, p.faculty, s.cohort, s.status, s.status_en,
  s.decision_no AS graduation_decision, s.decision_date AS graduation_date, s.classification
  FROM students s JOIN programmes p ON p.id = s.programme_id`;
export const UIS_RESULTS_QUERY = `SELECT s.code AS student_id, r.course_code, c.name AS course_name, c.name_en AS course_name_en, c.credits, r.score AS score10, r.attempt, r.semester
  FROM results r JOIN students s ON s.id = r.student_id JOIN courses c ON c.code = r.course_code ORDER BY r.semester, r.course_code`;

/** The UIS of the tests: students, programmes, courses, results (two attempts of one course). */
export function writeTestUis(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE programmes (id INTEGER PRIMARY KEY, name TEXT, faculty TEXT);
    CREATE TABLE students (id INTEGER PRIMARY KEY, code TEXT UNIQUE, full_name TEXT, birth_date TEXT, programme_id INTEGER, cohort TEXT, status TEXT, status_en TEXT,
      decision_no TEXT, decision_date TEXT, classification TEXT);
    CREATE TABLE courses (code TEXT PRIMARY KEY, name TEXT, name_en TEXT, credits INTEGER);
    CREATE TABLE results (student_id INTEGER, course_code TEXT, score REAL, semester TEXT, attempt INTEGER);
    INSERT INTO programmes VALUES (1, 'Công nghệ thông tin', 'Khoa Công nghệ Thông tin'), (2, 'Kế toán', 'Khoa Kinh tế');
    INSERT INTO students VALUES
      (1, 'SV2023001', 'Nguyễn Thị Thu Hương', '2005-03-17', 1, 'K68', 'Đang học', 'Studying', NULL, NULL, NULL),
      (2, 'SV2020015', 'Trần Đức Mạnh', '2002-11-02', 2, 'K65', 'Đã tốt nghiệp', 'Graduated', '1234/QĐ-ĐHLT', '2026-06-30', 'Giỏi');
    INSERT INTO courses VALUES
      ('IT1110', 'Tin học đại cương', 'Introduction to Computing', 4),
      ('MI1111', 'Giải tích I', 'Calculus I', 4),
      ('PH1110', 'Vật lý đại cương I', 'General Physics I', 3),
      ('SSH1111', 'Triết học Mác - Lênin', 'Marxist-Leninist Philosophy', 3),
      ('AC2001', 'Nguyên lý kế toán', 'Principles of Accounting', 3),
      ('EC2002', 'Kinh tế vi mô', 'Microeconomics', 3);
    INSERT INTO results VALUES
      (1, 'MI1111', 7.2, '20232', 2), (1, 'IT1110', 8.7, '20231', 1), (1, 'MI1111', 3.5, '20231', 1), (1, 'PH1110', 6.8, '20231', 1), (1, 'SSH1111', 8.45, '20232', 1),
      (2, 'AC2001', 9.1, '20201', 1), (2, 'EC2002', 8.0, '20202', 1);
  `);
  db.close();
}

export interface CertificateWorkspace {
  dir: string;
  configFile: string;
  ca: TestCa;
  uisFile: string;
  close(): void;
}

/** The configuration's `certificates:` block, for a UIS connection named `uis`. */
export function certificatesYaml(options: { students?: string; results?: string } = {}): string {
  return `certificates:
  publicBaseUrl: https://xacthuc.example.edu.vn/
  numberPrefix: LTU
  templatesDir: ${JSON.stringify(SHIPPED_TEMPLATES_DIR)}
  university: { vi: Trường Đại học Liên Thông, en: Lien Thong University }
  place: { vi: Hà Nội, en: Hanoi }
  signer: { name: PGS.TS. Trần Văn Hùng, title: { vi: KT. Hiệu trưởng - Phó Hiệu trưởng, en: For the Rector - Vice-Rector } }
  seal: { p12: ../keys/university.p12, password: file:../keys/university.pass }
  uis:
    connection: uis
    students: ${JSON.stringify(options.students ?? UIS_STUDENTS_QUERY)}
    results: ${JSON.stringify(options.results ?? UIS_RESULTS_QUERY)}
  verifyRateLimit: { max: 8, windowSeconds: 60 }
`;
}

/**
 * A directory with config/lienthong.yaml (the `uis` connection given, or the SQLite test UIS),
 * keys/ (the university's PKCS#12 from a fresh test CA) and data/.
 */
export function openCertificateWorkspace(options: { uisConnectionYaml?: string; students?: string; results?: string; ca?: TestCa } = {}): CertificateWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'lt-cim-cert-'));
  for (const sub of ['config', 'keys', 'data']) mkdirSync(join(dir, sub));
  const ca = options.ca ?? createTestCa({ commonName: 'lienthong Test Root CA' });
  const university = issueTestCertificate(ca, { commonName: 'Trường Đại học Liên Thông', organization: 'Trường Đại học Liên Thông' });
  writeFileSync(join(dir, 'keys', 'university.p12'), toPkcs12(university, [ca.certPem], 'university-pass'));
  writeFileSync(join(dir, 'keys', 'university.pass'), 'university-pass\n');
  writeFileSync(join(dir, 'keys', 'ca.crt'), ca.certPem);
  const uisFile = join(dir, 'uis.db');
  if (options.uisConnectionYaml === undefined) writeTestUis(uisFile);
  const connection = options.uisConnectionYaml ?? '  uis: { type: sql, driver: sqlite, url: ../uis.db }\n';
  const configFile = join(dir, 'config', 'lienthong.yaml');
  writeFileSync(configFile, `dataDir: ../data\njobsDir: ../jobs\ntrust: { caFiles: [../keys/ca.crt] }\nconnections:\n${connection}${certificatesYaml(options)}`);
  return { dir, configFile, ca, uisFile, close: () => rmSync(dir, { recursive: true, force: true }) };
}
