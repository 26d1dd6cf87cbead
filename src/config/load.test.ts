import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './load.js';
import { resolveSecret, redactSecrets } from './secrets.js';

function setup(main: string, jobs: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lt-config-'));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'config', 'lienthong.yaml'), main);
  for (const [name, text] of Object.entries(jobs)) writeFileSync(join(dir, 'jobs', name), text);
  return join(dir, 'config', 'lienthong.yaml');
}

const MAIN = `
connections:
  uis: { type: sql, driver: sqlite, url: ../uis.db }
  hub: { type: ministry-hub, baseUrl: "http://127.0.0.1:8787", unitCode: DHX, clientId: lt, clientSecret: "env:HUB_SECRET" }
`;
const JOB = `
name: diplomas
schedule: { cron: "0 2 * * *" }
source: { connection: uis, query: "SELECT 1", keyFields: [diploma_id], cursorField: updated_at }
mapping: { name: vanbangchungchi/2025 }
destinations: [{ connection: hub, dataset: vanbangchungchi }]
`;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads a valid configuration with defaults', () => {
    const loaded = loadConfig(setup(MAIN, { 'diplomas.yaml': JOB }));
    const job = loaded.jobs.get('diplomas');
    expect(job?.destinations[0]?.batchSize).toBe(200);
    expect(job?.destinations[0]?.retry.budgetMs).toBe(3_600_000);
    expect(job?.schedule?.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(loaded.storePath.endsWith('.lienthong/state.db')).toBe(true);
  });

  it('names the file, the path and the problem', () => {
    const file = setup(MAIN.replace('"http://127.0.0.1:8787"', 'not-a-url'));
    const err = errorOf(() => loadConfig(file));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(file);
    expect(err.message).toContain('connections.hub.baseUrl');
  });

  it('refuses a literal secret', () => {
    const err = errorOf(() => loadConfig(setup(MAIN.replace('"env:HUB_SECRET"', 'hunter2'))));
    expect(err.message).toContain('connections.hub.clientSecret');
    expect(err.message).toContain('env:NAME or file:PATH');
    expect(err.message).not.toContain('hunter2');
  });

  it('refuses a database URL with an inline password', () => {
    const err = errorOf(() => loadConfig(setup(MAIN.replace('{ type: sql, driver: sqlite, url: ../uis.db }', '{ type: sql, driver: postgres, url: "postgres://u:pw@db/uis" }'))));
    expect(err.message).toContain('connections.uis.url');
  });

  it('reports YAML syntax errors with a line', () => {
    const err = errorOf(() => loadConfig(setup('connections:\n  uis: [unclosed\n')));
    expect(err.code).toBe('CONFIG_YAML');
    expect(err.message).toMatch(/lienthong\.yaml:\d+:\d+/);
  });

  it('checks jobs: cron, unknown connections, incremental without cursor', () => {
    expect(errorOf(() => loadConfig(setup(MAIN, { 'a.yaml': JOB.replace('0 2 * * *', 'every night') }))).message).toContain('schedule.cron: not a valid cron expression');
    expect(errorOf(() => loadConfig(setup(MAIN, { 'a.yaml': JOB.replace('connection: hub', 'connection: kiosk') }))).message).toContain('destinations.0.connection');
    expect(errorOf(() => loadConfig(setup(MAIN, { 'a.yaml': JOB.replace('{ cron: "0 2 * * *" }', '{ cron: "0 2 * * *", timezone: Asia/Hanoi_City }') }))).message).toContain('schedule.timezone: not a time zone');
    expect(errorOf(() => loadConfig(setup(MAIN, { 'a.yaml': JOB.replace(', cursorField: updated_at', '') }))).message).toContain('source.cursorField');
    expect(errorOf(() => loadConfig(setup(MAIN, { 'a.yaml': JOB.replace('dataset: vanbangchungchi', 'dataset: vanbangchungchi, batchSize: 900') }))).message).toContain('destinations.0.batchSize');
  });
});

describe('secrets', () => {
  it('resolves env and file references', () => {
    process.env.LT_TEST_SECRET = 's3cret-value';
    expect(resolveSecret('env:LT_TEST_SECRET', '/')).toBe('s3cret-value');
    const dir = mkdtempSync(join(tmpdir(), 'lt-secret-'));
    writeFileSync(join(dir, 'hub.secret'), 'from-file\n');
    expect(resolveSecret('file:hub.secret', dir)).toBe('from-file');
  });
  it('fails clearly without leaking', () => {
    delete process.env.LT_MISSING;
    expect(() => resolveSecret('env:LT_MISSING', '/')).toThrow('environment variable LT_MISSING is not set');
    expect(() => resolveSecret('plain', '/')).toThrow(ConfigError);
    expect(redactSecrets('token abcdef1234 here', ['abcdef1234'])).toBe('token [secret] here');
  });
});
