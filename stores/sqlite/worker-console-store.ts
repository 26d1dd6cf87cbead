import type { WorkerClient } from '../../src/core/worker-rpc.js';
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
  UserPatch,
  UserRow,
} from '../../src/store/console-store.js';
import { STORE_PAGE, keysetPages, type LedgerEntry, type LedgerStatus, type RunRow, type TargetId } from '../../src/store/store.js';
import type { StoreCall } from './store-wire.js';
import { WorkerSigningStore } from './worker-signing-store.js';

/**
 * The console's part of the store on the worker thread (WorkerStateStore extends it): each call
 * travels to the thread as it is; the audit log as its pages.
 */
export class WorkerConsoleStore extends WorkerSigningStore implements ConsoleStore {
  constructor(client: WorkerClient<StoreCall>) {
    super(client);
  }

  createUser(user: NewUser): Promise<UserRow> {
    return this.call('createUser', user);
  }
  getUser(username: string): Promise<UserRow | null> {
    return this.call('getUser', username);
  }
  listUsers(): Promise<UserRow[]> {
    return this.call('listUsers');
  }
  updateUser(username: string, patch: UserPatch): Promise<boolean> {
    return this.call('updateUser', username, patch);
  }
  addApiToken(token: { id: string; username: string; label: string; tokenHash: string }): Promise<ApiTokenRow> {
    return this.call('addApiToken', token);
  }
  useApiToken(tokenHash: string): Promise<ApiTokenRow | null> {
    return this.call('useApiToken', tokenHash);
  }
  listApiTokens(username: string): Promise<ApiTokenRow[]> {
    return this.call('listApiTokens', username);
  }
  revokeApiTokens(username: string, id?: string): Promise<number> {
    return this.call('revokeApiTokens', username, id);
  }
  appendAudit(entry: AuditInput): Promise<AuditEntry> {
    return this.call('appendAudit', entry);
  }
  auditEntries(filter?: AuditFilter): Promise<AuditEntry[]> {
    return this.call('auditEntries', filter);
  }
  auditLog(): AsyncIterable<AuditEntry> {
    return keysetPages((after) => this.call('auditPage', after === '' ? 0 : Number(after), STORE_PAGE), (e) => String(e.seq));
  }
  auditHead(): Promise<{ seq: number; hash: string } | null> {
    return this.call('auditHead');
  }
  pauseJob(job: string, by: string): Promise<void> {
    return this.call('pauseJob', job, by);
  }
  resumeJob(job: string): Promise<void> {
    return this.call('resumeJob', job);
  }
  pausedJobs(): Promise<JobPause[]> {
    return this.call('pausedJobs');
  }
  async subjectKey(): Promise<Buffer> {
    // a Buffer crosses the thread as a plain Uint8Array
    return Buffer.from(await this.call('subjectKey'));
  }
  findLedger(job: string, lookup: LedgerLookup, limit: number): Promise<LedgerEntry[]> {
    return this.call('findLedger', job, lookup, limit);
  }
  ledgerPageOf(target: TargetId, job: string, options: { status?: LedgerStatus[]; after?: string; limit: number }): Promise<LedgerEntry[]> {
    return this.call('ledgerPageOf', target, job, options);
  }
  outboxText(target: TargetId, idbanghi: string): Promise<string | null> {
    return this.call('outboxText', target, idbanghi);
  }
  recordVerifications(idbanghi: string): Promise<AcceptedVerificationRow[]> {
    return this.call('recordVerifications', idbanghi);
  }
  getRun(runId: string): Promise<RunRow | null> {
    return this.call('getRun', runId);
  }
  recordReconciliation(summary: ReconciliationSummary): Promise<void> {
    return this.call('recordReconciliation', summary);
  }
  reconciliations(job: string, limit: number): Promise<ReconciliationSummary[]> {
    return this.call('reconciliations', job, limit);
  }
}
