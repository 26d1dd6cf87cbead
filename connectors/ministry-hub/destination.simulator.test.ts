import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchTooLargeError, ConfigError, RejectedError, TransientError } from '../../src/core/errors.js';
import { contentHash } from '../../src/core/hash.js';
import type { HeldRecord } from '../../src/core/records.js';
import { sampleDiplomaEnvelope } from './testing/fixtures.js';
import { startHubSimulator, type HubSimulator } from './simulator/index.js';
import type { MinistryHubConfigInput } from './config.js';
import { MinistryHubDestination } from './destination.js';
import { encodedOf } from './envelope.js';
import { failure } from './testing/batches.js';

const SECRET = 'very-secret-value-123';
const CONTEXT = { dataset: 'vanbangchungchi', schemaVersion: 'VanBangChungChi/2025' };

let hub: HubSimulator;
let destination: MinistryHubDestination | undefined;

beforeEach(async () => {
  hub = await startHubSimulator({
    clients: [
      { clientId: 'dha', clientSecret: SECRET, unitCodes: ['DHA'] },
      { clientId: 'dhb', clientSecret: 'other', unitCodes: ['DHB'] },
    ],
    rateLimit: false,
  });
});
afterEach(async () => {
  await destination?.close();
  destination = undefined;
  await hub.stop();
});

function connect(overrides: Partial<MinistryHubConfigInput> = {}): MinistryHubDestination {
  destination = new MinistryHubDestination({
    baseUrl: hub.url,
    unitCode: 'DHA',
    clientId: 'dha',
    clientSecret: SECRET,
    timeoutMs: 5000,
    ...overrides,
  });
  return destination;
}


describe('MinistryHubDestination against the hub simulator', () => {
  it('checks the connection, and reports bad credentials without the secret', async () => {
    expect(await connect().check()).toMatchObject({ ok: true });
    await destination?.close();
    const bad = await connect({ clientSecret: 'wrong-secret-999' }).check();
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/credentials/);
    expect(bad.message).not.toContain('wrong-secret-999');
  });

  it('writes a batch and maps accepted, stale and rejected results in order', async () => {
    const hubDest = connect();
    const a = sampleDiplomaEnvelope(1);
    const first = await hubDest.writeEnvelopes([a], CONTEXT);
    // the hub's contentHash (SHA-256 of the RFC 8785 data) is the one staged: kept for destinations waiting for the hub
    const staged = encodedOf(a).contentHash;
    expect(first).toEqual([
      { idbanghi: a.idbanghi, status: 'delivered', receiptId: expect.any(String) as unknown, heldContentHash: staged },
    ]);
    const invalid = { ...sampleDiplomaEnvelope(2), sukien: 'NEW' as const, data: { hovaten: 'x' } };
    const results = await hubDest.writeEnvelopes([sampleDiplomaEnvelope(3), a, invalid], CONTEXT);
    // the hub answers `stale` with our own content and phienban: our earlier send arrived
    expect(results.map((r) => r.status)).toEqual(['delivered', 'already-held', 'rejected']);
    expect(results[1]).toEqual({ idbanghi: a.idbanghi, status: 'already-held', heldContentHash: staged });
    const rejected = results[2];
    expect(rejected?.status === 'rejected' && rejected.errors.length).toBeGreaterThan(0);
  });

  it('resends the same batch with the same key and body: the hub replays its first answer', async () => {
    const hubDest = connect({ gzipThresholdBytes: 0 });
    const batch = [sampleDiplomaEnvelope(1), sampleDiplomaEnvelope(2)];
    const first = await hubDest.writeEnvelopes(batch, CONTEXT);
    const again = await hubDest.writeEnvelopes(batch, CONTEXT);
    expect(again).toEqual(first);
    expect(hub.stats()).toMatchObject({ batches: 1, replays: 1, recordsAccepted: 2 });
  });

  it('after a 5xx that happened after the batch was applied, the resend is answered as accepted, once', async () => {
    const hubDest = connect();
    hub.setFaults({ errorRate: 1, failAfterApplyRate: 1 });
    const batch = [sampleDiplomaEnvelope(1)];
    const err = await failure(hubDest.writeEnvelopes(batch, CONTEXT));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('HUB_UNAVAILABLE');
    hub.setFaults({ errorRate: 0 });
    const results = await hubDest.writeEnvelopes(batch, CONTEXT);
    expect(results[0]?.status).toBe('delivered');
    expect(hub.acceptanceCounts('vanbangchungchi')).toEqual([{ idbanghi: batch[0]?.idbanghi, phienban: 1, count: 1 }]);
  });

  it('on a 401 fetches a new token once and resends; a second 401 is a ConfigError', async () => {
    const hubDest = connect();
    await hubDest.writeEnvelopes([sampleDiplomaEnvelope(1)], CONTEXT);
    hub.revokeAllTokens();
    const results = await hubDest.writeEnvelopes([sampleDiplomaEnvelope(2)], CONTEXT);
    expect(results[0]?.status).toBe('delivered');
    expect(hub.stats().tokensIssued).toBe(2);

    // a new token refused again is bad credentials: stop (the contract's "second 401")
    hub.setFaults({ refuseTokens: true });
    const err = await failure(hubDest.writeEnvelopes([sampleDiplomaEnvelope(3)], CONTEXT));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('HUB_UNAUTHORIZED');
    expect(hub.stats().tokensIssued).toBe(3);
  });

  it('maps 403, 413, 422, 429 and timeouts', async () => {
    const forbidden = await failure(connect({ unitCode: 'DHB' }).writeEnvelopes([sampleDiplomaEnvelope(1, 1, 'DHB')], CONTEXT));
    expect(forbidden).toBeInstanceOf(ConfigError);
    expect(forbidden.code).toBe('HUB_FORBIDDEN');
    await destination?.close();

    const hubDest = connect({ timeoutMs: 300 });
    hub.setFaults({ tooLargeAboveRecords: 1 });
    expect(await failure(hubDest.writeEnvelopes([sampleDiplomaEnvelope(1), sampleDiplomaEnvelope(2)], CONTEXT))).toBeInstanceOf(BatchTooLargeError);
    hub.setFaults({ tooLargeAboveRecords: null });

    const schema = await failure(hubDest.writeEnvelopes([sampleDiplomaEnvelope(1)], { ...CONTEXT, schemaVersion: 'VanBangChungChi/1900' }));
    expect(schema).toBeInstanceOf(RejectedError);
    expect(schema.code).toBe('UNSUPPORTED_SCHEMA_VERSION');

    hub.setFaults({ throttleRate: 1, throttleBurstLength: 1, throttleRetryAfterSeconds: 7 });
    const limited = await failure(hubDest.writeEnvelopes([sampleDiplomaEnvelope(1)], CONTEXT));
    expect(limited).toBeInstanceOf(TransientError);
    expect((limited as TransientError).retryAfterMs).toBe(7000);
    hub.setFaults({ throttleRate: 0, timeoutRate: 1 });

    const timeout = await failure(hubDest.writeEnvelopes([sampleDiplomaEnvelope(1)], CONTEXT));
    expect(timeout).toBeInstanceOf(TransientError);
    expect(timeout.code).toBe('HUB_TIMEOUT');
  });

  it('answers a TransientError when the hub is not there', async () => {
    const hubDest = connect();
    await hub.stop();
    const err = await failure(hubDest.writeEnvelopes([sampleDiplomaEnvelope(1)], CONTEXT));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('HUB_NETWORK');
    hub = await startHubSimulator({ clients: [], rateLimit: false });
  });

  it('reads back every record page by page, and one record with its data', async () => {
    const hubDest = connect({ readBackPageSize: 2 });
    const batch = [5, 1, 4, 2, 3].map((n) => sampleDiplomaEnvelope(n));
    await hubDest.writeEnvelopes(batch, CONTEXT);
    const held: HeldRecord[] = [];
    for await (const record of hubDest.readBack('vanbangchungchi')) held.push(record);
    expect(held.map((r) => r.idbanghi)).toEqual([1, 2, 3, 4, 5].map((n) => sampleDiplomaEnvelope(n).idbanghi));
    expect(held[0]).toMatchObject({ phienban: 1, sukien: 'NEW', contentHash: contentHash(sampleDiplomaEnvelope(1).data) });

    const one = await hubDest.getRecord('vanbangchungchi', sampleDiplomaEnvelope(3).idbanghi);
    expect(one?.data).toEqual(sampleDiplomaEnvelope(3).data);
    expect(await hubDest.getRecord('vanbangchungchi', 'DHA-VB-404404')).toBeNull();
  });
});
