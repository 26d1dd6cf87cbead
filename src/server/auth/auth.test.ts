import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, disableUser } from '../../services/users.js';
import { addAccounts, login, openConsoleWorkspace, PASSWORDS, sessionCookieOf, type ConsoleWorkspace } from '../testing/console-workspace.js';
import { requireRole } from './guard.js';

let ws: ConsoleWorkspace;
let app: FastifyInstance;

beforeAll(async () => {
  ws = await openConsoleWorkspace();
  await addAccounts(ws);
  app = await ws.build({ sessionIdleMs: 30 * 60_000 });
  // a tiny operator route, as the API's routes are guarded
  app.post('/api/v1/test/operate', { preHandler: requireRole('operator') }, async () => ({ done: true }));
  await app.ready();
}, 60_000);
afterAll(() => ws.close());

const auditActions = async (): Promise<{ actor: string; action: string; outcome: string; detail: Record<string, unknown> }[]> => (await ws.store.auditEntries({ limit: 1000 })).reverse();

describe('login', () => {
  it('logs in with the right password: the account, its role, a CSRF token and a session cookie; audited', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'operator', password: PASSWORDS.operator }, remoteAddress: '10.0.0.7' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { username: string; role: string; csrfToken: string };
    expect(body).toMatchObject({ username: 'operator', role: 'operator' });
    expect(body.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(sessionCookieOf(r.headers['set-cookie'])).toMatch(/^[\w-]{43}$/);
    const last = (await ws.store.auditEntries({ limit: 1 }))[0];
    expect(last).toMatchObject({ actor: 'operator', action: 'login', outcome: 'ok', address: '10.0.0.7' });
  });

  it('gives the same answer for an unknown account and a wrong password, and audits both failures', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'nobody', password: 'whatever-123' } });
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'viewer', password: 'not-the-password' } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    expect((wrong.json() as { error: { code: string } }).error.code).toBe('LOGIN_FAILED');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const failed = (await auditActions()).filter((e) => e.action === 'login.failed');
    expect(failed.map((e) => [e.actor, e.outcome, e.detail.username])).toEqual([
      ['-', 'failed', 'nobody'],
      ['-', 'failed', 'viewer'],
    ]);
  });

  it('refuses a disabled account with the same answer', async () => {
    const { addUser } = await import('../../services/users.js');
    await addUser(ws.store, 'gone', 'viewer', 'gone-password-1');
    const s = await login(app, 'gone', 'gone-password-1');
    await disableUser(ws.store, 'gone');
    const r = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'gone', password: 'gone-password-1' } });
    expect(r.statusCode).toBe(401);
    expect((r.json() as { error: { code: string } }).error.code).toBe('LOGIN_FAILED');
    // and the session it had ends at its next request
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${s.cookie}` } })).statusCode).toBe(401);
  });

  it('ends the sessions of an account whose password was changed (as `lienthong users passwd` does), and only those', async () => {
    const { addUser, setPassword } = await import('../../services/users.js');
    await addUser(ws.store, 'doi-mat-khau', 'viewer', 'old-password-1');
    const before = await login(app, 'doi-mat-khau', 'old-password-1');
    const other = await login(app, 'viewer', PASSWORDS.viewer);
    const session = (cookie: string) => app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${cookie}` } });
    expect((await session(before.cookie)).statusCode).toBe(200);
    await setPassword(ws.store, 'doi-mat-khau', 'new-password-2');
    expect((await session(before.cookie)).statusCode).toBe(401);
    expect((await session(other.cookie)).statusCode).toBe(200);
    // logging in with the new password makes a session that lasts
    const after = await login(app, 'doi-mat-khau', 'new-password-2');
    expect((await session(after.cookie)).statusCode).toBe(200);
  });

  it('audits the client address behind a configured proxy, and ignores X-Forwarded-For from anyone else', async () => {
    const server = ws.env.loaded.config.server;
    const failedFrom = async (target: FastifyInstance, remoteAddress: string): Promise<unknown> => {
      await target.inject({ method: 'POST', url: '/api/v1/login', remoteAddress, headers: { 'x-forwarded-for': '203.0.113.9' }, payload: { username: 'proxied', password: 'wrong-password' } });
      return (await ws.store.auditEntries({ limit: 1 }))[0]?.address;
    };
    // without trustProxy the header is anybody's to write
    expect(await failedFrom(app, '192.0.2.1')).toBe('192.0.2.1');
    server.trustProxy = ['192.0.2.0/24'];
    try {
      const proxied = await ws.build();
      expect(await failedFrom(proxied, '192.0.2.1')).toBe('203.0.113.9');
      expect(await failedFrom(proxied, '198.51.100.7')).toBe('198.51.100.7');
    } finally {
      server.trustProxy = [];
    }
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, and not Secure without TLS', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'viewer', password: PASSWORDS.viewer } });
    const cookie = [r.headers['set-cookie']].flat()[0] as string;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('sets the cookie Secure under TLS', async () => {
    const tlsApp = await ws.build({ tls: true });
    const r = await tlsApp.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'viewer', password: PASSWORDS.viewer } });
    expect([r.headers['set-cookie']].flat()[0]).toMatch(/; Secure/);
  });
});

describe('sessions', () => {
  it('answers who is logged in, and 401 without a session', async () => {
    const s = await login(app, 'admin', PASSWORDS.admin);
    const r = await app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${s.cookie}` } });
    expect(r.json()).toEqual({ username: 'admin', role: 'admin', csrfToken: s.csrfToken });
    const none = await app.inject({ url: '/api/v1/session' });
    expect(none.statusCode).toBe(401);
    expect((none.json() as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: 'lt_session=planted' } })).statusCode).toBe(401);
  });

  it('never keeps a session id the browser had before the login (no fixation)', async () => {
    // an id planted in the browser, and even a valid one from an earlier login
    const planted = 'x'.repeat(43);
    const first = await login(app, 'viewer', PASSWORDS.viewer, planted);
    expect(first.cookie).not.toBe(planted);
    const second = await login(app, 'operator', PASSWORDS.operator, first.cookie);
    expect(second.cookie).not.toBe(first.cookie);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${first.cookie}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${planted}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${second.cookie}` } })).json()).toMatchObject({ username: 'operator' });
  });

  it('ends a session idle longer than the timeout; use keeps it alive', async () => {
    const s = await login(app, 'viewer', PASSWORDS.viewer);
    const ask = (): Promise<number> => app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${s.cookie}` } }).then((r) => r.statusCode);
    ws.clock.ms += 20 * 60_000;
    expect(await ask()).toBe(200);
    ws.clock.ms += 20 * 60_000; // 20 minutes since the last use
    expect(await ask()).toBe(200);
    ws.clock.ms += 31 * 60_000;
    expect(await ask()).toBe(401);
  });

  it('logs out: the session ends, the cookie is cleared, audited', async () => {
    const s = await login(app, 'viewer', PASSWORDS.viewer);
    const r = await app.inject({ method: 'POST', url: '/api/v1/logout', headers: { cookie: `lt_session=${s.cookie}`, 'x-csrf-token': s.csrfToken } });
    expect(r.statusCode).toBe(204);
    expect([r.headers['set-cookie']].flat()[0]).toMatch(/^lt_session=;/);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: `lt_session=${s.cookie}` } })).statusCode).toBe(401);
    expect((await ws.store.auditEntries({ limit: 1 }))[0]).toMatchObject({ actor: 'viewer', action: 'logout' });
  });
});

describe('CSRF', () => {
  it('refuses a state-changing session request without the token or with a wrong one, and lets the right one through', async () => {
    const s = await login(app, 'operator', PASSWORDS.operator);
    const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/v1/test/operate', headers: { cookie: `lt_session=${s.cookie}`, ...headers } });
    const without = await post({});
    expect(without.statusCode).toBe(403);
    expect((without.json() as { error: { code: string } }).error.code).toBe('CSRF');
    const wrong = await post({ 'x-csrf-token': s.csrfToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(wrong.statusCode).toBe(403);
    const other = await login(app, 'operator', PASSWORDS.operator);
    expect((await post({ 'x-csrf-token': other.csrfToken })).statusCode).toBe(403); // another session's token
    const right = await post({ 'x-csrf-token': s.csrfToken });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ done: true });
    expect((await auditActions()).filter((e) => e.action === 'csrf.denied').length).toBeGreaterThanOrEqual(3);
  });

  it('does not ask a Bearer request for one', async () => {
    const { token } = await createApiToken(ws.store, 'operator', 'script');
    const r = await app.inject({ method: 'POST', url: '/api/v1/test/operate', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
  });
});

describe('roles', () => {
  it('gives a viewer 403 on an operator route, audited; no account at all is 401', async () => {
    const s = await login(app, 'viewer', PASSWORDS.viewer);
    const r = await app.inject({ method: 'POST', url: '/api/v1/test/operate', headers: { cookie: `lt_session=${s.cookie}`, 'x-csrf-token': s.csrfToken } });
    expect(r.statusCode).toBe(403);
    expect((r.json() as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await ws.store.auditEntries({ limit: 1 }))[0]).toMatchObject({ actor: 'viewer', action: 'access.denied', outcome: 'denied', subject: '/api/v1/test/operate' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/test/operate' })).statusCode).toBe(401);
  });

  it('lists the accounts to an admin only, without their password hashes', async () => {
    const admin = await login(app, 'admin', PASSWORDS.admin);
    const r = await app.inject({ url: '/api/v1/users', headers: { cookie: `lt_session=${admin.cookie}` } });
    expect(r.statusCode).toBe(200);
    expect((r.json() as { users: { username: string }[] }).users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'operator', 'viewer']));
    expect(r.body).not.toMatch(/scrypt|passwordHash/);
    const op = await login(app, 'operator', PASSWORDS.operator);
    expect((await app.inject({ url: '/api/v1/users', headers: { cookie: `lt_session=${op.cookie}` } })).statusCode).toBe(403);
  });
});

describe('API tokens', () => {
  it('authenticates a Bearer token; a revoked or unknown one does not', async () => {
    const { token, row } = await createApiToken(ws.store, 'admin', 'backup script');
    expect(token).toMatch(/^lt_[\w-]{43}$/);
    const ask = (t: string) => app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${t}` } }).then((r) => r.statusCode);
    expect(await ask(token)).toBe(200);
    expect((await ws.store.listApiTokens('admin')).find((t) => t.id === row.id)?.lastUsedAt).not.toBeNull();
    expect(await ask(`lt_${'A'.repeat(43)}`)).toBe(401);
    expect(await ask('not-a-token')).toBe(401);
    expect(await ws.store.revokeApiTokens('admin', row.id)).toBe(1);
    expect(await ask(token)).toBe(401);
  });
});

describe('brute force', () => {
  it('locks an account after 5 failures (429 with retryAfterSeconds), even with the right password, until the lock ends', async () => {
    const attempt = (password: string) => app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'admin', password }, remoteAddress: '10.9.0.1' });
    for (let i = 0; i < 5; i++) expect((await attempt(`guess-number-${i}`)).statusCode).toBe(401);
    const locked = await attempt(PASSWORDS.admin);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'LOGIN_LOCKED', retryAfterSeconds: 900 } });
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect((await ws.store.auditEntries({ limit: 1 }))[0]).toMatchObject({ action: 'login.locked', outcome: 'denied' });
    ws.clock.ms += 14 * 60_000;
    expect((await attempt(PASSWORDS.admin)).statusCode).toBe(429);
    ws.clock.ms += 60_000;
    expect((await attempt(PASSWORDS.admin)).statusCode).toBe(200);
  });

  it('locks an address after 20 failures over any names', async () => {
    const attempt = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/login', payload: { username, password }, remoteAddress: '10.9.0.2' });
    for (let i = 0; i < 20; i++) expect((await attempt(`name${i}`, 'wrong-password')).statusCode).toBe(401);
    expect((await attempt('viewer', PASSWORDS.viewer)).statusCode).toBe(429);
    const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'viewer', password: PASSWORDS.viewer }, remoteAddress: '10.9.0.3' });
    expect(elsewhere.statusCode).toBe(200);
  });
});
