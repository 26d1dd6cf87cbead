import type { FastifyInstance } from 'fastify';
import type { StateStore } from '../store/store.js';

/**
 * `GET /healthz`: the process answers. `GET /readyz`: the configuration is loaded and the state
 * store answers a query; 503 when it does not. Neither needs an account nor says more than that.
 */
export function registerHealthRoutes(app: FastifyInstance, store: StateStore, jobs: () => number): void {
  const status = { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } as const;
  app.get('/healthz', { schema: { summary: 'the process is up', tags: ['health'], response: { 200: status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'the configuration is loaded and the state store answers', tags: ['health'], response: { 200: { ...status, properties: { ...status.properties, jobs: { type: 'integer' } } }, 503: status } } }, async (_request, reply) => {
    try {
      await store.lastRuns('-', 1);
      return { status: 'ready', jobs: jobs() };
    } catch {
      return reply.status(503).send({ status: 'store unavailable' });
    }
  });
}
