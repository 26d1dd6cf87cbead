import { afterEach, describe, expect, it } from 'vitest';
import { sampleDiplomaEnvelope } from '../testing/fixtures.js';
import type { HubSimulator } from './server.js';
import { CLIENT, batchBody, errorCode, getJson, getToken, postBatch, startTestHub, submit } from '../testing/support.js';

let hub: HubSimulator;
afterEach(async () => hub.stop());

describe('hub simulator: OAuth2 and access', () => {
  it('issues a Bearer token for client credentials in a form or HTTP Basic', async () => {
    hub = await startTestHub({ tokenTtlSeconds: 1200 });
    const res = await fetch(`${hub.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${CLIENT.clientId}&client_secret=${CLIENT.clientSecret}&scope=hub`,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1200, scope: 'hub' });
    expect(typeof body.access_token).toBe('string');

    const basic = await fetch(`${hub.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
  });

  it('refuses a wrong secret (401 invalid_client) and another grant type (400)', async () => {
    hub = await startTestHub();
    const wrong = await fetch(`${hub.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await fetch(`${hub.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
    });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('answers 401 without a token, with an unknown one, and after revocation; a new token works again', async () => {
    hub = await startTestHub();
    expect((await postBatch(hub.url, batchBody([]), { token: 'not-a-token' })).status).toBe(401);
    const token = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);

    const revoke = await fetch(`${hub.url}/_admin/revoke-tokens`, { method: 'POST' });
    expect(await revoke.json()).toEqual({ revokedTokens: 1 });
    const after = await postBatch(hub.url, batchBody([]), { token });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records', token)).status).toBe(401);

    const fresh = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token: fresh })).status).toBe(200);
  });

  it('expires tokens after expires_in', async () => {
    let now = Date.parse('2026-06-20T03:00:00Z');
    hub = await startTestHub({ now: () => now, tokenTtlSeconds: 60 });
    const token = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
    now += 61_000;
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(401);
  });

  it('answers 403 for a unit or a dataset the client may not use, and 404 for an unknown dataset', async () => {
    hub = await startTestHub();
    const token = await getToken(hub.url);
    const otherUnit = await postBatch(hub.url, batchBody([], { unitCode: 'DHB' }), { token, unit: 'DHB' });
    expect(otherUnit.status).toBe(403);
    expect(await errorCode(otherUnit)).toBe('UNIT_NOT_ALLOWED');

    const otherToken = await getToken(hub.url, { clientId: 'other-client', clientSecret: 's3cret-other', unitCodes: ['DHB'] });
    const dataset = await postBatch(hub.url, batchBody([], { unitCode: 'DHB' }), { token: otherToken, unit: 'DHB' });
    expect(dataset.status).toBe(403);
    expect(await errorCode(dataset)).toBe('DATASET_NOT_ALLOWED');

    const unknown = await postBatch(hub.url, batchBody([]), { token, dataset: 'no-such-dataset' });
    expect(unknown.status).toBe(404);

    const readOther = await getJson(hub.url, '/v1/vanbangchungchi/records?unitCode=DHB', token);
    expect(readOther.status).toBe(403);
  });

  it('limits each client with a token bucket: 429 with Retry-After, then lets it through once refilled', async () => {
    let now = Date.parse('2026-06-20T03:00:00Z');
    hub = await startTestHub({ now: () => now, rateLimit: { ratePerSecond: 0.5, burst: 2 } });
    const token = await getToken(hub.url);
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
    const limited = await postBatch(hub.url, batchBody([]), { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    now += 2000;
    expect((await postBatch(hub.url, batchBody([]), { token })).status).toBe(200);
    expect(hub.stats().requestsByStatus['429']).toBe(1);
  });

  it('stores records under the unit of the X-Unit-Code header and hides them from other units', async () => {
    hub = await startTestHub({
      clients: [CLIENT, { clientId: 'b', clientSecret: 'sb', unitCodes: ['DHB'] }],
    });
    const token = await getToken(hub.url);
    const record = sampleDiplomaEnvelope(1);
    await submit(hub.url, token, [record]);
    const tokenB = await getToken(hub.url, { clientId: 'b', clientSecret: 'sb', unitCodes: ['DHB'] });
    const seen = await getJson(hub.url, `/v1/vanbangchungchi/records/${record.idbanghi}`, tokenB, 'DHB');
    expect(seen.status).toBe(404);
    const list = await getJson(hub.url, '/v1/vanbangchungchi/records', tokenB, 'DHB');
    expect(list.body).toEqual({ items: [], nextCursor: null });
  });
});
