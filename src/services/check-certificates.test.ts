import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { issueTestCertificate, toPkcs12 } from '../../documents/pki/test-pki.js';
import { packageRoot } from '../core/package-root.js';
import { openCertificateWorkspace, UIS_STUDENTS_QUERY, type CertificateWorkspace } from '../certificates/testing/fixture.js';
import { runCli } from '../cli/testing/run-cli.js';

let ws: CertificateWorkspace | undefined;
// removed at the end: the CLI's log file is still being written when a test returns
const workspaces: CertificateWorkspace[] = [];
afterEach(() => {
  if (ws) workspaces.push(ws);
  ws = undefined;
});
afterAll(() => {
  for (const w of workspaces) w.close();
});



/** rewrites the configuration file */
function edit(w: CertificateWorkspace, f: (yaml: string) => string): void {
  writeFileSync(w.configFile, f(readFileSync(w.configFile, 'utf8')));
}

/** a copy of the shipped templates in the workspace, one of its files broken by `breakIt` */
function brokenTemplates(w: CertificateWorkspace, breakIt: (yaml: string) => string): string {
  const dir = join(w.dir, 'config', 'templates', 'cim');
  mkdirSync(dir, { recursive: true });
  cpSync(join(packageRoot(), 'config/templates/cim'), dir, { recursive: true });
  const file = join(dir, 'cong-tac-sinh-vien.yaml');
  writeFileSync(file, breakIt(readFileSync(file, 'utf8')));
  return dir;
}

const kioskConnection = '  kiosks:\n    type: cim-kiosk\n    kiosks:\n      - { id: kiosk-a1, url: "https://kiosk-a1.example.edu.vn", token: "env:KIOSK_TOKEN" }\n';

describe('lienthong validate: the certificates block and the kiosks\' template registries', () => {
  it('a good configuration: every part named, ok, exit 0', async () => {
    ws = openCertificateWorkspace();
    const r = await runCli(ws.configFile, 'validate');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/certificates\.templatesDir: ok: 4 template\(s\)/);
    expect(r.out).toMatch(/certificates\.seal\.p12: ok: .*university\.p12 exists/);
    expect(r.out).toMatch(/certificates\.uis\.connection: ok: uis \(sql\)/);
  });

  it('a missing seal file, an unknown UIS connection, a broken kiosk template registry: each its line, exit 2', async () => {
    ws = openCertificateWorkspace();
    brokenTemplates(ws, (yaml) => yaml.replace(/^(\s+)feeVnd: 0$/m, '$1feeVnd: free'));
    edit(ws, (yaml) => yaml.replace('../keys/university.p12', '../keys/missing.p12').replace('connection: uis', 'connection: dao-tao').replace('connections:\n', `connections:\n${kioskConnection}`));
    const r = await runCli(ws.configFile, 'validate');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/certificates\.seal\.p12: FAILED: .*missing\.p12: no such file/);
    expect(r.out).toMatch(/certificates\.uis\.connection: FAILED: no connection named "dao-tao"/);
    // the kiosks' registry (templates/cim next to the configuration): the file and the field named
    expect(r.out).toMatch(/connections\.kiosks\.templatesDir: FAILED: .*cong-tac-sinh-vien\.yaml.*feeVnd/);
  });

  it('a kiosk connection whose template folder does not exist: exit 2', async () => {
    ws = openCertificateWorkspace();
    edit(ws, (yaml) => yaml.replace('connections:\n', `connections:\n${kioskConnection}`));
    const r = await runCli(ws.configFile, 'validate');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/connections\.kiosks\.templatesDir: FAILED: .*no certificate template folder/);
  });
});

describe('lienthong check: the seal opened, the UIS and its two SELECTs probed', () => {
  it('a good configuration: the seal valid until a date, both queries ok, exit 0', async () => {
    ws = openCertificateWorkspace();
    const r = await runCli(ws.configFile, 'check');
    expect(r.out).toMatch(/certificates: seal: ok: Trường Đại học Liên Thông, key and certificate readable, valid until \d{4}-/);
    expect(r.out).toMatch(/certificates\.uis\.students: ok: query ok, 11 columns/);
    expect(r.out).toMatch(/certificates\.uis\.results: ok: query ok, 8 columns/);
    expect(r.out).not.toMatch(/uis: not used by any job/);
    expect(r.code).toBe(0);
  });

  it('a wrong seal password: exit 2, the line says so', async () => {
    ws = openCertificateWorkspace();
    writeFileSync(join(ws.dir, 'keys', 'university.pass'), 'not-the-password\n');
    const r = await runCli(ws.configFile, 'check');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/certificates: seal: FAILED: cannot open the PKCS#12 file: wrong password/);
  });

  it('a password reference that does not resolve, a missing p12: exit 2', async () => {
    ws = openCertificateWorkspace();
    edit(ws, (yaml) => yaml.replace('file:../keys/university.pass', 'env:LIENTHONG_TEST_NO_SUCH_SEAL_PASSWORD'));
    const r = await runCli(ws.configFile, 'check');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/certificates: seal: FAILED: .*LIENTHONG_TEST_NO_SUCH_SEAL_PASSWORD/);
    edit(ws, (yaml) => yaml.replace('../keys/university.p12', '../keys/gone.p12'));
    const gone = await runCli(ws.configFile, 'check');
    expect(gone.code).toBe(2);
    expect(gone.out).toMatch(/certificates: seal: FAILED: certificates\.seal\.p12: cannot read .*gone\.p12/);
  });

  it('a seal whose certificate has expired: exit 2, with its dates', async () => {
    ws = openCertificateWorkspace();
    const expired = issueTestCertificate(ws.ca, { commonName: 'Trường Đại học Liên Thông', organization: 'Trường Đại học Liên Thông', validFrom: new Date('2023-01-01T00:00:00Z'), validTo: new Date('2024-01-01T00:00:00Z') });
    writeFileSync(join(ws.dir, 'keys', 'university.p12'), toPkcs12(expired, [ws.ca.certPem], 'university-pass'));
    const r = await runCli(ws.configFile, 'check');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/certificates: seal: FAILED: .*valid from 2023-01-01T00:00:00\.000Z to 2024-01-01T00:00:00\.000Z, not now/);
  });

  it('a students SELECT without full_name, a results SELECT the database refuses: exit 2, each named', async () => {
    ws = openCertificateWorkspace({ students: UIS_STUDENTS_QUERY.replace('s.full_name,', 's.full_name AS ho_ten,'), results: 'SELECT student_id, course_code FROM no_such_table' });
    const r = await runCli(ws.configFile, 'check');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/certificates\.uis\.students: FAILED: the SELECT gives no column full_name/);
    expect(r.out).toMatch(/certificates\.uis\.results: FAILED: .*no_such_table/);
  });

  it('a UIS that cannot be reached: exit 1', async () => {
    ws = openCertificateWorkspace({ uisConnectionYaml: '  uis: { type: sql, driver: postgres, url: "postgres://nobody@127.0.0.1:1/none", connectTimeoutMs: 1000 }\n' });
    const r = await runCli(ws.configFile, 'check');
    expect(r.out).toMatch(/certificates: uis: FAILED: uis: /);
    expect(r.code).toBe(1);
  });
});
