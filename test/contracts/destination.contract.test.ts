import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugins } from '../../src/plugins.js';
import { sampleDiplomaData } from '../../connectors/ministry-hub/testing/fixtures.js';
import { startHubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { jsonlFilePlugin } from '../plugins/jsonl-file/plugin.js';
import { connectionTo, diplomaData, startTestSimulator } from '../../connectors/vneid-credential/testing/support.js';
import { destinationContract } from './destination.contract.js';

const SECRET = 'contract-secret-42';

destinationContract({
  name: 'ministry-hub (against the hub simulator)',
  plugin: plugins.destination('ministry-hub')!,
  async setUp() {
    const hub = await startHubSimulator({ clients: [{ clientId: 'dha', clientSecret: SECRET, unitCodes: ['DHA'] }], rateLimit: false });
    process.env.LT_CONTRACT_HUB_SECRET = SECRET;
    return {
      // as configuration gives it: the secret a reference, resolved as the engine resolves it
      config: { baseUrl: hub.url, unitCode: 'DHA', clientId: 'dha', clientSecret: 'env:LT_CONTRACT_HUB_SECRET', maxBatchSize: 20 },
      context: { name: 'contract: connections.hub', baseDir: tmpdir(), dataDir: tmpdir() },
      dataset: 'vanbangchungchi',
      schemaVersion: 'VanBangChungChi/2025',
      tearDown: () => hub.stop(),
    };
  },
  data: (n) => sampleDiplomaData(n, 'DHA'),
  idbanghi: (n) => `DHA-VB-${String(n).padStart(6, '0')}`,
});

destinationContract({
  name: 'jsonl-file',
  plugin: jsonlFilePlugin,
  async setUp() {
    const dir = mkdtempSync(join(tmpdir(), 'lt-jsonl-contract-'));
    return {
      config: { dir: 'out', maxBatchSize: 20 },
      context: { name: 'contract: connections.files', baseDir: dir, dataDir: dir },
      dataset: 'vanbangchungchi',
      schemaVersion: 'VanBangChungChi/2025',
      tearDown: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  data: (n) => sampleDiplomaData(n, 'DHA'),
  idbanghi: (n) => `DHA-VB-${String(n).padStart(6, '0')}`,
});

destinationContract({
  name: 'vneid-credential (against the credential service simulator)',
  plugin: plugins.destination('vneid-credential')!,
  async setUp() {
    const sim = await startTestSimulator();
    process.env.LT_CONTRACT_VNEID_PASSWORD = connectionTo(sim.url).password;
    return {
      // as configuration gives it: the password a reference, resolved as the engine resolves it
      config: { ...connectionTo(sim.url), password: 'env:LT_CONTRACT_VNEID_PASSWORD', maxBatchSize: 20 },
      context: { name: 'contract: connections.vneid', baseDir: tmpdir(), dataDir: tmpdir() },
      dataset: 'vneid-vanbang',
      schemaVersion: 'VanBangChungChi/2025',
      tearDown: () => sim.stop(),
    };
  },
  // a diploma as the hub holds it, with the full issue date VNeID needs
  data: (n) => diplomaData(n),
  idbanghi: (n) => `DHA-VB-${String(n).padStart(6, '0')}`,
  // one credential per key, updated: no versions, so no conflicts
  keepsVersions: false,
});
