/**
 * The contract's requests as a kiosk sees them, and what each kind of answer means to the lane
 * (docs/contracts/cim.md, "lienthong → kiosk"), against nock: paths, methods, bearer token, JSON
 * bodies, and every failure classified once.
 */
import { createServer } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KioskClient, KioskFailure } from './client.js';
import { KioskSimulator } from './simulator/server.js';

const BASE = 'https://kiosk-a1.test';
const TOKEN = 'kiosk-token-123';
let client: KioskClient | undefined;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  nock.cleanAll();
  client?.close();
  client = undefined;
});

function connect(url = BASE): KioskClient {
  client = new KioskClient({ id: 'kiosk-a1', url, token: TOKEN, timeoutMs: 1_000, concurrency: 1 });
  return client;
}

async function failureOf(p: Promise<unknown>): Promise<KioskFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KioskFailure) return err;
    throw err;
  }
  throw new Error('expected a KioskFailure');
}

const SNAPSHOT = JSON.stringify({ studentId: '22900017', fullName: 'Nguyễn Thị Hoà', birthDate: '2004-03-14', programme: 'Kế toán', faculty: 'Khoa Kinh tế', cohort: 'K67', status: 'studying', updatedAt: '2026-09-01T08:00:00' });

describe('the kiosk client against the contract', () => {
  it('PUT /api/v1/templates/{code}, PUT and DELETE /api/v1/students/{id}, GET /api/v1/health, each with the bearer token', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .put('/api/v1/templates/XAC_NHAN_SINH_VIEN', (body: Record<string, unknown>) => body.templateCode === 'XAC_NHAN_SINH_VIEN')
      .reply(200, { ok: true })
      .put('/api/v1/students/22900017', (body: Record<string, unknown>) => body.fullName === 'Nguyễn Thị Hoà')
      .matchHeader('content-type', 'application/json')
      .reply(204)
      .delete('/api/v1/students/22900018')
      .reply(200, {})
      .get('/api/v1/health')
      .reply(200, { kioskId: 'kiosk-a1', version: '2.4.1', lastSyncAt: '2026-10-01T08:00:00Z' });
    const c = connect();
    await c.putTemplate('XAC_NHAN_SINH_VIEN', JSON.stringify({ templateCode: 'XAC_NHAN_SINH_VIEN' }));
    await c.putStudent('22900017', SNAPSHOT);
    await c.deleteStudent('22900018');
    expect(await c.health()).toEqual({ kioskId: 'kiosk-a1', version: '2.4.1', lastSyncAt: '2026-10-01T08:00:00Z' });
    expect(scope.isDone()).toBe(true);
  });

  it('a student id is one path segment, encoded', async () => {
    const scope = nock(BASE).put('/api/v1/students/SV%2F22%3F1').reply(200, {});
    await connect().putStudent('SV/22?1', SNAPSHOT);
    expect(scope.isDone()).toBe(true);
  });

  it('DELETE of a student the kiosk does not have (404) is done already; a PUT answered 404 is refused', async () => {
    nock(BASE).delete('/api/v1/students/X').reply(404, {}).put('/api/v1/students/Y').reply(404, {});
    const c = connect();
    await expect(c.deleteStudent('X')).resolves.toBeUndefined();
    expect(await failureOf(c.putStudent('Y', SNAPSHOT))).toMatchObject({ kind: 'refused', code: 'KIOSK_REFUSED', status: 404 });
  });

  it.each([
    [401, 'unauthorized', 'KIOSK_UNAUTHORIZED'],
    [403, 'unauthorized', 'KIOSK_UNAUTHORIZED'],
    [400, 'refused', 'KIOSK_REFUSED'],
    [422, 'refused', 'KIOSK_REFUSED'],
    [408, 'transient', 'KIOSK_UNAVAILABLE'],
    [429, 'transient', 'KIOSK_RATE_LIMITED'],
    [500, 'transient', 'KIOSK_UNAVAILABLE'],
    [503, 'transient', 'KIOSK_UNAVAILABLE'],
  ] as const)('answer %i is %s (%s)', async (status, kind, code) => {
    nock(BASE).put('/api/v1/students/22900017').reply(status, { error: { code: 'X', message: 'no' } });
    const f = await failureOf(connect().putStudent('22900017', SNAPSHOT));
    expect(f).toMatchObject({ kind, code, status });
    expect(f.message).not.toContain('22900017'); // a student id is not repeated in messages
  });

  it('honours Retry-After on 429 and 503', async () => {
    nock(BASE).put('/api/v1/students/1').reply(429, {}, { 'Retry-After': '7' });
    expect((await failureOf(connect().putStudent('1', SNAPSHOT))).retryAfterMs).toBe(7000);
  });

  it('a refused connection is unreachable (offline for the run); a cut answer or a timeout is transient', async () => {
    // a port nothing listens on: really refused, not mocked
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    nock.enableNetConnect('127.0.0.1');
    try {
      expect(await failureOf(connect(`http://127.0.0.1:${port}`).health())).toMatchObject({ kind: 'unreachable', code: 'KIOSK_OFFLINE' });
    } finally {
      nock.disableNetConnect();
    }
    // a real kiosk that applies the change and cuts the connection before answering
    const kiosk = new KioskSimulator();
    const { url } = await kiosk.start({ kioskId: 'kiosk-a1', token: TOKEN, dropAnswers: 1 });
    nock.enableNetConnect('127.0.0.1');
    try {
      client?.close();
      expect(await failureOf(connect(url).putStudent('22900017', SNAPSHOT))).toMatchObject({ kind: 'transient', code: 'KIOSK_NETWORK' });
      expect(kiosk.students.has('22900017')).toBe(true);
    } finally {
      nock.disableNetConnect();
      await kiosk.stop();
    }
    client?.close();
    nock(BASE).put('/api/v1/students/2').delay(2_000).reply(200, {});
    expect(await failureOf(connect().putStudent('2', SNAPSHOT))).toMatchObject({ kind: 'transient', code: 'KIOSK_TIMEOUT' });
  });

  it('a health answer without kioskId, or not JSON, breaks the contract', async () => {
    nock(BASE).get('/api/v1/health').reply(200, { version: '1' }).get('/api/v1/health').reply(200, '<html>');
    const c = connect();
    expect(await failureOf(c.health())).toMatchObject({ kind: 'transient', code: 'KIOSK_BAD_ANSWER' });
    expect(await failureOf(c.health())).toMatchObject({ kind: 'transient', code: 'KIOSK_BAD_ANSWER' });
  });
});
