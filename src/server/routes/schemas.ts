/**
 * The JSON schemas of the API's answers, one per shape the services return. They are also what
 * fast-json-stringify writes: a property not listed here is dropped from the answer, so each
 * schema lists every field of its type (an open shape says so with additionalProperties).
 */

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nullable = <T extends Record<string, unknown>>(schema: T) => ({ anyOf: [schema, { type: 'null' }] }) as const;

function object(properties: Record<string, unknown>, required: string[] = Object.keys(properties)): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** any JSON object, written as it is (a report, a configuration, an envelope) */
export const openObject = { type: 'object', additionalProperties: true } as const;

export const errorSchema = object({ error: object({ code: str, message: str, kind: str }, ['code']) });

export const LEDGER_STATUS_VALUES = ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'] as const;

const statusCounts = object(Object.fromEntries(LEDGER_STATUS_VALUES.map((s) => [s, int])));

export const fieldErrorSchema = object({ field: str, code: str, message: str });

const RUN_COUNTS_REQUIRED = ['read', 'mapped', 'invalid', 'unchanged', 'staged', 'sent', 'accepted', 'conflicts', 'rejected', 'dead', 'retried', 'deferred', 'warnings'];
// awaitingSignature: counted since remote signing; runs recorded before it have none
export const runCountsSchema = object({
  read: int, mapped: int, invalid: int, unchanged: int, staged: int, sent: int, accepted: int,
  conflicts: int, rejected: int, dead: int, retried: int, deferred: int, warnings: int, awaitingSignature: int,
}, RUN_COUNTS_REQUIRED);

export const runRowSchema = object({
  id: str,
  job: str,
  startedAt: str,
  finishedAt: nullable(str),
  outcome: { type: 'string', enum: ['running', 'succeeded', 'partial', 'failed', 'interrupted'] },
  counts: runCountsSchema,
  error: nullable(object({ code: str, message: str })),
  trigger: str,
});

const lastErrorSchema = nullable(object({ code: str, message: str, errors: { type: 'array', items: fieldErrorSchema } }, ['code', 'message']));

export const ledgerEntrySchema = object({
  target: str, idbanghi: str, sourceKey: str, job: str, contentHash: str, phienban: int,
  status: { type: 'string', enum: [...LEDGER_STATUS_VALUES] },
  attempts: int,
  lastError: lastErrorSchema,
  receiptId: nullable(str),
  hubPhienban: nullable(int),
  hubContentHash: nullable(str),
  createdAt: str,
  updatedAt: str,
  acceptedAt: nullable(str),
});

const targetCounts = object({ target: str, counts: statusCounts });

const deadlineStatus = object({
  name: str, date: str, grades: { type: 'array', items: int }, daysLeft: int, countdown: str, vi: str, en: str,
  accepted: int, pending: int, rejectedByHub: int, heldBack: int,
});

export const jobSummarySchema = object({
  name: str,
  description: nullable(str),
  file: str,
  source: object({ connection: str, stream: str, mode: str }),
  destinations: { type: 'array', items: object({ target: str, connection: str, dataset: str }) },
  schedule: nullable(object({ cron: str, timezone: str, nextRunAt: nullable(str) })),
  running: bool,
  lastRun: nullable(runRowSchema),
  invalid: int,
  awaitingSignature: int,
  warnings: int,
  targets: { type: 'array', items: targetCounts },
  deadlines: { type: 'array', items: deadlineStatus },
  paused: bool,
  pausedBy: nullable(str),
});

const sourceRecordProblem = (list: string) =>
  object({ job: str, sourceKey: str, idbanghi: nullable(str), [list]: { type: 'array', items: fieldErrorSchema }, runId: str, updatedAt: str });

export const recordViewSchema = object({
  job: str,
  ledger: { type: 'array', items: ledgerEntrySchema },
  heldBack: { type: 'array', items: sourceRecordProblem('errors') },
  warnings: { type: 'array', items: sourceRecordProblem('warnings') },
});

export const deadLetterSchema = object({
  target: str,
  idbanghi: str,
  sourceKey: str,
  status: { type: 'string', enum: ['dead', 'conflict'] },
  phienban: int,
  attempts: int,
  error: lastErrorSchema,
});

export const requeueResultSchema = object({
  job: str,
  requeued: int,
  notRequeued: { type: 'array', items: object({ target: str, idbanghi: str, reason: str }) },
});

export const reconciliationSummarySchema = object({
  job: str,
  generatedAt: str,
  statusCounts,
  totals: { type: 'object', additionalProperties: num },
  byCode: { type: 'object', additionalProperties: int },
});

export const auditEntrySchema = object({
  seq: int,
  at: str,
  actor: str,
  action: str,
  subject: nullable(str),
  address: str,
  outcome: { type: 'string', enum: ['ok', 'denied', 'failed'] },
  detail: openObject,
  prevHash: str,
  hash: str,
});

/** `{ job }` in the path */
export const jobParams = object({ job: { type: 'string', minLength: 1, maxLength: 200 } });

export { str, int, num, bool, nullable, object };
