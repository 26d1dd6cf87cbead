import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/core/hash.js';
import { sampleDiplomaEnvelope } from '../testing/fixtures.js';
import type { HubSimulator } from './server.js';
import { batchBody, errorCode, getJson, getToken, postBatch, startTestHub, submit, type BatchAnswer } from '../testing/support.js';

let hub: HubSimulator;
let token: string;
beforeEach(async () => {
  hub = await startTestHub({ maxBodyBytes: 256 * 1024 });
  token = await getToken(hub.url);
});
afterEach(async () => hub.stop());

describe('hub simulator: batches', () => {
  it('accepts a new record with a receipt and the hash of its canonical data, and serves it back', async () => {
    const record = sampleDiplomaEnvelope(1);
    const answer = await submit(hub.url, token, [record]);
    expect(answer.batchId).toMatch(/^b-/);
    expect(answer.results).toEqual([
      {
        idbanghi: record.idbanghi,
        status: 'accepted',
        phienban: 1,
        receiptId: expect.stringMatching(/^r-/) as unknown,
        contentHash: contentHash(record.data),
      },
    ]);
    const held = await getJson(hub.url, `/v1/vanbangchungchi/records/${record.idbanghi}`, token);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ idbanghi: record.idbanghi, phienban: 1, sukien: 'NEW', data: record.data });
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records/DHA-VB-999999', token)).status).toBe(404);
  });

  it('answers stale with the held phienban and hash for an equal or lower phienban, and accepts a higher one', async () => {
    const v2 = sampleDiplomaEnvelope(1, 2);
    await submit(hub.url, token, [v2]);
    const same = await submit(hub.url, token, [v2]);
    expect(same.results[0]).toEqual({ idbanghi: v2.idbanghi, status: 'stale', phienban: 2, contentHash: contentHash(v2.data) });

    const older = { ...sampleDiplomaEnvelope(1, 1), data: { ...v2.data, xeploaitn: 'Giỏi' } };
    const stale = await submit(hub.url, token, [older]);
    expect(stale.results[0]).toMatchObject({ status: 'stale', phienban: 2, contentHash: contentHash(v2.data) });

    const v3 = { ...sampleDiplomaEnvelope(1, 3), data: { ...v2.data, xeploaitn: 'Giỏi' } };
    const newer = await submit(hub.url, token, [v3]);
    expect(newer.results[0]).toMatchObject({ status: 'accepted', phienban: 3, contentHash: contentHash(v3.data) });

    const history = await getJson(hub.url, `/_admin/history/vanbangchungchi/${v2.idbanghi}`, token);
    const versions = (history.body as { versions: { phienban: number }[] }).versions;
    expect(versions.map((v) => v.phienban)).toEqual([2, 3]);
    expect(hub.acceptanceCounts('vanbangchungchi').every((c) => c.count === 1)).toBe(true);
  });

  it('rejects an invalid record with field errors in Vietnamese, stores nothing for it, and still answers the others in order', async () => {
    const good = sampleDiplomaEnvelope(1);
    const longId = { ...sampleDiplomaEnvelope(2), idbanghi: 'X'.repeat(37) };
    const badEnvelope = { ...sampleDiplomaEnvelope(3), sukien: 'DELETE', phienban: 0, thoigiancapnhat: '2026-02-30T10:00:00' };
    const { sohieu: _dropped, ...withoutSohieu } = sampleDiplomaEnvelope(4).data;
    const badData = { ...sampleDiplomaEnvelope(4), data: withoutSohieu };
    const answer = await submit(hub.url, token, [longId, good, badEnvelope, badData, 'not a record']);

    expect(answer.results.map((r) => [r.idbanghi, r.status])).toEqual([
      [longId.idbanghi, 'rejected'],
      [good.idbanghi, 'accepted'],
      [badEnvelope.idbanghi, 'rejected'],
      [badData.idbanghi, 'rejected'],
      ['', 'rejected'],
    ]);
    expect(answer.results[0]?.errors).toEqual([{ field: 'idbanghi', code: 'TOO_LONG', message: 'idbanghi dài quá 36 ký tự' }]);
    expect(answer.results[2]?.errors?.map((e) => [e.field, e.code])).toEqual([
      ['sukien', 'INVALID_CODE'],
      ['phienban', 'INVALID_INTEGER'],
      ['thoigiancapnhat', 'INVALID_TIMESTAMP'],
    ]);
    expect(answer.results[3]?.errors).toEqual([
      { field: 'data.sohieu', code: 'DICT_REQUIRED', message: 'Thiếu trường bắt buộc sohieu' },
    ]);
    // No personal value in a message.
    expect(JSON.stringify(answer)).not.toContain(good.data.sodinhdanh as string);

    expect((await getJson(hub.url, `/v1/vanbangchungchi/records/${badData.idbanghi}`, token)).status).toBe(404);
    const again = await submit(hub.url, token, [badData]);
    expect(again.results[0]?.status).toBe('rejected');
  });

  it('accepts a CANCEL that carries only the fields that say so', async () => {
    const v1 = sampleDiplomaEnvelope(1);
    await submit(hub.url, token, [v1]);
    const cancel = { ...v1, sukien: 'CANCEL', phienban: 2, data: { sohieu: v1.data.sohieu ?? '', trangthai: '2' } };
    const answer = await submit(hub.url, token, [cancel]);
    expect(answer.results[0]).toMatchObject({ status: 'accepted', phienban: 2 });
    const held = await getJson(hub.url, `/v1/vanbangchungchi/records/${v1.idbanghi}`, token);
    expect(held.body).toMatchObject({ sukien: 'CANCEL', phienban: 2 });
  });

  it('replays the first answer for the same key and body, and refuses the key with another body (422)', async () => {
    const body = batchBody([sampleDiplomaEnvelope(1)]);
    const first = await postBatch(hub.url, body, { token, key: 'batch-1' });
    const firstText = await first.text();
    const second = await postBatch(hub.url, body, { token, key: 'batch-1', gzip: true });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(firstText);
    expect(hub.stats()).toMatchObject({ batches: 1, replays: 1, recordsAccepted: 1 });

    const other = await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(2)]), { token, key: 'batch-1' });
    expect(other.status).toBe(422);
    expect(await errorCode(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(hub.acceptanceCounts('vanbangchungchi')).toEqual([{ idbanghi: 'DHA-VB-000001', phienban: 1, count: 1 }]);
  });

  it('honours an idempotency key for 24 hours only', async () => {
    await hub.stop();
    let now = Date.parse('2026-06-20T03:00:00Z');
    hub = await startTestHub({ now: () => now });
    token = await getToken(hub.url);
    await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(1)]), { token, key: 'k' });
    now += 24 * 3600 * 1000 + 1;
    token = await getToken(hub.url);
    const later = await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(2)]), { token, key: 'k' });
    expect(later.status).toBe(200);
  });

  it('takes gzip request bodies', async () => {
    const res = await postBatch(hub.url, batchBody([sampleDiplomaEnvelope(1), sampleDiplomaEnvelope(2)]), { token, gzip: true });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as BatchAnswer;
    expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('answers 413 for more than 500 records or a body over the byte limit (plain or gzip)', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ idbanghi: `x${i}` }));
    const tooMany = await postBatch(hub.url, batchBody(many), { token });
    expect(tooMany.status).toBe(413);
    expect(await errorCode(tooMany)).toBe('BATCH_TOO_LARGE');

    const padding = 'a'.repeat(300 * 1024);
    const big = batchBody([{ ...sampleDiplomaEnvelope(1), pad: padding }]);
    expect((await postBatch(hub.url, big, { token })).status).toBe(413);
    // gzip squeezes the padding far below the limit: the limit is on the decompressed size.
    expect((await postBatch(hub.url, big, { token, gzip: true })).status).toBe(413);
  });

  it('answers 422 for an unsupported schemaVersion', async () => {
    const res = await postBatch(hub.url, batchBody([], { schemaVersion: 'VanBangChungChi/1999' }), { token });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe('UNSUPPORTED_SCHEMA_VERSION');
  });

  it('answers 400 for malformed batches', async () => {
    const cases: [string | Buffer, Partial<Parameters<typeof postBatch>[2]>, string][] = [
      ['{"records": [', {}, 'MALFORMED_JSON'],
      [JSON.stringify({ unitCode: 'DHA', schemaVersion: 'VanBangChungChi/2025' }), {}, 'MALFORMED_BATCH'],
      ['[1,2]', {}, 'MALFORMED_BATCH'],
      [batchBody([], { unitCode: 'DHX' }), {}, 'UNIT_CODE_MISMATCH'],
      [batchBody([]), { key: null }, 'MISSING_IDEMPOTENCY_KEY'],
    ];
    for (const [body, options, code] of cases) {
      const res = await postBatch(hub.url, body, { token, ...options });
      expect(res.status, code).toBe(400);
      expect(await errorCode(res)).toBe(code);
    }
    const brokenGzip = await fetch(`${hub.url}/v1/vanbangchungchi/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-unit-code': 'DHA', 'idempotency-key': 'g', 'content-encoding': 'gzip' },
      body: Buffer.from('not gzip at all'),
    });
    expect(brokenGzip.status).toBe(400);
    expect(await errorCode(brokenGzip)).toBe('MALFORMED_GZIP');
  });

  it('counts requests, batches and records in its stats', async () => {
    await submit(hub.url, token, [sampleDiplomaEnvelope(1), { ...sampleDiplomaEnvelope(2), sukien: 'X' }]);
    const stats = await getJson(hub.url, '/_admin/stats', token);
    expect(stats.body).toMatchObject({
      batches: 1,
      recordsAccepted: 1,
      recordsRejected: 1,
      tokensIssued: 1,
      requestsByStatus: { '200': 2 },
    });
  });
});
