import type { LedgerEntry, LedgerStatus, RunRow, TargetId } from './rows.js';

/**
 * What the web console keeps in the state store beside the ledger: accounts, API tokens, the
 * audit log, paused schedules and the history of reconciliations. A part of the StateStore
 * contract (every store implements it), kept in its own file because the engine never uses it.
 */

/**
 * A console account's role. `viewer` reads with personal data masked; `operator` also runs jobs,
 * requeues and pauses schedules; `admin` also manages accounts, reads the configuration and may
 * unmask personal data (each unmasked view audited).
 */
export type Role = 'viewer' | 'operator' | 'admin' | SignerRole;
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin', 'teacher', 'homeroom', 'principal'];

/**
 * A signer's account (issue 12, review before signing): a subject teacher, a homeroom teacher or a
 * principal, linked to their personal id. A signer sees and decides only the signing requests that
 * name them; they are outside the viewer < operator < admin order and read nothing else.
 */
export type SignerRole = 'teacher' | 'homeroom' | 'principal';
export const SIGNER_ROLES: readonly SignerRole[] = ['teacher', 'homeroom', 'principal'];
export const isSignerRole = (role: string): role is SignerRole => (SIGNER_ROLES as readonly string[]).includes(role);

export interface UserRow {
  username: string;
  role: Role;
  /** the memory-hard hash of the password, self-describing (algorithm and parameters inside) */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  /**
   * a signer's personal id as the keyed subject hash (src/core/subject-hash.ts, the store's key):
   * the account's requests are those whose signer id hashes to it; null for other roles
   */
  personalIdHash: string | null;
  /** the personal id masked (`********0003`), to show; null for other roles */
  personalIdMasked: string | null;
}

export interface NewUser {
  username: string;
  role: Role;
  passwordHash: string;
  personalIdHash?: string | null;
  personalIdMasked?: string | null;
}

export interface UserPatch {
  role?: Role;
  passwordHash?: string;
  disabled?: boolean;
}

/** A personal API token; the token itself is shown once and never stored, only its SHA-256. */
export interface ApiTokenRow {
  id: string;
  username: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** One audit entry as it is appended: who did what to what, from where, with what result. */
export interface AuditInput {
  /** the account name, or `-` when nobody is logged in (a failed login names the name tried in `detail`) */
  actor: string;
  /** e.g. `login`, `login.failed`, `logout`, `job.run`, `deadletters.requeue`, `record.unmask`, `user.add` */
  action: string;
  /** what it acted on (a job, a record id, an account), or null */
  subject: string | null;
  /** the remote address, or `cli` for a command run on the machine */
  address: string;
  /** `ok`, `denied` or `failed` */
  outcome: 'ok' | 'denied' | 'failed';
  /** small JSON-friendly details; never a full personal id, a secret or a grade list */
  detail: Record<string, unknown>;
}

/**
 * An appended entry. `hash` is `auditEntryHash(prevHash, entry)` (src/core/audit-chain.ts); the
 * first entry's prevHash is 64 zeros. The store keeps the last seq and hash apart (its head), so
 * an entry deleted at the end is detected too.
 */
export interface AuditEntry extends AuditInput {
  seq: number;
  /** ISO instant, UTC */
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  /** only entries with seq below this (newest-first paging) */
  beforeSeq?: number;
  actor?: string;
  action?: string;
  /** at most this many, newest first (default 100, at most 1000) */
  limit?: number;
}

/** A job's paused schedule: who paused it and when. */
export interface JobPause {
  job: string;
  by: string;
  at: string;
}

/** One reconciliation's totals, kept so the console can chart status over time. */
export interface ReconciliationSummary {
  job: string;
  generatedAt: string;
  statusCounts: Record<LedgerStatus, number>;
  /** the report's totals object, as the report has it */
  totals: Record<string, number>;
  /** records per code (code → count) */
  byCode: Record<string, number>;
}

/** How a ledger search names its record. `subjectHash` is `subjectHash(storeSubjectKey, personalId)`. */
export type LedgerLookup = { sourceKey: string } | { idbanghi: string } | { subjectHash: string };

/** A ledger row's accepted summary, as the store answers it (Store.recordVerifications). */
export interface AcceptedVerificationRow {
  target: TargetId;
  /** the summary JSON with `phienban`, `contentHash` and `acceptedAt` of the version the hub accepted */
  accepted: string;
}

export interface ConsoleStore {
  createUser(user: NewUser): Promise<UserRow>;
  getUser(username: string): Promise<UserRow | null>;
  listUsers(): Promise<UserRow[]>;
  /** false when there is no such account */
  updateUser(username: string, patch: UserPatch): Promise<boolean>;

  addApiToken(token: { id: string; username: string; label: string; tokenHash: string }): Promise<ApiTokenRow>;
  /** the token with this SHA-256 (hex), its last use set to now; null when unknown */
  useApiToken(tokenHash: string): Promise<ApiTokenRow | null>;
  listApiTokens(username: string): Promise<ApiTokenRow[]>;
  /** revokes one token (by id) or every token of the account; returns how many */
  revokeApiTokens(username: string, id?: string): Promise<number>;

  /** appends one entry in one transaction, chained to the head; returns it */
  appendAudit(entry: AuditInput): Promise<AuditEntry>;
  /** newest first, filtered */
  auditEntries(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** every entry in seq order (for verify and export) */
  auditLog(): AsyncIterable<AuditEntry>;
  /** the last appended entry's seq and hash as the store keeps them apart from the log; null when empty */
  auditHead(): Promise<{ seq: number; hash: string } | null>;

  pauseJob(job: string, by: string): Promise<void>;
  resumeJob(job: string): Promise<void>;
  pausedJobs(): Promise<JobPause[]>;

  /** the key the ledger's subject hashes are made with: 32 random bytes made once per store */
  subjectKey(): Promise<Buffer>;
  /** a job's ledger rows (every target) matching the lookup, at most `limit` */
  findLedger(job: string, lookup: LedgerLookup, limit: number): Promise<LedgerEntry[]>;
  /** one page of a target's ledger for a job, in idbanghi order after `after`, by an index (no scan) */
  ledgerPageOf(target: TargetId, job: string, options: { status?: LedgerStatus[]; after?: string; limit: number }): Promise<LedgerEntry[]>;
  /** the envelope text still in the outbox for a record (pending, sent, dead or conflicting), or null */
  outboxText(target: TargetId, idbanghi: string): Promise<string | null>;
  /**
   * the record's rows some destination accepted with a public summary (migration 10), at every
   * target: what the verification page (src/verification/record-verification.ts) reads
   */
  recordVerifications(idbanghi: string): Promise<AcceptedVerificationRow[]>;
  /** one run by id, or null */
  getRun(runId: string): Promise<RunRow | null>;

  recordReconciliation(summary: ReconciliationSummary): Promise<void>;
  /** newest first */
  reconciliations(job: string, limit: number): Promise<ReconciliationSummary[]>;
}
