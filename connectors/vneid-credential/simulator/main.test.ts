import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/core/package-root.js';
import type { StagedRecord } from '../../../src/core/records.js';
import { spawnHubSimulatorProcess } from '../../ministry-hub/simulator/spawn.js';
import type { VneidCredentialDestination } from '../destination.js';
import { connectionTo, encodedRecord, stagedRecord, SIM_LOGIN } from '../testing/support.js';

/**
 * From dist/, as lienthong runs when installed: the simulator as a process of its own, and the
 * destination finding its WSDL (which tsc does not copy) from the package root.
 */

const root = packageRoot();
const dist = join(root, 'dist', 'connectors', 'vneid-credential');
const folder = join(root, 'connectors', 'vneid-credential');

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'testing' ? [] : sourcesOf(join(dir, e.name))) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('vneid-credential from dist', () => {
  let built = false;
  beforeAll(() => {
    const entry = join(dist, 'simulator', 'main.js');
    const stale = !existsSync(entry) || sourcesOf(folder).some((s) => statSync(s).mtimeMs > statSync(entry).mtimeMs);
    if (stale) spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    built = existsSync(entry);
    if (!built) console.warn(`skipping the dist tests: ${entry} could not be built (run npm run build)`);
  }, 120_000);

  it('the simulator process serves the compiled destination, which reads the WSDL from the package, not from dist', async (ctx) => {
    if (!built) ctx.skip();
    expect(existsSync(join(dist, 'wsdl'))).toBe(false);
    const sim = await spawnHubSimulatorProcess(join(dist, 'simulator', 'main.js'), ['--username', SIM_LOGIN.username, '--member', 'DHA'], { env: { ...process.env, VNEID_SIM_PASSWORD: SIM_LOGIN.password } });
    try {
      const { VneidCredentialDestination: Destination } = (await import(pathToFileURL(join(dist, 'destination.js')).href)) as { VneidCredentialDestination: typeof VneidCredentialDestination };
      const destination = new Destination(connectionTo(sim.url));
      const record: StagedRecord = stagedRecord(1);
      const [answer] = await destination.write([encodedRecord(record)], { dataset: 'vneid-vanbang', schemaVersion: 'v1' });
      expect(answer).toMatchObject({ status: 'delivered', receiptId: expect.stringMatching(/^VC-/) as unknown });
      await destination.close();
      const state = (await (await fetch(`${new URL(sim.url).origin}/_admin/state`)).json()) as { credentials: { credentialKey: string; documentHash: string }[] };
      expect(state.credentials).toEqual([expect.objectContaining({ credentialKey: record.idbanghi, documentHash: record.contentHash })]);
    } finally {
      await sim.stop();
    }
  }, 60_000);
});
