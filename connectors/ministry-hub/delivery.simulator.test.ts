import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destinationSchema } from '../../src/config/schema.js';
import { contentHash } from '../../src/core/hash.js';
import { silentLogger } from '../../src/core/logger.js';
import { Deliverer } from '../../src/engine/deliverer.js';
import { sampleDiplomaEnvelope } from './testing/fixtures.js';
import { startHubSimulator, type HubSimulator } from './simulator/index.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { emptyCounts, targetId, type RunCounts } from '../../src/store/store.js';
import { MinistryHubDestination } from './destination.js';

/**
 * The deliverer, the real hub client and the hub simulator over HTTP, with the retry budget and
 * the breaker scaled down (milliseconds instead of minutes) so an outage fits in a test.
 */
const DATASET = 'vanbangchungchi';
const T = targetId('hub', DATASET);
const RECORDS = 240;
const SECRET = 'delivery-secret';

let hub: HubSimulator;
let store: SqliteStateStore;
const open: MinistryHubDestination[] = [];

beforeEach(async () => {
  hub = await startHubSimulator({ clients: [{ clientId: 'dha', clientSecret: SECRET, unitCodes: ['DHA'] }], rateLimit: false });
  store = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-delivery-sim-')), 'state.db'));
  await store.stage(
    Array.from({ length: RECORDS }, (_, i) => {
      const e = sampleDiplomaEnvelope(i + 1);
      return { target: T, job: 'diplomas', sourceKey: String(i + 1), idbanghi: e.idbanghi, phienban: 1, contentHash: contentHash(e.data), envelopeJson: JSON.stringify(e) };
    }),
  );
});
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  await store.close();
  await hub.stop();
});

const config = (budgetMs: number) =>
  destinationSchema.parse({
    connection: 'hub',
    dataset: DATASET,
    batchSize: 40,
    concurrency: 3,
    timeoutMs: 3000,
    rateLimit: { perSecond: 1000, burst: 100 },
    retry: { budgetMs, baseDelayMs: 20, maxDelayMs: 200, breaker: { failures: 3, coolDownMs: 250, maxCoolDownMs: 500 } },
  });

/** one run's delivery: what the outbox holds goes to the hub */
async function deliver(budgetMs: number): Promise<{ counts: RunCounts; ms: number }> {
  const connector = new MinistryHubDestination({ baseUrl: hub.url, unitCode: 'DHA', clientId: 'dha', clientSecret: SECRET, timeoutMs: 3000 });
  open.push(connector);
  const counts = emptyCounts();
  const deliverer = new Deliverer({ target: T, config: config(budgetMs), connector, schemaVersion: 'VanBangChungChi/2025', store, counts, logger: silentLogger(), signal: new AbortController().signal, onFatal: (e) => { throw e; } });
  const started = Date.now();
  await deliverer.drainOutbox();
  await deliverer.flush();
  return { counts, ms: Date.now() - started };
}

describe('delivery through hub outages (simulator, scaled-down budget)', () => {
  it('an outage shorter than the budget: every record accepted, none dead', async () => {
    // every request answered 503 (half of them after the batch was applied) for 1.5 s
    hub.setFaults({ errorRate: 1, errorStatuses: [503], failAfterApplyRate: 0.5 });
    const back = setTimeout(() => hub.setFaults({ errorRate: 0 }), 1500);
    try {
      const { counts, ms } = await deliver(20_000);
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(counts).toMatchObject({ accepted: RECORDS, dead: 0, deferred: 0, conflicts: 0 });
      expect(await store.statusCounts(T)).toMatchObject({ accepted: RECORDS, pending: 0, sent: 0, dead: 0 });
      expect(hub.stats().faults.errors).toBeGreaterThan(0);
    } finally {
      clearTimeout(back);
    }
  });

  it('an outage past the budget: the run stops soon after the budget, records pending; the next run sends them', async () => {
    hub.setFaults({ errorRate: 1, errorStatuses: [502, 503], failAfterApplyRate: 0.5 });
    const first = await deliver(800);
    expect(first.ms).toBeLessThan(800 + 3000);
    expect(first.counts).toMatchObject({ dead: 0, deferred: RECORDS });
    expect(await store.statusCounts(T)).toMatchObject({ pending: RECORDS, dead: 0, accepted: 0 });

    hub.setFaults({ errorRate: 0 });
    const next = await deliver(800);
    // records the hub applied before answering 503 come back "stale, same hash": ours
    expect(next.counts).toMatchObject({ accepted: RECORDS, dead: 0, deferred: 0, conflicts: 0 });
    expect(await store.statusCounts(T)).toMatchObject({ accepted: RECORDS, pending: 0 });
  });
});
