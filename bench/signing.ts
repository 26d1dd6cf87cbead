/**
 * `node dist/bench/signing.js`: how many school records per second the hocba-sign transformer signs
 * (build → XSD → six XML signatures → our own verification), in one thread (workers: 0) and with a
 * worker on each of two cores (workers: 2), next to the raw xml-crypto rate measured in the same run
 * (one small XML, one RSA-SHA256 signature, in a loop) — the gap is what the rest of the pipeline costs.
 *
 * Each scenario runs in a child process of its own so that its peak RSS is its own (worker threads
 * count in it). The event loop's longest stall is recorded too: that is what the pool is for.
 * Results go to bench/results/signing.json. BENCH_SIGNING_RECORDS sets N (default 12).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SignedXml } from 'xml-crypto';
import { packageRoot } from '../src/core/package-root.js';
import type { JsonObject } from '../src/core/records.js';
import { DirectoryKeyStore } from '../transforms/hocba-sign/keystore.js';
import { sampleHocBaRecord } from '../documents/hocba/sample-record.js';
import { HocBaSigningTransformer } from '../transforms/hocba-sign/transformer.js';
import { demoPeopleFromRecord, ensureDemoPki } from '../documents/pki/demo-pki.js';
import { DSIG } from '../documents/xmldsig/xmldsig.js';

type ScenarioName = 'xml-crypto-raw' | 'records-in-thread' | 'records-2-workers';
const SCENARIOS: ScenarioName[] = ['xml-crypto-raw', 'records-in-thread', 'records-2-workers'];
const PASSWORD = 'bench-password';
const RAW_SECONDS = 2;

interface Scenario {
  name: ScenarioName;
  /** signed records (for the raw scenario: signed small documents) */
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  /** the longest the event loop was blocked while signing */
  eventLoopMaxMs: number | null;
}

/** The raw rate: xml-crypto signing one small document with one RSA-SHA256 signature, for RAW_SECONDS. */
function rawXmlCrypto(): { records: number; seconds: number } {
  const keyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const xml = '<root><data Id="d">Nguyễn Văn A 8.5</data></root>';
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < RAW_SECONDS * 1000) {
    const sig = new SignedXml({ privateKey: keyPem, signatureAlgorithm: DSIG.rsaSha256, canonicalizationAlgorithm: DSIG.excC14n });
    sig.addReference({ xpath: "//*[@Id='d']", transforms: [DSIG.excC14n], digestAlgorithm: DSIG.sha256 });
    sig.computeSignature(xml);
    if (sig.getSignedXml().length === 0) throw new Error('empty signature');
    n++;
  }
  return { records: n, seconds: (performance.now() - t0) / 1000 };
}

async function signRecords(pkiDir: string, workers: number, records: number): Promise<{ records: number; seconds: number }> {
  const keyStore = new DirectoryKeyStore({ dir: join(pkiDir, 'keys'), password: PASSWORD });
  const transformer = new HocBaSigningTransformer({ keyStore, trustedCaPems: [readFileSync(join(pkiDir, 'ca.crt'), 'utf8')], workers });
  if (workers > 0 && transformer.mode !== 'worker-threads') throw new Error('the signing worker is not built: run npm run build');
  const input = (i: number) => {
    const data = { ...sampleHocBaRecord(), idbanghi: `HB-BENCH-${String(i).padStart(6, '0')}`, mahocsinh: `HS${i}` };
    return { idbanghi: data.idbanghi, phienban: 1, sourceKey: `bench-${i}`, data: data as unknown as JsonObject };
  };
  try {
    // warm-up (not timed): every worker opens the key files once
    await Promise.all(Array.from({ length: Math.max(1, workers) }, (_, i) => transformer.transform(input(-1 - i))));
    const t0 = performance.now();
    // all at once, the way the runner hands a chunk over
    const results = await Promise.all(Array.from({ length: records }, (_, i) => transformer.transform(input(i))));
    const seconds = (performance.now() - t0) / 1000;
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`${failed.length} records failed: ${JSON.stringify(failed[0])}`);
    return { records, seconds };
  } finally {
    await transformer.close();
  }
}

async function child(name: ScenarioName, pkiDir: string, records: number): Promise<Scenario> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const r =
    name === 'xml-crypto-raw' ? rawXmlCrypto() : await signRecords(pkiDir, name === 'records-2-workers' ? 2 : 0, records);
  loop.disable();
  return {
    name,
    records: r.records,
    seconds: r.seconds,
    recordsPerSecond: r.records / r.seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    // the raw loop is one synchronous block by design: the histogram cannot see it
    eventLoopMaxMs: name === 'xml-crypto-raw' ? null : loop.max / 1e6,
  };
}

function parent(): void {
  const records = Number(process.env['BENCH_SIGNING_RECORDS'] ?? '12');
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-signing-'));
  try {
    const record = sampleHocBaRecord();
    ensureDemoPki(dir, { people: demoPeopleFromRecord(record), schoolName: record.tentruong, password: PASSWORD });
    const results: Scenario[] = [];
    for (const name of SCENARIOS) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, dir, String(records)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`bench ${name} failed:\n${r.stderr}`);
      const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Scenario;
      results.push(result);
      process.stdout.write(
        `${name.padEnd(18)} ${String(result.records).padStart(6)} in ${result.seconds.toFixed(1).padStart(5)} s  ${result.recordsPerSecond.toFixed(2).padStart(8)}/s  ` +
          `peak RSS ${result.peakRssMb.toFixed(0)} MB  event loop max ${result.eventLoopMaxMs === null ? '-' : result.eventLoopMaxMs.toFixed(0)} ms\n`,
      );
    }
    const out = join(packageRoot(), 'bench', 'results', 'signing.json');
    mkdirSync(join(packageRoot(), 'bench', 'results'), { recursive: true });
    writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, scenarios: results }, null, 2) + '\n');
    process.stdout.write(`written ${out}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3] as ScenarioName, process.argv[4] ?? '', Number(process.argv[5] ?? '12'));
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  parent();
}
