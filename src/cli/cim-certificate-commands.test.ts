import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { loadConfig } from '../config/load.js';
import { popplerAvailable } from '../../documents/pdf/poppler.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { buildConsole } from '../server/app.js';
import { RunProgressHub } from '../server/progress.js';
import { KIOSK_TOKEN_PATTERN } from '../certificates/codes.js';
import { createKioskToken } from '../certificates/kiosk-tokens.js';
import { openCertificateWorkspace, TEST_STUDENTS, type CertificateWorkspace } from '../certificates/testing/fixture.js';
import { runCli } from './testing/run-cli.js';

let ws: CertificateWorkspace;
let pdfFile: string;
let certificateNo: string;

const cli = (...args: string[]): Promise<{ out: string; code: number }> => runCli(ws.configFile, ...args);

beforeAll(async () => {
  ws = openCertificateWorkspace();
  const loaded = loadConfig(ws.configFile);
  const store = new SqliteStateStore(loaded.storePath);
  const app = await buildConsole({ env: { loaded, store, logger: winston.createLogger({ silent: true }) }, scheduler: null, progress: new RunProgressHub(), metrics: null, tls: false });
  const token = await createKioskToken(store, 'KIOSK-1', 'os:test', 'cli');
  const r = await app.inject({ method: 'POST', url: '/cim/v1/certificates', headers: { authorization: `Bearer ${token}` }, payload: { kioskId: 'KIOSK-1', requestId: 'cli-1', studentId: TEST_STUDENTS.current, templateCode: 'BANG_DIEM_TAM_THOI_EN', language: 'en', copies: 2, paymentRef: 'MOMO-1' } });
  const answer = r.json() as { certificateNo: string; pdf: string };
  certificateNo = answer.certificateNo;
  pdfFile = join(ws.dir, `${certificateNo}.pdf`);
  writeFileSync(pdfFile, Buffer.from(answer.pdf, 'base64'));
  await app.close();
  await store.close();
});

afterAll(() => ws.close());

describe('lienthong kiosks and certificates', () => {
  it('kiosks token prints a new token once and audits it (never the token)', async () => {
    const r = await cli('kiosks', 'token', 'KIOSK-2');
    expect(r.code).toBe(0);
    const token = r.out.split('\n')[0] ?? '';
    expect(token).toMatch(KIOSK_TOKEN_PATTERN);
    const store = new SqliteStateStore(loadConfig(ws.configFile).storePath);
    try {
      const audit = await store.auditEntries({ action: 'kiosk.token' });
      expect(audit.map((e) => [e.subject, e.address])).toContainEqual(['KIOSK-2', 'cli']);
      expect(JSON.stringify(audit)).not.toContain(token);
    } finally {
      await store.close();
    }
  });

  it('certificates report --csv: one line per template, unit, language and month, with fees', async () => {
    const r = await cli('certificates', 'report', '--csv');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split(/\r?\n/);
    expect(lines[0]).toBe('month,template,unit,language,certificates,copies,fee_vnd,revoked');
    expect(lines[1]).toMatch(/^\d{4}-\d{2},BANG_DIEM_TAM_THOI_EN,PDT,en,1,2,20000,0$/);
    expect((await cli('certificates', 'report', '--month', '2026-13')).code).not.toBe(0);
  });

  it.skipIf(!popplerAvailable())('verify checks the PDF against the register next to it; after revoke it fails naming the revocation', async () => {
    const ok = await cli('verify', pdfFile);
    expect(ok.out).toContain(`register: certificate ${certificateNo}`);
    expect(ok.code, ok.out).toBe(0);
    const revoked = await cli('certificates', 'revoke', certificateNo, '--reason', 'issued to the wrong student');
    expect(revoked.code, revoked.out).toBe(0);
    const again = await cli('verify', pdfFile);
    expect(again.code).toBe(1);
    expect(again.out).toContain(`certificate ${certificateNo} was revoked`);
    const twice = await cli('certificates', 'revoke', certificateNo, '--reason', 'again');
    expect(twice.code).not.toBe(0);
    const tampered = join(ws.dir, 'tampered.pdf');
    const bytes = Buffer.from((await import('node:fs')).readFileSync(pdfFile));
    writeFileSync(tampered, Buffer.concat([bytes, Buffer.from('\n%%tail\n')]));
    const bad = await cli('verify', tampered);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('not the one issued');
  });
});
