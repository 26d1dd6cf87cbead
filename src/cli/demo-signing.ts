import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { SigningSimulator } from '../../connectors/remote-signing/simulator/index.js';
import { packageRoot } from '../core/package-root.js';
import { maskPersonalId } from '../core/redact.js';
import type { SigningRequest } from '../store/signing-store.js';

export const DEMO_SIGNING_CLIENT_ID = 'lienthong-demo-signing';
/** the simulator's signers approve each request this long after it arrives (as a person would, only faster) */
export const DEMO_APPROVAL_DELAY_MS = 300;

/** A person who signs the sample school's records: a teacher (subject or homeroom) or the principal. */
export interface DemoSigner {
  personalId: string;
  name: string;
}

/** Where the demo's signers sign: the simulator it started, or the service given by --signing-url. */
export interface DemoSigningService {
  url: string;
  /** the CA of the signers' certificates, kept as DIR/pki/signing-ca.crt */
  caPemPath: string;
  /** true when approvals come from people on another service (the demo then waits longer, politely) */
  external: boolean;
  stop(): Promise<void>;
}

/**
 * Starts the remote signing simulator with the school's signers (automatic approval after a short
 * delay), or, with --signing-url, keeps a copy of that service's CA under DIR/pki. The simulator's
 * CA is kept in DIR/pki too, so what an earlier demo run delivered still chains.
 */
export async function startDemoSigning(o: { dataDir: string; signingUrl?: string; signingCa?: string; clientSecret: string; signers: DemoSigner[] }): Promise<DemoSigningService> {
  const caPemPath = join(o.dataDir, 'pki', 'signing-ca.crt');
  mkdirSync(join(o.dataDir, 'pki'), { recursive: true });
  if (o.signingUrl !== undefined) {
    if (o.signingCa === undefined) throw new Error('--signing-url needs --signing-ca FILE: the CA of the signers\' certificates');
    copyFileSync(o.signingCa, caPemPath);
    return { url: o.signingUrl, caPemPath, external: true, stop: () => Promise.resolve() };
  }
  const simulator = new SigningSimulator();
  const { url } = await simulator.start({
    host: '127.0.0.1',
    port: 0,
    clients: [{ clientId: DEMO_SIGNING_CLIENT_ID, clientSecret: o.clientSecret }],
    policy: { mode: 'auto', delayMs: DEMO_APPROVAL_DELAY_MS },
    signers: o.signers.map((s) => ({ personalId: s.personalId, name: s.name })),
    caCertPath: caPemPath,
    caKeyPath: join(o.dataDir, 'pki', 'signing-ca.key'),
  });
  return { url, caPemPath, external: false, stop: () => simulator.stop() };
}

/**
 * Writes the demo's jobs into DIR/jobs: the bundled diploma job as it is, and the school-record job
 * with remote signing at `url` (rewritten each run: the simulator's port changes).
 */
export function writeDemoJobs(dataDir: string, service: DemoSigningService): void {
  const jobsDir = join(dataDir, 'jobs');
  mkdirSync(jobsDir, { recursive: true });
  const bundled = join(packageRoot(), 'jobs');
  if (!existsSync(join(jobsDir, 'diplomas.yaml'))) copyFileSync(join(bundled, 'diplomas.yaml'), join(jobsDir, 'diplomas.yaml'));
  const job = YAML.parse(readFileSync(join(bundled, 'hocba-thcsthpt.yaml'), 'utf8')) as Record<string, unknown>;
  // the simulator answers in a fraction of a second: poll it often; a person takes longer
  const timing = service.external ? {} : { pollInitialDelayMs: 100, pollMaxDelayMs: 500 };
  job.transform = {
    kind: 'hocba-sign',
    keysDir: 'pki/keys',
    keyPassword: 'file:../secrets/pki-password',
    signing: {
      mode: 'remote',
      service: { baseUrl: service.url, clientId: DEMO_SIGNING_CLIENT_ID, clientSecret: 'file:../secrets/signing-client-secret', ...timing },
      // with people the demo asks again every 10 s itself: a run need not wait long for each request
      collectWaitMs: service.external ? 250 : 3000,
    },
  };
  const header = '# Written by "lienthong demo" on each run: the bundled school-record job, its people signing\n# through remote signing (the simulator the demo starts, or --signing-url); only the seal is in pki/keys.\n';
  writeFileSync(join(jobsDir, 'hocba-thcsthpt.yaml'), header + YAML.stringify(job, { lineWidth: 0 }));
}

/** One line per approval the demo waited for: class, role, masked signer, and how long it took. */
export function approvalLines(requests: readonly SigningRequest[], sinceMs: number): string[] {
  // createdAt may be in whole seconds: a request of this demo run is at most a second older than its start
  return requests
    .filter((r) => Date.parse(r.createdAt) >= Math.floor(sinceMs / 1000) * 1000 && r.decidedAt !== null && (r.state === 'completed' || r.state === 'approved'))
    .map((r) => {
      const waited = Date.parse(r.decidedAt ?? '') - Date.parse(r.createdAt);
      // the sample school's teacher of GDP has left: the principal signs that subject in their place
      const role = r.role === 'subject-in-place' ? 'subject-in-place (the principal, for a teacher who has left: KyThay)' : r.role;
      return `  ${r.classKey} ${role} ${maskPersonalId(r.signerId)}: approved, waited ${Math.max(0, waited)} ms (${r.items} record(s))`;
    });
}

/**
 * Writes each school record the hub simulator holds as DIR/documents/hocba/<idbanghi>.xml: the
 * signed document as delivered (sealed, every signature in), to check with `lienthong verify`.
 */
export function exportDeliveredDocuments(hubDbPath: string, dataset: string, outDir: string): number {
  if (!existsSync(hubDbPath)) return 0;
  const db = new Database(hubDbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT idbanghi, tailieu FROM records WHERE dataset = ? AND tailieu IS NOT NULL').all(dataset) as { idbanghi: string; tailieu: string }[];
    mkdirSync(outDir, { recursive: true });
    let written = 0;
    for (const row of rows) {
      const doc = JSON.parse(row.tailieu) as { dinhdang?: string; noidung?: string };
      if (typeof doc.noidung !== 'string' || !(doc.dinhdang ?? '').includes('xml')) continue;
      writeFileSync(join(outDir, `${row.idbanghi.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`), Buffer.from(doc.noidung, 'base64'));
      written++;
    }
    return written;
  } finally {
    db.close();
  }
}
