/**
 * The messages between a WorkerStateStore and the worker thread that owns the SQLite connection:
 * one request per store call, answered in order.
 */
import {
  BugError,
  ConfigError,
  DataError,
  LienthongError,
  RejectedError,
  TransientError,
  type ErrorContext,
  type ErrorKind,
} from '../core/errors.js';
import type { SqliteStateStore } from './sqlite-store.js';
import type { StateStore } from './store.js';

/** Store calls that travel as they are; the iterators travel as their pages. */
export type WireMethods = Omit<StateStore, 'ledger' | 'listInvalid' | 'listWarnings' | 'close'> & Pick<SqliteStateStore, 'ledgerPage' | 'invalidPage' | 'warningsPage'>;
export type WireMethod = keyof WireMethods;

export const WIRE_METHODS: ReadonlySet<string> = new Set<WireMethod>([
  'acquireLock',
  'renewLock',
  'releaseLock',
  'lockHolder',
  'getCursor',
  'setCursor',
  'startRun',
  'finishRun',
  'markInterruptedRuns',
  'lastRuns',
  'getLedgerEntries',
  'stage',
  'markSent',
  'applyOutcomes',
  'outboxPage',
  'recordInvalid',
  'clearInvalid',
  'recordWarnings',
  'clearWarnings',
  'warningsPage',
  'warningCount',
  'statusCounts',
  'retryDeadLetters',
  'ledgerPage',
  'invalidPage',
]);

export type StoreRequest = { [M in WireMethod]: { id: number; method: M; args: Parameters<WireMethods[M]> } }[WireMethod] | { id: number; method: 'close'; args: [] };

export interface WireError {
  code: string;
  kind: ErrorKind;
  message: string;
  context: ErrorContext;
  retryAfterMs?: number;
}

export type StoreResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** An error thrown in the worker, as it can cross the thread boundary (a structured clone). */
export function toWireError(err: unknown): WireError {
  if (err instanceof LienthongError) {
    return { code: err.code, kind: err.kind, message: err.message, context: err.context, ...(err instanceof TransientError && err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) };
  }
  // SQLite's own errors (a full disk, a corrupt file, a lock held too long) carry a SQLITE_ code
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  const sqliteCode = typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return { code: sqliteCode ?? 'STORE_FAILED', kind: 'bug', message: `the state store failed: ${message}`, context: {} };
}

/** The same error again on the calling thread, of the class its kind names. */
export function fromWireError(e: WireError, method: string): LienthongError {
  const context = { ...e.context, storeCall: method };
  switch (e.kind) {
    case 'config':
      return new ConfigError(e.code, e.message, context);
    case 'transient':
      return new TransientError(e.code, e.message, context, e.retryAfterMs === undefined ? undefined : { retryAfterMs: e.retryAfterMs });
    case 'rejected':
      return new RejectedError(e.code, e.message, context);
    case 'data':
      return new DataError(e.code, e.message, context);
    case 'bug':
      return new BugError(e.code, e.message, context);
  }
}
