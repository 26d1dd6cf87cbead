import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
// the route option `schema.hide` (keeps the pages out of the OpenAPI document) is @fastify/swagger's
import type {} from '@fastify/swagger';
import { packageRoot } from '../core/package-root.js';

/**
 * The paths the console's pages answer at. Every one is the same HTML shell: its module reads the
 * path and draws the page (web/app.js), so a bookmark or a reload lands on the right page. The
 * pages themselves need no session: the data behind them comes from the API, which checks it.
 */
export const PAGE_PATHS: readonly string[] = [
  '/',
  '/login',
  '/jobs/:job/runs',
  '/runs/:id',
  '/ledger',
  '/jobs/:job/records/:idbanghi',
  '/deadletters',
  '/reports',
  '/connections',
  '/kiosks',
  '/config',
  '/audit',
  '/signing',
  '/signing/:id',
  '/certificates',
];

/** Where the static pages are: `web/` at the package's root (it ships in the package's files). */
export function webRoot(): string {
  return join(packageRoot(), 'web');
}

/**
 * Serves web/ under /static/ (scripts, styles, catalogues) and the HTML shell at each page path.
 * Nothing is served at a root wildcard, so an unknown path stays the server's 404 and never
 * shadows an API route. Files are revalidated on each load (ETag): there is no build step to give
 * them content-hashed names, and an upgrade must not leave an old script in a browser's cache.
 */
export async function registerPages(app: FastifyInstance, _deps?: unknown): Promise<void> {
  await app.register(fastifyStatic, {
    root: webRoot(),
    prefix: '/static/',
    index: false,
    cacheControl: true,
    maxAge: 0,
    etag: true,
    lastModified: true,
  });
  for (const path of PAGE_PATHS) {
    app.get(path, { schema: { hide: true } }, (_request, reply) => reply.header('Cache-Control', 'no-store').sendFile('index.html', { cacheControl: false }));
  }
}
