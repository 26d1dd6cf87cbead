import type { DestinationConnector } from '../../core/connector.js';
import type { DeliveryAnswer } from '../../core/records.js';
import { encodeEnvelope, type RecordEnvelope } from '../../../connectors/ministry-hub/envelope.js';

/**
 * A destination for runner tests: encodes as the hub does, accepts everything (but the ids in
 * `reject`, refused for good) and says it holds the content hash it was sent, as the hub does;
 * remembers what it accepted.
 */
export function acceptingDestination(reject: ReadonlySet<string> = new Set()): DestinationConnector & { received: RecordEnvelope[] } {
  const received: RecordEnvelope[] = [];
  return {
    type: 'fake-hub',
    maxBatchSize: 1000,
    received,
    check: async () => ({ ok: true, message: 'ok' }),
    encode: encodeEnvelope,
    write: async (batch): Promise<DeliveryAnswer[]> =>
      batch.map((e) => {
        if (reject.has(e.idbanghi)) return { idbanghi: e.idbanghi, status: 'rejected', errors: [{ field: 'data.id', code: 'INVALID', message: 'refused' }] };
        received.push(JSON.parse(e.encoded) as RecordEnvelope);
        return { idbanghi: e.idbanghi, status: 'delivered', receiptId: `rc-${e.idbanghi}`, heldContentHash: e.contentHash };
      }),
    close: async () => undefined,
  };
}
