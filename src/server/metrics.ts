import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver } from '../core/observer.js';
import { targetsOf, type ServiceContext } from '../services/context.js';
import type { LedgerStatus } from '../store/store.js';

/**
 * The console's Prometheus metrics. Label values are all bounded: job names and targets come from
 * the configuration, outcomes and statuses are the store's words, error codes come from the code
 * catalogue (anything else is counted as `OTHER`). Never a record id, a run id, a personal id or a
 * message: a scrape is readable by anyone the route lets in, and Prometheus keeps every series.
 */
export interface ConsoleMetrics {
  readonly registry: Registry;
  /** what the engine calls (JobEnvironment.observer) */
  readonly observer: EngineObserver;
  /** reads the ledger gauges from the store (at most every ledgerMaxAgeMs), then the whole registry in the text format */
  render(): Promise<string>;
  readonly contentType: string;
}

const PREFIX = 'lienthong_';
const LEDGER_STATUSES: readonly LedgerStatus[] = ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'];
/** the run counts a counter follows per job (RunTally's fields) */
const RUN_RECORD_KINDS = ['read', 'invalid', 'staged', 'accepted', 'conflicts', 'rejected', 'dead', 'deferred'] as const;
/** the outcomes of an ended run */
const ENDED_OUTCOMES = ['succeeded', 'partial', 'failed', 'interrupted'] as const;
/** recent runs read per job to find the last ended one beside one in progress (a run in progress is the newest) */
const RECENT_RUNS_READ = 2;
/** an error code as the catalogue writes them (HUB_RATE_LIMITED); anything else is not a label value */
const CATALOGUE_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** distinct retry codes kept per target before the rest are counted as OTHER: a bound whatever a connector says */
const MAX_CODES_PER_TARGET = 40;

export interface ConsoleMetricsOptions {
  /**
   * how old the ledger gauges may be when scraped (default 5 s): counting a target's ledger by
   * status reads its status index (about 150 ms for a million rows), which several scrapers, or
   * one scraping often, need not repeat
   */
  ledgerMaxAgeMs?: number;
  clock?: () => number;
}

/** Creates the console's metrics over a registry of its own (never prom-client's global one). */
export function createConsoleMetrics(ctx: ServiceContext, options: ConsoleMetricsOptions = {}): ConsoleMetrics {
  const maxAgeMs = options.ledgerMaxAgeMs ?? 5000;
  const clock = options.clock ?? Date.now;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];

  const runs = new Counter({ name: `${PREFIX}runs_total`, help: 'Runs ended, by job and outcome (succeeded, partial, failed, interrupted).', labelNames: ['job', 'outcome'], registers });
  const runDuration = new Histogram({ name: `${PREFIX}run_duration_seconds`, help: 'How long runs took, by job.', labelNames: ['job'], buckets: [1, 5, 15, 60, 300, 900, 3600, 10800], registers });
  const runRecords = new Counter({ name: `${PREFIX}run_records_total`, help: 'Records counted by ended runs, by job and kind (read, invalid, staged, accepted, conflicts, rejected, dead, deferred).', labelNames: ['job', 'kind'], registers });
  const latency = new Histogram({
    name: `${PREFIX}delivery_latency_seconds`,
    help: 'Time a destination took to answer one batch (the write call, after the rate limit), by target and result (answered, failed).',
    labelNames: ['target', 'result'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const batchRecords = new Counter({ name: `${PREFIX}delivery_records_total`, help: 'Records in batches a destination answered, by target.', labelNames: ['target'], registers });
  const retries = new Counter({ name: `${PREFIX}retried_records_total`, help: 'Records sent again after a transient failure, by target and error code.', labelNames: ['target', 'code'], registers });
  const rateWaitSeconds = new Counter({ name: `${PREFIX}rate_limit_wait_seconds_total`, help: "Seconds batches waited for a destination's rate limit, by target.", labelNames: ['target'], registers });
  const rateWaits = new Counter({ name: `${PREFIX}rate_limit_waits_total`, help: "Batches that had to wait for a destination's rate limit, by target.", labelNames: ['target'], registers });
  const signed = new Counter({ name: `${PREFIX}documents_signed_total`, help: 'Documents made (signed) by a transformer, by job and transformer.', labelNames: ['job', 'transformer'], registers });
  const signingSeconds = new Counter({ name: `${PREFIX}signing_seconds_total`, help: 'Seconds spent signing, by job and transformer (documents_signed_total over this is the signing rate).', labelNames: ['job', 'transformer'], registers });
  const records = new Gauge({ name: `${PREFIX}ledger_records`, help: "Records in a target's ledger, by target and status (pending, sent, accepted, stale, rejected, dead).", labelNames: ['target', 'status'], registers });
  const deadLetters = new Gauge({ name: `${PREFIX}dead_letters`, help: 'Dead letters and version conflicts (dead and stale) waiting at a target: what `dead-letters list` shows.', labelNames: ['target'], registers });
  const outbox = new Gauge({ name: `${PREFIX}outbox_depth`, help: 'Records staged and not yet answered (pending and sent) at a target.', labelNames: ['target'], registers });
  // read from the store's runs, so they hold runs made by any process (`lienthong run`, cron, another console) too
  const lastRunEnd = new Gauge({ name: `${PREFIX}last_run_finished_timestamp_seconds`, help: "When a job's last ended run ended (Unix seconds), whichever process ran it.", labelNames: ['job'], registers });
  const lastRunOutcome = new Gauge({ name: `${PREFIX}last_run_outcome`, help: "1 for the outcome of a job's last ended run (succeeded, partial, failed, interrupted), 0 for the others.", labelNames: ['job', 'outcome'], registers });
  const lastRunRecords = new Gauge({ name: `${PREFIX}last_run_records`, help: "Records counted by a job's last ended run, by kind.", labelNames: ['job', 'kind'], registers });
  const running = new Gauge({ name: `${PREFIX}job_running`, help: 'Whether a run of the job is in progress now, whichever process runs it (1 or 0).', labelNames: ['job'], registers });

  const codesSeen = new Map<string, Set<string>>();
  /** the code as a label value: a catalogue code, at most MAX_CODES_PER_TARGET of them per target */
  const codeLabel = (target: string, code: string): string => {
    if (!CATALOGUE_CODE.test(code)) return 'OTHER';
    let seen = codesSeen.get(target);
    if (!seen) codesSeen.set(target, (seen = new Set()));
    if (seen.has(code)) return code;
    if (seen.size >= MAX_CODES_PER_TARGET) return 'OTHER';
    seen.add(code);
    return code;
  };

  const observer: EngineObserver = {
    runEnded({ job, outcome, counts, durationMs }) {
      runs.inc({ job, outcome });
      runDuration.observe({ job }, durationMs / 1000);
      for (const kind of RUN_RECORD_KINDS) if (counts[kind] > 0) runRecords.inc({ job, kind }, counts[kind]);
    },
    deliveryBatch({ target, records: n, latencyMs, failed }) {
      latency.observe({ target, result: failed ? 'failed' : 'answered' }, latencyMs / 1000);
      if (!failed) batchRecords.inc({ target }, n);
    },
    retry({ target, code, records: n }) {
      retries.inc({ target, code: codeLabel(target, code) }, n);
    },
    rateLimitWait({ target, waitedMs }) {
      rateWaits.inc({ target });
      rateWaitSeconds.inc({ target }, waitedMs / 1000);
    },
    signed({ job, transformer, documents, ms }) {
      signed.inc({ job, transformer }, documents);
      signingSeconds.inc({ job, transformer }, ms / 1000);
    },
  };

  /** every configured job's targets (configuration: a bounded set), each once */
  const configuredTargets = (): string[] => [...new Set([...ctx.loaded.jobs.values()].flatMap((job) => targetsOf(job).map((t) => t.target)))];

  /**
   * each configured job's last ended run and whether one is running, from the store: the recent
   * runs of one job (an indexed read), the ended one nearest the top
   */
  const readRuns = async (): Promise<void> => {
    const read = await Promise.all([...ctx.loaded.jobs.keys()].map(async (job) => ({ job, recent: await ctx.store.lastRuns(job, RECENT_RUNS_READ) })));
    lastRunEnd.reset();
    lastRunOutcome.reset();
    lastRunRecords.reset();
    running.reset();
    for (const { job, recent } of read) {
      running.set({ job }, recent.some((r) => r.outcome === 'running') ? 1 : 0);
      const ended = recent.find((r) => r.outcome !== 'running' && r.finishedAt !== null);
      if (ended?.finishedAt == null) continue;
      lastRunEnd.set({ job }, Date.parse(ended.finishedAt) / 1000);
      for (const outcome of ENDED_OUTCOMES) lastRunOutcome.set({ job, outcome }, ended.outcome === outcome ? 1 : 0);
      for (const kind of RUN_RECORD_KINDS) lastRunRecords.set({ job, kind }, ended.counts[kind]);
    }
  };

  /** the gauges read from the store: the ledger by target and the jobs' last runs */
  const readStore = async (): Promise<void> => {
    await Promise.all([readLedger(), readRuns()]);
  };

  /** the ledger gauges as the store has them now (one statusCounts per target, an indexed count) */
  const readLedger = async (): Promise<void> => {
    const read = await Promise.all(configuredTargets().map(async (target) => ({ target, counts: await ctx.store.statusCounts(target) })));
    records.reset();
    deadLetters.reset();
    outbox.reset();
    for (const { target, counts } of read) {
      for (const status of LEDGER_STATUSES) records.set({ target, status }, counts[status] ?? 0);
      deadLetters.set({ target }, (counts.dead ?? 0) + (counts.stale ?? 0));
      outbox.set({ target }, (counts.pending ?? 0) + (counts.sent ?? 0));
    }
  };

  /** the last read (or the one in progress, which concurrent scrapes share) and when it started */
  let ledgerRead: { at: number; done: Promise<void> } | null = null;
  const freshLedger = (): Promise<void> => {
    const now = clock();
    if (ledgerRead === null || now - ledgerRead.at >= maxAgeMs) {
      const read = { at: now, done: readStore() };
      // a failed read is not kept: the next scrape tries again
      read.done.catch(() => {
        if (ledgerRead === read) ledgerRead = null;
      });
      ledgerRead = read;
    }
    return ledgerRead.done;
  };

  return {
    registry,
    observer,
    contentType: registry.contentType,
    async render() {
      await freshLedger();
      return registry.metrics();
    },
  };
}

export interface MetricsRouteOptions {
  /**
   * serve /metrics to anyone who can reach the port (a Prometheus on another machine without a
   * token); default false: loopback, or a signed-in session or API token of any role
   */
  public?: boolean;
}

/** the account the server's authentication found for a request (src/server/auth), or none */
function principalOf(request: FastifyRequest): unknown {
  return (request as FastifyRequest & { principal?: unknown }).principal ?? null;
}

/**
 * The peer's own address, not `request.ip`: behind `trustProxy` that one comes from a header any
 * client can write, and "from this machine" must not be claimable from another.
 */
function fromLoopback(request: FastifyRequest): boolean {
  const address = request.raw.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * `GET /metrics` in the Prometheus text format. Who may read it: a scraper on this machine
 * (loopback), or anyone with a session or an API token of any role (`Authorization: Bearer`, the
 * usual Prometheus `authorization` setting), or everyone with `public`. Anyone else gets 401.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: ConsoleMetrics, options: MetricsRouteOptions = {}): void {
  app.get('/metrics', async (request, reply) => {
    if (!options.public && !fromLoopback(request) && principalOf(request) === null) {
      return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'metrics need a session or an API token (Authorization: Bearer), or a scrape from this machine', kind: 'auth' } });
    }
    const body = await metrics.render();
    return reply.header('Content-Type', metrics.contentType).header('Cache-Control', 'no-store').send(body);
  });
}
