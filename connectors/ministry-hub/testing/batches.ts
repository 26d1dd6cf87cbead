import type { LienthongError } from '../../../src/core/errors.js';
import type { EncodedRecord } from '../../../src/core/records.js';

/** The error a promise rejects with; a promise that resolves fails the test. */
export async function failure(promise: Promise<unknown>): Promise<LienthongError> {
  try {
    await promise;
  } catch (err) {
    return err as LienthongError;
  }
  throw new Error('expected a failure');
}

/** A batch of small diploma envelopes as the outbox keeps them, for unit DHA. */
export function encodedBatch(records: number): EncodedRecord[] {
  return Array.from({ length: records }, (_, i) => ({
    idbanghi: `DHA-${i}`,
    version: 1,
    contentHash: 'a'.repeat(64),
    encoded: JSON.stringify({ idbanghi: `DHA-${i}`, sukien: 'NEW', phienban: 1, thoigiancapnhat: '2026-06-20T10:15:00', data: { sohieu: `VB-${i}` } }),
  }));
}

/** What the hub answers when it accepts every record of a batch (about 150 bytes a record). */
export function acceptedAnswer(batch: EncodedRecord[]): string {
  return JSON.stringify({
    batchId: 'b-1',
    results: batch.map((r, i) => ({ idbanghi: r.idbanghi, status: 'accepted', phienban: 1, receiptId: `rc-${i}-0123456789`, contentHash: 'a'.repeat(64) })),
  });
}
