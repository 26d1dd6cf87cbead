import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHubSimulatorArgs } from './cli-args.js';
import { sampleDiplomaEnvelope } from '../testing/fixtures.js';
import { spawnHubSimulatorProcess } from './spawn.js';
import { getJson, getToken, submit } from '../testing/support.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// Compiled inside the repository so the output resolves the repository's node_modules.
const outDir = join(repo, 'node_modules', '.cache', 'lienthong-hub-simulator-test');
const entry = join(outDir, 'connectors', 'ministry-hub', 'simulator', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'hub-main-'));

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  // Package scopes stop at node_modules: say the output is ESM.
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(
    process.execPath,
    [tsc, join(repo, 'connectors/ministry-hub/simulator/main.ts'), '--outDir', outDir, '--rootDir', repo, '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--esModuleInterop', '--ignoreConfig'],
    { cwd: repo },
  ).catch((err: unknown) => {
    // Type errors elsewhere in the tree still emit JavaScript; only a missing entry is fatal.
    void err;
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hub simulator as its own process', () => {
  it('parses its flags', () => {
    const options = parseHubSimulatorArgs(
      ['--port', '0', '--db', 'x.sqlite', '--client-id', 'c', '--unit', 'DHA,DHB', '--seed', '7', '--faults', '{"errorRate":0.2}'],
      { HUB_SIM_CLIENT_SECRET: 'env-secret' },
    );
    expect(options).toMatchObject({
      port: 0,
      dbPath: 'x.sqlite',
      clients: [{ clientId: 'c', clientSecret: 'env-secret', unitCodes: ['DHA', 'DHB'] }],
      rateLimit: { ratePerSecond: 20, burst: 40 },
      faults: { errorRate: 0.2 },
      seed: 7,
    });
    expect(() => parseHubSimulatorArgs(['--client-id', 'c', '--client-secret', 's'])).toThrow(/--unit/);
  });

  it('prints its url, serves the contract, and keeps its state when killed and started again', async () => {
    const dbPath = join(work, 'hub.sqlite');
    const args = ['--port', '0', '--db', dbPath, '--client-id', 'dha-client', '--client-secret', 's3cret-dha', '--unit', 'DHA'];
    const first = await spawnHubSimulatorProcess(entry, args);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = await getToken(first.url);
    const answer = await submit(first.url, token, [sampleDiplomaEnvelope(1)]);
    expect(answer.results[0]?.status).toBe('accepted');
    first.process.kill('SIGKILL');
    await first.stop();

    const second = await spawnHubSimulatorProcess(entry, args);
    try {
      const held = await getJson(second.url, '/v1/vanbangchungchi/records/DHA-VB-000001', await getToken(second.url));
      expect(held.status).toBe(200);
    } finally {
      await second.stop();
    }
    expect(second.process.exitCode).toBe(0);
  });
});
