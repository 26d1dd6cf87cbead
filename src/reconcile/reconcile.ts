import type { JobDefinition } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { ConfigError, asLienthongError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { Mapping } from '../core/mapping.js';
import type { HeldRecord } from '../core/records.js';
import { targetId, type StateStore } from '../store/store.js';
import { daysUntil, vietnamNowIso } from './time.js';
import type { DeadlineProgress, MismatchEntry, ReconciliationReport, RejectionGroup, ReportIssue } from './types.js';

export interface ReconcileDeps {
  store: StateStore;
  source: SourceConnector;
  mapping: Mapping;
  /** the destination to compare against; it must offer a read-back API */
  destination: { connection: string; dataset: string; connector: DestinationConnector };
  unitCode: string;
  now?: Date;
}

const EXAMPLES_PER_CODE = 50;

/**
 * Compares three views of one job's records: what the source has now (read in full and mapped),
 * what the ledger says was sent and answered, and what the hub holds (its read-back API).
 */
export async function reconcile(job: JobDefinition, deps: ReconcileDeps): Promise<ReconciliationReport> {
  const { store, destination } = deps;
  const target = targetId(destination.connection, destination.dataset);
  if (!destination.connector.readBack) {
    throw new ConfigError('NO_READ_BACK', `destination ${destination.connection} has no read-back API to reconcile against`, { job: job.name, connector: destination.connector.type });
  }

  // 1. the source as it is now: idbanghi → content hash of the valid records
  const sourceValid = new Map<string, { sourceKey: string; hash: string }>();
  let sourceCount = 0;
  for await (const record of deps.source.read({ stream: job.source.stream, mode: 'full' })) {
    sourceCount++;
    let result;
    try {
      result = deps.mapping.map(record, { unitCode: deps.unitCode, options: job.mapping.options });
    } catch (err) {
      throw asLienthongError(err, { job: job.name, record: record.key });
    }
    if (result.ok && !sourceValid.has(result.idbanghi)) sourceValid.set(result.idbanghi, { sourceKey: record.key, hash: contentHash(result.data) });
  }

  // 2. the hub
  const hub = new Map<string, HeldRecord>();
  for await (const held of destination.connector.readBack(destination.dataset)) hub.set(held.idbanghi, held);

  // 3. the ledger against both
  const issues: ReportIssue[] = [];
  const missingAtHub: ReconciliationReport['missingAtHub'] = [];
  const mismatched: MismatchEntry[] = [];
  const inLedger = new Set<string>();
  for await (const entry of store.ledger(target)) {
    inLedger.add(entry.idbanghi);
    const held = hub.get(entry.idbanghi);
    switch (entry.status) {
      case 'accepted':
        if (!held) {
          missingAtHub.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, status: entry.status });
        } else if (held.phienban !== entry.phienban || held.contentHash !== entry.contentHash) {
          const kind = held.phienban !== entry.phienban ? 'version' : 'hash';
          mismatched.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, ledgerPhienban: entry.phienban, hubPhienban: held.phienban, ledgerHash: entry.contentHash, hubHash: held.contentHash, kind });
        }
        break;
      case 'rejected':
        for (const e of entry.lastError?.errors ?? [{ field: '', code: entry.lastError?.code ?? 'REJECTED', message: entry.lastError?.message ?? '' }]) {
          issues.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, stage: 'hub', code: e.code, field: e.field || undefined, message: e.message });
        }
        break;
      case 'dead':
        issues.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, stage: 'delivery', code: entry.lastError?.code ?? 'DEAD', message: entry.lastError?.message ?? 'delivery gave up' });
        if (!held) missingAtHub.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, status: entry.status });
        break;
      case 'stale':
        issues.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, stage: 'hub', code: 'VERSION_CONFLICT', message: `the hub holds phienban ${entry.hubPhienban ?? '?'} with other content (written elsewhere); ours is ${entry.phienban}` });
        break;
      case 'pending':
      case 'sent':
        if (!held) missingAtHub.push({ idbanghi: entry.idbanghi, sourceKey: entry.sourceKey, status: entry.status });
        break;
    }
  }
  // valid source records the ledger has never seen (no run since they appeared)
  for (const [idbanghi, s] of sourceValid) {
    if (!inLedger.has(idbanghi) && !hub.has(idbanghi)) {
      missingAtHub.push({ idbanghi, sourceKey: s.sourceKey, status: 'pending' });
    }
  }
  const extraAtHub = [...hub.values()].filter((h) => !inLedger.has(h.idbanghi) && !sourceValid.has(h.idbanghi)).map((h) => ({ idbanghi: h.idbanghi, phienban: h.phienban }));

  // 4. records the mapping refused (and duplicates the runner found)
  let invalidCount = 0;
  for await (const inv of store.listInvalid(job.name)) {
    invalidCount++;
    for (const e of inv.errors) issues.push({ idbanghi: inv.idbanghi ?? undefined, sourceKey: inv.sourceKey, stage: 'mapping', code: e.code, field: e.field, message: e.message });
  }

  const statusCounts = await store.statusCounts(target);
  const rejectedByCode = groupRejections(issues.filter((i) => (i.stage === 'mapping' || i.stage === 'hub') && i.code !== 'VERSION_CONFLICT'));
  const totals = {
    source: sourceCount,
    accepted: statusCounts.accepted,
    rejected: invalidCount + statusCounts.rejected,
    pending: statusCounts.pending + statusCounts.sent,
    dead: statusCounts.dead,
    conflicts: statusCounts.stale,
    missingAtHub: missingAtHub.length,
    extraAtHub: extraAtHub.length,
    mismatched: mismatched.length,
  };
  const now = deps.now ?? new Date();
  const deadlines: DeadlineProgress[] = job.deadlines.map((d) => ({ name: d.name, date: d.date, daysLeft: daysUntil(d.date, now), accepted: totals.accepted, pending: totals.pending, rejected: totals.rejected }));

  return {
    job: job.name,
    dataset: destination.dataset,
    unitCode: deps.unitCode,
    generatedAt: vietnamNowIso(now),
    totals,
    statusCounts,
    missingAtHub,
    extraAtHub,
    mismatched,
    rejectedByCode,
    issues,
    deadlines: deadlines.length > 0 ? deadlines : undefined,
  };
}

function groupRejections(issues: ReportIssue[]): RejectionGroup[] {
  const groups = new Map<string, RejectionGroup>();
  for (const i of issues) {
    const g = groups.get(i.code) ?? { code: i.code, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < EXAMPLES_PER_CODE) g.examples.push(i);
    groups.set(i.code, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
