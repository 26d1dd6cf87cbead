import { Worker } from 'node:worker_threads';
import { BugError } from '../../src/core/errors.js';
import { compiledModule } from '../../src/core/package-root.js';
import { WorkerClient } from '../../src/core/worker-rpc.js';
import { STATUSES, SqliteStateStore } from './sqlite-store.js';
import type { StoreCall } from './store-wire.js';
import { WorkerConsoleStore } from './worker-console-store.js';
import { STORE_PAGE, keysetPages } from '../../src/store/store.js';
import type { CursorValue } from '../../src/core/cursor.js';
import type {
  DeadLetterItem,
  RequeueItem,
  DeliveryOutcome,
  InvalidRecord,
  LedgerEntry,
  LedgerStatus,
  OutboxPage,
  RecordWarnings,
  RunCounts,
  RunRow,
  StageRow,
  StateStore,
  TargetId,
} from '../../src/store/store.js';

/** The compiled store worker; undefined before a build (see compiledModule). */
export function storeWorkerFile(): string | undefined {
  return compiledModule(import.meta.url, './store-worker.js', 'stores/sqlite/store-worker.js');
}

/**
 * The SQLite state store on a thread of its own. Every commit is synced to disk
 * (synchronous = FULL); done on the main thread, those waits and the b-tree work would stop reading,
 * mapping and the HTTP answers of the destinations. Here the main thread goes on while the worker
 * writes; calls are answered in the order they were made, so a read made after a write sees it.
 */
export class WorkerStateStore extends WorkerConsoleStore implements StateStore {
  private closed: Promise<void> | undefined;

  constructor(path: string, workerFile: string) {
    super(
      new WorkerClient<StoreCall>(new Worker(workerFile, { workerData: { path } }), {
        failure: (how) =>
          'error' in how
            ? new BugError('STORE_WORKER_FAILED', `the state store's thread failed: ${how.error.message}`, {}, { cause: how.error })
            : new BugError('STORE_WORKER_EXITED', `the state store's thread ended (exit code ${how.exitCode})`),
        errorContext: (call) => ({ storeCall: call.method }),
      }),
    );
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.client.failure === undefined) await this.client.request({ method: 'close', args: [] }).catch(() => undefined);
      await this.client.terminate();
    })();
    return this.closed;
  }

  acquireLock(job: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.call('acquireLock', job, owner, ttlMs);
  }
  renewLock(job: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.call('renewLock', job, owner, ttlMs);
  }
  releaseLock(job: string, owner: string): Promise<void> {
    return this.call('releaseLock', job, owner);
  }
  lockHolder(job: string): Promise<{ owner: string; expiresAt: string } | null> {
    return this.call('lockHolder', job);
  }
  getCursor(job: string, stream: string): Promise<CursorValue | null> {
    return this.call('getCursor', job, stream);
  }
  setCursor(job: string, stream: string, cursor: CursorValue): Promise<void> {
    return this.call('setCursor', job, stream, cursor);
  }
  startRun(job: string, trigger: string): Promise<RunRow> {
    return this.call('startRun', job, trigger);
  }
  finishRun(runId: string, outcome: RunRow['outcome'], counts: RunCounts, error: { code: string; message: string } | null): Promise<void> {
    return this.call('finishRun', runId, outcome, counts, error);
  }
  markInterruptedRuns(job: string): Promise<number> {
    return this.call('markInterruptedRuns', job);
  }
  lastRuns(job: string, limit: number): Promise<RunRow[]> {
    return this.call('lastRuns', job, limit);
  }
  getLedgerEntries(target: TargetId, idbanghis: string[]): Promise<Map<string, LedgerEntry>> {
    return this.call('getLedgerEntries', target, idbanghis);
  }
  stage(rows: StageRow[]): Promise<void> {
    return this.call('stage', rows);
  }
  markSent(target: TargetId, items: { idbanghi: string; phienban: number }[]): Promise<void> {
    return this.call('markSent', target, items);
  }
  applyOutcomes(target: TargetId, outcomes: DeliveryOutcome[]): Promise<void> {
    return this.call('applyOutcomes', target, outcomes);
  }
  outboxPage(target: TargetId, after: string | null, limit: number): Promise<OutboxPage> {
    return this.call('outboxPage', target, after, limit);
  }
  recordInvalid(records: InvalidRecord[]): Promise<void> {
    return this.call('recordInvalid', records);
  }
  clearInvalid(job: string, sourceKeys: string[]): Promise<void> {
    return this.call('clearInvalid', job, sourceKeys);
  }
  listInvalid(job: string): AsyncIterable<InvalidRecord> {
    return keysetPages((after) => this.call('invalidPage', job, after, STORE_PAGE), (r) => r.sourceKey);
  }
  recordWarnings(rows: RecordWarnings[]): Promise<void> {
    return this.call('recordWarnings', rows);
  }
  clearWarnings(job: string, sourceKeys: string[]): Promise<void> {
    return this.call('clearWarnings', job, sourceKeys);
  }
  listWarnings(job: string): AsyncIterable<RecordWarnings> {
    return keysetPages((after) => this.call('warningsPage', job, after, STORE_PAGE), (r) => r.sourceKey);
  }
  warningCount(job: string): Promise<number> {
    return this.call('warningCount', job);
  }
  statusCounts(target: TargetId): Promise<Record<LedgerStatus, number>> {
    return this.call('statusCounts', target);
  }
  statusCountsByGrade(target: TargetId, grades: readonly number[]): Promise<Record<LedgerStatus, number>> {
    return this.call('statusCountsByGrade', target, grades);
  }
  ledger(target: TargetId, filter?: { status?: LedgerStatus[] }): AsyncIterable<LedgerEntry> {
    const statuses = filter?.status ?? STATUSES;
    return keysetPages((after) => this.call('ledgerPage', target, after, statuses, STORE_PAGE), (e) => e.idbanghi);
  }
  deadLetters(target: TargetId, idbanghis?: string[]): Promise<DeadLetterItem[]> {
    return this.call('deadLetters', target, idbanghis);
  }
  requeue(target: TargetId, items: RequeueItem[]): Promise<number> {
    return this.call('requeue', target, items);
  }
}

/**
 * Opens the state store at `path`: on a worker thread when the worker is built (always, in an
 * installed package), else on this thread (the tests of the .ts sources before a build).
 */
export function openStateStore(path: string, options: { thread?: 'worker' | 'current' } = {}): StateStore {
  const file = options.thread === 'current' ? undefined : storeWorkerFile();
  return file === undefined ? new SqliteStateStore(path) : new WorkerStateStore(path, file);
}
