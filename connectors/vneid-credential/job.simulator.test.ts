import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/logger.js';
import { packageRoot } from '../../src/core/package-root.js';
import { runConfiguredJob } from '../../src/engine/jobs.js';
import { generateUisDatabase, updateUisDiplomas } from '../../src/sample/uis.js';
import { targetId } from '../../src/store/store.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import type { VneidSimulator } from './simulator/index.js';
import { CLIENT_ID, SERVICE_ID, SIM_LOGIN, startTestSimulator } from './testing/support.js';

/**
 * The shipped diploma job sending to a vneid-credential connection (instead of the hub), through
 * the engine: concurrency, rate limit, retries and the ledger are the engine's, the answers the
 * destination's. Faults in the window after the service applied a request still publish each
 * credential once, with the content hash of the record.
 */

const RECORDS = 60;
const T = targetId('vneid', 'vneid-vanbang');

describe('the diploma job publishing to the credential service simulator', () => {
  let dir: string;
  let store: SqliteStateStore;
  let sim: VneidSimulator;

  function writeConfig(destination: Record<string, unknown>): void {
    const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'diplomas.yaml'), 'utf8')) as Record<string, unknown>;
    job.unitCode = 'LTU01';
    job.destinations = [{ connection: 'vneid', dataset: 'vneid-vanbang', batchSize: 1, retry: { budgetMs: 60_000, baseDelayMs: 5, maxDelayMs: 20, breaker: { failures: 50, coolDownMs: 50 } }, ...destination }];
    writeFileSync(join(dir, 'jobs', 'diplomas.yaml'), YAML.stringify(job));
  }

  beforeAll(async () => {
    sim = await startTestSimulator();
    dir = mkdtempSync(join(tmpdir(), 'lt-vneid-job-'));
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'jobs'));
    process.env.LT_TEST_VNEID_PASSWORD = SIM_LOGIN.password;
    writeFileSync(
      join(dir, 'config', 'lienthong.yaml'),
      YAML.stringify({
        dataDir: '../data',
        jobsDir: '../jobs',
        connections: {
          uis: { type: 'sql', driver: 'sqlite', url: '../uis.db' },
          vneid: { type: 'vneid-credential', endpoint: sim.url, username: SIM_LOGIN.username, password: 'env:LT_TEST_VNEID_PASSWORD', userId: 'VN/GOV/LTU01/operator', client: { ...CLIENT_ID }, service: { ...SERVICE_ID } },
        },
      }),
    );
    writeConfig({ concurrency: 4, rateLimit: { perSecond: 500, burst: 50 } });
    await generateUisDatabase({ driver: 'sqlite', path: join(dir, 'uis.db') }, { records: RECORDS, seed: 7 });
    store = new SqliteStateStore(loadConfig(join(dir, 'config', 'lienthong.yaml')).storePath);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = () => {
    const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
    return runConfiguredJob({ loaded, store, logger: silentLogger() }, loaded.jobs.get('diplomas')!, { trigger: 'test' });
  };

  it('publishes every valid diploma once, with its content hash, through faults after the service applied it', async () => {
    // answers lost after applying, a busy service, an expired message: all retried by the engine
    sim.inject({ type: 'fault', afterApply: true }, { times: 4 });
    sim.inject({ type: 'drop', afterApply: true }, { times: 2 });
    sim.inject({ type: 'result', code: '90' }, { times: 2 });
    sim.inject({ type: 'expired' }, { times: 1 });
    const summary = await run();
    expect(summary.error).toBeNull();
    const accepted = summary.counts.accepted;
    expect(accepted).toBeGreaterThan(0);
    // what the service holds: every delivered record, once; a diploma cancelled before it was ever
    // published is settled after QueryCredentials finds nothing to revoke
    const credentials = sim.state().credentials;
    const neverPublished = new Set(sim.state().messages.filter((m) => m.operation === 'QueryCredentials').map((m) => m.personalId)).size;
    expect(credentials.length + neverPublished).toBe(accepted);
    expect(credentials.every((c) => c.publications === 1 && c.status === 'ACTIVE')).toBe(true);
    expect(sim.state().counts.applied).toBe(credentials.length);
    // the job's concurrency (4) is the number of calls in flight
    expect(sim.state().counts.maxInFlight).toBeGreaterThan(1);
    expect(sim.state().counts.maxInFlight).toBeLessThanOrEqual(4);
    expect(summary.counts.retried).toBeGreaterThanOrEqual(8);
    // and the ledger: the content hash it staged is the document hash VNeID holds, the credentialId the receipt
    const ledger = await store.getLedgerEntries(T, credentials.map((c) => c.credentialKey));
    for (const c of credentials) expect(ledger.get(c.credentialKey)).toMatchObject({ status: 'accepted', contentHash: c.documentHash, receiptId: c.credentialId });
    // records VNeID cannot take are reported, not skipped: every record read is accounted for
    const counts = await store.statusCounts(T);
    expect(counts.accepted + counts.rejected).toBe(summary.counts.staged);
  }, 60_000);

  it('a second run publishes nothing; a changed diploma is published again under its key with its new hash', async () => {
    const before = sim.state().counts.requests;
    await run();
    expect(sim.state().counts.requests).toBe(before);
    const changed = await updateUisDiplomas({ driver: 'sqlite', path: join(dir, 'uis.db') }, { count: 3, seed: 11 });
    expect(changed.length).toBeGreaterThan(0);
    const summary = await run();
    expect(summary.error).toBeNull();
    const republished = sim.state().credentials.filter((c) => c.publications === 2 || c.status === 'REVOKED');
    expect(republished.length).toBeGreaterThan(0);
    const ledger = await store.getLedgerEntries(T, republished.map((c) => c.credentialKey));
    for (const c of republished) expect(ledger.get(c.credentialKey)).toMatchObject({ contentHash: c.documentHash, phienban: 2 });
  }, 60_000);

  it('an answer lost when the run gave up is settled by the next run, after a restart, from the outbox: published once', async () => {
    const changed = await updateUisDiplomas({ driver: 'sqlite', path: join(dir, 'uis.db') }, { count: 3, seed: 17 });
    expect(changed.length).toBeGreaterThan(0);
    // every call applied, then never answered; the run's budget runs out and leaves them pending
    writeConfig({ concurrency: 4, timeoutMs: 300, retry: { budgetMs: 200, baseDelayMs: 5, maxDelayMs: 20, breaker: { failures: 50, coolDownMs: 50 } } });
    sim.inject({ type: 'hang', afterApply: true }, { times: 1000 });
    const lost = await run();
    sim.clearInjections();
    expect(lost.counts.deferred).toBeGreaterThan(0);
    const pending = await store.statusCounts(T);
    expect(pending.pending + pending.sent).toBeGreaterThan(0);
    // a restart: the state store opened again, the job as configured
    await store.close();
    store = new SqliteStateStore(loadConfig(join(dir, 'config', 'lienthong.yaml')).storePath);
    writeConfig({ concurrency: 4, rateLimit: { perSecond: 500, burst: 50 } });
    const replaysBefore = sim.state().counts.replays;
    const next = await run();
    expect(next.error).toBeNull();
    const settled = await store.statusCounts(T);
    expect(settled.pending + settled.sent).toBe(0);
    // the resent requests carried the message ids of the lost ones: answered from the replay
    expect(sim.state().counts.replays).toBeGreaterThan(replaysBefore);
    const messages = sim.state().messages;
    const lostPublications = messages.filter((m) => m.answer === 'hang' && m.applied && m.operation === 'PublishCredential');
    expect(lostPublications.length).toBeGreaterThan(0);
    for (const m of lostPublications) expect(messages.some((r) => r.messageId === m.messageId && r.replay && r.answer === '00')).toBe(true);
    // each version of each credential published once: as many publications as versions staged
    const active = sim.state().credentials.filter((c) => c.status === 'ACTIVE');
    const ledger = await store.getLedgerEntries(T, active.map((c) => c.credentialKey));
    for (const c of active) expect(c.publications).toBeLessThanOrEqual(ledger.get(c.credentialKey)!.phienban);
    for (const c of active) expect(ledger.get(c.credentialKey)).toMatchObject({ status: 'accepted', contentHash: c.documentHash });
  }, 60_000);

  it('20 (unit not authorised) stops the run with a configuration error, leaving the records for the next run', async () => {
    const changed = await updateUisDiplomas({ driver: 'sqlite', path: join(dir, 'uis.db') }, { count: 2, seed: 13 });
    expect(changed.length).toBeGreaterThan(0);
    sim.inject({ type: 'result', code: '20', message: 'unit LTU01 is not registered' }, { times: 50 });
    const summary = await run();
    expect(summary.error, JSON.stringify(summary)).toMatchObject({ code: 'VNEID_UNIT_NOT_AUTHORISED', kind: 'config' });
    const counts = await store.statusCounts(T);
    expect(counts.pending + counts.sent).toBeGreaterThan(0);
    sim.clearInjections();
    const again = await run();
    expect(again.error, JSON.stringify(again.error)).toBeNull();
    const after = await store.statusCounts(T);
    expect(after.pending + after.sent).toBe(0);
  }, 60_000);
});
