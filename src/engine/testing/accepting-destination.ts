import type { DestinationConnector } from '../../core/connector.js';
import type { DeliveryAnswer } from '../../core/records.js';
import { encodeEnvelope, type RecordEnvelope } from '../../../connectors/ministry-hub/envelope.js';

/** A destination for runner tests: encodes as the hub does, accepts everything, remembers what it got. */
export function acceptingDestination(): DestinationConnector & { received: RecordEnvelope[] } {
  const received: RecordEnvelope[] = [];
  return {
    type: 'fake-hub',
    maxBatchSize: 1000,
    received,
    check: async () => ({ ok: true, message: 'ok' }),
    encode: encodeEnvelope,
    write: async (batch): Promise<DeliveryAnswer[]> => {
      received.push(...batch.map((e) => JSON.parse(e.encoded) as RecordEnvelope));
      return batch.map((e) => ({ idbanghi: e.idbanghi, status: 'delivered', receiptId: `rc-${e.idbanghi}` }));
    },
    close: async () => undefined,
  };
}
