import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleDiplomaEnvelope } from '../testing/fixtures.js';
import type { HubSimulator } from './server.js';
import { batchBody, getJson, getToken, postBatch, startTestHub, submit } from '../testing/support.js';

interface Page {
  items: { idbanghi: string; phienban: number; contentHash: string; sukien: string; receiptId: string; updatedAt: string }[];
  nextCursor: string | null;
}

let hub: HubSimulator | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('hub simulator: read back', () => {
  it('pages through a unit’s records ordered by idbanghi', async () => {
    hub = await startTestHub();
    const token = await getToken(hub.url);
    await submit(hub.url, token, [5, 3, 1, 4, 2].map((n) => sampleDiplomaEnvelope(n)));
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const res = await getJson(hub.url, `/v1/vanbangchungchi/records?unitCode=DHA&limit=2&cursor=${cursor}`, token);
      expect(res.status).toBe(200);
      const page = res.body as Page;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.idbanghi));
      cursor = page.nextCursor;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => sampleDiplomaEnvelope(n).idbanghi));
    const first = await getJson(hub.url, '/v1/vanbangchungchi/records?limit=1', token);
    expect((first.body as Page).items[0]).toEqual({
      idbanghi: 'DHA-VB-000001',
      phienban: 1,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      sukien: 'NEW',
      receiptId: expect.stringMatching(/^r-/) as unknown,
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/) as unknown,
    });
  });

  it('filters by updatedSince (Vietnam time) and refuses a bad limit or cursor', async () => {
    let now = Date.parse('2026-06-20T03:00:00Z'); // 10:00 in Vietnam
    hub = await startTestHub({ now: () => now, tokenTtlSeconds: 86_400 });
    const token = await getToken(hub.url);
    await submit(hub.url, token, [sampleDiplomaEnvelope(1)]);
    now += 3600_000;
    await submit(hub.url, token, [sampleDiplomaEnvelope(2), sampleDiplomaEnvelope(1, 2)]);
    const since = await getJson(hub.url, '/v1/vanbangchungchi/records?updatedSince=2026-06-20T10:30:00', token);
    expect((since.body as Page).items.map((i) => [i.idbanghi, i.phienban, i.updatedAt])).toEqual([
      ['DHA-VB-000001', 2, '2026-06-20T11:00:00'],
      ['DHA-VB-000002', 1, '2026-06-20T11:00:00'],
    ]);
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records?limit=0', token)).status).toBe(400);
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records?limit=1001', token)).status).toBe(400);
    expect((await getJson(hub.url, '/v1/vanbangchungchi/records?cursor=%2F%2F', token)).status).toBe(400);
  });
});

describe('hub simulator: persistence', () => {
  it('keeps records, tokens, history and idempotency answers in its SQLite file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-sim-'));
    dirs.push(dir);
    const dbPath = join(dir, 'hub.sqlite');
    hub = await startTestHub({ dbPath });
    const token = await getToken(hub.url);
    const body = batchBody([sampleDiplomaEnvelope(1)]);
    const first = await (await postBatch(hub.url, body, { token, key: 'persist-1' })).text();
    await hub.stop();

    hub = await startTestHub({ dbPath });
    const record = await getJson(hub.url, '/v1/vanbangchungchi/records/DHA-VB-000001', token);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ phienban: 1 });
    const replay = await postBatch(hub.url, body, { token, key: 'persist-1' });
    expect(await replay.text()).toBe(first);
    const resend = await submit(hub.url, token, [sampleDiplomaEnvelope(1)]);
    expect(resend.results[0]?.status).toBe('stale');
    expect(hub.history('vanbangchungchi', 'DHA-VB-000001')).toHaveLength(1);
  });
});
