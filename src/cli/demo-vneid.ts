/**
 * The demo's VNeID part: the bundled credential service simulator (or `--vneid-url`), a `vneid`
 * connection in the demo's configuration, and a VNeID destination after the hub in the diploma and
 * school-record jobs. The credentials of the diplomas and school records the hub accepted are then
 * published by the demo's own runs (DIPLOMA, SCHOOL_RECORD), and each reconciliation shows them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { startVneidSimulator, type VneidSimulator } from '../../connectors/vneid-credential/simulator/index.js';

export const DEMO_VNEID_USER = 'lienthong-demo';
/** the X-Road identity of the demo's VNeID service (the simulator checks requests name it) */
const DEMO_VNEID_SERVICE = { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: 'BCA', subsystemCode: 'vneid-credential' };

/** the VNeID destination each demo job gets, after its hub destination */
const DEMO_JOB_DESTINATIONS: Readonly<Record<string, { dataset: string; after: string }>> = {
  diplomas: { dataset: 'vneid-vanbang', after: 'hub' },
  'hocba-thcsthpt': { dataset: 'vneid-hocba', after: 'hub-school' },
};

export interface DemoVneid {
  url: string;
  external: boolean;
  stop(): Promise<void>;
}

/**
 * Starts the simulator unless `vneidUrl` names another service (whose password then goes in
 * DATA_DIR/secrets/vneid-password), and adds the `vneid` connection and the VNeID destinations to
 * the demo's configuration and jobs (once: a folder of an earlier demo gets them too).
 */
export async function startDemoVneid(o: { dataDir: string; configFile: string; unitCode: string; vneidUrl?: string | undefined; publicBaseUrl?: string | undefined }): Promise<DemoVneid> {
  const passwordFile = join(o.dataDir, 'secrets', 'vneid-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
  addConnection(o.configFile, o.unitCode, o.publicBaseUrl);
  let simulator: VneidSimulator | undefined;
  let url = o.vneidUrl;
  if (url === undefined) {
    // its state file keeps what it holds: a demo run again on its folder finds the credentials the
    // earlier one published, as the hub simulator keeps its records in hub-simulator.db
    simulator = await startVneidSimulator({ host: '127.0.0.1', port: 0, username: DEMO_VNEID_USER, password: readFileSync(passwordFile, 'utf8').trim(), service: DEMO_VNEID_SERVICE, statePath: join(o.dataDir, 'vneid-simulator.json') });
    url = simulator.url;
  }
  return { url, external: simulator === undefined, stop: async () => simulator?.stop() };
}

/** Adds the VNeID destination after the hub to the demo's jobs that do not have it yet. */
export function addDemoVneidDestinations(dataDir: string): void {
  for (const [name, d] of Object.entries(DEMO_JOB_DESTINATIONS)) {
    const file = join(dataDir, 'jobs', `${name}.yaml`);
    if (!existsSync(file)) continue;
    const doc = YAML.parseDocument(readFileSync(file, 'utf8'));
    const destinations = doc.get('destinations') as YAML.YAMLSeq | undefined;
    if (!destinations || destinations.items.some((i) => YAML.isMap(i) && i.get('connection') === 'vneid')) continue;
    // one SOAP call per record, many in flight; a service that stays down leaves the records pending
    // for the next run after 30 s (not the default hour: a demo is watched)
    destinations.add(doc.createNode({ connection: 'vneid', dataset: d.dataset, after: d.after, concurrency: 16, rateLimit: { perSecond: 1000, burst: 200 }, timeoutMs: 10_000, retry: { budgetMs: 30_000, baseDelayMs: 200, maxDelayMs: 5_000 } }));
    writeFileSync(file, doc.toString({ lineWidth: 0 }));
  }
}

function addConnection(configFile: string, unitCode: string, publicBaseUrl: string | undefined): void {
  const doc = YAML.parseDocument(readFileSync(configFile, 'utf8'));
  // the page a citizen or verifier opens from VNeID: the console's diploma verification (--serve)
  const verifyUrlTemplate = publicBaseUrl === undefined ? undefined : `${publicBaseUrl}/verify/record/{credentialKey}`;
  if (doc.hasIn(['connections', 'vneid'])) {
    if (verifyUrlTemplate === undefined || doc.hasIn(['connections', 'vneid', 'verifyUrlTemplate'])) return;
    doc.setIn(['connections', 'vneid', 'verifyUrlTemplate'], verifyUrlTemplate);
    writeFileSync(configFile, doc.toString({ lineWidth: 0 }));
    return;
  }
  doc.setIn(
    ['connections', 'vneid'],
    doc.createNode({
      type: 'vneid-credential',
      // the demo points this at the simulator it starts, or at --vneid-url
      endpoint: 'http://127.0.0.1:8788/CredentialService',
      username: DEMO_VNEID_USER,
      password: 'file:../secrets/vneid-password',
      userId: `VN/GOV/${unitCode}/demo`,
      client: { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: unitCode, subsystemCode: 'lienthong' },
      service: DEMO_VNEID_SERVICE,
      ...(verifyUrlTemplate === undefined ? {} : { verifyUrlTemplate }),
    }),
  );
  writeFileSync(configFile, doc.toString({ lineWidth: 0 }));
}
