import { randomUUID } from 'node:crypto';
import type { DestinationConfig, JobDefinition } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { LienthongError, asLienthongError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { Logger } from '../core/logger.js';
import type { Mapping, MappingContext } from '../core/mapping.js';
import type { RecordTransformer } from '../core/transform.js';
import type { FieldError, RecordEnvelope, SourceRecord } from '../core/records.js';
import { hostName } from '../store/sqlite-store.js';
import { emptyCounts, targetId, type InvalidRecord, type OutboxItem, type RunCounts, type RunOutcome, type StagedRecord, type StateStore, type TargetId } from '../store/store.js';
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
  const failRun = (err: LienthongError): void => {
    if (fatal) return;
    fatal = err;
    log.error('run stopped', { code: err.code, kind: err.kind, error: err.message, context: err.context });
    controller.abort(err);
  };

  const targets = deps.destinations.map((d) => ({
    target: targetId(d.config.connection, d.config.dataset),
    deliverer: new Deliverer({
      target: targetId(d.config.connection, d.config.dataset),
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
  }));

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

    const savedCursor = job.source.mode === 'incremental' && !options.fullRefresh ? await store.getCursor(job.name, job.source.stream) : null;
    let maxCursor: string | number | null = savedCursor;
    const context: MappingContext = { unitCode: deps.unitCode, options: job.mapping.options };
    let chunk: SourceRecord[] = [];
    // records reported invalid by earlier runs (a few percent at most): only these can need clearing
    const knownInvalid = new Set<string>();
    for await (const inv of store.listInvalid(job.name)) knownInvalid.add(inv.sourceKey);
    const reader = deps.source.read({
      stream: job.source.stream,
      mode: job.source.mode === 'incremental' && !options.fullRefresh ? 'incremental' : 'full',
      cursor: savedCursor,
      signal: controller.signal,
    });
    for await (const record of reader) {
      if (controller.signal.aborted) break;
      counts.read++;
      if (record.cursorValue !== undefined && record.cursorValue !== null && (maxCursor === null || compareCursor(record.cursorValue, maxCursor) > 0)) {
        maxCursor = record.cursorValue;
      }
      chunk.push(record);
      if (chunk.length >= CHUNK) {
        await processChunk(chunk, job, run.id, context, deps, targets, counts, knownInvalid);
        chunk = [];
      }
    }
    if (!controller.signal.aborted) {
      await processChunk(chunk, job, run.id, context, deps, targets, counts, knownInvalid);
      streamCompleted = true;
    }
    await Promise.all(targets.map((t) => t.deliverer.flush()));
    if (streamCompleted && !controller.signal.aborted && maxCursor !== null && job.source.mode === 'incremental') {
      // every record up to this cursor is in the ledger (sent or staged in the outbox), so a
      // later run can start after it without losing anything
      await store.setCursor(job.name, job.source.stream, String(maxCursor));
    }
  } catch (err) {
    failRun(asLienthongError(err, { job: job.name, run: run.id }));
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

function compareCursor(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

async function processChunk(
  chunk: SourceRecord[],
  job: JobDefinition,
  runId: string,
  context: MappingContext,
  deps: RunnerDeps,
  targets: { target: TargetId; deliverer: Deliverer }[],
  counts: RunCounts,
  knownInvalid: Set<string>,
): Promise<void> {
  if (chunk.length === 0) return;
  const nowIso = new Date().toISOString();
  const invalid: InvalidRecord[] = [];
  const validKeys: string[] = [];
  const mapped: { record: SourceRecord; idbanghi: string; sukien: RecordEnvelope['sukien']; thoigiancapnhat: string; data: RecordEnvelope['data']; hash: string }[] = [];
  const seenInChunk = new Map<string, string>();

  for (const record of chunk) {
    let result;
    try {
      result = deps.mapping.map(record, context);
    } catch (err) {
      const e = asLienthongError(err, { job: job.name, record: record.key });
      result = { ok: false as const, errors: [{ field: 'record', code: e.code, message: `the mapping failed on this record: ${e.message}` }] };
    }
    if (!result.ok) {
      invalid.push({ job: job.name, sourceKey: record.key, idbanghi: result.idbanghi ?? null, errors: result.errors, runId, updatedAt: nowIso });
      continue;
    }
    const other = seenInChunk.get(result.idbanghi);
    if (other !== undefined && other !== record.key) {
      invalid.push({ job: job.name, sourceKey: record.key, idbanghi: result.idbanghi, errors: [duplicateError(other)], runId, updatedAt: nowIso });
      continue;
    }
    seenInChunk.set(result.idbanghi, record.key);
    mapped.push({ record, idbanghi: result.idbanghi, sukien: result.sukien, thoigiancapnhat: result.thoigiancapnhat, data: result.data, hash: contentHash(result.data) });
  }

  // decide per target what changed; a record is transformed (signed) once, for every target
  /** source keys found invalid after mapping: duplicates, records the transformer refused */
  const notValid = new Set<string>();
  const plans: { target: TargetId; deliverer: Deliverer; staged: StagedRecord[] }[] = [];
  for (const [index, t] of targets.entries()) {
    const ledger = await deps.store.getLedgerEntries(t.target, mapped.map((m) => m.idbanghi));
    const staged: StagedRecord[] = [];
    for (const m of mapped) {
      if (notValid.has(m.record.key)) continue;
      const entry = ledger.get(m.idbanghi);
      if (entry && entry.sourceKey !== m.record.key && entry.job === job.name) {
        // two source rows claim the same national record (e.g. a diploma number typed twice)
        if (index === 0) invalid.push({ job: job.name, sourceKey: m.record.key, idbanghi: m.idbanghi, errors: [duplicateError(entry.sourceKey)], runId, updatedAt: nowIso });
        notValid.add(m.record.key);
        continue;
      }
      if (entry && entry.contentHash === m.hash) {
        if (index === 0) counts.unchanged++;
        continue;
      }
      const phienban = (entry?.phienban ?? 0) + 1;
      const sukien = m.sukien === 'CANCEL' ? 'CANCEL' : entry ? 'UPDATE' : m.sukien;
      staged.push({
        target: t.target,
        job: job.name,
        sourceKey: m.record.key,
        contentHash: m.hash,
        envelope: { idbanghi: m.idbanghi, sukien, phienban, thoigiancapnhat: m.thoigiancapnhat, data: m.data },
        envelopeJson: '', // serialized below, once its document (if any) is attached
      });
    }
    plans.push({ target: t.target, deliverer: t.deliverer, staged });
  }

  if (deps.transformer) {
    const transformer = deps.transformer;
    const byKey = new Map<string, StagedRecord>();
    for (const p of plans) for (const s of p.staged) if (!byKey.has(s.sourceKey)) byKey.set(s.sourceKey, s);
    const failed = new Set<string>();
    const documents = new Map<string, RecordEnvelope['tailieu']>();
    await Promise.all(
      [...byKey.values()].map(async (s) => {
        let result;
        try {
          result = await transformer.transform({ idbanghi: s.envelope.idbanghi, phienban: s.envelope.phienban, sourceKey: s.sourceKey, data: s.envelope.data });
        } catch (err) {
          const e = asLienthongError(err, { job: job.name, record: s.sourceKey });
          result = { ok: false as const, errors: [{ field: 'tailieu', code: e.code, message: `${transformer.name} failed on this record: ${e.message}` }] };
        }
        if (result.ok) documents.set(s.sourceKey, result.tailieu);
        else {
          failed.add(s.sourceKey);
          invalid.push({ job: job.name, sourceKey: s.sourceKey, idbanghi: s.envelope.idbanghi, errors: result.errors, runId, updatedAt: nowIso });
        }
      }),
    );
    for (const p of plans) {
      p.staged = p.staged.filter((s) => !failed.has(s.sourceKey));
      for (const s of p.staged) {
        const doc = documents.get(s.sourceKey);
        if (doc) s.envelope.tailieu = doc;
      }
    }
    for (const k of failed) notValid.add(k);
  }

  for (const p of plans) {
    if (p.staged.length === 0) continue;
    for (const s of p.staged) s.envelopeJson = JSON.stringify(s.envelope);
    await deps.store.stage(p.staged);
    counts.staged += p.staged.length;
    const items: OutboxItem[] = p.staged.map((s) => ({ target: s.target, idbanghi: s.envelope.idbanghi, sourceKey: s.sourceKey, phienban: s.envelope.phienban, contentHash: s.contentHash, envelopeJson: s.envelopeJson }));
    await p.deliverer.enqueue(items);
  }
  for (const m of mapped) if (!notValid.has(m.record.key)) validKeys.push(m.record.key);
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
