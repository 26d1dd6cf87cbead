import type { FastifyInstance } from 'fastify';
import { runDetail } from '../../services/console-runs.js';
import { listRuns } from '../../services/jobs.js';
import { requireRole } from '../auth/guard.js';
import type { ApiDeps } from './api-deps.js';
import { bool, int, nullable, num, object, runRowSchema, str } from './schemas.js';

const tags = ['runs'];

/** A job's run history and one run's detail. */
export async function runsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ctx = deps.env;

  app.get<{ Querystring: { job: string; limit?: number } }>('/runs', {
    schema: {
      tags,
      summary: "A job's last runs, newest first",
      querystring: object({ job: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 20 } }, ['job']),
      response: { 200: object({ runs: { type: 'array', items: runRowSchema } }) },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => ({ runs: await listRuns(ctx, request.query.job, request.query.limit ?? 20) }));

  app.get<{ Params: { id: string } }>('/runs/:id', {
    schema: {
      tags,
      summary: 'One run: counts, duration, rate (records read per second) and rejections by code',
      params: object({ id: { type: 'string', minLength: 1, maxLength: 100 } }),
      response: {
        200: object({
          run: runRowSchema,
          rate: nullable(num),
          durationMs: nullable(int),
          rejectionsByCode: { type: 'array', items: object({ code: str, count: int }) },
          rejectionsTruncated: bool,
        }),
      },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => runDetail(ctx, request.params.id, deps.now?.() ?? new Date()));
}
