import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../../config/schema.js';
import { kioskLines } from '../../cli/format-kiosks.js';
import { jobStatuses } from '../../services/status.js';
import { json, openConsole, type ConsoleFixture } from './testing/console-fixture.js';

let c: ConsoleFixture;

beforeAll(async () => {
  c = await openConsole({ records: 2 });
  // a cim-kiosk connection with two kiosks, as a configuration would declare it
  c.ws.env.loaded.config.connections.kiosks = {
    type: 'cim-kiosk',
    kiosks: [
      { id: 'kiosk-a1', url: 'https://kiosk-a1.example.edu.vn', token: 'env:KIOSK_A1' },
      { id: 'kiosk-b2', url: 'https://kiosk-b2.example.edu.vn', token: 'env:KIOSK_B2' },
    ],
  } as unknown as ConnectionConfig;
  const store = c.ws.store;
  await store.kioskEnqueue([
    { connection: 'kiosks', kioskId: 'kiosk-a1', kind: 'student', key: '22900001', op: 'put', body: '{}', contentHash: 'h1' },
    { connection: 'kiosks', kioskId: 'kiosk-a1', kind: 'template', key: 'XAC_NHAN_SINH_VIEN', op: 'put', body: '{}', contentHash: 'h2' },
  ]);
  await store.kioskSetHealth('kiosks', 'kiosk-a1', { url: 'https://kiosk-a1.example.edu.vn', online: false, offlineSince: '2026-10-01T01:00:00.000Z', lastSeenAt: '2026-09-30T10:00:00.000Z', lastErrorCode: 'KIOSK_OFFLINE' });
}, 60_000);
afterAll(() => c.close());

describe('kiosk health', () => {
  it('GET /api/v1/kiosks: every configured kiosk, offline since, last seen and queue depth; a kiosk never tried is listed too', async () => {
    const res = await c.as('viewer', { method: 'GET', url: '/api/v1/kiosks' });
    expect(res.statusCode).toBe(200);
    const kiosks = json<{ kiosks: Record<string, unknown>[] }>(res).kiosks;
    expect(kiosks).toEqual([
      expect.objectContaining({ connection: 'kiosks', kioskId: 'kiosk-a1', online: false, offlineSince: '2026-10-01T01:00:00.000Z', queueDepth: 2, dead: 0, lastErrorCode: 'KIOSK_OFFLINE', lastSyncAt: null }),
      expect.objectContaining({ connection: 'kiosks', kioskId: 'kiosk-b2', online: null, lastSeenAt: null, queueDepth: 0 }),
    ]);
    expect((await c.app.inject({ method: 'GET', url: '/api/v1/kiosks' })).statusCode).toBe(401);
  });

  it('lienthong status prints a line per kiosk of a job that sends to kiosks', async () => {
    const job = c.ws.env.loaded.jobs.get('diplomas');
    if (!job) throw new Error('no diplomas job');
    job.destinations.push({ ...job.destinations[0]!, connection: 'kiosks', dataset: 'students' });
    try {
      const [status] = await jobStatuses(c.ws.env, 'diplomas');
      const lines = kioskLines(status?.kiosks);
      expect(lines[0]).toMatch(/^ {2}kiosk kiosks\/kiosk-a1: OFFLINE since 2026-10-01T01:00:00.000Z; last seen 2026-09-30T10:00:00.000Z; last sync never; queue 2 \(oldest .*\), last error KIOSK_OFFLINE$/);
      expect(lines[1]).toMatch(/kiosk kiosks\/kiosk-b2: never tried; last seen never; last sync never; queue 0$/);
    } finally {
      job.destinations.pop();
    }
  });

  it('GET /api/v1/kiosks/deadletters lists what a kiosk refused; POST …/requeue (operator) puts it back and is audited', async () => {
    const store = c.ws.store;
    await store.kioskEnqueue([{ connection: 'kiosks', kioskId: 'kiosk-b2', kind: 'student', key: '22900002', op: 'put', body: '{}', contentHash: 'h3' }]);
    const [item] = await store.kioskQueuePage('kiosks', 'kiosk-b2', 0, 10);
    await store.kioskAttemptFailed('kiosks', 'kiosk-b2', item!.seq, { code: 'KIOSK_REFUSED', message: '422 INVALID: birthDate' }, true);

    const list = await c.as('viewer', { method: 'GET', url: '/api/v1/kiosks/deadletters?kiosk=kiosk-b2' });
    expect(list.statusCode).toBe(200);
    expect(json<{ deadLetters: Record<string, unknown>[] }>(list).deadLetters).toEqual([expect.objectContaining({ connection: 'kiosks', kioskId: 'kiosk-b2', kind: 'student', key: '22900002', code: 'KIOSK_REFUSED', message: '422 INVALID: birthDate' })]);

    expect((await c.as('viewer', { method: 'POST', url: '/api/v1/kiosks/kiosks/kiosk-b2/requeue', payload: { all: true } })).statusCode).toBe(403);
    expect((await c.as('operator', { method: 'POST', url: '/api/v1/kiosks/kiosks/kiosk-b2/requeue', payload: {} })).statusCode).toBe(400);
    const missing = await c.as('operator', { method: 'POST', url: '/api/v1/kiosks/kiosks/kiosk-b2/requeue', payload: { key: 'NOPE' } });
    expect(missing.statusCode).toBeGreaterThanOrEqual(400);
    const ok = await c.as('operator', { method: 'POST', url: '/api/v1/kiosks/kiosks/kiosk-b2/requeue', payload: { all: true } });
    expect(ok.statusCode).toBe(200);
    expect(json<{ requeued: { key: string }[] }>(ok).requeued.map((d) => d.key)).toEqual(['22900002']);
    expect((await store.kioskQueuePage('kiosks', 'kiosk-b2', 0, 10)).map((i) => i.key)).toEqual(['22900002']);
    const audit = await store.auditEntries({ action: 'kiosks.requeue' });
    expect(audit.map((e) => [e.subject, e.detail])).toContainEqual(['kiosks/kiosk-b2', { selection: 'all', requeued: 1 }]);
  });
});
