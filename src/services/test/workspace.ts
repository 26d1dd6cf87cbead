/**
 * A real installation for the services' tests: the shipped diploma job (with a deadline added) on
 * a seeded sample UIS in SQLite, the bundled hub simulator, a SqliteStateStore, a silent log.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../config/load.js';
import { silentLogger } from '../../core/logger.js';
import { packageRoot } from '../../core/package-root.js';
import { generateUisDatabase, type UisManifest } from '../../sample/uis.js';
import { HubSimulator } from '../../../connectors/ministry-hub/simulator/index.js';
import { SqliteStateStore } from '../../../stores/sqlite/sqlite-store.js';
import type { ServiceEnvironment } from '../context.js';

const UNIT = 'LTU01';
const CLIENT_ID = 'lienthong-services-test';
export const CLIENT_SECRET = 'services-secret-3c2b1a';

export interface ServiceWorkspace {
  env: ServiceEnvironment;
  store: SqliteStateStore;
  hub: HubSimulator;
  manifest: UisManifest;
  dir: string;
  close(): Promise<void>;
}

/** `records` diplomas (seed 42: at 120, four rows the mapping must refuse), nothing run yet. */
export async function openWorkspace(records = 120, deadline = '2026-12-31'): Promise<ServiceWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-services-'));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'hub.secret'), CLIENT_SECRET);
  const manifest = await generateUisDatabase({ driver: 'sqlite', path: join(dir, 'uis.db') }, { records, seed: 42 });
  const hub = new HubSimulator();
  const { url } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, unitCodes: [UNIT] }], seed: 1 });
  const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'diplomas.yaml'), 'utf8')) as { deadlines: unknown; destinations: Record<string, unknown>[] };
  job.deadlines = [{ name: 'báo cáo năm', date: deadline }];
  // the shipped job keeps to 15 requests a second; these tests are not about pacing
  job.destinations[0] = { ...job.destinations[0], rateLimit: { perSecond: 1000, burst: 1000 } };
  writeFileSync(join(dir, 'jobs', 'diplomas.yaml'), YAML.stringify(job));
  writeFileSync(
    join(dir, 'config', 'lienthong.yaml'),
    YAML.stringify({
      dataDir: '../data',
      jobsDir: '../jobs',
      log: { level: 'error', file: 'logs/lienthong.log' },
      connections: {
        uis: { type: 'sql', driver: 'sqlite', url: '../uis.db' },
        hub: { type: 'ministry-hub', baseUrl: url, unitCode: UNIT, clientId: CLIENT_ID, clientSecret: 'file:../hub.secret', timeoutMs: 5000 },
      },
    }),
  );
  const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
  mkdirSync(loaded.dataDir, { recursive: true });
  const store = new SqliteStateStore(loaded.storePath);
  return {
    env: { loaded, store, logger: silentLogger() },
    store,
    hub,
    manifest,
    dir,
    async close() {
      await store.close();
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
