import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');

interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** the built CLI, with `input` on its standard input (not a terminal) */
function cli(args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh installation made by `lienthong init`. */
let config: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-console-e2e-'));
  expect((await cli(['init', dir])).code).toBe(0);
  config = join(dir, 'config', 'lienthong.yaml');
}, 60_000);

describe('lienthong users and audit', () => {
  it('adds accounts with the password from standard input, lists, disables, changes a password and makes a token; all audited', async () => {
    const add = await cli(['-c', config, 'users', 'add', 'lan', '--role', 'admin'], 'lan-password-123\n');
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('account lan added (admin)');
    expect((await cli(['-c', config, 'users', 'add', 'minh', '--role', 'viewer'], 'minh-password-123\n')).code).toBe(0);
    // a bad role, a bad name, a short password, a name taken: exit 2 with the reason
    const badRole = await cli(['-c', config, 'users', 'add', 'khoa', '--role', 'root'], 'khoa-password-123\n');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('unknown role "root"');
    expect((await cli(['-c', config, 'users', 'add', 'Khoa!', '--role', 'viewer'], 'khoa-password-123\n')).code).toBe(2);
    expect((await cli(['-c', config, 'users', 'add', 'khoa', '--role', 'viewer'], 'short\n')).err).toContain('10 to 1024 characters');
    expect((await cli(['-c', config, 'users', 'add', 'lan', '--role', 'viewer'], 'lan-password-456\n')).err).toContain('exists already');

    const list = await cli(['-c', config, 'users', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual([
      expect.objectContaining({ username: 'lan', role: 'admin', disabled: false }),
      expect.objectContaining({ username: 'minh', role: 'viewer', disabled: false }),
    ]);
    expect(list.out).not.toContain('scrypt');

    const token = await cli(['-c', config, 'users', 'token', 'minh', '--label', 'report script']);
    expect(token.code, token.err).toBe(0);
    expect(token.out.trim()).toMatch(/^lt_[\w-]{43}$/);
    expect((await cli(['-c', config, 'users', 'passwd', 'minh'], 'minh-password-789\n')).code).toBe(0);
    const disable = await cli(['-c', config, 'users', 'disable', 'minh']);
    expect(disable.out).toContain('1 API token(s) revoked');
    expect((await cli(['-c', config, 'users', 'disable', 'nobody'])).code).toBe(2);

    const exported = await cli(['-c', config, 'audit', 'export', '--format', 'json']);
    const entries = JSON.parse(exported.out) as { action: string; subject: string; address: string; actor: string }[];
    expect(entries.map((e) => [e.action, e.subject])).toEqual([
      ['user.add', 'lan'],
      ['user.add', 'minh'],
      ['token.create', 'minh'],
      ['user.passwd', 'minh'],
      ['user.disable', 'minh'],
    ]);
    expect(entries.every((e) => e.address === 'cli' && e.actor.startsWith('os:'))).toBe(true);
    // neither the password nor the token is in the log
    expect(exported.out).not.toContain('password-');
    expect(exported.out).not.toContain(token.out.trim());
  });

  it('verifies the chain (exit 0 with the head), then names the first edited entry (exit 1)', async () => {
    const ok = await cli(['-c', config, 'audit', 'verify']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/audit log intact: 5 entries\nhead: seq 5 hash [0-9a-f]{64}/);
    const csv = join(dir, 'audit.csv');
    expect((await cli(['-c', config, 'audit', 'export', '--format', 'csv', '--out', csv])).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe('seq,at,actor,action,subject,address,outcome,detail,prev_hash,hash');

    const db = new Database(join(dir, '.lienthong', 'state.db'));
    db.exec("DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET subject = 'somebody' WHERE seq = 2");
    db.close();
    const broken = await cli(['-c', config, 'audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('audit log BROKEN at seq 2');
  });

  it("adds a signer's account with their personal id: required, 12 digits, shown masked only", async () => {
    const teacher = await cli(['-c', config, 'users', 'add', 'gv.toan', '--role', 'teacher', '--personal-id', '001082000003'], 'toan-password-123\n');
    expect(teacher.code, teacher.err).toBe(0);
    expect(teacher.out).toContain('account gv.toan added (teacher, ********0003)');
    expect(teacher.out + teacher.err).not.toContain('001082000003');
    const list = JSON.parse((await cli(['-c', config, 'users', 'list', '--json'])).out) as { username: string; personalId: string | null }[];
    expect(list.find((u) => u.username === 'gv.toan')).toMatchObject({ personalId: '********0003' });
    const noId = await cli(['-c', config, 'users', 'add', 'gv.van', '--role', 'teacher'], 'van-password-1234\n');
    expect(noId.code).toBe(2);
    expect(noId.err).toContain('--personal-id');
    expect((await cli(['-c', config, 'users', 'add', 'xem', '--role', 'viewer', '--personal-id', '001082000003'], 'xem-password-1234\n')).code).toBe(2);
  });
});

describe('lienthong start', () => {
  it('serves the console beside the scheduler, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, '-c', config, 'start', '--listen', `127.0.0.1:${port}`]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes('console: ') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain(`console: http://127.0.0.1:${port}`);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready', jobs: 1 });
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lan', password: 'lan-password-123' }) });
    expect(login.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 40_000);

  it('refuses a listen address that is not HOST:PORT (exit 2)', async () => {
    const r = await cli(['-c', config, 'start', '--listen', 'nowhere']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected HOST:PORT');
  });
});
