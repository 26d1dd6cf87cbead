/**
 * The pure part of reconciliation: given the source as it is now (mapped), the ledger, what the
 * last runs held back and what the hub holds, puts every source record in exactly one category
 * and runs the checks against the hub. No I/O here, so every rule can be tested on plain values.
 */
import type { FieldError, HeldRecord } from '../core/records.js';
import { duplicateError } from '../engine/chunk-mapper.js';
import type { LedgerEntry } from '../store/store.js';
import type {
  CodeGroup,
  GoneEntry,
  MismatchEntry,
  MissingEntry,
  ReportIssue,
  ReportWarning,
  SourceCategory,
  WaitingEntry,
} from './types.js';
import { PARTITION_KEYS } from './types.js';

/** One source row as reconciliation sees it. */
export interface SourceRow {
  key: string;
  /** known when the mapping could derive it, even for an invalid record */
  idbanghi?: string;
  /** content hash of the mapped data; set exactly when the mapping accepted the record */
  hash?: string;
  /** the mapping's errors when it refused the record */
  errors?: FieldError[];
}

export interface PartitionInput {
  job: string;
  rows: readonly SourceRow[];
  /** the target's ledger by idbanghi */
  ledger: ReadonlyMap<string, LedgerEntry>;
  /** records the last runs held back (store.listInvalid), by source key */
  heldByRun: ReadonlyMap<string, { idbanghi: string | null; errors: FieldError[] }>;
  hub: ReadonlyMap<string, HeldRecord>;
  /** mapping warnings per source key */
  warnings: ReadonlyMap<string, { idbanghi: string | null; warnings: FieldError[] }>;
}

export interface PartitionResult {
  counts: Record<SourceCategory, number>;
  issues: ReportIssue[];
  waiting: WaitingEntry[];
  warnings: ReportWarning[];
  warnedRecords: number;
  missingAtHub: MissingEntry[];
  mismatched: MismatchEntry[];
  goneFromSource: GoneEntry[];
  extraAtHub: { idbanghi: string; phienban: number }[];
}

const STATUS_CATEGORY: Readonly<Record<LedgerEntry['status'], SourceCategory>> = {
  accepted: 'accepted',
  pending: 'pending',
  sent: 'pending',
  rejected: 'rejectedByHub',
  dead: 'dead',
  stale: 'conflicts',
};

/** A duplicate as the run reports it (its code, field and words), with every other key named. */
function duplicateIssue(row: SourceRow, idbanghi: string, others: string[], hubPhienban: number | undefined): ReportIssue {
  const e = duplicateError(others);
  return {
    category: 'heldBack',
    idbanghi,
    sourceKey: row.key,
    code: e.code,
    field: e.field,
    message: e.message,
    otherSourceKeys: others,
    ...(hubPhienban === undefined ? {} : { hubPhienban }),
  };
}

/**
 * The partition. For one source row, in this order:
 * 1. the mapping refuses it now → held back (the errors of now);
 * 2. another source row maps to the same idbanghi, or the ledger holds that idbanghi under another
 *    source key of this job → held back, DUPLICATE_IDBANGHI (as the runner does: neither is sent);
 * 3. the ledger holds this very version (same content hash) → the ledger's status decides;
 * 4. the last run held it back (e.g. refused at signing) and no version of now was sent → held back;
 * 5. otherwise it is valid and not staged in this version → unsent (the next run sends it).
 */
export function partition(input: PartitionInput): PartitionResult {
  const counts = Object.fromEntries(PARTITION_KEYS.map((k) => [k, 0])) as Record<SourceCategory, number>;
  const issues: ReportIssue[] = [];
  const waiting: WaitingEntry[] = [];
  const hubPhienbanOf = (id: string | undefined): number | undefined => (id === undefined ? undefined : input.hub.get(id)?.phienban);

  // valid rows per idbanghi: two distinct keys on one idbanghi hold both back
  const keysById = new Map<string, Set<string>>();
  for (const r of input.rows) {
    if (r.hash === undefined || r.idbanghi === undefined) continue;
    const keys = keysById.get(r.idbanghi) ?? new Set<string>();
    keys.add(r.key);
    keysById.set(r.idbanghi, keys);
  }

  for (const row of input.rows) {
    const id = row.idbanghi;
    if (row.hash === undefined || id === undefined) {
      counts.heldBack++;
      const errors = row.errors && row.errors.length > 0 ? row.errors : [{ field: 'record', code: 'INVALID_RECORD', message: 'the mapping refused this record' }];
      for (const e of errors) issues.push(heldIssue(row.key, id, e, hubPhienbanOf(id)));
      continue;
    }
    const sameId = [...(keysById.get(id) ?? [])].filter((k) => k !== row.key);
    const entry = input.ledger.get(id);
    if (sameId.length === 0 && entry && entry.sourceKey !== row.key && entry.job === input.job) sameId.push(entry.sourceKey);
    if (sameId.length > 0) {
      counts.heldBack++;
      issues.push(duplicateIssue(row, id, sameId, hubPhienbanOf(id)));
      continue;
    }
    if (entry && entry.contentHash === row.hash) {
      const category = STATUS_CATEGORY[entry.status];
      counts[category]++;
      if (category === 'pending') waiting.push({ idbanghi: id, sourceKey: row.key, category: 'pending', ledgerStatus: entry.status });
      else if (category !== 'accepted') issues.push(...ledgerIssues(entry, row.key, hubPhienbanOf(id)));
      continue;
    }
    const held = input.heldByRun.get(row.key);
    if (held) {
      counts.heldBack++;
      for (const e of held.errors) issues.push(heldIssue(row.key, id, e, hubPhienbanOf(id)));
      continue;
    }
    counts.unsent++;
    waiting.push({ idbanghi: id, sourceKey: row.key, category: 'unsent', ...(entry ? { ledgerStatus: entry.status } : {}) });
  }

  const checks = hubChecks(input);
  const { warnings, warnedRecords } = warningLines(input);
  issues.sort(byCategoryThen((i) => [i.code, i.idbanghi ?? '', i.sourceKey ?? '']));
  waiting.sort((a, b) => a.category.localeCompare(b.category) || a.sourceKey.localeCompare(b.sourceKey));
  return { counts, issues, waiting, warnings, warnedRecords, ...checks };
}

function heldIssue(sourceKey: string, idbanghi: string | undefined, e: FieldError, hubPhienban: number | undefined): ReportIssue {
  return {
    category: 'heldBack',
    ...(idbanghi === undefined ? {} : { idbanghi }),
    sourceKey,
    code: e.code,
    ...(e.field ? { field: e.field } : {}),
    message: e.message,
    ...(hubPhienban === undefined ? {} : { hubPhienban }),
  };
}

/** The lines of a source record the ledger says was refused, gave up on, or is in conflict. */
function ledgerIssues(entry: LedgerEntry, sourceKey: string, hubPhienban: number | undefined): ReportIssue[] {
  const base = { idbanghi: entry.idbanghi, sourceKey, ...(hubPhienban === undefined ? {} : { hubPhienban }) };
  switch (entry.status) {
    case 'rejected': {
      const errors = entry.lastError?.errors?.length ? entry.lastError.errors : [{ field: '', code: entry.lastError?.code ?? 'REJECTED', message: entry.lastError?.message ?? 'the hub refused this record' }];
      return errors.map((e) => ({ category: 'rejectedByHub' as const, ...base, code: e.code, ...(e.field ? { field: e.field } : {}), message: e.message }));
    }
    case 'dead':
      return [{ category: 'dead', ...base, code: entry.lastError?.code ?? 'DEAD', message: entry.lastError?.message ?? 'delivery gave up' }];
    case 'stale':
      return [{ category: 'conflicts', ...base, code: 'VERSION_CONFLICT', message: `the hub holds phienban ${entry.hubPhienban ?? '?'} with other content (written elsewhere); ours is ${entry.phienban}` }];
    default:
      return [];
  }
}

/** This job's ledger against the hub: accepted but missing or different there; held there but gone from the source; unknown to the ledger. */
function hubChecks(input: PartitionInput): Pick<PartitionResult, 'missingAtHub' | 'mismatched' | 'goneFromSource' | 'extraAtHub'> {
  // the idbanghi some source row maps to now, and the rows whose idbanghi cannot be known
  const claimed = new Set<string>();
  const unknownId = new Set<string>();
  for (const r of input.rows) {
    if (r.idbanghi !== undefined) claimed.add(r.idbanghi);
    else if (input.heldByRun.get(r.key)?.idbanghi) claimed.add(input.heldByRun.get(r.key)?.idbanghi as string);
    else unknownId.add(r.key);
  }
  const missingAtHub: MissingEntry[] = [];
  const mismatched: MismatchEntry[] = [];
  const goneFromSource: GoneEntry[] = [];
  for (const e of input.ledger.values()) {
    // another job delivering to the same dataset answers for its own records
    if (e.job !== input.job) continue;
    const held = input.hub.get(e.idbanghi);
    if (e.status === 'accepted') {
      if (!held) missingAtHub.push({ idbanghi: e.idbanghi, sourceKey: e.sourceKey, ledgerPhienban: e.phienban });
      else if (held.phienban !== e.phienban || held.contentHash !== e.contentHash) {
        const kind = held.phienban < e.phienban ? 'older' : held.phienban > e.phienban ? 'newer' : 'content';
        mismatched.push({ idbanghi: e.idbanghi, sourceKey: e.sourceKey, ledgerPhienban: e.phienban, hubPhienban: held.phienban, ledgerHash: e.contentHash, hubHash: held.contentHash, kind });
      }
    }
    // a copy the hub has cancelled is no longer held; a row whose idbanghi is unknown may still be it
    if (held && held.sukien !== 'CANCEL' && !claimed.has(e.idbanghi) && !unknownId.has(e.sourceKey)) {
      goneFromSource.push({ idbanghi: e.idbanghi, sourceKey: e.sourceKey, ledgerStatus: e.status, hubPhienban: held.phienban });
    }
  }
  const extraAtHub = [...input.hub.values()].filter((h) => !input.ledger.has(h.idbanghi)).map((h) => ({ idbanghi: h.idbanghi, phienban: h.phienban }));
  const byId = <T extends { idbanghi: string }>(a: T, b: T): number => a.idbanghi.localeCompare(b.idbanghi);
  return { missingAtHub: missingAtHub.sort(byId), mismatched: mismatched.sort(byId), goneFromSource: goneFromSource.sort(byId), extraAtHub: extraAtHub.sort(byId) };
}

/** Warnings of the records the source still has, one line per record and warning. */
function warningLines(input: PartitionInput): { warnings: ReportWarning[]; warnedRecords: number } {
  const present = new Set(input.rows.map((r) => r.key));
  const warnings: ReportWarning[] = [];
  let warnedRecords = 0;
  for (const [sourceKey, w] of input.warnings) {
    // a record deleted at the source since has no warnings to act on
    if (!present.has(sourceKey) || w.warnings.length === 0) continue;
    warnedRecords++;
    for (const f of w.warnings) warnings.push({ sourceKey, ...(w.idbanghi ? { idbanghi: w.idbanghi } : {}), code: f.code, ...(f.field ? { field: f.field } : {}), message: f.message });
  }
  warnings.sort((a, b) => a.code.localeCompare(b.code) || a.sourceKey.localeCompare(b.sourceKey));
  return { warnings, warnedRecords };
}

function byCategoryThen(keys: (i: ReportIssue) => string[]): (a: ReportIssue, b: ReportIssue) => number {
  return (a, b) => {
    const c = PARTITION_KEYS.indexOf(a.category) - PARTITION_KEYS.indexOf(b.category);
    if (c !== 0) return c;
    const ka = keys(a);
    const kb = keys(b);
    for (let k = 0; k < ka.length; k++) {
      const d = (ka[k] ?? '').localeCompare(kb[k] ?? '');
      if (d !== 0) return d;
    }
    return 0;
  };
}

export const EXAMPLES_PER_CODE = 50;

/** Records per code and category (a record counted once per code), most frequent first. */
export function groupByCode(issues: readonly ReportIssue[], warnings: readonly ReportWarning[]): CodeGroup[] {
  const groups = new Map<string, CodeGroup & { seen: Set<string> }>();
  const add = (category: CodeGroup['category'], code: string, record: string): void => {
    const id = `${category}\u0000${code}`;
    const g = groups.get(id) ?? { category, code, records: 0, examples: [], seen: new Set<string>() };
    groups.set(id, g);
    if (g.seen.has(record)) return;
    g.seen.add(record);
    g.records++;
    if (g.examples.length < EXAMPLES_PER_CODE) g.examples.push(record);
  };
  for (const i of issues) add(i.category, i.code, i.sourceKey ?? i.idbanghi ?? '');
  for (const w of warnings) add('warnings', w.code, w.sourceKey);
  const order: CodeGroup['category'][] = [...(PARTITION_KEYS as CodeGroup['category'][]), 'warnings'];
  return [...groups.values()]
    .map(({ seen: _seen, ...g }) => g)
    .sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category) || b.records - a.records || a.code.localeCompare(b.code));
}
