import type { JobDefinition } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { ConfigError } from '../core/errors.js';
import type { Mapping } from '../core/mapping.js';
import type { FieldError, HeldRecord } from '../core/records.js';
import { mapRecord } from '../engine/chunk-mapper.js';
import { targetId, type LedgerEntry, type StateStore } from '../store/store.js';
import { groupByCode, partition, type SourceRow } from './partition.js';
import { codeGlossary } from './report-codes.js';
import { daysUntil, vietnamNowIso } from './time.js';
import type { DeadlineProgress, ReconciliationReport, ReconciliationTotals } from './types.js';
import { checkCredentials, type CredentialLookup } from './credentials.js';

/**
 * A record's mapping warnings as the runner stores them (the store's RecordWarnings has this
 * shape: `store.listWarnings(job)` can be passed as it is).
 */
export interface RecordWarningsInput {
  sourceKey: string;
  idbanghi: string | null;
  warnings: FieldError[];
}

export interface ReconcileDeps {
  /** the ledger, the records the runs held back, the ledger's status counts */
  store: Pick<StateStore, 'ledger' | 'listInvalid' | 'statusCounts'>;
  source: SourceConnector;
  mapping: Mapping;
  /** the destination to compare against; it must offer a read-back API */
  destination: { connection: string; dataset: string; connector: DestinationConnector };
  unitCode: string;
  /**
   * The job's mapping warnings as the runs stored them (`store.listWarnings(job)`). Without it the
   * report lists the warnings the mapping gives the source as it is now.
   */
  warnings?: AsyncIterable<RecordWarningsInput> | Iterable<RecordWarningsInput>;
  /** a credential service publishing after the destination (VNeID): the report's credential column */
  credentials?: CredentialLookup;
  now?: Date;
}

/**
 * Compares three views of one job's records: what the source has now (read in full and mapped),
 * what the ledger says was sent and answered (and what the runs held back), and what the hub holds
 * (its read-back API). Every source record is counted once: see partition() for the rules.
 */
export async function reconcile(job: JobDefinition, deps: ReconcileDeps): Promise<ReconciliationReport> {
  const { store, destination } = deps;
  const target = targetId(destination.connection, destination.dataset);
  const readBack = destination.connector.readBack?.bind(destination.connector);
  if (!readBack) {
    throw new ConfigError('NO_READ_BACK', `destination ${destination.connection} has no read-back API to reconcile against`, { job: job.name, connector: destination.connector.type });
  }

  // 1. the source as it is now, every row mapped as a run would map it
  const rows: SourceRow[] = [];
  const ownWarnings = new Map<string, RecordWarningsInput>();
  // only to ask the credential service, never in the report
  const people: { idbanghi: string; sourceKey: string; personalId: string | null }[] = [];
  // (the runner's own mapping step: the same call, the same hash, the same hold on a throw)
  const context = { unitCode: deps.unitCode, options: job.mapping.options };
  for await (const record of deps.source.read({ stream: job.source.stream, mode: 'full' })) {
    const result = mapRecord(record, deps.mapping, context, job.name);
    if (result.ok) {
      rows.push({ key: record.key, idbanghi: result.idbanghi, hash: result.hash });
      if (deps.credentials) people.push({ idbanghi: result.idbanghi, sourceKey: record.key, personalId: result.personalId });
      if (result.warnings) ownWarnings.set(record.key, { sourceKey: record.key, idbanghi: result.idbanghi, warnings: result.warnings });
    } else {
      rows.push({ key: record.key, ...(result.idbanghi === null ? {} : { idbanghi: result.idbanghi }), errors: result.errors });
    }
  }

  // 2. the hub, the ledger, what the runs held back, the warnings they stored
  const hub = new Map<string, HeldRecord>();
  for await (const held of readBack(destination.dataset)) hub.set(held.idbanghi, held);
  const ledger = new Map<string, LedgerEntry>();
  for await (const entry of store.ledger(target)) ledger.set(entry.idbanghi, entry);
  const heldByRun = new Map<string, { idbanghi: string | null; errors: FieldError[] }>();
  for await (const inv of store.listInvalid(job.name)) heldByRun.set(inv.sourceKey, { idbanghi: inv.idbanghi, errors: inv.errors });
  let warnings: Map<string, RecordWarningsInput> = ownWarnings;
  if (deps.warnings !== undefined) {
    warnings = new Map();
    for await (const w of deps.warnings) warnings.set(w.sourceKey, w);
  }

  // 3. one category per source record, and the checks against the hub
  const p = partition({ job: job.name, rows, ledger, heldByRun, hub, warnings });
  const totals: ReconciliationTotals = {
    source: rows.length,
    ...p.counts,
    missingAtHub: p.missingAtHub.length,
    mismatched: p.mismatched.length,
    goneFromSource: p.goneFromSource.length,
    extraAtHub: p.extraAtHub.length,
    warnings: p.warnedRecords,
  };
  const now = deps.now ?? new Date();
  const deadlines: DeadlineProgress[] = job.deadlines.map((d) => ({
    name: d.name,
    date: d.date,
    daysLeft: daysUntil(d.date, now),
    accepted: totals.accepted,
    waiting: totals.pending + totals.unsent,
    failed: totals.rejectedByHub + totals.dead + totals.conflicts,
    heldBack: totals.heldBack,
  }));

  const lists = { issues: p.issues, warnings: p.warnings, missingAtHub: p.missingAtHub, mismatched: p.mismatched, goneFromSource: p.goneFromSource, extraAtHub: p.extraAtHub };
  return {
    job: job.name,
    dataset: destination.dataset,
    unitCode: deps.unitCode,
    generatedAt: vietnamNowIso(now),
    totals,
    statusCounts: await store.statusCounts(target),
    issues: p.issues,
    byCode: groupByCode(p.issues, p.warnings),
    waiting: p.waiting,
    warnings: p.warnings,
    missingAtHub: p.missingAtHub,
    mismatched: p.mismatched,
    goneFromSource: p.goneFromSource,
    extraAtHub: p.extraAtHub,
    codes: codeGlossary(lists),
    ...(deadlines.length > 0 ? { deadlines } : {}),
    ...(deps.credentials ? { credentials: await checkCredentials(people, hub, deps.credentials) } : {}),
  };
}

