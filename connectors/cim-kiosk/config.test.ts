import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/package-root.js';
import { cimKioskConnectionSchema } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'lt-kiosk-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the connection block of the example job's header comment, as the operator would paste it */
function exampleConnection(): string {
  const text = readFileSync(join(packageRoot(), 'jobs/examples/cim-kiosks.yaml'), 'utf8');
  const lines = text.split('\n').filter((l) => l.startsWith('#   '));
  return lines.map((l) => l.slice(4)).join('\n');
}

describe('cim-kiosk configuration', () => {
  it('the example job and the connection its header shows load as they are', () => {
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'jobs'));
    cpSync(join(packageRoot(), 'config/templates/cim'), join(dir, 'config/templates/cim'), { recursive: true });
    cpSync(join(packageRoot(), 'jobs/examples/cim-kiosks.yaml'), join(dir, 'jobs/cim-kiosks.yaml'));
    writeFileSync(join(dir, 'config/lienthong.yaml'), `dataDir: ../data\njobsDir: ../jobs\n${exampleConnection()}\n  uis:\n    type: sql\n    driver: sqlite\n    url: ../uis.db\n`);
    const loaded = loadConfig(join(dir, 'config/lienthong.yaml'));
    expect(loaded.jobs.get('cim-kiosks')?.destinations[0]?.connection).toBe('kiosks');
    expect((loaded.config.connections.kiosks as unknown as { kiosks: unknown[] }).kiosks).toHaveLength(2);
  });

  it('refuses a literal token, a duplicate kiosk id and plain http to another machine, naming the field', () => {
    const base = { id: 'k1', url: 'https://k1.example.edu.vn', token: 'env:K1' };
    const issues = (input: unknown): string[] => {
      const r = cimKioskConnectionSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ kiosks: [{ ...base, token: 'abc123' }] })).toEqual(['kiosks.0.token: a kiosk token must be a reference: env:NAME or file:PATH']);
    expect(issues({ kiosks: [base, base] })).toEqual(['kiosks.1.id: kiosk id k1 is used twice']);
    expect(issues({ kiosks: [{ ...base, url: 'http://10.1.2.3:8080' }] })[0]).toMatch(/^kiosks\.0\.url: plain http to 10\.1\.2\.3:8080/);
    expect(issues({ kiosks: [{ ...base, url: 'http://10.1.2.3:8080', allowInsecureHttp: true }] })).toEqual([]);
    expect(issues({ kiosks: [{ ...base, url: 'http://127.0.0.1:8080' }] })).toEqual([]);
    expect(issues({ kiosks: [] })[0]).toMatch(/^kiosks: /);
  });
});
