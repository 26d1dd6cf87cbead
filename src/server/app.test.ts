import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { openConsoleWorkspace, type ConsoleWorkspace } from './testing/console-workspace.js';

let ws: ConsoleWorkspace;
let app: FastifyInstance;

beforeAll(async () => {
  ws = await openConsoleWorkspace();
  app = await ws.build();
  app.get('/api/v1/test/crash', async () => {
    throw new Error('db password=hunter2 at line 3');
  });
  app.get('/api/v1/test/missing', async () => {
    throw new ConfigError('JOB_NOT_FOUND', 'no job named "x"', { job: 'x' });
  });
  app.get('/api/v1/test/bad-config', async () => {
    throw new ConfigError('SOMETHING_WRONG', 'the value is wrong');
  });
  await app.ready();
}, 60_000);
afterAll(() => ws.close());

describe('security headers', () => {
  it('sends a strict CSP, nosniff, no referrer, no framing, no x-powered-by, and no HSTS without TLS', async () => {
    const r = await app.inject({ url: '/healthz' });
    const csp = r.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-powered-by']).toBeUndefined();
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS under TLS', async () => {
    const tlsApp = await ws.build({ tls: true });
    const r = await tlsApp.inject({ url: '/healthz' });
    expect(r.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz without an account', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', jobs: 0 });
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3 document of the API that names the login route', async () => {
    const r = await app.inject({ url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = JSON.parse(r.body) as { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('lienthong console API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/login', '/api/v1/logout', '/api/v1/session', '/api/v1/users']));
    expect(doc.paths['/api/v1/login']?.post).toBeDefined();
  });
});

describe('errors', () => {
  it('answers an unexpected error with 500 and a generic message; the detail goes to the log only', async () => {
    const r = await app.inject({ url: '/api/v1/test/crash' });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error; the details are in the log', kind: 'bug' } });
    expect(r.body).not.toContain('hunter2');
    expect(ws.logLines.some((l) => l.includes('console request failed'))).toBe(true);
  });

  it('answers a name that is not there with 404 and a configuration problem with 400, with code and kind', async () => {
    const missing = await app.inject({ url: '/api/v1/test/missing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'JOB_NOT_FOUND', message: 'no job named "x"', kind: 'config' } });
    expect((await app.inject({ url: '/api/v1/test/bad-config' })).statusCode).toBe(400);
  });

  it('answers a malformed request with 400 INVALID_REQUEST and an unknown route with 404 NOT_FOUND', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
    const junk = await app.inject({ method: 'POST', url: '/api/v1/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(junk.statusCode).toBe(400);
    const none = await app.inject({ url: '/api/v1/nothing-here' });
    expect(none.statusCode).toBe(404);
    expect((none.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('request log', () => {
  it('logs the route pattern and status, never the query string or the body', async () => {
    ws.logLines.length = 0;
    await app.inject({ url: '/healthz?q=079201001234' });
    await app.inject({ method: 'POST', url: '/api/v1/login?q=079201001234', payload: { username: 'someone', password: 'secret-password-77' } });
    const text = ws.logLines.join('\n');
    expect(text).toContain('"route":"/healthz"');
    expect(text).toContain('"route":"/api/v1/login"');
    expect(text).toContain('"status":401');
    expect(text).not.toContain('079201001234');
    expect(text).not.toContain('secret-password-77');
  });
});
