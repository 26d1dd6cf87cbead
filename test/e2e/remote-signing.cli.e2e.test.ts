import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { SigningSimulator } from '../../connectors/remote-signing/simulator/index.js';
import { packageRoot } from '../../src/core/package-root.js';
import { generateSchoolDatabase } from '../../src/sample/school.js';
import { ensureDemoPki, loadOrCreateCa } from '../../documents/pki/demo-pki.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');
const PUPILS = 4;

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * The shipped school-record job switched to remote signing in its configuration only
 * (`transform.signing.mode: remote`), run with the CLI (the built dist/) until every record is
 * delivered: the first runs exit 3 naming who is awaited, `lienthong signing status` shows the
 * requests, the last run exits 0.
 */
describe('lienthong run / signing status with transform.signing.mode: remote', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-remote-cli-'));
  const signing = new SigningSimulator();
  const hub = new HubSimulator();
  let config: string;

  beforeAll(async () => {
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'jobs'));
    mkdirSync(join(dir, 'secrets'));
    const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: join(dir, 'school.db') }, { pupils: PUPILS, seed: 5, dirtyRate: 0 });
    const db = new Database(join(dir, 'school.db'), { readonly: true });
    const school = db.prepare('SELECT ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as { name: string; principal: string; principalId: string };
    const teachers = db.prepare('SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12').all() as { personalId: string; name: string }[];
    db.close();
    ensureDemoPki(join(dir, 'pki'), { people: [], schoolName: school.name, password: 'seal-pass' });
    writeFileSync(join(dir, 'secrets', 'seal-password'), 'seal-pass\n');
    writeFileSync(join(dir, 'secrets', 'signing-secret'), 'sign-secret\n');
    writeFileSync(join(dir, 'secrets', 'hub-secret'), 'hub-secret\n');
    await signing.start({ clients: [{ clientId: 'school', clientSecret: 'sign-secret' }], policy: { mode: 'auto', delayMs: 20 }, ca: loadOrCreateCa(join(dir, 'pki', 'ca.crt'), join(dir, 'pki', 'ca.key')) });
    for (const t of teachers) signing.addSigner({ personalId: t.personalId, name: t.name });
    signing.addSigner({ personalId: school.principalId, name: school.principal });
    const { url: hubUrl } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: 'school', clientSecret: 'hub-secret', unitCodes: [manifest.schoolCode] }], trustedCaPems: [readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8')], rateLimit: false });

    const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'hocba-thcsthpt.yaml'), 'utf8')) as Record<string, unknown>;
    job['name'] = 'hocba';
    delete job['schedule'];
    job['transform'] = {
      kind: 'hocba-sign',
      keysDir: 'pki/keys',
      keyPassword: 'file:../secrets/seal-password',
      signing: { mode: 'remote', service: { baseUrl: signing.url, clientId: 'school', clientSecret: 'file:../secrets/signing-secret', pollInitialDelayMs: 20, pollMaxDelayMs: 100 }, collectWaitMs: 3000 },
    };
    writeFileSync(join(dir, 'jobs', 'hocba.yaml'), YAML.stringify(job));
    config = join(dir, 'config', 'lienthong.yaml');
    writeFileSync(
      config,
      YAML.stringify({
        version: 1,
        dataDir: '..',
        jobsDir: '../jobs',
        trust: { caFiles: ['../pki/ca.crt'] },
        log: { level: 'info', file: 'logs/lienthong.log' },
        connections: {
          school: { type: 'sql', driver: 'sqlite', url: '../school.db' },
          'hub-school': { type: 'ministry-hub', baseUrl: hubUrl, unitCode: manifest.schoolCode, clientId: 'school', clientSecret: 'file:../secrets/hub-secret' },
        },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await hub.stop();
    await signing.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 3 naming who is awaited until every signer approved, shows the requests, then delivers everything and exits 0', async () => {
    const first = await cli(['-c', config, 'run', 'hocba', '--lang', 'en']);
    expect(first.out).toContain(`awaiting signatures ${PUPILS}`);
    expect(first.out).toMatch(/wait for the approval of: subject:\S+ \(\*{8}\d{4}\)/);
    expect(first.out).toContain('remote signing:');
    expect(first.code, first.out).toBe(3);

    const status = await cli(['-c', config, 'signing', 'status', 'hocba']);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toContain(`job hocba: documents awaiting ${PUPILS}, complete 0, returned 0`);
    expect(status.out).toMatch(/requested +\S+\/\S+\/\S+ +subject:\S+ +\*{8}\d{4}/);
    const json = JSON.parse((await cli(['-c', config, 'signing', 'status', 'hocba', '--json'])).out) as { requests: { requested: number } }[];
    expect(json[0]?.requests.requested).toBeGreaterThan(0);

    let last = first;
    for (let i = 0; i < 5 && last.code !== 0; i++) last = await cli(['-c', config, 'run', 'hocba', '--lang', 'en']);
    expect(last.code, last.out).toBe(0);
    expect(hub.acceptanceCounts('hocbaso-thcsthpt')).toHaveLength(PUPILS);
    const done = await cli(['-c', config, 'signing', 'status', 'hocba']);
    expect(done.out).toContain(`documents awaiting 0, complete ${PUPILS}, returned 0`);
    // no full personal id reached the log
    // the log rotates daily: lienthong-<date>.log
    const logs = readdirSync(join(dir, 'logs')).filter((f) => /^lienthong-.*\.log$/.test(f));
    expect(logs.length).toBeGreaterThan(0);
    const log = logs.map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('\n');
    expect(log).toContain('run finished');
    expect(log).not.toMatch(/(?<!\d)\d{12}(?!\d)/);
  }, 240_000);
});
