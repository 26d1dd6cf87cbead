import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/core/errors.js';
import { MinistryHubDestination } from './destination.js';
import { batchAnswerBound } from './hub-client.js';
import { failure, encodedBatch, acceptedAnswer } from './testing/batches.js';

const BASE = 'https://hub.test';
const SECRET = 'bound-secret-7';
const CONTEXT = { dataset: 'vanbangchungchi', schemaVersion: 'VanBangChungChi/2025' };
const RECORDS = 500;
const batch = encodedBatch(RECORDS);
/** what the hub answers a batch of 500 accepted records: about 75 KB */
const normalAnswer = acceptedAnswer(batch);

let destination: MinistryHubDestination | undefined;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await destination?.close();
  destination = undefined;
});

function connect(): MinistryHubDestination {
  destination = new MinistryHubDestination({ baseUrl: BASE, unitCode: 'DHA', clientId: 'dha', clientSecret: SECRET, timeoutMs: 20_000 });
  return destination;
}


describe('answers larger than the bound are refused before they are parsed', () => {
  it('a normal answer to a full batch is well under the bound', async () => {
    expect(Buffer.byteLength(normalAnswer) * 10).toBeLessThan(batchAnswerBound(RECORDS));
    nock(BASE).post('/oauth2/token').reply(200, { access_token: 't', token_type: 'Bearer', expires_in: 3600 });
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(200, normalAnswer);
    const results = await connect().write(batch, CONTEXT);
    expect(results).toHaveLength(RECORDS);
  });

  it('an answer 10,000 times too long: refused as transient HUB_ANSWER_TOO_LARGE', async () => {
    // one record's normal answer is ~150 bytes; 10,000 times that is ~1.5 MB against a bound of 80 KB.
    // (nock reads a reply stream without backpressure, so how little the client reads of a huge
    // answer is shown against a real socket in answer-bound.socket.test.ts)
    const one = JSON.stringify({ batchId: 'b', results: [{ idbanghi: 'DHA-0', status: 'accepted', phienban: 1, receiptId: 'rc-0', contentHash: 'a'.repeat(64) }] });
    nock(BASE).post('/oauth2/token').reply(200, { access_token: 't', token_type: 'Bearer', expires_in: 3600 });
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(200, `{"pad":"${'x'.repeat(Buffer.byteLength(one) * 10_000)}"}`, { 'content-type': 'application/json' });
    const err = await failure(connect().write(batch.slice(0, 1), CONTEXT));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('HUB_ANSWER_TOO_LARGE');
    expect(err.message).toContain(String(batchAnswerBound(1)));
    expect(err.message).toContain('may or may not have been applied');
    expect(err.message).not.toContain(SECRET);
  });

  it('a small gzip answer that inflates past the bound (a zip bomb) is refused as it inflates', async () => {
    // 16 MB of JSON-looking text compresses to about 16 KB, 200 times the bound once inflated
    const bomb = gzipSync(Buffer.from(`{"results":["${'x'.repeat(16 * 1024 * 1024)}"]}`));
    expect(bomb.length).toBeLessThan(batchAnswerBound(1));
    nock(BASE).post('/oauth2/token').reply(200, { access_token: 't', token_type: 'Bearer', expires_in: 3600 });
    nock(BASE).post('/v1/vanbangchungchi/batches').reply(200, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const err = await failure(connect().write(batch.slice(0, 1), CONTEXT));
    expect(err.code).toBe('HUB_ANSWER_TOO_LARGE');
  });

  it('read-back pages are bounded by the page size', async () => {
    nock(BASE).post('/oauth2/token').reply(200, { access_token: 't', token_type: 'Bearer', expires_in: 3600 });
    const item = { idbanghi: 'DHA-1', phienban: 1, contentHash: 'h', sukien: 'NEW', receiptId: 'r', updatedAt: '2026-06-20T10:00:00Z' };
    // ten items asked for, 5 MB answered
    nock(BASE).get('/v1/vanbangchungchi/records').query(true).reply(200, JSON.stringify({ items: [item], nextCursor: null, pad: 'x'.repeat(5 * 1024 * 1024) }));
    destination = new MinistryHubDestination({ baseUrl: BASE, unitCode: 'DHA', clientId: 'dha', clientSecret: SECRET, readBackPageSize: 10 });
    const read = async (): Promise<void> => {
      for await (const _ of destination!.readBack('vanbangchungchi')) void _;
    };
    const err = await failure(read());
    expect(err.code).toBe('HUB_ANSWER_TOO_LARGE');
  });
});
