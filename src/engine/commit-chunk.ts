import type { JobDefinition } from '../config/schema.js';
import { BugError, asLienthongError } from '../core/errors.js';
import { notify, type EngineObserver } from '../core/observer.js';
import type { AttachedDocument, RecordEvent } from '../core/records.js';
import { awaitingError, isAwaitingSignature, type RecordTransformer } from '../core/transform.js';
import { subjectHash } from '../core/subject-hash.js';
import type { InvalidRecord, LedgerEntry, RecordWarnings, RunCounts, StageRow, StateStore, TargetId } from '../store/store.js';
import { duplicateError, type DuplicateHolds, type MappedChunk, type MappedRecord } from './chunk-mapper.js';
import type { Deliverer } from './deliverer.js';

/** A changed record for one destination: its next version, and the document it travels with. */
interface PlannedRecord {
  mapped: MappedRecord;
  phienban: number;
  sukien: RecordEvent;
  tailieu: AttachedDocument | undefined;
}

/** What a run knows across chunks: records held back and records with warnings, by source key. */
export interface RunMemory {
  knownInvalid: Set<string>;
  knownWarned: Set<string>;
  duplicates: DuplicateHolds;
  /** who records of this run wait for (`role (masked id)` → records), told at the end of the run */
  awaited?: Map<string, number>;
}

export interface CommitTarget {
  target: TargetId;
  deliverer: Deliverer;
}

export interface CommitDeps {
  store: StateStore;
  /** the store's key for the ledger's subject hashes (StateStore.subjectKey) */
  subjectKey: Buffer;
  transformer?: RecordTransformer;
  observer?: EngineObserver;
}

/**
 * Compares a mapped chunk with the ledger, transforms (signs) what changed, stages it with its new
 * phienban, hands it to the destinations, and records what is held back and what has warnings.
 * An error of kind `config` from the transformer (a signing key missing) stops the run: the
 * chunk is not staged, so its records are read again once the configuration is fixed.
 */
export async function commitChunk(chunk: MappedChunk, job: JobDefinition, runId: string, deps: CommitDeps, targets: CommitTarget[], counts: RunCounts, memory: RunMemory): Promise<void> {
  const { nowIso, mapped, invalid } = chunk;
  if (mapped.length === 0 && invalid.length === 0) return;
  const hold = (key: string, idbanghi: string | null, errors: InvalidRecord['errors']): void => {
    invalid.push({ job: job.name, sourceKey: key, idbanghi, errors, runId, updatedAt: nowIso });
  };

  /** source keys found not valid after mapping: duplicates, records the transformer refused */
  const notValid = new Set<string>();
  const plans: { target: TargetId; deliverer: Deliverer; staged: PlannedRecord[] }[] = [];
  for (const [index, t] of targets.entries()) {
    const ledger = await deps.store.getLedgerEntries(t.target, mapped.map((m) => m.idbanghi));
    const staged: PlannedRecord[] = [];
    for (const m of mapped) {
      if (notValid.has(m.key)) continue;
      const plan = planStaging(m, ledger.get(m.idbanghi), job.name);
      if (plan.action === 'duplicate') {
        // two source rows claim one national record (a diploma number typed twice): both are held
        // back. The one already in the ledger may have reached the hub in an earlier run or chunk;
        // the report says so, and it is not sent again until the source is corrected.
        if (index === 0) {
          hold(m.key, m.idbanghi, [duplicateError(plan.otherKey)]);
          if (!memory.duplicates.has(plan.otherKey)) hold(plan.otherKey, m.idbanghi, [duplicateError(m.key)]);
          memory.duplicates.set(m.key, plan.otherKey);
          memory.duplicates.set(plan.otherKey, m.key);
        }
        notValid.add(m.key);
        continue;
      }
      if (plan.action === 'unchanged') {
        if (index === 0) counts.unchanged++;
        continue;
      }
      staged.push({ mapped: m, phienban: plan.phienban, sukien: plan.sukien, tailieu: undefined });
    }
    plans.push({ target: t.target, deliverer: t.deliverer, staged });
  }

  if (deps.transformer) {
    const started = Date.now();
    const made = await transform(deps.transformer, plans, job, notValid, hold, memory.awaited);
    if (made > 0) notify(deps.observer, 'signed', { job: job.name, transformer: deps.transformer.name, documents: made, ms: Date.now() - started });
  }

  // Every target's rows in one transaction, before anything is sent: a destination that waits for
  // another (`after:`) never misses a record the other accepted before a crash.
  const staging = plans.map((p) => ({
    deliverer: p.deliverer,
    rows: p.staged.map(({ mapped: m, phienban, sukien, tailieu }): StageRow => ({
      target: p.target,
      job: job.name,
      sourceKey: m.key,
      contentHash: m.hash,
      idbanghi: m.idbanghi,
      phienban,
      subjectHash: m.personalId === null ? null : subjectHash(deps.subjectKey, m.personalId),
      grade: m.grade,
      verification: m.verification ?? null,
      // the destination's own wire form, made once: the outbox keeps it and it is what is sent
      envelopeJson: p.deliverer.encode({ key: m.key, idbanghi: m.idbanghi, version: phienban, event: sukien, changedAt: m.thoigiancapnhat, contentHash: m.hash, dataJson: m.dataJson, document: tailieu }),
    })),
  }));
  const allRows = staging.flatMap((s) => s.rows);
  if (allRows.length > 0) await deps.store.stage(allRows);
  for (const s of staging) {
    if (s.rows.length === 0) continue;
    counts.staged += s.rows.length;
    await s.deliverer.enqueue(s.rows);
  }

  const valid = mapped.filter((m) => !notValid.has(m.key));
  counts.mapped += valid.length;
  // a record waiting for signatures is held back and re-read like an invalid one, but it is not bad data
  const waiting = invalid.filter(isAwaitingSignature).length;
  counts.invalid += invalid.length - waiting;
  counts.awaitingSignature += waiting;
  if (invalid.length > 0) await deps.store.recordInvalid(invalid);
  for (const i of invalid) memory.knownInvalid.add(i.sourceKey);
  const fixed = valid.filter((m) => memory.knownInvalid.delete(m.key)).map((m) => m.key);
  if (fixed.length > 0) await deps.store.clearInvalid(job.name, fixed);
  await keepWarnings(valid, job.name, runId, nowIso, deps.store, counts, memory.knownWarned);
}

/** What a run does with a mapped record, given the ledger's entry for its national id at a target. */
export type StagingPlan =
  | { action: 'duplicate'; otherKey: string }
  | { action: 'unchanged'; phienban: number }
  | { action: 'stage'; phienban: number; sukien: RecordEvent };

/**
 * The run's one decision per record and target, which the dry run shows too: another source
 * record of this job already holds the id (both are held back), the content did not change, or
 * the record is staged at the next version (an update once the destination has a version).
 */
export function planStaging(m: { key: string; hash: string; sukien: RecordEvent }, entry: LedgerEntry | undefined, job: string): StagingPlan {
  if (entry && entry.sourceKey !== m.key && entry.job === job) return { action: 'duplicate', otherKey: entry.sourceKey };
  if (entry && entry.contentHash === m.hash) return { action: 'unchanged', phienban: entry.phienban };
  return { action: 'stage', phienban: (entry?.phienban ?? 0) + 1, sukien: m.sukien === 'CANCEL' ? 'CANCEL' : entry ? 'UPDATE' : m.sukien };
}

/** Signs (or otherwise transforms) each changed record once, for every target; returns how many it made. */
async function transform(
  transformer: RecordTransformer,
  plans: { staged: PlannedRecord[] }[],
  job: JobDefinition,
  notValid: Set<string>,
  hold: (key: string, idbanghi: string | null, errors: InvalidRecord['errors']) => void,
  awaited: Map<string, number> | undefined,
): Promise<number> {
  const byKey = new Map<string, PlannedRecord>();
  for (const p of plans) for (const s of p.staged) if (!byKey.has(s.mapped.key)) byKey.set(s.mapped.key, s);
  const failed = new Set<string>();
  const documents = new Map<string, AttachedDocument | undefined>();
  const results = await Promise.allSettled(
    [...byKey.values()].map(async ({ mapped: m, phienban }) => {
      let result;
      try {
        if (m.data === undefined) throw new BugError('DATA_NOT_KEPT', 'the mapped data was not kept for the transformer');
        result = await transformer.transform({ idbanghi: m.idbanghi, phienban, sourceKey: m.key, data: m.data, ...(m.signing ? { signing: m.signing } : {}) });
      } catch (err) {
        const e = asLienthongError(err, { job: job.name, record: m.key });
        // a missing key or a wrong password concerns every record: stop, do not hold them as bad data
        if (e.kind === 'config' || e.kind === 'bug') throw e;
        result = { ok: false as const, errors: [{ field: 'tailieu', code: e.code, message: `${transformer.name} failed on this record: ${e.message}` }] };
      }
      if (result.ok === true) documents.set(m.key, result.tailieu);
      else {
        failed.add(m.key);
        if (result.ok === 'waiting') {
          hold(m.key, m.idbanghi, [awaitingError(result.awaiting)]);
          for (const a of result.awaiting) awaited?.set(`${a.role} (${a.maskedId})`, (awaited.get(`${a.role} (${a.maskedId})`) ?? 0) + 1);
        } else hold(m.key, m.idbanghi, result.errors);
      }
    }),
  );
  const stop = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (stop) throw stop.reason;
  for (const p of plans) {
    p.staged = p.staged.filter((s) => !failed.has(s.mapped.key));
    for (const s of p.staged) s.tailieu = documents.get(s.mapped.key);
  }
  for (const k of failed) notValid.add(k);
  return documents.size;
}

/** Stores the warnings of valid records; clears those of records that no longer have any. */
async function keepWarnings(valid: MappedRecord[], job: string, runId: string, nowIso: string, store: StateStore, counts: RunCounts, knownWarned: Set<string>): Promise<void> {
  const rows: RecordWarnings[] = [];
  const cleared: string[] = [];
  for (const m of valid) {
    if (m.warnings) {
      rows.push({ job, sourceKey: m.key, idbanghi: m.idbanghi, warnings: m.warnings, runId, updatedAt: nowIso });
      knownWarned.add(m.key);
    } else if (knownWarned.delete(m.key)) cleared.push(m.key);
  }
  counts.warnings += rows.length;
  if (rows.length > 0) await store.recordWarnings(rows);
  if (cleared.length > 0) await store.clearWarnings(job, cleared);
}
