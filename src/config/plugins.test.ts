import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { secretKeysOf } from '../core/plugin.js';
import { connectionKind, maskConfig, openConfiguredStore } from '../engine/assemble.js';
import { checkConnections } from '../services/check.js';
import { plugins } from '../plugins.js';
import { loadConfig } from './load.js';
import { resolveSecretFields } from './secrets.js';

/** Configuration derived from the plugin registry: one schema per option, unknown ones named. */

function setup(main: string, jobs: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lt-plugins-'));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'config', 'lienthong.yaml'), main);
  for (const [name, text] of Object.entries(jobs)) writeFileSync(join(dir, 'jobs', name), text);
  return join(dir, 'config', 'lienthong.yaml');
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const HUB = '{ type: ministry-hub, baseUrl: "http://127.0.0.1:8787", unitCode: DHX, clientId: lt, clientSecret: "env:HUB_SECRET" }';
const main = (uis: string, hub = HUB): string => `connections:\n  uis: ${uis}\n  hub: ${hub}\n`;
const UIS = '{ type: sql, driver: sqlite, url: ../uis.db }';
const JOB = `
name: diplomas
source: { connection: uis, query: "SELECT 1", keyFields: [diploma_id], cursorField: updated_at }
mapping: { name: vanbangchungchi/2025 }
destinations: [{ connection: hub, dataset: vanbangchungchi }]
`;

describe('configuration from the registry', () => {
  it('loads the configuration and the jobs as shipped', () => {
    const loaded = loadConfig(join(packageRoot(), 'config', 'lienthong.yaml'));
    expect([...loaded.jobs.keys()].sort()).toEqual(['diplomas', 'hocba-thcsthpt']);
    expect(loaded.config.connections.hub).toMatchObject({ type: 'ministry-hub', unitCode: 'LTU01', maxSockets: 16, checkDataset: 'vanbangchungchi' });
    expect(loaded.config.connections.uis).toMatchObject({ type: 'sql', driver: 'sqlite', fetchSize: 1000 });
    const hocba = loaded.jobs.get('hocba-thcsthpt');
    expect(hocba?.transform).toMatchObject({ kind: 'hocba-sign' });
    const templates = loadConfig(join(packageRoot(), 'config', 'templates', 'lienthong.yaml'));
    expect(Object.keys(templates.config.connections).sort()).toEqual(['hub', 'uis']);
  });

  it('accepts every option the connectors document (maxSockets, datasetPaths, fetchSize)', () => {
    const hub = '{ type: ministry-hub, baseUrl: "https://hub.example", unitCode: DHX, clientId: lt, clientSecret: "env:S", maxSockets: 8, datasetPaths: { vanbangchungchi: vbcc }, paths: { token: /t }, readBackPageSize: 200, checkDataset: hocba }';
    const loaded = loadConfig(setup(main('{ type: sql, driver: postgres, url: "env:PG_URL", fetchSize: 500, connectTimeoutMs: 2000 }', hub), { 'd.yaml': JOB }));
    expect(loaded.config.connections.hub).toMatchObject({ maxSockets: 8, datasetPaths: { vanbangchungchi: 'vbcc' } });
    expect(loaded.config.connections.uis).toMatchObject({ fetchSize: 500, connectTimeoutMs: 2000 });
  });

  it('refuses an unknown option, naming the file, the path and the accepted keys', () => {
    const file = setup(main('{ type: sql, driver: sqlite, url: ../uis.db, fetchsize: 10 }'));
    const err = errorOf(() => loadConfig(file));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(`${file}: connections.uis: unknown option "fetchsize": a sql connection accepts type, driver, url, fetchSize, connectTimeoutMs`);
    const hub = errorOf(() => loadConfig(setup(main(UIS, HUB.replace('}', ', maxSocket: 4 }')))));
    expect(hub.message).toMatch(/connections\.hub: unknown option "maxSocket": a ministry-hub connection accepts type, baseUrl, .*maxSockets/);
  });

  it("names the accepted options of the engine's own blocks too", () => {
    const err = errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('dataset: vanbangchungchi', 'dataset: vanbangchungchi, batchsize: 10') })));
    expect(err.message).toContain('destinations.0: unknown option "batchsize": accepted here: connection, dataset, batchSize, concurrency, rateLimit, timeoutMs, retry');
    expect(errorOf(() => loadConfig(setup(`logs: {}\n${main(UIS)}`))).message).toMatch(/\(root\): unknown option "logs": accepted here: version, dataDir, jobsDir, store, log, trust, server, connections/);
  });

  it('refuses an unknown connection type, naming the known ones', () => {
    const err = errorOf(() => loadConfig(setup(main('{ type: soap, url: x }'))));
    expect(err.message).toContain('connections.uis.type: unknown connection type "soap" (known: sql, signed-hocba-folder, ministry-hub, vneid-credential)');
  });

  it("checks a job's source block with its source plugin's stream schema", () => {
    const unknown = errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('keyFields:', 'keyField: [x], keyFields:') })));
    expect(unknown.message).toContain('source: unknown option "keyField": a sql source accepts connection, stream, mode, query, keyFields, cursorField, initialCursor, lookback');
    const del = errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('SELECT 1', 'DELETE FROM diplomas') })));
    expect(del.context.path).toBe('source.query');
    expect(del.message).toContain('source.query');
    const lookback = errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('cursorField: updated_at', 'cursorField: updated_at, lookback: soon') })));
    expect(lookback.message).toContain('source.lookback');
    // "" was what init wrote before cursors were typed: it still means "from the beginning"
    const loaded = loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('cursorField: updated_at', 'cursorField: updated_at, initialCursor: "", lookback: 1h30m') }));
    expect(loaded.jobs.get('diplomas')?.source).toMatchObject({ initialCursor: undefined, lookback: '1h30m' });
  });

  it('a job reads from a source plugin and sends to destination plugins', () => {
    expect(errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('{ connection: uis,', '{ connection: hub,') }))).code).toBe('JOB_NOT_A_SOURCE');
    expect(errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': JOB.replace('connection: hub, dataset', 'connection: uis, dataset') }))).code).toBe('JOB_NOT_A_DESTINATION');
  });

  it('checks transform and store kinds against the registry', () => {
    const job = JOB + 'transform: { kind: stamp, keysDir: k, keyPassword: "env:P" }\n';
    expect(errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': job }))).message).toContain('transform.kind: unknown transform kind "stamp" (known: hocba-sign, hocba-verify)');
    const extra = JOB + 'transform: { kind: hocba-sign, keysDir: k, keyPassword: "env:P", key: x }\n';
    expect(errorOf(() => loadConfig(setup(main(UIS), { 'd.yaml': extra }))).message).toContain('transform: unknown option "key": a hocba-sign transform accepts kind, keysDir, keyPassword, documentsDir, workers');
    expect(errorOf(() => loadConfig(setup(`store: { kind: postgres }\n${main(UIS)}`))).message).toContain('store.kind: unknown store kind "postgres" (known: sqlite)');
  });

  it('marks secrets once, in the plugin schema, and resolves and masks from there', () => {
    expect([...secretKeysOf(plugins.destination('ministry-hub')!.config).keys()]).toEqual(['clientSecret']);
    expect([...secretKeysOf(plugins.source('sql')!.config).keys()]).toEqual(['url']);
    expect([...secretKeysOf(plugins.transform('hocba-sign')!.config).keys()]).toEqual(['keyPassword']);
    process.env.LT_PLUGIN_SECRET = 'the-value';
    const resolved = resolveSecretFields(plugins.destination('ministry-hub')!.config, { clientSecret: 'env:LT_PLUGIN_SECRET', clientId: 'env:not-a-secret-field' }, '/', { path: 'connections.hub' });
    expect(resolved).toEqual({ clientSecret: 'the-value', clientId: 'env:not-a-secret-field' });
    const loaded = loadConfig(setup(main('{ type: sql, driver: mysql, url: "mysql://reader@db:3306/uis" }')));
    // a URL with a password must be a reference; one without is shown as it is
    expect(maskConfig(loaded)).toMatchObject({ uis: { url: 'mysql://reader@db:3306/uis' }, hub: { clientSecret: 'env:HUB_SECRET' } });
  });

  it('check builds a connection through its plugin and answers a missing secret as a failed check', async () => {
    delete process.env.HUB_SECRET;
    const loaded = loadConfig(setup(main(UIS)));
    expect([connectionKind(loaded, 'uis'), connectionKind(loaded, 'hub')]).toEqual(['source', 'destination']);
    const { findings } = await checkConnections(loaded, ['hub']);
    expect(findings).toMatchObject([{ connection: 'hub', ok: false, errorKind: 'config' }]);
    expect(findings[0]?.type === 'connection' ? findings[0].message : '').toContain('HUB_SECRET');
  });

  it('opens the state store through its plugin', async () => {
    const loaded = loadConfig(setup(main(UIS)));
    const store = await openConfiguredStore(loaded);
    try {
      expect(await store.lastRuns('none', 1)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
