import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import type { JobDefinition } from '../../src/config/schema.js';
import { packageRoot } from '../../src/core/package-root.js';
import { HubSimulator, type FaultOptions } from '../../connectors/ministry-hub/simulator/index.js';

export const UNIT = 'LTU01';
export const CLIENT_ID = 'lienthong-test';
export const CLIENT_SECRET = 'test-secret-9f8e7d6c';

export interface Workspace {
  dir: string;
  configFile: string;
  uisPath: string;
}

/**
 * A temporary installation: the shipped diploma job with the given changes to its destination,
 * a configuration pointing at `hubUrl`, and the secret in a file.
 */
export function makeWorkspace(hubUrl: string, destination: Record<string, unknown> = {}, prefix = 'lt-e2e-'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'hub.secret'), CLIENT_SECRET);
  const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'diplomas.yaml'), 'utf8')) as { destinations: Record<string, unknown>[] };
  job.destinations[0] = { ...job.destinations[0], ...destination };
  writeFileSync(join(dir, 'jobs', 'diplomas.yaml'), YAML.stringify(job));
  writeFileSync(
    join(dir, 'config', 'lienthong.yaml'),
    YAML.stringify({
      dataDir: '../data',
      jobsDir: '../jobs',
      log: { level: 'debug', file: 'logs/lienthong.log' },
      connections: {
        uis: { type: 'sql', driver: 'sqlite', url: '../uis.db' },
        hub: { type: 'ministry-hub', baseUrl: hubUrl, unitCode: UNIT, clientId: CLIENT_ID, clientSecret: 'file:../hub.secret', timeoutMs: 2000 },
      },
    }),
  );
  return { dir, configFile: join(dir, 'config', 'lienthong.yaml'), uisPath: join(dir, 'uis.db') };
}

export function loadWorkspace(ws: Workspace): { loaded: LoadedConfig; job: JobDefinition } {
  const loaded = loadConfig(ws.configFile);
  const job = loaded.jobs.get('diplomas');
  if (!job) throw new Error('no diplomas job');
  return { loaded, job };
}

export async function startHub(faults: Partial<FaultOptions> = {}, options: { seed?: number; rateLimit?: false | { ratePerSecond: number; burst: number }; dbPath?: string } = {}): Promise<{ hub: HubSimulator; url: string }> {
  const hub = new HubSimulator();
  const { url } = await hub.start({
    port: 0,
    host: '127.0.0.1',
    dbPath: options.dbPath,
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, unitCodes: [UNIT] }],
    faults,
    seed: options.seed ?? 1,
    rateLimit: options.rateLimit,
  });
  return { hub, url };
}
