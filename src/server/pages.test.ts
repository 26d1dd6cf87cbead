import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATHS, registerPages } from './pages.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await registerPages(app);
  // an API route beside the pages: a page path or the static files must never shadow it
  app.get('/api/v1/jobs', async () => ({ jobs: [] }));
});
afterAll(() => app.close());

describe('the console pages', () => {
  it('answers each page path with the one HTML shell, never cached', async () => {
    for (const url of ['/', '/login', '/jobs/diplomas/runs', '/runs/abc', '/jobs/diplomas/records/X1', '/ledger', '/deadletters', '/reports', '/connections', '/kiosks', '/config', '/audit', '/signing', '/signing/req-1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.body, url).toContain('<script type="module" src="/static/app.js"></script>');
    }
    expect(PAGE_PATHS).toHaveLength(15);
  });

  it('serves the scripts, styles and catalogues under /static/, revalidated by ETag', async () => {
    const js = await app.inject({ url: '/static/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers.etag).toBeTruthy();
    expect((await app.inject({ url: '/static/app.js', headers: { 'if-none-match': String(js.headers.etag) } })).statusCode).toBe(304);
    expect((await app.inject({ url: '/static/style.css' })).headers['content-type']).toMatch(/^text\/css/);
    const vi = await app.inject({ url: '/static/i18n/vi.json' });
    expect(vi.json()).toMatchObject({ 'app.name': 'Liên thông' });
  });

  it('serves nothing outside web/, no directory listing, and leaves other paths to the server', async () => {
    expect((await app.inject({ url: '/static/../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/static/%2e%2e/package.json' })).statusCode).toBe(404);
    const folder = await app.inject({ url: '/static/' });
    expect([403, 404]).toContain(folder.statusCode);
    expect(folder.body).not.toContain('app.js');
    expect((await app.inject({ url: '/package.json' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/jobs' })).json()).toEqual({ jobs: [] });
  });

  it('uses no inline script or style, which the CSP (default-src self) would refuse', async () => {
    const html = (await app.inject({ url: '/' })).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });
});
