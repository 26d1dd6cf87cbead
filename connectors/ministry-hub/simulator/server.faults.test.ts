import { afterEach, describe, expect, it } from 'vitest';
import { sampleDiplomaEnvelope } from '../testing/fixtures.js';
import type { HubSimulator } from './server.js';
import { batchBody, errorCode, getJson, getToken, postBatch, startTestHub, type BatchAnswer } from '../testing/support.js';

let hub: HubSimulator;
afterEach(async () => hub.stop());

async function setFaults(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/_admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('hub simulator: faults', () => {
  it('fails with a 5xx before applying the batch: nothing stored', async () => {
    hub = await startTestHub({ faults: { errorRate: 1, failAfterApplyRate: 0, errorStatuses: [503] } });
    const token = await getToken(hub.url);
    const res = await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(1)]), { token, key: 'k1' });
    expect(res.status).toBe(503);
    expect(hub.history('vanbangchungchi', 'DHA-VB-000001')).toEqual([]);
  });

  it('fails with a 5xx after applying the batch: resending the same key answers the first result, once', async () => {
    hub = await startTestHub({ faults: { errorRate: 1, failAfterApplyRate: 1, errorStatuses: [500] } });
    const token = await getToken(hub.url);
    const body = batchBody([sampleDiplomaEnvelope(1)]);
    expect((await postBatch(hub.url, body, { token, key: 'k1' })).status).toBe(500);
    expect(hub.history('vanbangchungchi', 'DHA-VB-000001')).toHaveLength(1);

    const changed = await setFaults(hub.url, { errorRate: 0 });
    expect(((await changed.json()) as { faults: { errorRate: number } }).faults.errorRate).toBe(0);
    const resend = await postBatch(hub.url, body, { token, key: 'k1' });
    expect(resend.status).toBe(200);
    expect(((await resend.json()) as BatchAnswer).results[0]).toMatchObject({ status: 'accepted', phienban: 1 });
    expect(hub.acceptanceCounts('vanbangchungchi')).toEqual([{ idbanghi: 'DHA-VB-000001', phienban: 1, count: 1 }]);
  });

  it('holds a request without answering (the client times out), after applying it when told to', async () => {
    hub = await startTestHub({ faults: { timeoutRate: 1, failAfterApplyRate: 1 } });
    const token = await getToken(hub.url);
    const sent = postBatch(hub.url, batchBody([sampleDiplomaEnvelope(1)]), { token, signal: AbortSignal.timeout(300) });
    await expect(sent).rejects.toThrow();
    expect(hub.history('vanbangchungchi', 'DHA-VB-000001')).toHaveLength(1);
    expect(hub.stats().requestsByStatus.held).toBe(1);
  });

  it('answers bursts of 429 with Retry-After', async () => {
    hub = await startTestHub({ faults: { throttleRate: 1, throttleBurstLength: 2, throttleRetryAfterSeconds: 7 } });
    const token = await getToken(hub.url);
    const res = await postBatch(hub.url, batchBody([]), { token });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    await setFaults(hub.url, { throttleRate: 0 });
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
    expect(hub.stats().faults.throttled).toBe(1);
  });

  it('a burst goes on for its length, then the client gets through', async () => {
    // The first request starts the burst; the next two are in it whatever the rate says.
    hub = await startTestHub({ faults: { throttleRate: 1, throttleBurstLength: 3 } });
    const token = await getToken(hub.url);
    const statuses: number[] = [(await postBatch(hub.url, batchBody([]), { token })).status];
    hub.setFaults({ throttleRate: 0.000001 });
    for (let i = 0; i < 2; i += 1) statuses.push((await postBatch(hub.url, batchBody([]), { token })).status);
    expect(statuses).toEqual([429, 429, 429]);
    await setFaults(hub.url, { throttleRate: 0 });
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
  });

  it('revokes every token by fault or by admin call: the request gets a 401', async () => {
    hub = await startTestHub();
    const token = await getToken(hub.url);
    await setFaults(hub.url, { revokeTokens: true });
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(401);

    const second = await getToken(hub.url);
    hub.setFaults({ revokeRate: 1 });
    expect((await postBatch(hub.url, batchBody([]), { token: second })).status).toBe(401);
    // at most one random revocation a second: the client's one resend with a new token gets through
    const third = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token: third })).status).toBe(200);
    expect(hub.stats().faults.revocations).toBe(1);
  });

  it('spaces random revocations a second apart, by the hub clock', async () => {
    let now = Date.parse('2026-06-20T10:00:00Z');
    hub = await startTestHub({ now: () => now, faults: { revokeRate: 1 } });
    const first = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token: first })).status).toBe(401);
    const second = await getToken(hub.url);
    now += 999;
    expect((await postBatch(hub.url, batchBody([]), { token: second })).status).toBe(200);
    now += 1;
    expect((await postBatch(hub.url, batchBody([]), { token: second })).status).toBe(401);
    expect(hub.stats().faults.revocations).toBe(2);
  });

  it('refuses every token when told to (credentials the API does not accept)', async () => {
    hub = await startTestHub({ faults: { refuseTokens: true } });
    const token = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(401);
    hub.setFaults({ refuseTokens: false });
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
  });

  it('forces 413 for batches above N records', async () => {
    hub = await startTestHub({ faults: { tooLargeAboveRecords: 1 } });
    const token = await getToken(hub.url);
    const res = await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(1), sampleDiplomaEnvelope(2)]), { token });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('BATCH_TOO_LARGE');
    expect((await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(1)]), { token })).status).toBe(200);
  });

  it('spares read-back unless told otherwise, and adds latency without changing answers', async () => {
    hub = await startTestHub({ faults: { errorRate: 1, latencyMs: 5, latencyJitterMs: 5 } });
    const token = await getToken(hub.url);
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records', token)).status).toBe(200);
    hub.setFaults({ applyToReads: true });
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records', token)).status).toBeGreaterThanOrEqual(500);
  });

  it('draws the same faults for the same seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      hub = await startTestHub({ seed, faults: { errorRate: 0.5, failAfterApplyRate: 0.5 } });
      const token = await getToken(hub.url);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await postBatch(hub.url, batchBody([]), { token, key: `k${i}` })).status);
      await hub.stop();
      return statuses;
    };
    const a = await run(42);
    const b = await run(42);
    expect(a).toEqual(b);
    expect(a.some((s) => s === 200)).toBe(true);
    expect(a.some((s) => s >= 500)).toBe(true);
    hub = await startTestHub();
  });

  it('draws the faults of a batch from its key and attempt, whatever the order requests come in', async () => {
    const run = async (keys: string[]): Promise<Map<string, number>> => {
      hub = await startTestHub({ seed: 5, faults: { errorRate: 0.5, failAfterApplyRate: 0 } });
      const token = await getToken(hub.url);
      const byKey = new Map<string, number>();
      for (const key of keys) byKey.set(key, (await postBatch(hub.url, batchBody([]), { token, key })).status);
      await hub.stop();
      return byKey;
    };
    const keys = Array.from({ length: 10 }, (_, i) => `batch-${i}`);
    const forward = await run(keys);
    const backward = await run([...keys].reverse());
    expect([...backward.entries()].sort()).toEqual([...forward.entries()].sort());
    hub = await startTestHub();
  });

  it('refuses an invalid fault change with 400 and shows the current faults', async () => {
    hub = await startTestHub();
    const bad = await setFaults(hub.url, { errorRate: 2 });
    expect(bad.status).toBe(400);
    const unknown = await setFaults(hub.url, { nonsense: true });
    expect(unknown.status).toBe(400);
    const current = await fetch(`${hub.url}/_admin/faults`);
    expect(await current.json()).toMatchObject({ errorRate: 0, tooLargeAboveRecords: null });
  });
});
