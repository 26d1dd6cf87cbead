import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfiguredJob } from '../engine/jobs.js';
import type { RunSummary } from '../engine/runner.js';
import { silentLogger } from '../core/logger.js';
import { generateUisDatabase } from '../sample/uis.js';
import { targetId, type LedgerEntry } from '../store/store.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import type { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { loadWorkspace, makeWorkspace, startHub } from '../../test/e2e/support.js';
import { createConsoleMetrics, registerMetricsRoute, type ConsoleMetrics } from './metrics.js';

const T = targetId('hub', 'vanbangchungchi');

/** the label values of every series in a Prometheus text exposition */
function labelValues(text: string): string[] {
  return [...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...(m[1] ?? '').matchAll(/="((?:[^"\\]|\\.)*)"/g)].map((v) => v[1] ?? ''));
}

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The console's metrics after a real run of the diploma job against the hub simulator (with
 * throttling and failures, so retries happen), read through GET /metrics as Prometheus would.
 */
describe('console metrics', () => {
  let hub: HubSimulator;
  let store: SqliteStateStore;
  let metrics: ConsoleMetrics;
  let summary: RunSummary;
  let app: FastifyInstance;
  let loadedConfig: ReturnType<typeof loadWorkspace>['loaded'];

  beforeAll(async () => {
    const started = await startHub({ errorRate: 0.15, throttleRate: 0.1, throttleRetryAfterSeconds: 0 }, { seed: 5, rateLimit: false });
    hub = started.hub;
    // a slow bucket (50 a second, no burst to speak of) so batches wait for it
    const ws = makeWorkspace(started.url, { batchSize: 20, concurrency: 2, rateLimit: { perSecond: 50, burst: 1 }, retry: { baseDelayMs: 5, maxDelayMs: 20 } }, 'lt-metrics-');
    await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 200, seed: 42 });
    const { loaded, job } = loadWorkspace(ws);
    loadedConfig = loaded;
    store = new SqliteStateStore(loaded.storePath);
    metrics = createConsoleMetrics({ loaded, store });
    summary = await runConfiguredJob({ loaded, store, logger: silentLogger(), observer: metrics.observer }, job, { trigger: 'test' });

    app = Fastify();
    // stands in for the server's authentication (src/server/auth), which sets request.principal
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      if (request.headers.authorization === 'Bearer good') (request as unknown as { principal: unknown }).principal = { username: 'prom', role: 'viewer', via: 'token', csrfToken: null };
    });
    registerMetricsRoute(app, metrics);
    await app.ready();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await hub?.stop();
  });

  it('counts the run, the ledger by status, batch latencies, retries and rate-limit waits', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(sample(text, 'lienthong_runs_total', `job="diplomas",outcome="${summary.outcome}"`)).toBe(1);
    expect(sample(text, 'lienthong_run_records_total', 'job="diplomas",kind="read"')).toBe(200);

    const counts = await store.statusCounts(T);
    expect(counts.accepted).toBeGreaterThan(0);
    expect(sample(text, 'lienthong_ledger_records', `target="${T}",status="accepted"`)).toBe(counts.accepted);
    expect(sample(text, 'lienthong_ledger_records', `target="${T}",status="rejected"`)).toBe(counts.rejected);
    expect(sample(text, 'lienthong_outbox_depth', `target="${T}"`)).toBe(counts.pending + counts.sent);
    expect(sample(text, 'lienthong_dead_letters', `target="${T}"`)).toBe(counts.dead + counts.stale);

    // every batch the hub answered is in the histogram: as many as the records sent, 20 a batch
    const answered = sample(text, 'lienthong_delivery_latency_seconds_count', `target="${T}",result="answered"`) ?? 0;
    expect(answered).toBeGreaterThanOrEqual(Math.ceil(summary.counts.accepted / 20));
    expect(sample(text, 'lienthong_delivery_latency_seconds_bucket', `le="+Inf",target="${T}",result="answered"`)).toBe(answered);
    expect(sample(text, 'lienthong_delivery_records_total', `target="${T}"`)).toBe(summary.counts.sent);

    expect(summary.counts.retried).toBeGreaterThan(0);
    const retried = [...text.matchAll(/^lienthong_retried_records_total\{target="([^"]+)",code="([A-Z_]+)"\} (\d+)$/gm)];
    expect(retried.reduce((n, m) => n + Number(m[3]), 0)).toBe(summary.counts.retried);
    expect(sample(text, 'lienthong_rate_limit_waits_total', `target="${T}"`)).toBeGreaterThan(0);
    // the process metrics are there too, under the same prefix
    expect(text).toMatch(/^lienthong_process_resident_memory_bytes \d+/m);
  });

  it('holds no record id, run id or personal id in any label', async () => {
    // labelValues parses the text as Prometheus would: every label value of every series
    const text = await metrics.render();
    const values = labelValues(text);
    expect(values.length).toBeGreaterThan(20);
    // a CMND (9 digits) or CCCD (12 digits), or any long run of digits a national id could hide in
    for (const v of values) expect(v).not.toMatch(/\d{9,}/);
    const ids = new Set<string>();
    // (a source key of the sample is a small number, as a bucket bound may be: only long keys say anything)
    for await (const e of store.ledger(T) as AsyncIterable<LedgerEntry>) for (const id of [e.idbanghi, e.sourceKey]) if (id.length >= 6) ids.add(id);
    expect(ids.size).toBeGreaterThan(100);
    for (const v of values) expect(ids.has(v), v).toBe(false);
    expect(text).not.toContain(summary.runId);
    // jobs and targets are the configured ones, nothing else
    const pairs = [...text.matchAll(/(job|target)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(new Set(pairs)).toEqual(new Set(['job=diplomas', `target=${T}`]));
  });

  it('reads the ledger at most every ledgerMaxAgeMs, one read for concurrent scrapes', async () => {
    let now = 1_000_000;
    let reads = 0;
    // the metrics read nothing of the store but statusCounts and lastRuns
    const counting = { statusCounts: (t: string) => (reads++, store.statusCounts(t)), lastRuns: (j: string, n: number) => store.lastRuns(j, n) } as unknown as SqliteStateStore;
    const m = createConsoleMetrics({ loaded: loadedConfig, store: counting }, { ledgerMaxAgeMs: 5000, clock: () => now });
    const pending = async (): Promise<number | undefined> => sample(await m.render(), 'lienthong_ledger_records', `target="${T}",status="pending"`);
    const [before] = await Promise.all([pending(), pending(), pending()]);
    expect(reads).toBe(1);
    await store.stage([{ target: T, job: 'diplomas', sourceKey: 'extra-1', idbanghi: 'EXTRA-0000001', phienban: 1, contentHash: 'a'.repeat(64), envelopeJson: '{}', subjectHash: null }]);
    now += 4999;
    expect(await pending()).toBe(before);
    now += 1;
    expect(await pending()).toBe((before ?? 0) + 1);
    expect(reads).toBe(2);
  });

  it("shows a job's last run from the store, also one made by another process (`lienthong run`)", async () => {
    // a run without this console's observer: as `lienthong run` from cron, in another process
    const other = await runConfiguredJob({ loaded: loadedConfig, store, logger: silentLogger() }, loadedConfig.jobs.get('diplomas')!, { trigger: 'cli' });
    const text = await createConsoleMetrics({ loaded: loadedConfig, store }, { ledgerMaxAgeMs: 0 }).render();
    const [row] = await store.lastRuns('diplomas', 1);
    expect(row?.id).toBe(other.runId);
    expect(sample(text, 'lienthong_last_run_finished_timestamp_seconds', 'job="diplomas"')).toBe(Date.parse(row!.finishedAt!) / 1000);
    expect(sample(text, 'lienthong_last_run_outcome', `job="diplomas",outcome="${other.outcome}"`)).toBe(1);
    const others = ['succeeded', 'partial', 'failed', 'interrupted'].filter((o) => o !== other.outcome);
    for (const o of others) expect(sample(text, 'lienthong_last_run_outcome', `job="diplomas",outcome="${o}"`)).toBe(0);
    expect(sample(text, 'lienthong_last_run_records', 'job="diplomas",kind="read"')).toBe(other.counts.read);
    expect(sample(text, 'lienthong_job_running', 'job="diplomas"')).toBe(0);
    // the counters are this process's runs only: the other run is not counted there
    expect(sample(await metrics.render(), 'lienthong_runs_total', `job="diplomas",outcome="${summary.outcome}"`)).toBe(1);
  });

  it('lets in loopback, a session or token, and no one else', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200);
    const outside = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(outside.statusCode).toBe(401);
    expect(outside.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(outside.body).not.toContain('lienthong_');
    // X-Forwarded-For does not make a remote scraper local
    expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer good' } })).statusCode).toBe(200);

    const open = Fastify();
    registerMetricsRoute(open, metrics, { public: true });
    try {
      expect((await open.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });
});
