import type { FastifyInstance } from 'fastify';
import { jobReports, reconcileAndRecord } from '../../services/console-runs.js';
import { auditFrom, requireRole } from '../auth/guard.js';
import type { ApiDeps } from './api-deps.js';
import { jobParams, nullable, object, openObject, reconciliationSummarySchema, runCountsSchema, str } from './schemas.js';

const tags = ['reports'];

/** A job's reconciliation: the latest report, the history of its totals, and reconciling now. */
export async function reportsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ctx = deps.env;

  app.get<{ Params: { job: string } }>('/reports/:job', {
    schema: {
      tags,
      summary: "The job's latest reconciliation report, the history of reconciliations and its last runs' counts (status over time)",
      params: jobParams,
      response: {
        200: object({
          // the report's shape is the reconciliation's (src/reconcile/types.ts), written as it is
          report: nullable(openObject),
          history: { type: 'array', items: reconciliationSummarySchema },
          runs: { type: 'array', items: object({ id: str, startedAt: str, outcome: str, counts: runCountsSchema }) },
        }),
      },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => jobReports(ctx, request.params.job));

  app.post<{ Params: { job: string } }>('/reports/:job/reconcile', {
    schema: {
      tags,
      summary: 'Reconcile the job now (source, ledger and the hub read back); writes the report files and keeps its totals',
      params: jobParams,
      response: { 200: object({ report: openObject }) },
    },
    preHandler: requireRole('operator'),
  }, async (request) => {
    const report = await reconcileAndRecord(deps.env, request.params.job);
    await auditFrom(request, 'job.reconcile', report.job, { totals: report.totals });
    return { report };
  });
}
