import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { generateUisDatabase } from '../../src/sample/uis.js';
import type { HubSimulator } from '../../src/simulator/hub/index.js';
import { makeWorkspace, startHub, type Workspace } from './support.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');

/** The CLI as an IT engineer uses it, against a workspace and the hub simulator. */
describe('lienthong CLI', () => {
  let hub: HubSimulator;
  let ws: Workspace;

  // asynchronous: the hub simulator answers from this process, so it must not be blocked
  function cli(...args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, '-c', ws.configFile, ...args]);
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
  }

  beforeAll(async () => {
    const started = await startHub({}, { rateLimit: false });
    hub = started.hub;
    ws = makeWorkspace(started.url, { batchSize: 100 }, 'lt-cli-');
    await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 400, seed: 21 });
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('init writes the configuration and the job to edit, and keeps existing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-init-'));
    const first = spawnSync(process.execPath, [bin, 'init', dir], { encoding: 'utf8' });
    expect(first.status).toBe(0);
    expect(existsSync(join(dir, 'config', 'lienthong.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'jobs', 'diplomas.yaml'))).toBe(true);
    const second = spawnSync(process.execPath, [bin, 'init', dir], { encoding: 'utf8' });
    expect(second.stdout).toContain('kept existing');
  });

  it('validate and check', async () => {
    const v = await cli('validate');
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('job diplomas');
    const c = await cli('check');
    expect(c.code, c.out).toBe(0);
    expect(c.out).toMatch(/uis: ok/);
    expect(c.out).toMatch(/hub: ok/);
  });

  it('a configuration error exits 2 and names the file and the path', () => {
    const r = spawnSync(process.execPath, [bin, '-c', join(ws.dir, 'missing.yaml'), 'validate'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing.yaml');
  });

  it('run, status, reconcile, dead letters', async () => {
    const run = await cli('run', 'diplomas');
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/read 400, valid \d+, invalid \d+/);

    const status = await cli('status', '--json');
    expect(status.code, status.out).toBe(0);
    const parsed = JSON.parse(status.out) as { job: string; targets: { counts: { accepted: number; pending: number } }[]; runs: { outcome: string }[] }[];
    expect(parsed[0]?.job).toBe('diplomas');
    expect(parsed[0]?.targets[0]?.counts.pending).toBe(0);
    expect(parsed[0]?.runs[0]?.outcome).toBe('succeeded');

    const rec = await cli('reconcile', 'diplomas', '--lang', 'en');
    expect(rec.code, rec.out).toBe(0);
    expect(rec.out).toContain('reconciliation.html');
    const json = JSON.parse(readFileSync(join(ws.dir, 'data', 'reports', 'diplomas', 'latest', 'reconciliation.json'), 'utf8')) as { totals: { source: number; missingAtHub: number } };
    expect(json.totals).toMatchObject({ source: 400, missingAtHub: 0 });

    const dead = await cli('dead-letters', 'list', 'diplomas');
    expect(dead.code).toBe(0);
    expect(dead.out).toContain('0 dead letter(s)');
    const retry = await cli('dead-letters', 'retry', 'diplomas');
    expect(retry.out).toContain('0 record(s) queued again');
  });

  it('an unknown job is a clear error', async () => {
    const r = await cli('run', 'transcripts');
    expect(r.code).toBe(2);
    expect(r.out).toContain('no job named "transcripts"');
  });
});
