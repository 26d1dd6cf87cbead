/**
 * The demo's CIM certificates (issue 13): the university's demo certificate, the `certificates:`
 * block for the sample UIS, a kiosk token, then the four certificates of the contract requested
 * over HTTP as a kiosk does (the transcript in Vietnamese and in English, the status confirmation,
 * the temporary graduation certificate), kept as DIR/documents/cim/<certificateNo>.pdf, each
 * number printed with its verify URL, and one verify page read back.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../config/load.js';
import { packageRoot } from '../core/package-root.js';
import { UIS_STUDENT_STATUSES } from '../sample/uis-current.js';
import type { ServiceEnvironment } from '../services/context.js';
import { loadOrCreateCa } from '../../documents/pki/demo-pki.js';
import { issueTestCertificate, toPkcs12 } from '../../documents/pki/test-pki.js';
import { EXIT } from './exit-codes.js';

/** the demo's first simulated kiosk (src/cli/demo-cim-push.ts) asks for the certificates */
export const DEMO_KIOSK = 'kiosk-a1';

const statusCase = (lang: 'vi' | 'en'): string =>
  `CASE s.status ${Object.entries(UIS_STUDENT_STATUSES).map(([code, s]) => `WHEN ${code} THEN '${s[lang]}'`).join(' ')} END`;

/** The sample UIS's SELECTs for the certificate service (docs/cim.md#certificates names the columns). */
export const SAMPLE_UIS_CERTIFICATE_QUERIES = {
  students: `SELECT s.student_code AS student_id, s.full_name, s.birth_date, p.programme_name AS programme, f.name_vi AS faculty, s.cohort,
  ${statusCase('vi')} AS status, ${statusCase('en')} AS status_en, d.decision_no AS graduation_decision, d.decision_date AS graduation_date
  FROM current_students s JOIN programmes p ON p.programme_id = s.programme_id JOIN faculties f ON f.faculty_id = s.faculty_id
  LEFT JOIN graduation_decisions d ON d.decision_id = s.decision_id`,
  results: `SELECT s.student_code AS student_id, c.course_code, c.name_vi AS course_name, c.name_en AS course_name_en, c.credits,
  r.score10, r.attempt, r.school_year || '.' || r.term AS semester
  FROM course_results r JOIN current_students s ON s.student_id = r.student_id JOIN courses c ON c.course_id = r.course_id`,
};

/** The `certificates:` block the demo appends to its configuration (the bench uses it too). */
export function certificatesBlock(publicBaseUrl: string, seal = { p12: '../pki/keys/university.p12', password: 'file:../secrets/pki-password' }): string {
  return `
# The CIM certificate service of "lienthong start" (docs/cim.md#certificates), written by the demo.
certificates:
  publicBaseUrl: ${publicBaseUrl}
  numberPrefix: LTU
  templatesDir: ${JSON.stringify(join(packageRoot(), 'config', 'templates', 'cim'))}
  university: { vi: Trường Đại học Liên Thông, en: Lien Thong University }
  place: { vi: Hà Nội, en: Hanoi }
  signer: { name: PGS.TS. Trần Văn Hùng, title: { vi: KT. Hiệu trưởng - Phó Hiệu trưởng, en: For the Rector - Vice-Rector } }
  seal: { p12: ${seal.p12}, password: ${seal.password} }
  uis:
    connection: uis
    students: ${JSON.stringify(SAMPLE_UIS_CERTIFICATE_QUERIES.students)}
    results: ${JSON.stringify(SAMPLE_UIS_CERTIFICATE_QUERIES.results)}
`;
}

/** a studying student with the most results, and a graduate, of the sample UIS */
function demoStudents(uisPath: string): { studying: string; graduate: string } | null {
  const db = new Database(uisPath, { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'course_results'").get();
    if (!has) return null;
    const pick = (status: number): string | undefined =>
      (db.prepare('SELECT s.student_code AS code FROM current_students s JOIN course_results r ON r.student_id = s.student_id WHERE s.status = ? GROUP BY s.student_id ORDER BY COUNT(*) DESC, s.student_id LIMIT 1').get(status) as { code: string } | undefined)?.code;
    const studying = pick(1);
    const graduate = pick(4);
    return studying === undefined || graduate === undefined ? null : { studying, graduate };
  } finally {
    db.close();
  }
}

/** Runs the demo's certificate part; its exit code (0, or 1 naming what failed). */
export async function runDemoCimCertificates(env: ServiceEnvironment, o: { dataDir: string; publicBaseUrl: string; say: (line: string) => void }): Promise<number> {
  const { say } = o;
  const students = demoStudents(join(o.dataDir, 'uis.db'));
  if (students === null) {
    say(`! giấy chứng nhận CIM: CSDL mẫu chưa có sinh viên đang học / CIM certificates: the sample UIS has no current students; delete ${join(o.dataDir, 'uis.db')} and run the demo again`);
    return EXIT.failed;
  }
  const p12 = join(o.dataDir, 'pki', 'keys', 'university.p12');
  if (!existsSync(p12)) {
    const ca = loadOrCreateCa(join(o.dataDir, 'pki', 'ca.crt'), join(o.dataDir, 'pki', 'ca.key'));
    const credential = issueTestCertificate(ca, { commonName: 'Trường Đại học Liên Thông', organization: 'Trường Đại học Liên Thông' });
    writeFileSync(p12, toPkcs12(credential, [ca.certPem], readFileSync(join(o.dataDir, 'secrets', 'pki-password'), 'utf8').trim()), { mode: 0o600 });
  }
  const configFile = env.loaded.file;
  if (!/^certificates:/m.test(readFileSync(configFile, 'utf8'))) appendFileSync(configFile, certificatesBlock(o.publicBaseUrl));
  const loaded = loadConfig(configFile);
  // the console of --serve, started after this, then serves the certificates and their verify pages too
  env.loaded = loaded;

  const [{ buildConsole }, { RunProgressHub }, { createKioskToken }] = await Promise.all([import('../server/app.js'), import('../server/progress.js'), import('../certificates/kiosk-tokens.js')]);
  const app = await buildConsole({ env, scheduler: null, progress: new RunProgressHub(), metrics: null, tls: false });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const token = await createKioskToken(env.store, DEMO_KIOSK, 'demo', 'cli');
    const outDir = join(o.dataDir, 'documents', 'cim');
    mkdirSync(outDir, { recursive: true });
    const requests = [
      { templateCode: 'BANG_DIEM_TAM_THOI_VI', language: 'vi', studentId: students.studying },
      { templateCode: 'BANG_DIEM_TAM_THOI_EN', language: 'en', studentId: students.studying },
      { templateCode: 'XAC_NHAN_SINH_VIEN', language: 'vi', studentId: students.studying },
      { templateCode: 'CN_TOT_NGHIEP_TAM_THOI', language: 'vi', studentId: students.graduate },
    ];
    let firstCode: string | undefined;
    for (const [i, r] of requests.entries()) {
      // a requestId per demo folder and request: running the demo again answers the same certificates (no second fee)
      const body = { kioskId: DEMO_KIOSK, requestId: `demo-${i + 1}`, copies: 1, paymentRef: r.templateCode === 'XAC_NHAN_SINH_VIEN' ? '' : `DEMO-PAY-${i + 1}`, ...r };
      const res = await fetch(`${base}/cim/v1/certificates`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await res.json()) as { certificateNo?: string; verificationCode?: string; feeVnd?: number; pdf?: string; error?: { code: string; message: string } };
      if (!res.ok || answer.pdf === undefined || answer.certificateNo === undefined || answer.verificationCode === undefined) {
        say(`! giấy chứng nhận ${r.templateCode} (${r.language}): ${res.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`);
        return EXIT.failed;
      }
      firstCode ??= answer.verificationCode;
      const file = join(outDir, `${answer.certificateNo}.pdf`);
      writeFileSync(file, Buffer.from(answer.pdf, 'base64'), { mode: 0o600 });
      say(`giấy chứng nhận / certificate ${answer.certificateNo} ${r.templateCode} (${r.language}), ${answer.feeVnd ?? 0} VND: ${file}`);
      say(`  xác thực / verify: ${o.publicBaseUrl}/verify/${answer.verificationCode}`);
    }
    const check = await fetch(`${base}/verify/${firstCode ?? ''}`, { headers: { accept: 'application/json' } });
    const verdict = (await check.json()) as { genuine?: boolean; holder?: string; revoked?: boolean };
    say(`tra cứu mã đầu tiên / first code looked up: ${verdict.genuine === true ? 'hợp lệ / genuine' : 'KHÔNG / NOT genuine'} (${verdict.holder ?? '?'}${verdict.revoked === true ? ', revoked' : ''}); lienthong verify ${join(outDir, '<số>.pdf')} kiểm tra chữ ký và sổ cấp / checks the signature and the register`);
    return verdict.genuine === true ? EXIT.ok : EXIT.failed;
  } finally {
    await app.close();
  }
}
