import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { LATEST_VERSION } from '../../stores/sqlite/migrations.js';
import { makeWorkspace, type Workspace } from './support.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');
const mode = (p: string): number => statSync(p).mode & 0o777;

/**
 * The state store's safety net as an operator meets it: a store that is emptied or damaged
 * stops every command with exit 2 and the recovery steps, and `store check|backup|restore`
 * bring it back. No hub is needed: nothing here is sent.
 */
describe('lienthong store', { timeout: 120_000 }, () => {
  let ws: Workspace;
  let dataDir: string;
  let storePath: string;

  function cli(...args: string[]): { code: number | null; out: string; err: string } {
    // umask 0: the files must be private by lienthong's doing, not the shell's
    const r = spawnSync('/bin/sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, bin, '-c', ws.configFile, ...args], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  beforeAll(() => {
    ws = makeWorkspace('http://127.0.0.1:9', {}, 'lt-store-e2e-');
    dataDir = join(ws.dir, 'data');
    storePath = join(dataDir, 'state.db');
  });

  it('check before the first run says there is nothing yet', () => {
    const r = cli('store', 'check');
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('none yet');
    expect(existsSync(storePath)).toBe(false);
  });

  let backup: string;

  it('creates the store private at the first command, checks and backs it up', () => {
    const s = cli('status');
    expect(s.code, s.out + s.err).toBe(0);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(storePath)).toBe(0o600);
    expect(mode(join(dataDir, 'store.id'))).toBe(0o600);

    const c = cli('store', 'check');
    expect(c.code, c.out + c.err).toBe(0);
    expect(c.out).toMatch(/: ok/);
    expect(c.out).toContain(`schema version: ${LATEST_VERSION}`);
    const json = cli('store', 'check', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, integrity: 'ok', schemaVersion: LATEST_VERSION });

    const b = cli('store', 'backup');
    expect(b.code, b.out + b.err).toBe(0);
    const files = readdirSync(join(dataDir, 'backups'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^state-\d{8}T\d{9}Z\.db$/);
    backup = join(dataDir, 'backups', files[0]!);
    expect(b.out).toContain(backup);
    expect(mode(backup)).toBe(0o600);
    expect(mode(join(dataDir, 'backups'))).toBe(0o700);

    const named = join(ws.dir, 'mine.db');
    expect(cli('store', 'backup', named).code).toBe(0);
    const again = cli('store', 'backup', named);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists');
  });

  it('stops with exit 2 and the recovery steps when the store is emptied, and restores it', () => {
    for (const f of [storePath, `${storePath}-wal`, `${storePath}-shm`]) rmSync(f, { force: true });
    const s = cli('status');
    expect(s.code, s.out + s.err).toBe(2);
    expect(s.err).toMatch(/missing or empty/);
    expect(s.err).toContain('lienthong store check');
    expect(s.err).toContain('lienthong store restore');
    expect(s.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(storePath)).toBe(false); // not silently a new ledger

    expect(cli('store', 'check').code).toBe(1);
    const r = cli('store', 'restore', backup);
    expect(r.code, r.out + r.err).toBe(0);
    expect(cli('status').code).toBe(0);
    expect(cli('store', 'check').code).toBe(0);
  });

  it('notices random damage at status, and restores over it keeping the damaged file', () => {
    const size = statSync(storePath).size;
    writeFileSync(storePath, Buffer.alloc(Math.max(size, 8192), 0x3c));
    const s = cli('status');
    expect(s.code, s.out + s.err).toBe(2);
    expect(s.err).toMatch(/damaged/);
    expect(s.err).toContain('lienthong store restore');

    const c = cli('store', 'check');
    expect(c.code).toBe(1);
    expect(c.out).toContain('PROBLEM');

    const r = cli('store', 'restore', backup);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/kept as .*state-damaged-/);
    expect(cli('status').code).toBe(0);
  });

  it('refuses to restore a file that is not a backup', () => {
    const bad = join(ws.dir, 'bad.db');
    writeFileSync(bad, 'nothing here'.repeat(500));
    const r = cli('store', 'restore', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot be restored');
    expect(cli('store', 'check').code).toBe(0);
  });
});
