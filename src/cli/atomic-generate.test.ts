import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { generateUisDatabase } from '../sample/uis.js';
import { generateAtomically } from './atomic-generate.js';

const diplomas = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM diplomas').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('generateAtomically', () => {
  it('a generation that fails half-way leaves neither the database nor its temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-atomic-'));
    const final = join(dir, 'uis.db');
    await expect(
      generateAtomically(final, async (temp) => {
        writeFileSync(temp, 'half a database');
        throw new Error('generator died');
      }),
    ).rejects.toThrow('generator died');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a generation killed with SIGKILL leaves no database to reuse; the next one removes the leftover and completes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-atomic-kill-'));
    const final = join(dir, 'uis.db');
    const dist = (rel: string): string => pathToFileURL(join(packageRoot(), 'dist', 'src', rel)).href;
    // the compiled modules, as `lienthong demo` runs them (npx tsc -p tsconfig.build.json first)
    const script = `
      const { generateAtomically } = await import(${JSON.stringify(dist('cli/atomic-generate.js'))});
      const { generateUisDatabase } = await import(${JSON.stringify(dist('sample/uis.js'))});
      await generateAtomically(${JSON.stringify(final)}, (path) => generateUisDatabase({ driver: 'sqlite', path }, { records: 500000, seed: 1 }));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // wait until the generator is writing its temporary file, then kill it mid-way
    const deadline = Date.now() + 30_000;
    while (!readdirSync(dir).some((n) => n.startsWith('uis.db.partial-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(final)).toBe(false);
    expect(readdirSync(dir).some((n) => n.startsWith('uis.db.partial-'))).toBe(true);

    const manifest = await generateAtomically(final, (path) => generateUisDatabase({ driver: 'sqlite', path }, { records: 50, seed: 2 }));
    expect(diplomas(final)).toBe(manifest.total);
    expect(readdirSync(dir)).toEqual(['uis.db']);
  }, 60_000);
});
