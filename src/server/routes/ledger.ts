import type { FastifyInstance, FastifyRequest } from 'fastify';
import { looksLikePersonalId } from '../../core/subject-hash.js';
import { recordDetail, searchLedger, type LedgerSearch, type LedgerSearchOptions } from '../../services/console-ledger.js';
import { auditFrom, requireRole } from '../auth/guard.js';
import { actorOf, sendProblem, type ApiDeps } from './api-deps.js';
import { bool, errorSchema, LEDGER_STATUS_VALUES, ledgerEntrySchema, nullable, object, openObject, recordViewSchema, str } from './schemas.js';

const tags = ['ledger'];

const searchFields = {
  job: { type: 'string', minLength: 1 },
  q: { type: 'string', maxLength: 200 },
  target: { type: 'string', minLength: 1 },
  status: { type: 'array', items: { type: 'string', enum: [...LEDGER_STATUS_VALUES] } },
  after: { type: 'string', maxLength: 200 },
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
};

const searchAnswer = object({
  job: str,
  target: nullable(str),
  matchedBy: nullable({ type: 'string', enum: ['sourceKey', 'idbanghi', 'personalId'] }),
  entries: { type: 'array', items: ledgerEntrySchema },
  next: nullable(str),
});

type SearchInput = LedgerSearchOptions & { job: string };

/**
 * A search by a personal id is audited (who looked a person up), by how it matched and never by
 * the id; other searches are not (they name records, not people).
 */
async function search(ctx: ApiDeps['env'], request: FastifyRequest, input: SearchInput): Promise<LedgerSearch> {
  const result = await searchLedger(ctx, input.job, input);
  if (input.q !== undefined && looksLikePersonalId(input.q)) {
    await auditFrom(request, 'ledger.search', input.job, { matchedBy: 'personalId', found: result.matchedBy === 'personalId' ? result.entries.length : 0 });
  }
  return result;
}

/** Ledger search (by source key, idbanghi or personal id) and a record's detail. */
export async function ledgerRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ctx = deps.env;

  app.get<{ Querystring: SearchInput }>('/ledger', {
    schema: {
      tags,
      summary: "A page of a job's ledger, or a search by source key, idbanghi or personal id (POST /ledger/search keeps a personal id out of the URL)",
      querystring: object(searchFields, ['job']),
      response: { 200: searchAnswer },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => search(ctx, request, request.query));

  app.post<{ Body: SearchInput }>('/ledger/search', {
    schema: {
      tags,
      summary: 'The ledger search with the text in the body: the way to look up a personal id',
      body: object(searchFields, ['job']),
      response: { 200: searchAnswer },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => search(ctx, request, request.body));

  app.get<{ Params: { job: string; idbanghi: string }; Querystring: { unmask?: string } }>('/jobs/:job/records/:idbanghi', {
    schema: {
      tags,
      summary: "A record's ledger rows, held-back reasons, warnings and envelope; personal data masked unless an admin asks ?unmask=1 (audited)",
      params: object({ job: { type: 'string', minLength: 1, maxLength: 200 }, idbanghi: { type: 'string', minLength: 1, maxLength: 200 } }),
      querystring: object({ unmask: { type: 'string', enum: ['0', '1', 'false', 'true'] } }, []),
      response: { 200: object({ record: recordViewSchema, envelope: nullable(openObject), masked: bool }), 403: errorSchema },
    },
    preHandler: requireRole('viewer'),
  }, async (request, reply) => {
    const { job, idbanghi } = request.params;
    const unmask = request.query.unmask === '1' || request.query.unmask === 'true';
    if (unmask && actorOf(request).role !== 'admin') {
      await auditFrom(request, 'record.unmask', `${job}/${idbanghi}`, {}, 'denied');
      return sendProblem(reply, 403, 'FORBIDDEN', 'only an administrator may see a record unmasked', 'auth');
    }
    const detail = await recordDetail(ctx, job, idbanghi, unmask);
    if (unmask) await auditFrom(request, 'record.unmask', `${job}/${idbanghi}`, {});
    return detail;
  });
}
