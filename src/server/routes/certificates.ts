import type { FastifyInstance } from 'fastify';
import { certificateReport, certificateReportCsv, revokeCertificate } from '../../certificates/manage.js';
import { auditFrom, requireRole } from '../auth/guard.js';
import type { ApiDeps } from './api-deps.js';
import { actorOf } from './api-deps.js';
import { int, nullable, object, str } from './schemas.js';

const tags = ['cim'];

const certificateView = object({
  certificateNo: str, kioskId: str, templateCode: str, ownerUnit: str, language: str, copies: int, feeVnd: int, paymentRef: str,
  holderMasked: str, sha256: str, dataSource: str, issuedAt: str, revokedAt: nullable(str), revokedBy: nullable(str), revokeReason: nullable(str),
});
const reportRow = object({ month: str, templateCode: str, ownerUnit: str, language: str, certificates: int, copies: int, feeVnd: int, revoked: int });
const monthQuery = { type: 'object', properties: { month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, format: { type: 'string', enum: ['json', 'csv'] } } } as const;

/**
 * The console's CIM certificate routes (docs/cim.md#fees-report): the certificates issued and
 * the fees report (operator and admin), revocation (admin, audited).
 */
export async function certificatesRoutes(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { store } = deps.env;

  api.get(
    '/cim/certificates',
    { preHandler: requireRole('operator'), schema: { summary: 'certificates issued, newest first (operator)', tags, querystring: monthQuery, response: { 200: object({ certificates: { type: 'array', items: certificateView } }) } } },
    async (request) => {
      const { month } = request.query as { month?: string };
      const rows = await store.listCertificates(month === undefined ? { limit: 200 } : { month, limit: 200 });
      return { certificates: rows };
    },
  );

  api.get(
    '/cim/certificates/report',
    {
      preHandler: requireRole('operator'),
      schema: {
        summary: 'certificates issued per template, unit, language and month, with fees (operator); format=csv for a file',
        tags,
        querystring: monthQuery,
        response: { 200: object({ month: nullable(str), rows: { type: 'array', items: reportRow }, totals: object({ certificates: int, copies: int, feeVnd: int, revoked: int }) }) },
      },
    },
    async (request, reply) => {
      const { month, format } = request.query as { month?: string; format?: 'json' | 'csv' };
      const report = await certificateReport(store, month);
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="certificates-${month ?? 'all'}.csv"`)
          .serializer((s: string) => s)
          .send(certificateReportCsv(report));
      }
      return report;
    },
  );

  api.post(
    '/cim/certificates/:no/revoke',
    {
      preHandler: requireRole('admin'),
      schema: {
        summary: 'revoke a certificate (admin, audited): its verify page says revoked',
        tags,
        params: object({ no: { type: 'string', minLength: 1, maxLength: 64 } }),
        body: object({ reason: { type: 'string', minLength: 1, maxLength: 500 } }),
        response: { 200: certificateView },
      },
    },
    async (request) => {
      const { no } = request.params as { no: string };
      const { reason } = request.body as { reason: string };
      return revokeCertificate(store, no, reason, actorOf(request).username, (entry) => auditFrom(request, entry.action, entry.subject, entry.detail, entry.outcome));
    },
  );
}
