import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/guard.js';
import type { ApiDeps } from './api-deps.js';
import { auditEntrySchema, object } from './schemas.js';

/** The audit log, newest first, for administrators. */
export async function auditRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get<{ Querystring: { actor?: string; action?: string; before?: number; limit?: number } }>('/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Audit entries newest first, by actor and action; `before` is a seq (the next page starts below the last one seen)',
      querystring: object(
        {
          actor: { type: 'string', minLength: 1, maxLength: 100 },
          action: { type: 'string', minLength: 1, maxLength: 100 },
          before: { type: 'integer', minimum: 1 },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
        [],
      ),
      response: { 200: object({ entries: { type: 'array', items: auditEntrySchema } }) },
    },
    preHandler: requireRole('admin'),
  }, async (request) => {
    const { actor, action, before, limit } = request.query;
    const entries = await deps.env.store.auditEntries({
      ...(actor === undefined ? {} : { actor }),
      ...(action === undefined ? {} : { action }),
      ...(before === undefined ? {} : { beforeSeq: before }),
      limit: limit ?? 100,
    });
    return { entries };
  });
}
