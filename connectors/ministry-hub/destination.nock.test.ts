import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BugError, ConfigError, RejectedError, TransientError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/hash.js';
import type { RecordEnvelope } from './envelope.js';
import { MinistryHubDestination } from './destination.js';
import { serializeBatch } from './envelope.js';
import { parseRetryAfter } from './http-errors.js';
import { failure } from './testing/batches.js';

// https: plain http to a host other than this machine is refused (HUB_INSECURE_HTTP)
const BASE = 'https://hub.test';
const SECRET = 'nock-secret-abc';
const CONTEXT = { dataset: 'vanbangchungchi', schemaVersion: 'VanBangChungChi/2025' };
const RECORD: RecordEnvelope = {
  idbanghi: 'DHA-1',
  sukien: 'NEW',
  phienban: 1,
  thoigiancapnhat: '2026-06-20T10:15:00',
  data: { sodinhdanh: '001099000001', sohieu: 'VB-1' },
};
const RECORD2: RecordEnvelope = { ...RECORD, idbanghi: 'DHA-2' };

let destination: MinistryHubDestination | undefined;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await destination?.close();
  destination = undefined;
});

function connect(overrides: Record<string, unknown> = {}): MinistryHubDestination {
  destination = new MinistryHubDestination({ baseUrl: BASE, unitCode: 'DHA', clientId: 'dha', clientSecret: SECRET, ...overrides });
  return destination;
}

function tokenOk(scope = nock(BASE)): nock.Scope {
  return scope.post('/oauth2/token').reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
}


describe('MinistryHubDestination: answers the simulator cannot give', () => {
  it('sends client credentials as a form, the unit header, and the sha256 of the exact body as Idempotency-Key', async () => {
    let form = '';
    const headers: Record<string, string | string[] | undefined>[] = [];
    const bodies: string[] = [];
    nock(BASE)
      .post('/oauth2/token', (body: Record<string, string>) => {
        form = new URLSearchParams(body).toString();
        return true;
      })
      .reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
    nock(BASE)
      .post('/v1/vanbangchungchi/batches')
      .times(2)
      .reply(function (_uri, body) {
        headers.push({ ...this.req.headers });
        bodies.push(typeof body === 'string' ? body : JSON.stringify(body));
        return [200, { batchId: 'b', results: [{ idbanghi: 'DHA-1', status: 'stale', phienban: 3, contentHash: 'h' }] }];
      });
    const hubDest = connect({ scope: 'vanbang' });
    // `stale` with other content than ours: a version conflict
    expect(await hubDest.writeEnvelopes([RECORD], CONTEXT)).toEqual([{ idbanghi: 'DHA-1', status: 'conflict', heldVersion: 3, heldContentHash: 'h' }]);
    await hubDest.writeEnvelopes([RECORD], CONTEXT);

    expect(new URLSearchParams(form).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(form).get('scope')).toBe('vanbang');
    // the body is byte for byte JSON.stringify({ unitCode, schemaVersion, records })
    const expectedBody = JSON.stringify({ unitCode: 'DHA', schemaVersion: 'VanBangChungChi/2025', records: [RECORD] });
    expect(serializeBatch('DHA', 'VanBangChungChi/2025', [{ encoded: JSON.stringify(RECORD) }])).toBe(expectedBody);
    expect(bodies[0]).toBe(expectedBody);
    expect(headers[0]?.['idempotency-key']).toBe(sha256Hex(expectedBody));
    expect(headers[1]?.['idempotency-key']).toBe(headers[0]?.['idempotency-key']);
    expect(headers[0]?.authorization).toBe('Bearer tok-1');
    expect(headers[0]?.['x-unit-code']).toBe('DHA');
    expect(headers[0]?.['content-encoding']).toBeUndefined();
  });

  it('gzips bodies above the threshold', async () => {
    let received: unknown;
    let encoding: string | string[] | undefined;
    tokenOk();
    nock(BASE)
      .post('/v1/vanbangchungchi/batches')
      .reply(function (_uri, body) {
        encoding = this.req.headers['content-encoding'];
        // nock hands the body over already gunzipped and parsed
        received = body;
        return [200, { batchId: 'b', results: [{ idbanghi: 'DHA-1', status: 'rejected', errors: [{ field: 'data.x', code: 'C', message: 'm' }] }] }];
      });
    const results = await connect({ gzipThresholdBytes: 10 }).writeEnvelopes([RECORD], CONTEXT);
    expect(results).toEqual([{ idbanghi: 'DHA-1', status: 'rejected', errors: [{ field: 'data.x', code: 'C', message: 'm' }] }]);
    expect(encoding).toBe('gzip');
    expect(received).toEqual({ unitCode: 'DHA', schemaVersion: 'VanBangChungChi/2025', records: [RECORD] });
  });

  it('refuses a malformed answer, a wrong result count and results out of order with a BugError', async () => {
    tokenOk();
    const hubDest = connect();
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(200, '<html>oops</html>');
    const malformed = await failure(hubDest.writeEnvelopes([RECORD], CONTEXT));
    expect(malformed).toBeInstanceOf(BugError);
    expect(malformed.code).toBe('HUB_BAD_ANSWER');

    nock(BASE).post('/v1/vanbangchungchi/batches').reply(200, { results: [{ idbanghi: 'DHA-1', status: 'maybe' }] });
    expect((await failure(hubDest.writeEnvelopes([RECORD], CONTEXT))).code).toBe('HUB_BAD_ANSWER');

    nock(BASE)
      .post('/v1/vanbangchungchi/batches')
      .reply(200, { results: [{ idbanghi: 'DHA-1', status: 'stale', phienban: 1, contentHash: 'h' }] });
    const count = await failure(hubDest.writeEnvelopes([RECORD, RECORD2], CONTEXT));
    expect(count).toBeInstanceOf(BugError);
    expect(count.code).toBe('HUB_RESULT_COUNT');

    nock(BASE)
      .post('/v1/vanbangchungchi/batches')
      .reply(200, {
        results: [
          { idbanghi: 'DHA-2', status: 'stale', phienban: 1, contentHash: 'h' },
          { idbanghi: 'DHA-1', status: 'stale', phienban: 1, contentHash: 'h' },
        ],
      });
    const order = await failure(hubDest.writeEnvelopes([RECORD, RECORD2], CONTEXT));
    expect(order.code).toBe('HUB_RESULT_ORDER');
  });

  it('reads Retry-After as an HTTP date', async () => {
    tokenOk();
    const when = new Date(Date.now() + 120_000).toUTCString();
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(429, {}, { 'Retry-After': when });
    const err = await failure(connect().writeEnvelopes([RECORD], CONTEXT));
    expect(err).toBeInstanceOf(TransientError);
    const ms = (err as TransientError).retryAfterMs ?? 0;
    expect(ms).toBeGreaterThan(100_000);
    expect(ms).toBeLessThanOrEqual(120_000);
  });

  it('maps 400 with the hub code to RejectedError, 503 and resets to TransientError', async () => {
    tokenOk();
    const hubDest = connect();
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(400, { error: { code: 'MALFORMED_BATCH', message: 'no records' } });
    const bad = await failure(hubDest.writeEnvelopes([RECORD], CONTEXT));
    expect(bad).toBeInstanceOf(RejectedError);
    expect(bad.code).toBe('MALFORMED_BATCH');

    nock(BASE).post('/v1/vanbangchungchi/batches').reply(503, 'down', { 'Retry-After': '3' });
    const down = await failure(hubDest.writeEnvelopes([RECORD], CONTEXT));
    expect(down).toBeInstanceOf(TransientError);
    expect((down as TransientError).retryAfterMs).toBe(3000);

    nock(BASE).post('/v1/vanbangchungchi/batches').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const reset = await failure(hubDest.writeEnvelopes([RECORD], CONTEXT));
    expect(reset).toBeInstanceOf(TransientError);
    expect(reset.code).toBe('HUB_NETWORK');
  });

  it('never puts the secret or a personal id in its errors', async () => {
    nock(BASE).post('/oauth2/token').reply(401, { error: 'invalid_client' });
    const err = await failure(connect().writeEnvelopes([RECORD], CONTEXT));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('HUB_AUTH_FAILED');
    expect(JSON.stringify(err.toJSON())).not.toContain(SECRET);

    tokenOk();
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(422, { error: { code: 'X', message: 'bad id 001099000001' } });
    const leak = await failure(connect().writeEnvelopes([RECORD], CONTEXT));
    expect(leak.message).not.toContain('001099000001');
    expect(leak.message).toContain('********0001');
  });

  it('after a revocation, calls in flight resend with one new token between them', async () => {
    const hubDest = connect();
    const answer = (body: unknown) => {
      const id = (body as { records: { idbanghi: string }[] }).records[0]?.idbanghi ?? '';
      return { results: [{ idbanghi: id, status: 'accepted', phienban: 1, receiptId: `r-${id}`, contentHash: 'h' }] };
    };
    tokenOk();
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(200, (_uri, body) => answer(body));
    await hubDest.writeEnvelopes([RECORD], CONTEXT); // tok-1 is cached

    // tok-1 is revoked: three calls in flight get their 401s one after the other
    for (const delayMs of [10, 80, 150]) {
      nock(BASE, { reqheaders: { authorization: 'Bearer tok-1' } }).post('/v1/vanbangchungchi/batches').delay(delayMs).reply(401, { error: { code: 'INVALID_TOKEN', message: 'revoked' } });
    }
    // one new token only: a second token request would find nothing here and fail its call
    nock(BASE).post('/oauth2/token').reply(200, { access_token: 'tok-2', token_type: 'Bearer', expires_in: 3600 });
    nock(BASE, { reqheaders: { authorization: 'Bearer tok-2' } }).post('/v1/vanbangchungchi/batches').times(3).reply(200, (_uri, body) => answer(body));

    const results = await Promise.all(['DHA-1', 'DHA-2', 'DHA-3'].map((id) => hubDest.writeEnvelopes([{ ...RECORD, idbanghi: id }], CONTEXT)));
    expect(results.map((r) => r[0]?.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('answers a token endpoint 5xx as transient, and caches the token across calls', async () => {
    nock(BASE).post('/oauth2/token').reply(502);
    const hubDest = connect();
    expect(await failure(hubDest.writeEnvelopes([RECORD], CONTEXT))).toBeInstanceOf(TransientError);
    const token = tokenOk();
    nock(BASE)
      .post('/v1/vanbangchungchi/batches')
      .times(2)
      .reply(200, { results: [{ idbanghi: 'DHA-1', status: 'stale', phienban: 1, contentHash: 'h' }] });
    await hubDest.writeEnvelopes([RECORD], CONTEXT);
    await hubDest.writeEnvelopes([RECORD], CONTEXT);
    expect(token.isDone()).toBe(true);
  });

  it('uses configured paths and dataset path segments', async () => {
    nock(BASE).post('/auth/token').reply(200, { access_token: 't', token_type: 'bearer' });
    nock(BASE)
      .get('/api/vb/records')
      .query({ unitCode: 'DHA', limit: '1' })
      .reply(200, { items: [], nextCursor: null });
    nock(BASE).get('/api/vb/records/DHA%2F1').reply(404, { error: { code: 'RECORD_NOT_FOUND', message: '' } });
    const hubDest = connect({
      paths: { token: '/auth/token', records: '/api/{dataset}/records', record: '/api/{dataset}/records/{idbanghi}' },
      datasetPaths: { vanbangchungchi: 'vb' },
    });
    expect(await hubDest.check()).toMatchObject({ ok: true });
    expect(await hubDest.getRecord('vanbangchungchi', 'DHA/1')).toBeNull();
  });

  it('treats a 404 of a wrong path as a ConfigError, and a cursor the hub repeats as a BugError', async () => {
    tokenOk();
    nock(BASE).post('/v1/nope/batches').reply(404, { error: { code: 'UNKNOWN_DATASET', message: '' } });
    const hubDest = connect();
    const err = await failure(hubDest.writeEnvelopes([RECORD], { ...CONTEXT, dataset: 'nope' }));
    expect(err).toBeInstanceOf(ConfigError);

    const page = { items: [{ idbanghi: 'a', phienban: 1, contentHash: 'h', sukien: 'NEW', receiptId: 'r', updatedAt: '2026-06-20T10:00:00' }], nextCursor: 'c1' };
    nock(BASE).get('/v1/vanbangchungchi/records').query(true).times(2).reply(200, page);
    const loop = async (): Promise<void> => {
      for await (const _ of hubDest.readBack('vanbangchungchi')) void _;
    };
    const looped = await failure(loop());
    expect(looped.code).toBe('HUB_CURSOR_LOOP');
  });

  it('refuses an invalid config naming the field, not the value', () => {
    expect(() => new MinistryHubDestination({ baseUrl: 'not a url', unitCode: 'DHA', clientId: 'x', clientSecret: SECRET })).toThrow(
      /baseUrl/,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-06-20T03:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Sat, 20 Jun 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 20 Jun 2026 02:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
