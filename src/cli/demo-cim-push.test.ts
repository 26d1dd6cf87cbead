import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KioskSimulator } from '../../connectors/cim-kiosk/simulator/index.js';
import type { LoadedConfig } from '../config/load.js';
import { silentLogger } from '../core/logger.js';
import { generateUisDatabase } from '../sample/uis.js';
import type { ServiceEnvironment } from '../services/context.js';
import { openStateStore } from '../../stores/sqlite/worker-store.js';
import { demoCimPush } from './demo-cim-push.js';

const dir = mkdtempSync(join(tmpdir(), 'lt-demo-kiosk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function environment(): ServiceEnvironment {
  const loaded = { config: { connections: {} } } as unknown as LoadedConfig;
  return { loaded, store: openStateStore(join(mkdtempSync(join(dir, 'state-')), 'state.db'), { thread: 'current' }), logger: silentLogger() };
}

describe("the demo's kiosk part", () => {
  it('pushes to two simulated kiosks, one offline at first, and checks that it caught up (twice on the same folder)', async () => {
    await generateUisDatabase({ driver: 'sqlite', path: join(dir, 'uis.db') }, { records: 5, seed: 1, currentStudents: 20 });
    const env = environment();
    const lines: string[] = [];
    try {
      expect(await demoCimPush(env, { dataDir: dir, unitCode: 'LTU01', seed: 1, say: (l) => lines.push(l) })).toBe(0);
      expect(lines.join('\n')).toMatch(/kiosk-b2: offline, sent 0, queued \d+/);
      expect(lines.join('\n')).toMatch(/kiosk-b2 caught up: every change once, in order/);
      lines.length = 0;
      // a demo folder is reused: the fresh simulators are sent everything again
      expect(await demoCimPush(env, { dataDir: dir, unitCode: 'LTU01', seed: 1, say: (l) => lines.push(l) })).toBe(0);
      expect(lines.join('\n')).toMatch(/kiosk-a1: 4 templates, \d+ students/);
      expect(lines.join('\n')).not.toMatch(/kiosk-a1: 0 templates/);
    } finally {
      await env.store.close();
    }
  });

  it('--kiosk-url pushes to the kiosks given, named by their health answer, with LIENTHONG_KIOSK_TOKEN', async () => {
    const kiosk = new KioskSimulator();
    const { url } = await kiosk.start({ kioskId: 'hanh-lang-tang-2', token: 'external-token' });
    const env = environment();
    const before = process.env.LIENTHONG_KIOSK_TOKEN;
    try {
      delete process.env.LIENTHONG_KIOSK_TOKEN;
      await expect(demoCimPush(env, { dataDir: dir, unitCode: 'LTU01', seed: 1, kioskUrls: [url], say: () => undefined })).rejects.toMatchObject({ code: 'KIOSK_TOKEN_MISSING' });
      process.env.LIENTHONG_KIOSK_TOKEN = 'external-token';
      expect(await demoCimPush(env, { dataDir: dir, unitCode: 'LTU01', seed: 1, kioskUrls: [url], say: () => undefined })).toBe(0);
      expect(kiosk.templates.size).toBe(4);
      expect(kiosk.students.size).toBeGreaterThan(10);
      expect((await env.store.kioskHealth('kiosks')).map((h) => h.kioskId)).toEqual(['hanh-lang-tang-2']);
    } finally {
      if (before === undefined) delete process.env.LIENTHONG_KIOSK_TOKEN;
      else process.env.LIENTHONG_KIOSK_TOKEN = before;
      await kiosk.stop();
      await env.store.close();
    }
  });
});
