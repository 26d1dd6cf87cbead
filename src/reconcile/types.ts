/**
 * A reconciliation report: what the source has, what the ledger says, what the hub holds, and
 * how they differ. Personal data never appears here: records are named by their idbanghi and
 * source key, and any personal id is masked to its last 4 digits before it gets here.
 *
 * The report has two kinds of numbers, and they must not be mixed:
 * - the partition of the source (PARTITION_KEYS): every record the source has now is counted in
 *   exactly one of them, so they always add up to `source`;
 * - the checks against the hub and the warnings: lists that cross the partition (a record can be
 *   accepted and yet missing at the hub; a record with warnings is also accepted or pending).
 */
import type { LedgerStatus } from '../store/store.js';

// Defined by the store, whose ledger it describes; re-exported for the report's readers.
export type { LedgerStatus };

/** Where one source record stands; each source record is in exactly one. */
export type SourceCategory = 'accepted' | 'pending' | 'unsent' | 'rejectedByHub' | 'dead' | 'conflicts' | 'heldBack';

/** The partition's keys in the order they are shown; their sum is `totals.source`. */
export const PARTITION_KEYS: readonly SourceCategory[] = ['accepted', 'pending', 'unsent', 'rejectedByHub', 'dead', 'conflicts', 'heldBack'];

/** The sum of the partition: equal to `totals.source` in every report. */
export function partitionSum(totals: ReconciliationTotals): number {
  return PARTITION_KEYS.reduce((sum, k) => sum + totals[k], 0);
}

/** The checks against the hub, in the order they are shown (not part of the partition). */
export const HUB_CHECK_KEYS = ['missingAtHub', 'mismatched', 'goneFromSource', 'extraAtHub'] as const;
export type HubCheckKey = (typeof HUB_CHECK_KEYS)[number];

export interface ReconciliationTotals {
  /** records (rows) the source has now, valid or not: the sum of the seven counts below */
  source: number;
  /** the hub accepted this very version (the ledger's content hash is the source's now) */
  accepted: number;
  /** staged or sent in this version, waiting for delivery or for the hub's answer */
  pending: number;
  /** valid at the source but not staged in this version yet (new or changed since the last run): the next run sends it */
  unsent: number;
  /** the hub refused this version (its schema or business rules) */
  rejectedByHub: number;
  /** delivery gave up on this version (a permanent failure); see dead letters */
  dead: number;
  /** the hub answered `stale` with other content: a version written elsewhere */
  conflicts: number;
  /** held back before sending: invalid at the source, two rows with one idbanghi, refused at signing */
  heldBack: number;

  /** the ledger says accepted, the hub has no copy */
  missingAtHub: number;
  /** the hub's copy is not the ledger's accepted version (older, newer, or other content) */
  mismatched: number;
  /** held at the hub (and known to the ledger) but no source record maps to it any more */
  goneFromSource: number;
  /** held at the hub, not in the ledger at all */
  extraAtHub: number;

  /** source records with mapping warnings (they are also counted once in the partition) */
  warnings: number;
}

/** One problem of one source record: a reason it is held back, refused, dead or in conflict. */
export interface ReportIssue {
  /** the count of the partition this record is in */
  category: 'heldBack' | 'rejectedByHub' | 'dead' | 'conflicts';
  idbanghi?: string;
  sourceKey?: string;
  code: string;
  field?: string;
  message: string;
  /** DUPLICATE_IDBANGHI: the other source keys that map to the same idbanghi */
  otherSourceKeys?: string[];
  /** the version the hub still holds from an earlier send, when it holds one */
  hubPhienban?: number;
}

/** A mapping warning on one source record (not blocking: the record is sent). */
export interface ReportWarning {
  sourceKey: string;
  idbanghi?: string;
  code: string;
  field?: string;
  message: string;
}

/** A valid source record waiting to go: `pending` (staged or sent) or `unsent` (the next run stages it). */
export interface WaitingEntry {
  idbanghi: string;
  sourceKey: string;
  category: 'pending' | 'unsent';
  /** the ledger's status, when the ledger knows an earlier version */
  ledgerStatus?: LedgerStatus;
}

export interface MismatchEntry {
  idbanghi: string;
  sourceKey?: string;
  ledgerPhienban: number;
  hubPhienban: number;
  ledgerHash: string;
  hubHash: string;
  /**
   * `older`: the hub holds an earlier version than the ledger's accepted one (a lost or reverted
   * update); `content`: the same version with other content; `newer`: a later version, written by
   * someone else
   */
  kind: 'older' | 'content' | 'newer';
}

export interface MissingEntry {
  idbanghi: string;
  sourceKey: string;
  ledgerPhienban: number;
}

export interface GoneEntry {
  idbanghi: string;
  /** the source key the ledger last sent it from */
  sourceKey: string;
  ledgerStatus: LedgerStatus;
  hubPhienban: number;
}

export interface ExtraEntry {
  idbanghi: string;
  phienban: number;
}

export interface CodeGroup {
  /** the partition count (or `warnings`) the code belongs to */
  category: ReportIssue['category'] | 'warnings';
  code: string;
  /** records with this code (a record with two codes counts in both groups) */
  records: number;
  /** up to 50 source keys (or idbanghi) as examples; the CSV holds all */
  examples: string[];
}

/** A code shown in the report with its explanation in both languages. */
export interface CodeExplanationEntry {
  code: string;
  vi: string;
  en: string;
  /** what to do about it, when the catalogue says */
  action?: { vi: string; en: string };
  /** false when no explanation is known: the texts then say so */
  explained: boolean;
}

export interface DeadlineProgress {
  name: string;
  /** YYYY-MM-DD */
  date: string;
  daysLeft: number;
  accepted: number;
  /** pending + unsent: what the next runs still have to deliver */
  waiting: number;
  /** rejected by the hub, dead or in conflict: needs a person */
  failed: number;
  heldBack: number;
}

/**
 * Where a record the hub holds stands at a credential service that publishes after the hub
 * (VNeID): see src/reconcile/credentials.ts.
 */
export type CredentialState = 'published' | 'missing' | 'hashDiffers' | 'revoked' | 'cancelledUnpublished' | 'wrongState';
export const CREDENTIAL_STATES: readonly CredentialState[] = ['published', 'missing', 'hashDiffers', 'revoked', 'cancelledUnpublished', 'wrongState'];

export interface CredentialEntry {
  idbanghi: string;
  sourceKey: string;
  state: CredentialState;
  /** the content hash the hub holds */
  hubHash: string;
  /** the document hash the credential service holds, when it holds the credential */
  heldHash?: string;
}

/** The credential column: every record the hub holds, as the credential service holds it. */
export interface CredentialCheck {
  /** the credential destination (`connection/dataset`) */
  target: string;
  counts: Record<CredentialState, number>;
  entries: CredentialEntry[];
  /** records the hub holds whose mapping gives no personal id to ask the service with */
  withoutPersonalId?: number;
  /** the service could not be asked (down, refused): the column is incomplete, and why */
  unavailable?: { code: string; message: string };
}

export interface ReconciliationReport {
  job: string;
  dataset: string;
  unitCode: string;
  /** ISO timestamp, Vietnam time */
  generatedAt: string;
  totals: ReconciliationTotals;
  /** counts of ledger rows by status (every row of the target, including records gone from the source) */
  statusCounts: Record<LedgerStatus, number>;
  /** per record and code: every held-back, rejected, dead and conflicting source record */
  issues: ReportIssue[];
  /** records per code, per category, most frequent first */
  byCode: CodeGroup[];
  waiting: WaitingEntry[];
  warnings: ReportWarning[];
  missingAtHub: MissingEntry[];
  mismatched: MismatchEntry[];
  goneFromSource: GoneEntry[];
  extraAtHub: ExtraEntry[];
  /** every code that appears in the report, explained */
  codes: CodeExplanationEntry[];
  deadlines?: DeadlineProgress[];
  /** the credential column (VNeID), when the job has a credential destination after the hub */
  credentials?: CredentialCheck;
}
