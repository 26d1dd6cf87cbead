/**
 * `node dist/bench/vneid.js`: credential publications per second through the vneid-credential
 * destination against the credential service simulator, at concurrency 1, 4 and 16, next to the
 * raw `soap` client's rate measured in the same run against the same simulator:
 *
 *   raw           the soap package's client on the project's WSDL calling PublishCredential with
 *                 the X-Road and WS-Security headers (a new message id each call) and nothing
 *                 else, on the HTTP transport the destination uses (a keep-alive agent, no
 *                 redirects): the ceiling anything built on the package has; measured too with
 *                 the package's own defaults (`rawPackageDefaults`: its axios follows redirects);
 *   destination   VneidCredentialDestination.write of one staged diploma per call (as the engine's
 *                 deliverer sends it with batchSize 1): the record's request read from its outbox
 *                 text, a Client and fresh headers per attempt, the answer guarded before parsing,
 *                 the result code mapped.
 *
 * The simulator runs in a process of its own (dist/connectors/vneid-credential/simulator/main.js),
 * so the client side has this process to itself. At each concurrency the two paths run in
 * alternating rounds (BENCH_VNEID_ROUNDS, 3) of BENCH_VNEID_SECONDS (2) with `concurrency` calls in
 * flight, and the best round of each is kept (the machine is shared). Every publication is a new
 * credential, and the simulator's count of applied requests is checked against the answers (each
 * published once).
 * Results: bench/results/vneid.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import axios from 'axios';
import { createClientAsync, type Client } from 'soap';
import { TransientError } from '../src/core/errors.js';
import { canonicalJson, contentHash } from '../src/core/hash.js';
import { packageRoot } from '../src/core/package-root.js';
import type { EncodedRecord, JsonObject } from '../src/core/records.js';
import { spawnHubSimulatorProcess } from '../connectors/ministry-hub/simulator/spawn.js';
import { encodeCredential } from '../connectors/vneid-credential/credential.js';
import { VneidCredentialDestination } from '../connectors/vneid-credential/destination.js';
import { securityHeaderXml, xRoadHeaderXml } from '../connectors/vneid-credential/headers.js';
import { credentialServiceWsdlPath, refuseRemoteImport } from '../connectors/vneid-credential/wsdl.js';

const SECONDS = Number(process.env['BENCH_VNEID_SECONDS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_VNEID_ROUNDS'] ?? 3);
const CONCURRENCIES = [1, 4, 16];
const LOGIN = { username: 'bench-operator', password: 'bench-password' };
const CLIENT = { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: 'DHA', subsystemCode: 'lienthong' };
const SERVICE = { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: 'BCA', subsystemCode: 'vneid-credential' };

interface Rate {
  calls: number;
  seconds: number;
  perSecond: number;
}

let sequence = 0;
/** destination calls sent again after a transient failure (reported with the results) */
let retries = 0;

/** a diploma as the engine stages it for a vneid-credential target (its outbox text), never sent before */
function nextRecord(run: string): EncodedRecord {
  sequence += 1;
  const seq = String(sequence).padStart(6, '0');
  const data: JsonObject = {
    sodinhdanh: `001099${seq}`,
    hovaten: `Nguyễn Văn Mẫu ${sequence}`,
    tentruong: 'Trường Đại học Mẫu',
    donvicap: 'Trường Đại học Mẫu',
    tenvanbangcc: 'Bằng cử nhân',
    ngaycap_ngaythangnam: '2024-06-25',
    sohieu: `VB-${seq}`,
  };
  const record = { key: `k-${sequence}`, idbanghi: `DHA-VB-${run}-${seq}`, version: 1, event: 'NEW' as const, changedAt: '2026-06-20T10:15:00', contentHash: contentHash(data), dataJson: canonicalJson(data) };
  return { idbanghi: record.idbanghi, version: 1, contentHash: record.contentHash, encoded: encodeCredential(record) };
}

/** `concurrency` loops calling `one` until SECONDS are up */
async function measure(concurrency: number, one: () => Promise<void>): Promise<Rate> {
  const started = performance.now();
  const until = started + SECONDS * 1000;
  let calls = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await one();
        calls += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { calls, seconds: round2(seconds), perSecond: round2(calls / seconds) };
}

function best(rates: Rate[]): Rate {
  return rates.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

async function appliedCount(origin: string): Promise<number> {
  const state = (await (await fetch(`${origin}/_admin/state`)).json()) as { counts: { applied: number } };
  return state.counts.applied;
}

async function main(): Promise<void> {
  const root = packageRoot();
  const sim = await spawnHubSimulatorProcess(join(root, 'dist', 'connectors', 'vneid-credential', 'simulator', 'main.js'), ['--username', LOGIN.username], {
    env: { ...process.env, VNEID_SIM_PASSWORD: LOGIN.password },
  });
  const origin = new URL(sim.url).origin;
  const results: { concurrency: number; raw: Rate; rawPackageDefaults: Rate; destination: Rate; destinationToRaw: number; rounds: Record<string, number[]> }[] = [];
  try {
    const wsdlOptions = { endpoint: sim.url, wsdl_options: { overrideImportLocation: refuseRemoteImport } };
    // the package's client as it comes (its axios follows redirects through follow-redirects), and
    // on the transport the destination uses (keep-alive agent, no redirects): the fair ceiling
    const rawClients = {
      default: await createClientAsync(credentialServiceWsdlPath(), wsdlOptions),
      sameTransport: await createClientAsync(credentialServiceWsdlPath(), { ...wsdlOptions, request: axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 30_000 }), maxRedirects: 0, proxy: false }) as never }),
    };
    const destination = new VneidCredentialDestination({ endpoint: sim.url, ...LOGIN, userId: 'VN/GOV/DHA/bench', client: CLIENT, service: SERVICE, maxSockets: 32 });
    const context = { dataset: 'vneid-vanbang', schemaVersion: 'bench' };
    // warm both paths (WSDL parsed, connections open, JIT)
    for (let i = 0; i < 20; i++) await destination.write([nextRecord('warm')], context);

    for (const concurrency of CONCURRENCIES) {
      // alternating rounds, the best of each kept: the machine is shared, and a round that
      // another process slowed down says nothing about either path
      const rounds = { rawDefault: [] as Rate[], raw: [] as Rate[], destination: [] as Rate[] };
      for (let i = 0; i < ROUNDS; i++) {
        rounds.rawDefault.push(await measureRaw(rawClients.default, concurrency));
        rounds.raw.push(await measureRaw(rawClients.sameTransport, concurrency));
        rounds.destination.push(await measureDestination(concurrency));
      }
      const rawRate = best(rounds.raw);
      const destinationRate = best(rounds.destination);
      results.push({
        concurrency,
        raw: rawRate,
        rawPackageDefaults: best(rounds.rawDefault),
        destination: destinationRate,
        destinationToRaw: round2(destinationRate.perSecond / rawRate.perSecond),
        rounds: { raw: rounds.raw.map((r) => r.perSecond), rawPackageDefaults: rounds.rawDefault.map((r) => r.perSecond), destination: rounds.destination.map((r) => r.perSecond) },
      });
      console.log(`concurrency ${concurrency}: raw soap ${rawRate.perSecond}/s (package defaults ${best(rounds.rawDefault).perSecond}/s), destination ${destinationRate.perSecond}/s (${Math.round((destinationRate.perSecond / rawRate.perSecond) * 100)}% of raw)`);
    }
    await destination.close();

    async function measureRaw(raw: Client, concurrency: number): Promise<Rate> {
      const publishRaw = (raw as unknown as { PublishCredentialAsync: (args: object) => Promise<[{ resultCode: string }]> }).PublishCredentialAsync.bind(raw);
      const before = await appliedCount(origin);
      const rawRate = await measure(concurrency, async () => {
        // the package's client keeps its headers: set and sent in one synchronous step per call
        raw.clearSoapHeaders();
        raw.addSoapHeader(xRoadHeaderXml({ messageId: randomUUID(), userId: 'VN/GOV/DHA/bench', client: CLIENT, service: SERVICE, operation: 'PublishCredential' }));
        raw.addSoapHeader(securityHeaderXml({ ...LOGIN, now: Date.now(), ttlSeconds: 300 }));
        const request = JSON.parse(nextRecord(`raw${concurrency}`).encoded) as { request: object };
        const [answer] = await publishRaw(request.request);
        if (answer.resultCode !== '00') throw new Error(`raw PublishCredential answered ${answer.resultCode}`);
      });
      if ((await appliedCount(origin)) - before !== rawRate.calls) throw new Error('raw: the simulator applied another number of publications than were answered');
      return rawRate;
    }

    async function measureDestination(concurrency: number): Promise<Rate> {
      const before = await appliedCount(origin);
      const destinationRate = await measure(concurrency, async () => {
        const record = nextRecord(`d${concurrency}`);
        // a transient failure (a reset keep-alive socket) is sent again, as the engine's deliverer
        // does: under the same message id, so it is still published once
        for (let attempt = 1; ; attempt++) {
          try {
            const [answer] = await destination.write([record], context);
            if (answer?.status !== 'delivered') throw new Error(`the destination answered ${JSON.stringify(answer)}`);
            return;
          } catch (err) {
            if (!(err instanceof TransientError) || attempt >= 3) throw err;
            retries += 1;
          }
        }
      });
      if ((await appliedCount(origin)) - before !== destinationRate.calls) throw new Error('destination: the simulator applied another number of publications than were delivered');
      return destinationRate;
    }
  } finally {
    await sim.stop();
  }
  const result = {
    generatedAt: new Date().toISOString(),
    loadAverageAtEnd: loadavg().map(round2),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemoryMb: Math.round(totalmem() / 1024 / 1024), node: process.version, platform: process.platform },
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    kept: 'the best round of each path (rounds alternate raw, destination)',
    simulator: 'the credential service simulator in a child process (soap.listen, same WSDL), loopback HTTP',
    unit: 'PublishCredential calls answered 00 (each a new credential) per second',
    destinationRetries: retries,
    results,
  };
  const out = join(root, 'bench', 'results', 'vneid.json');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`written ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
