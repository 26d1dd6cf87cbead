import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { generateUisDatabase } from '../../src/sample/uis.js';
import type { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import YAML from 'yaml';
import { CLIENT_ID, CLIENT_SECRET, makeWorkspace, startHub, UNIT, type Workspace } from './support.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');

/** The CLI as an IT engineer uses it, against a workspace and the hub simulator. */
describe('lienthong CLI', () => {
  let hub: HubSimulator;
  let ws: Workspace;

  let hubUrl: string;

  // asynchronous: the hub simulator answers from this process, so it must not be blocked
  function cli(...args: string[]): Promise<{ code: number | null; out: string }> {
    return cliWith(['-c', ws.configFile, ...args]);
  }

  function cliWith(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
  }

  beforeAll(async () => {
    const started = await startHub({}, { rateLimit: false });
    hub = started.hub;
    hubUrl = started.url;
    ws = makeWorkspace(started.url, { batchSize: 100 }, 'lt-cli-');
    await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 400, seed: 21 });
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('init writes only what the diploma job needs, keeps existing files, and check then fails only on what that job uses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-init-'));
    const first = spawnSync(process.execPath, [bin, 'init', dir], { encoding: 'utf8' });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('run diplomas --dry-run');
    const configFile = join(dir, 'config', 'lienthong.yaml');
    expect(existsSync(join(dir, 'jobs', 'diplomas.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'jobs', 'hocba-thcsthpt.yaml'))).toBe(false);
    const config = YAML.parse(readFileSync(configFile, 'utf8')) as { connections: Record<string, Record<string, unknown>> };
    expect(Object.keys(config.connections).sort()).toEqual(['hub', 'uis']);
    const second = spawnSync(process.execPath, [bin, 'init', dir], { encoding: 'utf8' });
    expect(second.stdout).toContain('kept existing');
    expect(spawnSync(process.execPath, [bin, '-c', configFile, 'validate'], { encoding: 'utf8' }).status).toBe(0);

    // first day: point uis at the database and hub at the hub; check passes with the secret set
    config.connections.uis = { type: 'sql', driver: 'sqlite', url: ws.uisPath };
    config.connections.hub = { ...config.connections.hub, baseUrl: hubUrl, unitCode: UNIT, clientId: CLIENT_ID };
    writeFileSync(configFile, YAML.stringify(config));
    const env = { ...process.env, LIENTHONG_HUB_CLIENT_SECRET: CLIENT_SECRET };
    const check = await cliWith(['-c', configFile, 'check'], env);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toMatch(/uis: ok/);
    expect(check.out).toMatch(/hub: ok/);
    // without the secret: a configuration error, exit 2, naming the variable
    const { LIENTHONG_HUB_CLIENT_SECRET: _unset, ...bare } = env;
    const noSecret = await cliWith(['-c', configFile, 'check'], bare);
    expect(noSecret.code, noSecret.out).toBe(2);
    expect(noSecret.out).toContain('LIENTHONG_HUB_CLIENT_SECRET');
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

  /** a copy of the workspace's configuration beside it (same relative paths), changed by `edit` */
  function variant(name: string, edit: (c: { connections: Record<string, Record<string, unknown>> }) => void): string {
    const c = YAML.parse(readFileSync(ws.configFile, 'utf8')) as { connections: Record<string, Record<string, unknown>> };
    edit(c);
    const file = join(ws.dir, 'config', `${name}.yaml`);
    writeFileSync(file, YAML.stringify(c));
    return file;
  }

  it('check: a connection no job uses is reported, not failed on its secret; a refused secret exits 2; a hub that does not answer exits 1', async () => {
    const unused = variant('unused', (c) => {
      c.connections.school = { type: 'sql', driver: 'mysql', url: 'env:LT_TEST_SCHOOL_URL_NOT_SET' };
      c.connections['hub-school'] = { ...c.connections.hub, clientSecret: 'env:LT_TEST_SCHOOL_SECRET_NOT_SET' };
    });
    const ok = await cliWith(['-c', unused, 'check']);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('school: not used by any job (not checked)');
    expect(ok.out).toContain('hub-school: not used by any job (not checked)');

    writeFileSync(join(ws.dir, 'wrong.secret'), 'not-the-secret');
    const refused = await cliWith(['-c', variant('refused', (c) => (c.connections.hub = { ...c.connections.hub, clientSecret: 'file:../wrong.secret' })), 'check']);
    expect(refused.code, refused.out).toBe(2);
    expect(refused.out).toMatch(/hub: FAILED/);

    const down = await cliWith(['-c', variant('down', (c) => (c.connections.hub = { ...c.connections.hub, baseUrl: 'http://127.0.0.1:9' })), 'check']);
    expect(down.code, down.out).toBe(1);
    expect(down.out).toMatch(/uis: ok/);
    expect(down.out).toMatch(/hub: FAILED/);
  }, 60_000);

  it('run --dry-run maps a sample, masks personal ids, and writes or sends nothing', async () => {
    const dry = await cli('run', 'diplomas', '--dry-run', '--limit', '5');
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('reading up to 5 record(s) from the beginning');
    expect(dry.out).toMatch(/dry run of diplomas: read 5, valid \d+ \(unchanged 0\), invalid \d+/);
    expect(dry.out).toMatch(/\[1\] source \S+ → \S+/);
    expect(dry.out).toMatch(/"sodinhdanh":"\*{8}\d{4}"/);
    // no whole personal id (12 digits) anywhere in the output
    expect(dry.out).not.toMatch(/(?<!\d)\d{12}(?!\d)/);
    const status = await cli('status', '--json');
    const parsed = JSON.parse(status.out) as { targets: { counts: Record<string, number> }[]; runs: unknown[]; cursor: unknown }[];
    expect(parsed[0]?.runs).toEqual([]);
    expect(parsed[0]?.cursor).toBeNull();
    expect(Object.values(parsed[0]?.targets[0]?.counts ?? {}).every((n) => n === 0)).toBe(true);
    expect(hub.acceptanceCounts('vanbangchungchi')).toEqual([]);
  });

  it('bad usage exits 2', async () => {
    const r = await cli('run');
    expect(r.code).toBe(2);
    expect(r.out).toContain("missing required argument 'job'");
    const limit = await cli('run', 'diplomas', '--dry-run', '--limit', 'many');
    expect(limit.code).toBe(2);
  });

  it('a configuration error exits 2 and names the file and the path', () => {
    const r = spawnSync(process.execPath, [bin, '-c', join(ws.dir, 'missing.yaml'), 'validate'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing.yaml');
  });

  it('run, status, reconcile, dead letters', async () => {
    const run = await cli('run', 'diplomas', '--lang', 'en');
    // the sample has dirty rows: they are held back, so the run is done with records left over
    const invalid = Number(/read 400, valid \d+, invalid (\d+)/.exec(run.out)?.[1]);
    expect(invalid, run.out).toBeGreaterThan(0);
    expect(run.code, run.out).toBe(3);
    expect(run.out).toContain('What to do next:');
    expect(run.out).toContain(`${invalid} invalid record(s) held back (not sent): see the reasons with lienthong reconcile diplomas`);

    const status = await cli('status', '--json');
    expect(status.code, status.out).toBe(0);
    const parsed = JSON.parse(status.out) as { job: string; targets: { counts: { accepted: number; pending: number } }[]; runs: { outcome: string }[] }[];
    expect(parsed[0]?.job).toBe('diplomas');
    expect(parsed[0]?.targets[0]?.counts.pending).toBe(0);
    // records held back make the run partial (exit 3), as the run's own exit code said
    expect(parsed[0]?.runs[0]?.outcome).toBe('partial');

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

    // what was done from the command line is in the audit log, as the console's actions are
    const audit = await cli('audit', 'export', '--format', 'json');
    expect(audit.code, audit.out).toBe(0);
    const entries = (JSON.parse(audit.out) as { actor: string; action: string; address: string; subject: string }[]).map((e) => `${e.action} ${e.subject} ${e.address} ${e.actor.startsWith('os:')}`);
    expect(entries).toEqual(['job.run diplomas cli true', 'job.reconcile diplomas cli true', 'deadletters.requeue diplomas cli true']);
    expect((await cli('audit', 'verify')).code).toBe(0);
  });

  it('an unknown job is a clear error', async () => {
    const r = await cli('run', 'transcripts');
    expect(r.code).toBe(2);
    expect(r.out).toContain('no job named "transcripts"');
  });

  it('a closed pipe (lienthong status | head -1) ends quietly with exit 0', async () => {
    const child = spawn(process.execPath, [bin, '-c', ws.configFile, 'status'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // the reader goes away before the CLI writes its first line: every write meets EPIPE
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
