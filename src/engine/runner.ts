import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DestinationConfig, JobDefinition } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { advanceCursor, parseStoredCursor, serializeCursor, type CursorValue } from '../core/cursor.js';
import { BugError, LienthongError, asLienthongError } from '../core/errors.js';
import { hashedJson } from '../core/hash.js';
import type { Logger } from '../core/logger.js';
import type { Mapping, MappingContext } from '../core/mapping.js';
import type { RecordTransformer } from '../core/transform.js';
import { serializeEnvelope, type FieldError, type RecordEnvelope, type SourceRecord } from '../core/records.js';
import { hostName } from '../store/sqlite-store.js';
import { emptyCounts, targetId, type InvalidRecord, type RunCounts, type RunOutcome, type StageRow, type StateStore, type TargetId } from '../store/store.js';
import { Deliverer } from './deliverer.js';

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
  /** how often onProgress is called */
  progressIntervalMs?: number;
  random?: () => number;
}

export interface RunSummary {
  runId: string;
  job: string;
  outcome: RunOutcome;
  counts: RunCounts;
  error: { code: string; message: string } | null;
  durationMs: number;
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
      }),
    };
  });

  const progress = (): void => options.onProgress?.({ runId: run.id, counts: { ...counts }, elapsedMs: Date.now() - started, inFlight: Math.max(0, counts.staged - counts.accepted - counts.rejected - counts.dead - counts.conflicts) });
  const ticker = options.onProgress ? setInterval(progress, options.progressIntervalMs ?? 250) : undefined;
  ticker?.unref();

  log.info('run started', { trigger: run.trigger, source: deps.source.type, destinations: targets.map((t) => t.target) });
  let streamCompleted = false;
  try {
    for (const t of targets) {
      const n = await t.deliverer.drainOutbox();
      if (n > 0) {
        counts.staged += n;
        log.info('resending records left unsettled by an earlier run', { target: t.target, records: n });
      }
    }

    const storedCursor = job.source.mode === 'incremental' && !options.fullRefresh ? await store.getCursor(job.name, job.source.stream) : null;
    const savedCursor: CursorValue | null = storedCursor === null ? null : parseStoredCursor(storedCursor);
    let maxCursor: CursorValue | null = savedCursor;
    const context: MappingContext = { unitCode: deps.unitCode, options: job.mapping.options };
    // records reported invalid by earlier runs (a few percent at most): only these can need clearing
    const knownInvalid = new Set<string>();
    for await (const inv of store.listInvalid(job.name)) knownInvalid.add(inv.sourceKey);
    const reader = deps.source.read({
      stream: job.source.stream,
      mode: job.source.mode === 'incremental' && !options.fullRefresh ? 'incremental' : 'full',
      cursor: savedCursor,
      signal: controller.signal,
    });
    // One chunk is committed (ledger, transform, outbox, destinations) while the next is read and
    // mapped. Commits stay in order, one at a time, so each sees the ledger as the one before left it.
    let committing: Promise<void> = Promise.resolve();
    const commitNext = async (mapped: MappedChunk): Promise<void> => {
      await committing;
      committing = commitChunk(mapped, job, run.id, deps, targets, counts, knownInvalid);
      // a failed commit (a full disk, say) stops the run at once, not only when it is next awaited
      committing.catch(failRun);
    };
    const mapper = new ChunkMapper(job, run.id, context, deps.mapping, deps.transformer !== undefined);
    try {
      for await (const record of reader) {
        if (controller.signal.aborted) break;
        counts.read++;
        if (record.cursorValue !== undefined && record.cursorValue !== null) maxCursor = advanceCursor(maxCursor, record.cursorValue);
        mapper.add(record);
        // a source read synchronously (SQLite) never lets the event loop turn by itself: let the
        // store's answers, the destinations' responses and timers in every few records
        if (counts.read % YIELD_EVERY === 0) await yieldToEventLoop();
        if (mapper.size >= CHUNK) await commitNext(mapper.take());
      }
      if (!controller.signal.aborted) {
        await commitNext(mapper.take());
        await committing;
        streamCompleted = true;
      }
    } finally {
      // a chunk still committing finishes (or fails) before the run is closed
      await committing.catch(failRun);
    }
    await Promise.all(targets.map((t) => t.deliverer.flush()));
    if (streamCompleted && !controller.signal.aborted && maxCursor !== null && job.source.mode === 'incremental') {
      // every record up to this cursor is in the ledger (sent or staged in the outbox), so a
      // later run can start after it without losing anything
      await store.setCursor(job.name, job.source.stream, serializeCursor(maxCursor));
    }
  } catch (err) {
    failRun(err);
    // let batches in flight see the abort and settle before the run is closed
    await Promise.allSettled(targets.map((t) => t.deliverer.flush()));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (ticker) clearInterval(ticker);
  }

  const outcome: RunOutcome = fatal
    ? 'failed'
    : options.signal?.aborted
      ? 'interrupted'
      : counts.dead > 0 || counts.conflicts > 0
        ? 'partial'
        : 'succeeded';
  const error = fatal ? { code: (fatal as LienthongError).code, message: (fatal as LienthongError).message } : null;
  await store.finishRun(run.id, outcome, counts, error);
  clearInterval(heartbeat);
  await store.releaseLock(job.name, owner);
  progress();
  const summary: RunSummary = { runId: run.id, job: job.name, outcome, counts, error, durationMs: Date.now() - started };
  log.info('run finished', { outcome, counts, durationMs: summary.durationMs, error: error?.code });
  return summary;
}

/**
 * A record mapped and hashed. It keeps its source key and JSON text, not the source row or the
 * mapped object graph: a chunk lives on while the next one is mapped, and dozens of small objects
 * per record surviving young-generation collections cost more than the record's one string.
 */
interface MappedRecord {
  key: string;
  idbanghi: string;
  sukien: RecordEnvelope['sukien'];
  thoigiancapnhat: string;
  /** the mapped data, kept only when a transformer needs it (school records are signed) */
  data: RecordEnvelope['data'] | undefined;
  /** `data` in its RFC 8785 form: what the content hash is taken of, and what the envelope carries */
  dataJson: string;
  hash: string;
}

/** A changed record for one destination: its next version, and the document it travels with. */
interface PlannedRecord {
  mapped: MappedRecord;
  phienban: number;
  sukien: RecordEnvelope['sukien'];
  tailieu: RecordEnvelope['tailieu'];
}

/** A chunk of source records, mapped and hashed: what is valid so far, and what is not and why. */
interface MappedChunk {
  nowIso: string;
  mapped: MappedRecord[];
  invalid: InvalidRecord[];
}

/** Maps and hashes source records into a chunk (pure work on this thread; nothing is stored yet). */
class ChunkMapper {
  private chunk: MappedChunk = { nowIso: '', mapped: [], invalid: [] };
  /** idbanghi → source key of the records mapped in this chunk */
  private seen = new Map<string, string>();

  constructor(
    private readonly job: JobDefinition,
    private readonly runId: string,
    private readonly context: MappingContext,
    private readonly mapping: Mapping,
    private readonly keepData: boolean,
  ) {}

  /** records added since the last take */
  get size(): number {
    return this.chunk.mapped.length + this.chunk.invalid.length;
  }

  add(record: SourceRecord): void {
    const { job, runId, chunk } = this;
    if (this.size === 0) chunk.nowIso = new Date().toISOString();
    let result;
    try {
      result = this.mapping.map(record, this.context);
    } catch (err) {
      const e = asLienthongError(err, { job: job.name, record: record.key });
      result = { ok: false as const, errors: [{ field: 'record', code: e.code, message: `the mapping failed on this record: ${e.message}` }] };
    }
    if (!result.ok) {
      chunk.invalid.push({ job: job.name, sourceKey: record.key, idbanghi: result.idbanghi ?? null, errors: result.errors, runId, updatedAt: chunk.nowIso });
      return;
    }
    const other = this.seen.get(result.idbanghi);
    if (other !== undefined && other !== record.key) {
      chunk.invalid.push({ job: job.name, sourceKey: record.key, idbanghi: result.idbanghi, errors: [duplicateError(other)], runId, updatedAt: chunk.nowIso });
      return;
    }
    this.seen.set(result.idbanghi, record.key);
    const { json: dataJson, hash } = hashedJson(result.data);
    chunk.mapped.push({ key: record.key, idbanghi: result.idbanghi, sukien: result.sukien, thoigiancapnhat: result.thoigiancapnhat, data: this.keepData ? result.data : undefined, dataJson, hash });
  }

  /** the chunk so far; the next record starts a new one */
  take(): MappedChunk {
    const chunk = this.chunk;
    this.chunk = { nowIso: '', mapped: [], invalid: [] };
    this.seen = new Map();
    return chunk;
  }
}

/**
 * Compares a mapped chunk with the ledger, transforms (signs) what changed, stages it with its new
 * phienban, hands it to the destinations, and records what is invalid.
 */
async function commitChunk(
  chunk: MappedChunk,
  job: JobDefinition,
  runId: string,
  deps: RunnerDeps,
  targets: { target: TargetId; deliverer: Deliverer }[],
  counts: RunCounts,
  knownInvalid: Set<string>,
): Promise<void> {
  const { nowIso, mapped, invalid } = chunk;
  if (mapped.length === 0 && invalid.length === 0) return;
  const validKeys: string[] = [];

  // decide per target what changed; a record is transformed (signed) once, for every target
  /** source keys found invalid after mapping: duplicates, records the transformer refused */
  const notValid = new Set<string>();
  const plans: { target: TargetId; deliverer: Deliverer; staged: PlannedRecord[] }[] = [];
  for (const [index, t] of targets.entries()) {
    const ledger = await deps.store.getLedgerEntries(t.target, mapped.map((m) => m.idbanghi));
    const staged: PlannedRecord[] = [];
    for (const m of mapped) {
      if (notValid.has(m.key)) continue;
      const entry = ledger.get(m.idbanghi);
      if (entry && entry.sourceKey !== m.key && entry.job === job.name) {
        // two source rows claim the same national record (e.g. a diploma number typed twice)
        if (index === 0) invalid.push({ job: job.name, sourceKey: m.key, idbanghi: m.idbanghi, errors: [duplicateError(entry.sourceKey)], runId, updatedAt: nowIso });
        notValid.add(m.key);
        continue;
      }
      if (entry && entry.contentHash === m.hash) {
        if (index === 0) counts.unchanged++;
        continue;
      }
      const phienban = (entry?.phienban ?? 0) + 1;
      const sukien = m.sukien === 'CANCEL' ? 'CANCEL' : entry ? 'UPDATE' : m.sukien;
      staged.push({ mapped: m, phienban, sukien, tailieu: undefined });
    }
    plans.push({ target: t.target, deliverer: t.deliverer, staged });
  }

  if (deps.transformer) {
    const transformer = deps.transformer;
    const byKey = new Map<string, PlannedRecord>();
    for (const p of plans) for (const s of p.staged) if (!byKey.has(s.mapped.key)) byKey.set(s.mapped.key, s);
    const failed = new Set<string>();
    const documents = new Map<string, RecordEnvelope['tailieu']>();
    await Promise.all(
      [...byKey.values()].map(async ({ mapped: m, phienban }) => {
        let result;
        try {
          if (m.data === undefined) throw new BugError('DATA_NOT_KEPT', 'the mapped data was not kept for the transformer');
          result = await transformer.transform({ idbanghi: m.idbanghi, phienban, sourceKey: m.key, data: m.data });
        } catch (err) {
          const e = asLienthongError(err, { job: job.name, record: m.key });
          result = { ok: false as const, errors: [{ field: 'tailieu', code: e.code, message: `${transformer.name} failed on this record: ${e.message}` }] };
        }
        if (result.ok) documents.set(m.key, result.tailieu);
        else {
          failed.add(m.key);
          invalid.push({ job: job.name, sourceKey: m.key, idbanghi: m.idbanghi, errors: result.errors, runId, updatedAt: nowIso });
        }
      }),
    );
    for (const p of plans) {
      p.staged = p.staged.filter((s) => !failed.has(s.mapped.key));
      for (const s of p.staged) s.tailieu = documents.get(s.mapped.key);
    }
    for (const k of failed) notValid.add(k);
  }

  for (const p of plans) {
    if (p.staged.length === 0) continue;
    const rows: StageRow[] = p.staged.map(({ mapped: m, phienban, sukien, tailieu }) => ({
      target: p.target,
      job: job.name,
      sourceKey: m.key,
      contentHash: m.hash,
      idbanghi: m.idbanghi,
      phienban,
      envelopeJson: serializeEnvelope({ idbanghi: m.idbanghi, sukien, phienban, thoigiancapnhat: m.thoigiancapnhat, ...(tailieu === undefined ? {} : { tailieu }) }, m.dataJson),
    }));
    await deps.store.stage(rows);
    counts.staged += rows.length;
    await p.deliverer.enqueue(rows);
  }
  for (const m of mapped) if (!notValid.has(m.key)) validKeys.push(m.key);
  counts.mapped += validKeys.length;
  counts.invalid += invalid.length;
  if (invalid.length > 0) await deps.store.recordInvalid(invalid);
  for (const i of invalid) knownInvalid.add(i.sourceKey);
  const fixed = validKeys.filter((k) => knownInvalid.delete(k));
  if (fixed.length > 0) await deps.store.clearInvalid(job.name, fixed);
}

function duplicateError(otherSourceKey: string): FieldError {
  return {
    field: 'idbanghi',
    code: 'DUPLICATE_IDBANGHI',
    message: `another source record (${otherSourceKey}) already maps to this national record id; the two cannot both be sent`,
  };
}
