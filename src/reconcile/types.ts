/**
 * A reconciliation report: what the source has, what the ledger says, what the hub holds, and
 * how they differ. Personal data never appears here: records are named by their idbanghi and
 * source key, and any personal id is masked to its last 4 digits before it gets here.
 */
export type LedgerStatus = 'pending' | 'sent' | 'accepted' | 'stale' | 'rejected' | 'dead';

export interface ReconciliationTotals {
  /** records the source has now (valid and invalid) */
  source: number;
  accepted: number;
  /** refused by the mapping's validation or by the hub */
  rejected: number;
  /** waiting to be sent or sent without an answer yet */
  pending: number;
  /** gave up after retries or a permanent failure; see dead letters */
  dead: number;
  /** hub answered `stale` with a different hash: someone else wrote a newer version */
  conflicts: number;
  missingAtHub: number;
  extraAtHub: number;
  mismatched: number;
}

export interface ReportIssue {
  idbanghi?: string;
  sourceKey?: string;
  /** where the problem was found */
  stage: 'mapping' | 'hub' | 'delivery' | 'reconciliation';
  code: string;
  field?: string;
  message: string;
}

export interface MismatchEntry {
  idbanghi: string;
  sourceKey?: string;
  ledgerPhienban: number;
  hubPhienban: number;
  ledgerHash: string;
  hubHash: string;
  /** `version`: phienban differs; `hash`: same phienban, different content */
  kind: 'version' | 'hash';
}

export interface RejectionGroup {
  code: string;
  count: number;
  /** up to 50 examples; the CSV holds all */
  examples: ReportIssue[];
}

export interface DeadlineProgress {
  name: string;
  /** YYYY-MM-DD */
  date: string;
  daysLeft: number;
  accepted: number;
  pending: number;
  rejected: number;
}

export interface ReconciliationReport {
  job: string;
  dataset: string;
  unitCode: string;
  /** ISO timestamp, Vietnam time */
  generatedAt: string;
  totals: ReconciliationTotals;
  /** counts of ledger rows by status */
  statusCounts: Record<LedgerStatus, number>;
  missingAtHub: { idbanghi: string; sourceKey?: string; status: LedgerStatus }[];
  extraAtHub: { idbanghi: string; phienban: number }[];
  mismatched: MismatchEntry[];
  rejectedByCode: RejectionGroup[];
  /** every rejection, dead letter and conflict, one line each */
  issues: ReportIssue[];
  deadlines?: DeadlineProgress[];
}
