import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');

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

/**
 * `lienthong demo --serve` from the built CLI: the jobs run, then the console listens where
 * `--listen` says, with an admin account whose password is in DIR/secrets/admin-password (only
 * there: standard output is not a terminal), and SIGTERM stops it with the demo's exit code.
 */
describe('lienthong demo --serve', () => {
  it('serves the console with a generated admin password until SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-serve-'));
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'demo', '--records', '60', '--pupils', '2', '--seed', '5', '--lang', 'en', '--data-dir', dir, '--serve', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`the demo exited ${code} before serving: ${out}\n${err}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          out += line + '\n';
          const m = /console: (http:\/\/\S+)/.exec(line);
          if (m?.[1]) resolve(m[1]);
        });
      });
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const passwordFile = join(dir, 'secrets', 'admin-password');
      await new Promise((r) => setTimeout(r, 200)); // the lines after the URL
      expect(out).toContain(passwordFile);
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(out).not.toContain(password);
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);

      const wrong = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'not-the-password' }) });
      expect(wrong.status).toBe(401);
      const login = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({ username: 'admin', role: 'admin' });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/^lt_session=/);
      const session = await fetch(`${url}/api/v1/session`, { headers: { cookie } });
      expect(await session.json()).toMatchObject({ username: 'admin', role: 'admin' });

      // the demo's own runs are in the metrics (a scrape from this machine needs no token)
      const metrics = await (await fetch(`${url}/metrics`)).text();
      // the sample has dirty rows: the diploma run is partial
      expect(metrics).toMatch(/^lienthong_runs_total\{job="diplomas",outcome="partial"\} 1$/m);
      expect(metrics).toMatch(/^lienthong_run_records_total\{job="diplomas",kind="read"\} 60$/m);
      expect(metrics).toMatch(/^lienthong_documents_signed_total\{job="hocba-thcsthpt",transformer="hocba-sign \(remote signing\)"\} [1-9]/m);
      expect(metrics).toMatch(/^lienthong_ledger_records\{target="hub\/vanbangchungchi",status="accepted"\} [1-9]/m);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, err).toBe(0);
  }, 240_000);
});
