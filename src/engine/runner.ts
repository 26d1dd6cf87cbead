import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DestinationConfig, JobDefinition } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { advanceCursor, type CursorValue } from '../core/cursor.js';
import { LienthongError, asLienthongError, type ErrorKind } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { notify, type EngineObserver } from '../core/observer.js';
import type { Mapping, MappingContext } from '../core/mapping.js';
import type { SourceRecord } from '../core/records.js';
import type { RecordTransformer } from '../core/transform.js';
import { hostName } from '../../stores/sqlite/lock-owner.js';
import { emptyCounts, targetId, type RunCounts, type RunOutcome, type StateStore } from '../store/store.js';
import { ChunkMapper, type MappedChunk } from './chunk-mapper.js';
import { assertColumns, jobColumnCheck } from './column-check.js';
import { commitChunk, type RunMemory } from './commit-chunk.js';
import { Deliverer } from './deliverer.js';
import { UpstreamGate, dependencyDepth, dependencyOrder, resolveUpstreams, waitingNotice } from './dependency.js';
import { InvalidShareGuard } from './run-guard.js';

export interface RunnerDestination {
  config: DestinationConfig;
  connector: DestinationConnector;
}

export interface RunnerDeps {
  store: StateStore;
  source: SourceConnector;
  mapping: Mapping;
  /** signs or renders what a changed record travels with (school records); none for diplomas */
  transformer?: RecordTransformer;
  destinations: RunnerDestination[];
  unitCode: string;
  logger: Logger;
  observer?: EngineObserver;
}

export interface RunProgress {
  runId: string;
  counts: RunCounts;
  elapsedMs: number;
  /** records read but not yet settled at every destination */
  inFlight: number;
}

export interface RunOptions {
  trigger?: string;
  /** read the whole source, ignoring the saved cursor */
  fullRefresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** called once the run is in the store, with its id (the console's "run now" answers with it) */
  onRunStarted?: (runId: string) => void;
  /** how often onProgress is called */
  progressIntervalMs?: number;
  random?: () => number;
}

export interface RunSummary {
  runId: string;
  job: string;
  outcome: RunOutcome;
  counts: RunCounts;
  error: { code: string; kind: ErrorKind; message: string } | null;
  durationMs: number;
  /** things the operator should know that are not errors (an insecure endpoint allowed, …) */
  notices: string[];
  /** who the records waiting for signatures wait for: `role (masked id) ×records`, most records first */
  awaited?: string[];
  /**
   * of `counts.dead`, those a destination keeps in an outbox of its own (a CIM kiosk's lane): its
   * notice says how to see and requeue them, not `dead-letters list`
   */
  deadInDestinationOutboxes?: number;
}

const LOCK_TTL_MS = 60_000;
/** source records mapped and staged together (one ledger transaction) */
const CHUNK = 500;
/** source records read and mapped between two turns of the event loop */
const YIELD_EVERY = 50;

export class JobLockedError extends LienthongError {
  constructor(job: string, owner: string) {
    super('JOB_LOCKED', 'transient', `job ${job} is already running (${owner})`, { job });
  }
}

/**
 * Runs a job once: re-sends what earlier runs left unsettled, streams the source, maps and
 * validates each record, stages changed records (new phienban stored before sending), delivers
 * them, and saves the cursor once everything read is safely in the ledger.
 */
export async function runJob(job: JobDefinition, deps: RunnerDeps, options: RunOptions = {}): Promise<RunSummary> {
  const { store, logger } = deps;
  const owner = `${hostName()}:${process.pid}:${randomUUID()}`;
  if (!(await store.acquireLock(job.name, owner, LOCK_TTL_MS))) {
    const holder = await store.lockHolder(job.name);
    throw new JobLockedError(job.name, holder?.owner ?? 'another process');
  }
  const heartbeat = setInterval(() => void store.renewLock(job.name, owner, LOCK_TTL_MS), LOCK_TTL_MS / 4);
  heartbeat.unref();

  const started = Date.now();
  await store.markInterruptedRuns(job.name);
  const run = await store.startRun(job.name, options.trigger ?? 'manual');
  options.onRunStarted?.(run.id);
  const log = logger.child({ job: job.name, run: run.id });
  const counts = emptyCounts();
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let fatal: LienthongError | null = null;
  /** stops the run on the first fatal error (anything thrown is made a LienthongError of this run) */
  const failRun = (raw: unknown): void => {
    if (fatal) return;
    const err = asLienthongError(raw, { job: job.name, run: run.id });
    fatal = err;
    log.error('run stopped', { code: err.code, kind: err.kind, error: err.message, context: err.context });
    controller.abort(err);
  };

  const targets = deps.destinations.map((d) => {
    const target = targetId(d.config.connection, d.config.dataset);
    return {
      target,
      deliverer: new Deliverer({
        target,
        config: d.config,
        connector: d.connector,
        schemaVersion: deps.mapping.schemaVersion,
        store,
        counts,
        logger: log,
        signal: controller.signal,
        onFatal: failRun,
        random: options.random,
        observer: deps.observer,
      }),
    };
  });

  // destinations that wait for another (`after:`): their records go once the upstream accepted them
  const { upstreams } = resolveUpstreams(deps.destinations.map((d) => d.config));
  for (const [i, u] of upstreams) {
    const dependent = targets[i]!;
    const upstream = targets[u]!;
    const gate = new UpstreamGate(upstream.target, store, (items) => dependent.deliverer.enqueueAdmitted(items));
    dependent.deliverer.waitFor(gate);
    upstream.deliverer.onAccepted((ids) => gate.upstreamAccepted(ids));
  }

  const progress = (): void => options.onProgress?.({ runId: run.id, counts: { ...counts }, elapsedMs: Date.now() - started, inFlight: Math.max(0, counts.staged - counts.accepted - counts.rejected - counts.dead - counts.conflicts - counts.deferred) });
  const ticker = options.onProgress ? setInterval(progress, options.progressIntervalMs ?? 250) : undefined;
  ticker?.unref();

  log.info('run started', { trigger: run.trigger, source: deps.source.type, destinations: targets.map((t) => t.target) });
  const notices: string[] = [];
  let deadInDestinationOutboxes = 0;
  const awaited = new Map<string, number>();
  let streamCompleted = false;
  try {
    // a query whose columns do not fit the mapping stops here, before anything is sent
    await checkColumns(job, deps, controller.signal);

    // a destination with a store-and-forward outbox of its own gets the store first
    for (const d of deps.destinations) {
      await d.connector.beginRun?.({ job: job.name, store, signal: controller.signal, log: (level, message, meta) => log.log(level, message, meta ?? {}) });
    }

    for (const t of targets) {
      const n = await t.deliverer.drainOutbox();
      if (n > 0) {
        counts.staged += n;
        log.info('resending records left unsettled by an earlier run', { target: t.target, records: n });
      }
    }

    if (deps.transformer?.beforeRun) notices.push(...(await deps.transformer.beforeRun()));

    const incremental = job.source.mode === 'incremental' && !options.fullRefresh;
    const savedCursor = incremental ? await store.getCursor(job.name, job.source.stream) : null;
    let maxCursor: CursorValue | null = savedCursor;
    const context: MappingContext = { unitCode: deps.unitCode, options: job.mapping.options };
    const memory: RunMemory = { knownInvalid: new Set(), knownWarned: new Set(), duplicates: new Map(), awaited };
    const subjectKey = await store.subjectKey();
    // records held back by earlier runs (a few percent at most): re-read by key unless the stream brings them
    for await (const inv of store.listInvalid(job.name)) memory.knownInvalid.add(inv.sourceKey);
    for await (const w of store.listWarnings(job.name)) memory.knownWarned.add(w.sourceKey);
    const toReread = new Set(memory.knownInvalid);
    const guard = new InvalidShareGuard(job.guard);
    // One chunk is committed (ledger, transform, outbox, destinations) while the next is read and
    // mapped. Commits stay in order, one at a time, so each sees the ledger as the one before left it.
    let committing: Promise<void> = Promise.resolve();
    const commitNext = async (mapped: MappedChunk): Promise<void> => {
      await committing;
      const held = guard.check(mapped.fromStream, mapped.invalidFromStream, mapped.invalid, job.name);
      if (held) {
        // what made the run stop is kept, with reasons, for the report; nothing of this chunk is sent
        if (mapped.invalid.length > 0) await store.recordInvalid(mapped.invalid);
        counts.invalid += mapped.invalid.length;
        throw held;
      }
      committing = commitChunk(mapped, job, run.id, { store, subjectKey, transformer: deps.transformer, observer: deps.observer }, targets, counts, memory);
      // a failed commit (a full disk, say) stops the run at once, not only when it is next awaited
      committing.catch(failRun);
    };
    const mapper = new ChunkMapper(job, run.id, context, deps.mapping, deps.transformer !== undefined, memory.duplicates);
    const consume = async (records: AsyncIterable<SourceRecord>, fromStream: boolean): Promise<void> => {
      for await (const record of records) {
        if (controller.signal.aborted) break;
        counts.read++;
        toReread.delete(record.key);
        // cursors of records re-read by key come from outside the ordered read: they never move the watermark
        if (fromStream && record.cursorValue !== undefined && record.cursorValue !== null) maxCursor = advanceCursor(maxCursor, record.cursorValue);
        mapper.add(record, fromStream);
        // a source read synchronously (SQLite) never lets the event loop turn by itself: let the
        // store's answers, the destinations' responses and timers in every few records
        if (counts.read % YIELD_EVERY === 0) await yieldToEventLoop();
        if (mapper.size >= CHUNK) await commitNext(mapper.take());
      }
    };
    try {
      await consume(deps.source.read({ stream: job.source.stream, mode: incremental ? 'incremental' : 'full', cursor: savedCursor, signal: controller.signal }), true);
      if (!controller.signal.aborted && toReread.size > 0) await rereadHeldBack(toReread, !incremental, consume, deps, job, log, notices, controller.signal);
      if (!controller.signal.aborted) {
        await commitNext(mapper.take());
        await committing;
        streamCompleted = true;
      }
    } finally {
      // a chunk still committing finishes (or fails) before the run is closed
      await committing.catch(failRun);
    }
    notices.push(...(await flushInDependencyOrder(targets, upstreams)));
    if (!controller.signal.aborted) deadInDestinationOutboxes = await endDestinationRuns(deps.destinations, counts, notices);
    if (streamCompleted && !controller.signal.aborted && deps.transformer?.afterRun) notices.push(...(await deps.transformer.afterRun()));
    if (streamCompleted && !controller.signal.aborted && maxCursor !== null && job.source.mode === 'incremental') {
      // every record up to this cursor is in the ledger (sent, staged in the outbox, or held back
      // by key to be read again), so a later run can start after it without losing anything
      await store.setCursor(job.name, job.source.stream, maxCursor);
    }
    for (const t of targets) notices.push(...t.deliverer.warnings());
  } catch (err) {
    failRun(err);
    // let batches in flight see the abort and settle before the run is closed
    await Promise.allSettled(targets.map((t) => t.deliverer.flush()));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (ticker) clearInterval(ticker);
  }

  const outcome: RunOutcome = fatal ? 'failed' : options.signal?.aborted ? 'interrupted' : leftOver(counts) ? 'partial' : 'succeeded';
  const stopped = fatal as LienthongError | null;
  const error = stopped ? { code: stopped.code, kind: stopped.kind, message: stopped.message } : null;
  await store.finishRun(run.id, outcome, counts, error);
  clearInterval(heartbeat);
  await store.releaseLock(job.name, owner);
  progress();
  const awaitedList = [...awaited.entries()].sort((a, b) => b[1] - a[1]).map(([who, n]) => `${who} ×${n}`);
  const summary: RunSummary = { runId: run.id, job: job.name, outcome, counts, error, durationMs: Date.now() - started, notices, awaited: awaitedList, ...(deadInDestinationOutboxes > 0 ? { deadInDestinationOutboxes } : {}) };
  log.info('run finished', { outcome, counts, durationMs: summary.durationMs, error: error?.code });
  notify(deps.observer, 'runEnded', { job: job.name, outcome, counts, durationMs: summary.durationMs });
  return summary;
}

/**
 * A run is partial when it leaves records for someone or something to act on: held back at the
 * source, refused by a destination, left pending for the next run, given up, in conflict, or
 * waiting for signers to approve.
 */
function leftOver(c: RunCounts): boolean {
  return c.invalid > 0 || c.rejected > 0 || c.deferred > 0 || c.dead > 0 || c.conflicts > 0 || c.awaitingSignature > 0;
}

/** Lets each destination with an outbox of its own forward it; what it holds back counts as deferred, what it refused as dead (answered: how many). */
async function endDestinationRuns(destinations: RunnerDestination[], counts: RunCounts, notices: string[]): Promise<number> {
  let dead = 0;
  for (const d of destinations) {
    const end = await d.connector.endRun?.();
    if (!end) continue;
    counts.deferred += end.deferred;
    counts.dead += end.dead;
    dead += end.dead;
    notices.push(...end.notices);
  }
  return dead;
}

/**
 * Flushes the destinations an upstream first: those of one depth together, then the ones waiting
 * for them, each of which first releases what its upstream now holds and leaves the rest pending
 * (answered as notices).
 */
async function flushInDependencyOrder(targets: { target: string; deliverer: Deliverer }[], upstreams: ReadonlyMap<number, number>): Promise<string[]> {
  const notices: string[] = [];
  const order = dependencyOrder(targets.length, upstreams);
  const depth = (i: number): number => dependencyDepth(i, upstreams);
  for (let level = 0; order.some((i) => depth(i) === level); level++) {
    await Promise.all(
      order
        .filter((i) => depth(i) === level)
        .map(async (i) => {
          const t = targets[i]!;
          const u = upstreams.get(i);
          if (u !== undefined) {
            const waiting = await t.deliverer.closeGate();
            if (waiting.length > 0) notices.push(waitingNotice(t.target, targets[u]!.target, waiting));
          }
          await t.deliverer.flush();
        }),
    );
  }
  return notices;
}

/** Probes the query and compares its columns with what the mapping reads (a ConfigError when they differ). */
async function checkColumns(job: JobDefinition, deps: RunnerDeps, signal: AbortSignal): Promise<void> {
  if (!deps.source.probe || !deps.mapping.columns) return;
  const probe = await deps.source.probe(job.source.stream, signal);
  const input = jobColumnCheck(job, deps.mapping, probe.columns);
  if (input) assertColumns(input);
}

/**
 * Reads again, by key, the records earlier runs held back and this run's stream did not bring
 * (their change time is behind the cursor): a fixed mapping option, a signing key put in place or
 * a corrected row that kept its change time then takes effect without a full refresh. A key the
 * source no longer has is cleared: the record is gone, and the report lists what the hub holds.
 */
async function rereadHeldBack(
  keys: Set<string>,
  /** the stream was read in full: a held-back key it did not bring is gone, no need to ask again */
  fullRead: boolean,
  consume: (records: AsyncIterable<SourceRecord>, fromStream: boolean) => Promise<void>,
  deps: RunnerDeps,
  job: JobDefinition,
  log: Logger,
  notices: string[],
  signal: AbortSignal,
): Promise<void> {
  if (fullRead) return clearGone(keys, deps, job, log);
  if (!deps.source.readKeys) {
    notices.push(`${keys.size} record(s) held back by earlier runs are read again only when they change at the source (this source cannot read by key)`);
    return;
  }
  const wanted = [...keys];
  log.info('reading again records held back by earlier runs', { records: wanted.length });
  await consume(deps.source.readKeys(job.source.stream, wanted, signal), false);
  if (signal.aborted) return;
  // keys still in the set were not found: gone from the source
  await clearGone(keys, deps, job, log);
}

async function clearGone(keys: Set<string>, deps: RunnerDeps, job: JobDefinition, log: Logger): Promise<void> {
  if (keys.size === 0) return;
  await deps.store.clearInvalid(job.name, [...keys]);
  log.info('records held back are gone from the source', { records: keys.size });
}
