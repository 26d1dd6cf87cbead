import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { openRemoteSigningWorkspace, type RemoteSigningWorkspace } from '../../transforms/hocba-sign/testing/remote-signing-workspace.js';

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
  let ws: RemoteSigningWorkspace;
  let config: string;
  let dir: string;

  beforeAll(async () => {
    ws = await openRemoteSigningWorkspace({ prefix: 'lt-remote-cli-', pupils: PUPILS, seed: 5, policy: { mode: 'auto', delayMs: 20 }, collectWaitMs: 3000, log: { level: 'info', file: 'logs/lienthong.log' }, schedule: false });
    config = ws.configPath;
    dir = ws.dir;
  }, 120_000);

  afterAll(() => ws.close());

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
    expect(ws.hub.acceptanceCounts('hocbaso-thcsthpt')).toHaveLength(PUPILS);
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
