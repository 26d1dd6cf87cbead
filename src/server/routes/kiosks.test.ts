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
});
