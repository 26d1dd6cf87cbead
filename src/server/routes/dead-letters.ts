import type { FastifyInstance } from 'fastify';
import { deadLettersPage } from '../../services/console-jobs.js';
import { requeueDeadLetters, type RequeueSelection } from '../../services/dead-letters.js';
import { auditFrom, requireRole } from '../auth/guard.js';
import type { ApiDeps } from './api-deps.js';
import { deadLetterSchema, jobParams, nullable, object, requeueResultSchema, str } from './schemas.js';

const tags = ['dead letters'];

/** at most this many ids are named in the audit entry of a requeue (the count is always there) */
const AUDITED_IDS = 50;

type RequeueBody = { idbanghi?: string[]; code?: string; all?: boolean };

/** A job's dead letters and conflicts, and putting them back in the queue. */
export async function deadLettersRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ctx = deps.env;

  app.get<{ Params: { job: string }; Querystring: { after?: string; limit?: number } }>('/jobs/:job/deadletters', {
    schema: {
      tags,
      summary: "A page of a job's dead letters (delivery gave up) and version conflicts, with their last error; `next` for the following page",
      params: jobParams,
      querystring: object({ after: { type: 'string', maxLength: 500 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } }, []),
      response: { 200: object({ deadLetters: { type: 'array', items: deadLetterSchema }, next: nullable(str) }) },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => deadLettersPage(ctx, request.params.job, request.query));

  app.post<{ Params: { job: string }; Body: RequeueBody }>('/jobs/:job/deadletters/requeue', {
    schema: {
      tags,
      summary: 'Queue dead letters again: the given ids, those with one error code, or all; the next run sends them',
      params: jobParams,
      // exactly one of the three (no oneOf: Fastify's validator strips properties across its branches)
      body: {
        type: 'object',
        properties: {
          idbanghi: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, minItems: 1, maxItems: 10_000 },
          code: { type: 'string', minLength: 1, maxLength: 100 },
          all: { type: 'boolean', enum: [true] },
        },
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
      },
      response: { 200: requeueResultSchema },
    },
    preHandler: requireRole('operator'),
  }, async (request) => {
    const body = request.body;
    // the schema lets exactly one through: ids, a code, or `all: true`
    const selection: RequeueSelection = body.idbanghi ? { idbanghi: body.idbanghi } : body.code !== undefined ? { code: body.code } : { all: true };
    const result = await requeueDeadLetters(ctx, request.params.job, selection);
    const chosen = 'idbanghi' in selection ? { idbanghi: selection.idbanghi.slice(0, AUDITED_IDS), selected: selection.idbanghi.length } : selection;
    await auditFrom(request, 'deadletters.requeue', result.job, { ...chosen, requeued: result.requeued, notRequeued: result.notRequeued.length });
    return result;
  });
}
