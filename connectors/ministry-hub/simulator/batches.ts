import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { contentHash } from '../../../src/core/hash.js';
import type { FieldError, JsonObject, JsonValue, RecordEvent } from '../../../src/core/records.js';
import { toVietnamTimestamp } from '../../../src/domain/dates.js';
import type { DatasetValidator } from './datasets.js';
import { problemBody } from './http-util.js';
import type { HubStore } from './store.js';

/** An idempotency key is honoured this long (24 h). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Records checked at once: async checks (XSD, signatures) run in worker threads and native crypto. */
const VALIDATION_CONCURRENCY = 64;

export type BatchResult =
  | { idbanghi: string; status: 'accepted'; phienban: number; receiptId: string; contentHash: string }
  | { idbanghi: string; status: 'stale'; phienban: number; contentHash: string }
  | { idbanghi: string; status: 'rejected'; errors: FieldError[] };

export interface BatchSubmission {
  clientId: string;
  dataset: string;
  unitCode: string;
  idempotencyKey: string;
  /** hash of what makes two requests "the same": dataset, unit and the body */
  requestHash: string;
  records: JsonValue[];
}

export interface BatchOutcome {
  status: number;
  /** the answer's JSON text (a replay answers the stored text byte for byte) */
  body: string;
  replayed: boolean;
  accepted: number;
  stale: number;
  rejected: number;
}

/**
 * Applies one batch in one transaction, together with its idempotency answer: the same key and
 * request within 24 h answer the stored text again; the same key with another request is a 422.
 * Records are validated first, outside the transaction (validators may be async, and a SQLite
 * transaction cannot span an await); a replay is answered without validating again.
 */
export async function submitBatch(
  store: HubStore,
  validator: DatasetValidator,
  submission: BatchSubmission,
  now: number,
): Promise<BatchOutcome> {
  for (;;) {
    const checks = isReplay(store, submission, now) ? undefined : await validateRecords(validator, submission.records);
    const outcome = store.transaction(() => applyBatch(store, submission, checks, now));
    // The stored answer vanished between the look and the transaction (not done by this store today):
    // validate and try again rather than apply unvalidated records.
    if (outcome !== NEEDS_VALIDATION) return outcome;
  }
}

const NEEDS_VALIDATION = Symbol('needs validation');

function isReplay(store: HubStore, submission: BatchSubmission, now: number): boolean {
  const previous = store.getIdempotency(submission.clientId, submission.idempotencyKey);
  return previous !== undefined && now - previous.createdAt < IDEMPOTENCY_WINDOW_MS && previous.requestHash === submission.requestHash;
}

/** Each record's field errors, in request order; empty for a valid record. */
async function validateRecords(validator: DatasetValidator, records: readonly JsonValue[]): Promise<FieldError[][]> {
  const queue = new PQueue({ concurrency: VALIDATION_CONCURRENCY });
  return Promise.all(
    records.map((record) =>
      queue.add(async () => (isObject(record) ? validator.validate(record) : [])),
    ),
  );
}

function applyBatch(
  store: HubStore,
  submission: BatchSubmission,
  checks: FieldError[][] | undefined,
  now: number,
): BatchOutcome | typeof NEEDS_VALIDATION {
  const previous = store.getIdempotency(submission.clientId, submission.idempotencyKey);
  if (previous !== undefined && now - previous.createdAt < IDEMPOTENCY_WINDOW_MS) {
    if (previous.requestHash === submission.requestHash) {
      return { status: previous.status, body: previous.body, replayed: true, accepted: 0, stale: 0, rejected: 0 };
    }
    const body = JSON.stringify(
      problemBody('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key đã được dùng cho một lô dữ liệu khác trong 24 giờ qua'),
    );
    return { status: 422, body, replayed: false, accepted: 0, stale: 0, rejected: 0 };
  }
  if (checks === undefined) return NEEDS_VALIDATION;

  const batchId = `b-${randomUUID()}`;
  const updatedAt = toVietnamTimestamp(new Date(now));
  const results = submission.records.map((record, i) =>
    applyRecord(store, checks[i] ?? [], submission, record, batchId, updatedAt),
  );
  const body = JSON.stringify({ batchId, results });
  store.putIdempotency(submission.clientId, submission.idempotencyKey, {
    requestHash: submission.requestHash,
    status: 200,
    body,
    createdAt: now,
  });
  const count = (status: BatchResult['status']): number => results.filter((r) => r.status === status).length;
  return { status: 200, body, replayed: false, accepted: count('accepted'), stale: count('stale'), rejected: count('rejected') };
}

function isObject(record: JsonValue): record is JsonObject {
  return record !== null && typeof record === 'object' && !Array.isArray(record);
}

function applyRecord(
  store: HubStore,
  errors: FieldError[],
  submission: BatchSubmission,
  record: JsonValue,
  batchId: string,
  updatedAt: string,
): BatchResult {
  if (!isObject(record)) {
    return {
      idbanghi: '',
      status: 'rejected',
      errors: [{ field: '', code: 'INVALID_RECORD', message: 'Bản ghi phải là một đối tượng JSON' }],
    };
  }
  const idbanghi = typeof record.idbanghi === 'string' ? record.idbanghi : '';
  if (errors.length > 0) return { idbanghi, status: 'rejected', errors };

  // The validator checked the envelope: these casts name what it guaranteed.
  const phienban = record.phienban as number;
  const data = record.data as JsonObject;
  const held = store.getRecord(submission.dataset, idbanghi);
  if (held !== undefined && held.phienban >= phienban) {
    return { idbanghi, status: 'stale', phienban: held.phienban, contentHash: held.contentHash };
  }
  const hash = contentHash(data);
  const receiptId = `r-${randomUUID()}`;
  store.putRecord(
    {
      dataset: submission.dataset,
      idbanghi,
      unitCode: submission.unitCode,
      phienban,
      contentHash: hash,
      sukien: record.sukien as RecordEvent,
      receiptId,
      updatedAt,
      thoigiancapnhat: record.thoigiancapnhat as string,
      dataJson: JSON.stringify(data),
      tailieuJson: record.tailieu === undefined ? null : JSON.stringify(record.tailieu),
    },
    batchId,
  );
  return { idbanghi, status: 'accepted', phienban, receiptId, contentHash: hash };
}
