import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfiguredJob } from '../../src/engine/jobs.js';
import { reconcileConfiguredJob } from '../../src/reconcile/configured-job.js';
import { silentLogger } from '../../src/core/logger.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { targetId } from '../../src/store/store.js';
import { generateUisDatabase, updateUisDiplomas } from '../../src/sample/uis.js';
import type { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { loadWorkspace, makeWorkspace, startHub, type Workspace } from './support.js';

const RECORDS = 1200;
const T = targetId('hub', 'vanbangchungchi');

/**
 * The diploma job end to end against the hub simulator misbehaving in every way the contract
 * allows: 20% 5xx (half after the batch was applied), timeouts, 429 bursts with Retry-After,
 * tokens revoked mid-run, 413 for large batches. Every valid record must reach the hub exactly
 * once at the right phienban, and every bad record must be reported.
 */
describe('diplomas: UIS → ministry hub under faults', () => {
  let hub: HubSimulator;
  let ws: Workspace;
  let store: SqliteStateStore;
  let manifest: Awaited<ReturnType<typeof generateUisDatabase>>;

  beforeAll(async () => {
    const started = await startHub(
      { errorRate: 0.2, failAfterApplyRate: 0.5, timeoutRate: 0.03, throttleRate: 0.1, throttleRetryAfterSeconds: 1, revokeRate: 0.03, tooLargeAboveRecords: 100 },
      { seed: 11, rateLimit: { ratePerSecond: 40, burst: 40 } },
    );
    hub = started.hub;
    ws = makeWorkspace(started.url, { batchSize: 150, concurrency: 3, timeoutMs: 1500, rateLimit: { perSecond: 60, burst: 60 }, retry: { maxAttempts: 30, baseDelayMs: 20, maxDelayMs: 300 } });
    manifest = await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: RECORDS, seed: 7 });
    const { loaded } = loadWorkspace(ws);
    store = new SqliteStateStore(loaded.storePath);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await hub?.stop();
  });

  it('sends every valid diploma exactly once at phienban 1 and reports every bad one', async () => {
    const { loaded, job } = loadWorkspace(ws);
    // besides the simulator's random revocations (3% of requests), a stretch where every request
    // revokes the tokens in use once the run is well under way: revocation mid-run for certain
    let stretch: 'before' | 'during' | 'after' = 'before';
    const summary = await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, {
      trigger: 'test',
      progressIntervalMs: 10,
      onProgress: (p) => {
        if (stretch === 'before' && p.counts.accepted >= 300) {
          stretch = 'during';
          hub.setFaults({ revokeRate: 1 });
        } else if (stretch === 'during' && p.counts.accepted >= 600) {
          stretch = 'after';
          hub.setFaults({ revokeRate: 0.03 });
        }
      },
    });
    expect(stretch).not.toBe('before');
    expect(summary.error).toBeNull();
    // partial: the sample's dirty rows are held back (and reported); every valid one is delivered
    expect(summary.outcome).toBe('partial');
    expect(summary.counts.read).toBe(RECORDS);
    expect(summary.counts.retried).toBeGreaterThan(0);

    const stats = hub.stats();
    expect(stats.faults.errors + stats.faults.timeouts).toBeGreaterThan(0);
    expect(stats.requestsByStatus['413']).toBeGreaterThan(0);
    expect(stats.requestsByStatus['401']).toBeGreaterThan(0);
    expect(stats.requestsByStatus['429']).toBeGreaterThan(0);

    const counts = await store.statusCounts(T);
    expect(counts.pending + counts.sent + counts.dead + counts.stale + counts.rejected).toBe(0);
    expect(counts.accepted).toBe(summary.counts.mapped);

    // exactly once, at phienban 1, for every record the ledger holds
    for await (const e of store.ledger(T)) {
      const versions = hub.history('vanbangchungchi', e.idbanghi);
      expect(versions.map((v) => v.phienban), e.idbanghi).toEqual([1]);
    }

    // every dirty row that cannot be fixed is reported with its reason
    const invalid = new Map<string, string[]>();
    for await (const i of store.listInvalid('diplomas')) invalid.set(i.sourceKey, i.errors.map((e) => e.code));
    expect(invalid.size).toBe(summary.counts.invalid);
    expect(summary.counts.mapped + summary.counts.invalid).toBe(RECORDS);
    const mustFail = manifest.dirty.filter((d) => !d.fixable);
    expect(mustFail.length).toBeGreaterThan(0);
    for (const d of mustFail) expect(invalid.has(String(d.diplomaId)), `${d.kind} on diploma ${d.diplomaId}`).toBe(true);
  }, 180_000);

  it('a second run sends nothing; changed diplomas go out once at phienban 2', async () => {
    const { loaded, job } = loadWorkspace(ws);
    const before = hub.stats().recordsAccepted;
    const again = await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test' });
    // nothing changed since the watermark: only the records held back are read again, by key
    const held = [];
    for await (const i of store.listInvalid(job.name)) held.push(i);
    expect(again.counts.read).toBe(held.length);
    expect(again.counts.staged).toBe(0);
    expect(hub.stats().recordsAccepted).toBe(before);

    const full = await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test', fullRefresh: true });
    expect(full.counts.read).toBe(RECORDS);
    expect(full.counts.staged).toBe(0);
    expect(full.counts.unchanged).toBe(full.counts.mapped);

    const changed = await updateUisDiplomas({ driver: 'sqlite', path: ws.uisPath }, { count: 40, seed: 3 });
    const run = await runConfiguredJob({ loaded, store, logger: silentLogger() }, job, { trigger: 'test' });
    expect(run.outcome).toBe('partial'); // the dirty rows stay held back
    expect(run.counts.read).toBeGreaterThanOrEqual(changed.length);
    expect(run.counts.staged).toBeGreaterThan(0);
    let atTwo = 0;
    for await (const e of store.ledger(T)) {
      const versions = hub.history('vanbangchungchi', e.idbanghi).map((v) => v.phienban);
      expect(versions, e.idbanghi).toEqual(e.phienban === 2 ? [1, 2] : [1]);
      if (e.phienban === 2) atTwo++;
    }
    expect(atTwo).toBe(run.counts.staged);
  }, 180_000);

  it('reconciles: nothing missing, extra or mismatched; rejections grouped by code', async () => {
    const { loaded, job } = loadWorkspace(ws);
    hub.setFaults({ errorRate: 0, timeoutRate: 0, throttleRate: 0, revokeRate: 0 });
    const { report, paths } = await reconcileConfiguredJob({ loaded, store, logger: silentLogger() }, job);
    expect(report.totals).toMatchObject({ source: RECORDS, pending: 0, dead: 0, missingAtHub: 0, extraAtHub: 0, mismatched: 0 });
    expect(report.totals.accepted + report.totals.rejectedByHub + report.totals.heldBack).toBe(RECORDS);
    expect(report.byCode.length).toBeGreaterThan(0);
    expect(paths.jsonPath.endsWith('reports/diplomas/latest/reconciliation.json')).toBe(true);
  }, 120_000);
});
