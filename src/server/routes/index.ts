import type { FastifyInstance } from 'fastify';
import type { ApiDeps, ApiOptions } from './api-deps.js';
import { auditRoutes } from './audit.js';
import { certificatesRoutes } from './certificates.js';
import { connectionsRoutes } from './connections.js';
import { deadLettersRoutes } from './dead-letters.js';
import { jobsRoutes } from './jobs.js';
import { kiosksRoutes } from './kiosks.js';
import { ledgerRoutes } from './ledger.js';
import { progressRoutes } from './progress-stream.js';
import { reportsRoutes } from './reports.js';
import { runsRoutes } from './runs.js';
import { signingRoutes } from './signing.js';

export type { ApiDeps, ApiOptions, ApiScheduler } from './api-deps.js';

/**
 * Every /api/v1 route but the session's (login, logout, session, users: the server's own), in
 * one plugin the console registers under the `/api/v1` prefix. Registered on the app the
 * server built, after its authentication hook, so every route's `requireRole` sees the principal.
 */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiDeps, options: ApiOptions = {}): Promise<void> {
  await app.register(
    async (api) => {
      await jobsRoutes(api, deps);
      await runsRoutes(api, deps);
      await progressRoutes(api, deps, options);
      await ledgerRoutes(api, deps);
      await deadLettersRoutes(api, deps);
      await reportsRoutes(api, deps);
      await connectionsRoutes(api, deps);
      await auditRoutes(api, deps);
      await signingRoutes(api, deps);
      await kiosksRoutes(api, deps);
      await certificatesRoutes(api, deps);
    },
    { prefix: '/api/v1' },
  );
}
