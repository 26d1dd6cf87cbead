/**
 * The messages between a WorkerStateStore and the worker thread that owns the SQLite connection:
 * one request per store call, answered in order (core/worker-rpc.ts carries them).
 */
import type { WireError } from '../../src/core/worker-rpc.js';
import type { SqliteStateStore } from './sqlite-store.js';
import type { StateStore } from '../../src/store/store.js';

/** Store calls that travel as they are; the iterators travel as their pages. */
export type WireMethods = Omit<StateStore, 'ledger' | 'listInvalid' | 'listWarnings' | 'auditLog' | 'close'> & Pick<SqliteStateStore, 'ledgerPage' | 'invalidPage' | 'warningsPage' | 'auditPage'>;
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
  'statusCountsByGrade',
  'deadLetters',
  'requeue',
  'ledgerPage',
  'invalidPage',
  // the console's part (console-store.ts)
  'createUser',
  'getUser',
  'listUsers',
  'updateUser',
  'addApiToken',
  'useApiToken',
  'listApiTokens',
  'revokeApiTokens',
  'appendAudit',
  'auditEntries',
  'auditPage',
  'auditHead',
  'pauseJob',
  'resumeJob',
  'pausedJobs',
  'subjectKey',
  'findLedger',
  'ledgerPageOf',
  'outboxText',
  'recordVerifications',
  'getRun',
  'recordReconciliation',
  'reconciliations',
  // the CIM kiosks' part (kiosk-store.ts)
  'kioskEnqueue',
  'kioskQueuePage',
  'kioskDelivered',
  'kioskSeed',
  'kioskAttemptFailed',
  'kioskHeld',
  'kioskSetHealth',
  'kioskHealth',
  'kioskDeadLetters',
  'kioskRequeue',
  // the remote signing workflow's part (signing-store.ts)
  'putSigningDocument',
  'getSigningDocument',
  'signingDocuments',
  'signingDocumentCounts',
  'putSigningItems',
  'undispatchedSigningItems',
  'signingItemsOf',
  'signingItemsFor',
  'createSigningRequest',
  'getSigningRequest',
  'signingRequests',
  'updateSigningRequest',
  'releaseSigningItems',
  'removeRecordFromSigningRequest',
  // the CIM certificates' part (certificate-store.ts)
  'putKioskToken',
  'kioskOfToken',
  'reserveCertificate',
  'completeCertificate',
  'abandonCertificate',
  'certificateByRequest',
  'certificateByNumber',
  'certificateByCode',
  'certificatePdf',
  'revokeCertificate',
  'listCertificates',
  'certificateReport',
  'putStudentSnapshot',
  'studentSnapshot',
]);

/** One store call as it travels to the thread (the request of core/worker-rpc.ts). */
export type StoreCall = { [M in WireMethod]: { method: M; args: Parameters<WireMethods[M]> } }[WireMethod] | { method: 'close'; args: [] };

/**
 * An error of the thread that is not a LienthongError, for the caller: SQLite's own errors (a full
 * disk, a corrupt file, a lock held too long) keep their SQLITE_ code.
 */
export function storeFailure(err: unknown): WireError {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  const sqliteCode = typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return { code: sqliteCode ?? 'STORE_FAILED', kind: 'bug', message: `the state store failed: ${message}`, context: {} };
}
