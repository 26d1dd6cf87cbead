import type Database from 'better-sqlite3';
import { AUDIT_GENESIS, auditEntryHash } from '../../src/core/audit-chain.js';
import { BugError, ConfigError } from '../../src/core/errors.js';
import type {
  AcceptedVerificationRow,
  ApiTokenRow,
  AuditEntry,
  AuditFilter,
  AuditInput,
  ConsoleStore,
  JobPause,
  LedgerLookup,
  NewUser,
  ReconciliationSummary,
  Role,
  UserPatch,
  UserRow,
} from '../../src/store/console-store.js';
import { STORE_PAGE, keysetPages, type LedgerEntry, type LedgerStatus, type RunRow, type TargetId } from '../../src/store/store.js';
import * as SQL from './console-sql.js';
import { SqliteSigningStore } from './sqlite-signing-store.js';
import { toEntry, toRun, type LedgerRow, type RunDbRow } from './rows.js';

interface UserDbRow {
  username: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  personal_id_hash: string | null;
  personal_id_masked: string | null;
}

interface TokenDbRow {
  id: string;
  username: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
}

interface AuditDbRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  address: string;
  outcome: AuditEntry['outcome'];
  detail: string;
  prev_hash: string;
  hash: string;
}

const toUser = (r: UserDbRow): UserRow => ({ username: r.username, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at, updatedAt: r.updated_at, personalIdHash: r.personal_id_hash ?? null, personalIdMasked: r.personal_id_masked ?? null });
const toToken = (r: TokenDbRow): ApiTokenRow => ({ id: r.id, username: r.username, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at });
const toAudit = (r: AuditDbRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  address: r.address,
  outcome: r.outcome,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const now = (): string => new Date().toISOString();
const AUDIT_LIMIT_MAX = 1000;

/**
 * The console's part of the SQLite state store (accounts, tokens, audit, pauses, reconciliation
 * history, indexed ledger lookups). SqliteStateStore extends it: one database, one connection,
 * the engine's part in sqlite-store.ts, the remote signing workflow's in sqlite-signing-store.ts.
 */
export class SqliteConsoleStore extends SqliteSigningStore implements ConsoleStore {
  constructor(db: Database.Database) {
    super(db);
  }

  async createUser(user: NewUser): Promise<UserRow> {
    const t = now();
    try {
      return toUser(this.db.prepare(SQL.CREATE_USER).get(user.username, user.role, user.passwordHash, user.personalIdHash ?? null, user.personalIdMasked ?? null, t, t) as UserDbRow);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new ConfigError('USER_EXISTS', `an account named ${user.username} already exists`, { user: user.username });
      throw err;
    }
  }

  async getUser(username: string): Promise<UserRow | null> {
    const row = this.db.prepare(SQL.USER).get(username) as UserDbRow | undefined;
    return row === undefined ? null : toUser(row);
  }

  async listUsers(): Promise<UserRow[]> {
    return (this.db.prepare(SQL.USERS).all() as UserDbRow[]).map(toUser);
  }

  async updateUser(username: string, patch: UserPatch): Promise<boolean> {
    const disabled = patch.disabled === undefined ? null : patch.disabled ? 1 : 0;
    return this.db.prepare(SQL.UPDATE_USER).run(patch.role ?? null, patch.passwordHash ?? null, disabled, now(), username).changes === 1;
  }

  async addApiToken(token: { id: string; username: string; label: string; tokenHash: string }): Promise<ApiTokenRow> {
    if ((await this.getUser(token.username)) === null) throw new ConfigError('USER_NOT_FOUND', `there is no account named ${token.username}`, { user: token.username });
    return toToken(this.db.prepare(SQL.ADD_TOKEN).get(token.id, token.username, token.label, token.tokenHash, now()) as TokenDbRow);
  }

  async useApiToken(tokenHash: string): Promise<ApiTokenRow | null> {
    const row = this.db.prepare(SQL.USE_TOKEN).get(now(), tokenHash) as TokenDbRow | undefined;
    return row === undefined ? null : toToken(row);
  }

  async listApiTokens(username: string): Promise<ApiTokenRow[]> {
    return (this.db.prepare(SQL.TOKENS_OF).all(username) as TokenDbRow[]).map(toToken);
  }

  async revokeApiTokens(username: string, id?: string): Promise<number> {
    return id === undefined ? this.db.prepare(SQL.REVOKE_TOKENS).run(now(), username).changes : this.db.prepare(SQL.REVOKE_TOKEN).run(now(), username, id).changes;
  }

  async appendAudit(entry: AuditInput): Promise<AuditEntry> {
    return this.db
      .transaction((): AuditEntry => {
        const head = this.readHead();
        const seq = (head?.seq ?? 0) + 1;
        const prevHash = head?.hash ?? AUDIT_GENESIS;
        const at = now();
        const fields = { seq, at, actor: entry.actor, action: entry.action, subject: entry.subject, address: entry.address, outcome: entry.outcome, detail: entry.detail };
        // the detail as stored is what the hash covers: JSON round trip first (undefined dropped)
        fields.detail = JSON.parse(JSON.stringify(entry.detail)) as Record<string, unknown>;
        const hash = auditEntryHash(prevHash, fields);
        this.db.prepare(SQL.APPEND_AUDIT).run(seq, at, entry.actor, entry.action, entry.subject, entry.address, entry.outcome, JSON.stringify(fields.detail), prevHash, hash);
        this.db.prepare(SQL.SET_AUDIT_HEAD).run(`${seq}:${hash}`);
        return { ...fields, prevHash, hash };
      })
      .immediate();
  }

  private readHead(): { seq: number; hash: string } | null {
    const row = this.db.prepare(SQL.AUDIT_HEAD).get() as { value: string } | undefined;
    if (row === undefined) return null;
    const m = /^(\d+):([0-9a-f]{64})$/.exec(row.value);
    if (!m) throw new BugError('AUDIT_HEAD_INVALID', `the audit log's head in the store is not "seq:hash": ${row.value.slice(0, 80)}`);
    return { seq: Number(m[1]), hash: m[2] as string };
  }

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    return this.readHead();
  }

  async auditEntries(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(1, filter.limit ?? 100), AUDIT_LIMIT_MAX);
    const rows = this.db.prepare(SQL.AUDIT_ENTRIES).all(filter.beforeSeq ?? null, filter.actor ?? null, filter.action ?? null, limit) as AuditDbRow[];
    return rows.map(toAudit);
  }

  auditLog(): AsyncIterable<AuditEntry> {
    return keysetPages((after) => this.auditPage(after === '' ? 0 : Number(after), STORE_PAGE), (e) => String(e.seq));
  }

  /** the audit log in seq order after `afterSeq` (the worker's page of auditLog) */
  auditPage(afterSeq: number, limit: number): AuditEntry[] {
    return (this.db.prepare(SQL.AUDIT_PAGE).all(afterSeq, limit) as AuditDbRow[]).map(toAudit);
  }

  async pauseJob(job: string, by: string): Promise<void> {
    this.db.prepare(SQL.PAUSE_JOB).run(job, by, now());
  }

  async resumeJob(job: string): Promise<void> {
    this.db.prepare(SQL.RESUME_JOB).run(job);
  }

  async pausedJobs(): Promise<JobPause[]> {
    return (this.db.prepare(SQL.PAUSED_JOBS).all() as { job: string; paused_by: string; paused_at: string }[]).map((r) => ({ job: r.job, by: r.paused_by, at: r.paused_at }));
  }

  async subjectKey(): Promise<Buffer> {
    const row = this.db.prepare(SQL.SUBJECT_KEY).get() as { value: string } | undefined;
    if (row === undefined || !/^[0-9a-f]{64}$/.test(row.value)) throw new BugError('SUBJECT_KEY_MISSING', 'the state store has no subject key (store_meta.subject_key); it is made by migration 4');
    return Buffer.from(row.value, 'hex');
  }

  async findLedger(job: string, lookup: LedgerLookup, limit: number): Promise<LedgerEntry[]> {
    const rows =
      'sourceKey' in lookup
        ? this.db.prepare(SQL.LEDGER_BY_SOURCE_KEY).all(job, lookup.sourceKey, limit)
        : 'idbanghi' in lookup
          ? this.db.prepare(SQL.LEDGER_BY_IDBANGHI).all(lookup.idbanghi, job, limit)
          : this.db.prepare(SQL.LEDGER_BY_SUBJECT).all(lookup.subjectHash, job, limit);
    return (rows as LedgerRow[]).map(toEntry);
  }

  async ledgerPageOf(target: TargetId, job: string, options: { status?: LedgerStatus[]; after?: string; limit: number }): Promise<LedgerEntry[]> {
    const after = options.after ?? '';
    const statuses = options.status ?? [];
    if (statuses.length === 0) return (this.db.prepare(SQL.LEDGER_PAGE_OF).all(target, after, job, options.limit) as LedgerRow[]).map(toEntry);
    // one ordered walk per status, merged: each walk reads at most `limit` rows of its own status
    const one = this.db.prepare(SQL.LEDGER_PAGE_OF_STATUS);
    const rows = [...new Set(statuses)].flatMap((s) => one.all(target, s, after, job, options.limit) as LedgerRow[]);
    rows.sort((a, b) => (a.idbanghi < b.idbanghi ? -1 : a.idbanghi > b.idbanghi ? 1 : 0));
    return rows.slice(0, options.limit).map(toEntry);
  }

  async outboxText(target: TargetId, idbanghi: string): Promise<string | null> {
    const row = this.db.prepare(SQL.OUTBOX_TEXT).get(target, idbanghi) as { envelope: string } | undefined;
    return row?.envelope ?? null;
  }

  async recordVerifications(idbanghi: string): Promise<AcceptedVerificationRow[]> {
    const rows = this.db.prepare(SQL.RECORD_VERIFICATIONS).all(idbanghi) as { target: string; accepted_verification: string }[];
    return rows.map((r) => ({ target: r.target, accepted: r.accepted_verification }));
  }

  async getRun(runId: string): Promise<RunRow | null> {
    const row = this.db.prepare(SQL.RUN).get(runId) as RunDbRow | undefined;
    return row === undefined ? null : toRun(row);
  }

  async recordReconciliation(summary: ReconciliationSummary): Promise<void> {
    this.db.prepare(SQL.RECORD_RECONCILIATION).run(summary.job, summary.generatedAt, JSON.stringify(summary));
  }

  async reconciliations(job: string, limit: number): Promise<ReconciliationSummary[]> {
    return (this.db.prepare(SQL.RECONCILIATIONS).all(job, limit) as { summary: string }[]).map((r) => JSON.parse(r.summary) as ReconciliationSummary);
  }
}
