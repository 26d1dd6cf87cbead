import { afterEach, describe, expect, it } from 'vitest';
import { KioskSimulator, type KioskSimulatorOptions } from './server.js';

const sims: KioskSimulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.stop();
});

async function start(options: Partial<KioskSimulatorOptions> = {}): Promise<KioskSimulator> {
  const sim = new KioskSimulator();
  await sim.start({ kioskId: 'k1', token: 'tok', ...options });
  sims.push(sim);
  return sim;
}

const put = (url: string, path: string, body: unknown, token = 'tok'): Promise<Response> =>
  fetch(`${url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const STUDENT = { studentId: 'S1', fullName: 'Lê Văn A', birthDate: '2004-01-01', status: 'studying', updatedAt: '2026-01-01T00:00:00' };

describe('the kiosk simulator', () => {
  it('checks the bearer token, answers its health, applies a change once and records every request', async () => {
    const sim = await start();
    expect((await put(sim.url, '/api/v1/students/S1', STUDENT, 'wrong')).status).toBe(401);
    expect((await put(sim.url, '/api/v1/students/S1', STUDENT)).status).toBe(200);
    expect((await put(sim.url, '/api/v1/students/S1', STUDENT)).status).toBe(200); // identical: no change
    const health = await (await fetch(`${sim.url}/api/v1/health`, { headers: { authorization: 'Bearer tok' } })).json();
    expect(health).toMatchObject({ kioskId: 'k1', version: 'sim-1' });
    expect(typeof (health as { lastSyncAt: unknown }).lastSyncAt).toBe('string');
    expect(sim.applied.map((a) => `${a.op} ${a.key}`)).toEqual(['put S1']);
    expect(sim.received.map((r) => `${r.method} ${r.authorized}`)).toEqual(['PUT false', 'PUT true', 'PUT true', 'GET true']);
    const del = await fetch(`${sim.url}/api/v1/students/S1`, { method: 'DELETE', headers: { authorization: 'Bearer tok' } });
    expect(del.status).toBe(200);
    expect((await fetch(`${sim.url}/api/v1/students/S1`, { method: 'DELETE', headers: { authorization: 'Bearer tok' } })).status).toBe(404);
  });

  it('refuses a body that breaks the contract (422), as a kiosk would', async () => {
    const sim = await start();
    expect((await put(sim.url, '/api/v1/students/S2', STUDENT)).status).toBe(422); // studentId differs from the path
    expect((await put(sim.url, '/api/v1/templates/T1', { templateCode: 'T1', title: { vi: 'a' } })).status).toBe(422);
    expect(sim.applied).toHaveLength(0);
  });

  it('refuses connections while offline, on a timer too, and comes back on the same port', async () => {
    const sim = await start({ offlineWindows: [{ fromMs: 50, toMs: 250 }] });
    const url = sim.url;
    expect((await put(url, '/api/v1/students/S1', STUDENT)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 120));
    await expect(put(url, '/api/v1/students/S1', STUDENT)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await new Promise((r) => setTimeout(r, 250));
    expect(sim.url).toBe(url);
    expect((await put(url, '/api/v1/students/S1', { ...STUDENT, status: 'suspended' })).status).toBe(200);
  });

  it('a lost answer: the change is applied and the connection cut', async () => {
    const sim = await start({ dropAnswers: 1 });
    await expect(put(sim.url, '/api/v1/students/S1', STUDENT)).rejects.toThrow();
    expect(sim.students.get('S1')).toEqual(STUDENT);
    expect((await put(sim.url, '/api/v1/students/S1', STUDENT)).status).toBe(200);
  });
});
