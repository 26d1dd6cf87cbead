import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LienthongError } from '../../core/errors.js';
import { returnedRecords, reviewDetail, reviewableRequest, reviewRequests, type Reviewer } from '../../services/console-signing.js';
import { approveRequest, retryJobSigning, returnRecord, returnRequest } from '../../services/signing.js';
import { isSignerRole } from '../../store/console-store.js';
import { SIGNING_REQUEST_STATES, type SigningRequestState } from '../../store/signing-store.js';
import { auditFrom, requireRole, requireSignerOrOperator } from '../auth/guard.js';
import { HttpError } from '../auth/http-error.js';
import type { ApiDeps } from './api-deps.js';
import { bool, int, nullable, num, object, str } from './schemas.js';

const tags = ['signing'];

const requestView = object({
  id: str, job: str, classKey: str, school: str, className: str, year: str, role: str, subject: nullable(str), signer: str,
  state: { type: 'string', enum: [...SIGNING_REQUEST_STATES] }, items: int, description: str, createdAt: str, expiresAt: nullable(str),
  reason: nullable(str), canApprove: bool, canReturn: bool,
});
const nullableStr = nullable(str);
const subjectRow = object({ idbanghi: str, pupil: str, subjectName: str, diemhocky1: nullableStr, diemhocky2: nullableStr, diemcanam: nullableStr, diemkttralai: nullableStr, nxetmonhoc: nullableStr });
const resultRow = object({ idbanghi: str, pupil: str, results: { type: 'object', additionalProperties: { anyOf: [str, num, { type: 'null' }] } } });
const anomaly = object({ idbanghi: str, pupil: str, code: str, field: str, message: str });
const counts = { type: 'object', additionalProperties: int } as const;
const summary = object({
  pupils: int, promoted: int, learning: counts, conduct: counts,
  subjects: { type: 'array', items: object({ code: str, name: str, scored: int, mean: nullable(num), levels: counts }) },
  anomalies: { type: 'array', items: anomaly },
});
const detailSchema = object({
  request: requestView,
  kind: { type: 'string', enum: ['subject', 'homeroom', 'principal'] },
  subjectRows: { type: 'array', items: subjectRow },
  resultRows: { type: 'array', items: resultRow },
  summary: nullable(summary),
});
const idParams = object({ id: { type: 'string', minLength: 1, maxLength: 200 } });

/** who asks, with the hash of their personal id read from their account (a role change counts at once) */
async function reviewerOf(deps: ApiDeps, request: FastifyRequest): Promise<Reviewer> {
  const principal = request.principal;
  if (!principal) throw new HttpError(401, 'UNAUTHENTICATED', 'log in first');
  const user = await deps.env.store.getUser(principal.username);
  return { username: principal.username, role: principal.role, personalIdHash: user?.personalIdHash ?? null };
}

/** a request of another signer is refused 403 and audited like any refusal; a decided one is 409 */
async function asHttp<T>(request: FastifyRequest, id: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LienthongError && err.code === 'SIGNING_REQUEST_NOT_YOURS') {
      await auditFrom(request, 'access.denied', id, { method: request.method, route: request.routeOptions.url ?? null, role: request.principal?.role ?? null }, 'denied');
      throw new HttpError(403, err.code, err.message);
    }
    if (err instanceof LienthongError && err.code === 'SIGNING_REQUEST_NOT_IN_REVIEW') throw new HttpError(409, err.code, err.message, {}, err.kind);
    if (err instanceof LienthongError && err.code === 'SIGNING_RECORD_NOT_IN_REQUEST') throw new HttpError(404, err.code, err.message, {}, err.kind);
    throw err;
  }
}

/**
 * The review before signing (docs/signing.md#review-before-signing): a signer lists the requests
 * that name them, reads exactly what they sign, approves ("Ký": the request goes to their phone) or
 * returns it with a reason. Operators and admins see every request and may return one; only the
 * signer a request names approves it: nobody approves another person's signature.
 */
export async function signingRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ctx = deps.env;

  app.get<{ Querystring: { job?: string; state?: SigningRequestState } }>('/signing/requests', {
    schema: {
      tags,
      summary: 'Signing requests: a signer (teacher, homeroom, principal) sees their own waiting for review; an operator or admin every request, by job and state',
      querystring: object({ job: { type: 'string', minLength: 1, maxLength: 200 }, state: { type: 'string', enum: [...SIGNING_REQUEST_STATES] } }, []),
      response: { 200: object({ requests: { type: 'array', items: requestView } }) },
    },
    preHandler: requireSignerOrOperator(),
  }, async (request) => {
    const reviewer = await reviewerOf(deps, request);
    const { job, state } = request.query;
    return { requests: await reviewRequests(ctx, reviewer, { ...(job !== undefined ? { job } : {}), ...(state !== undefined ? { state: [state] } : {}) }) };
  });

  app.get<{ Params: { id: string } }>('/signing/requests/:id', {
    schema: {
      tags,
      summary: "Exactly what a request's signatures cover: a subject's scores per pupil, the homeroom teacher's results and comments, or the principal's class summary with every anomaly",
      params: idParams,
      response: { 200: detailSchema },
    },
    preHandler: requireSignerOrOperator(),
  }, async (request) => {
    const { id } = request.params;
    const reviewer = await reviewerOf(deps, request);
    const detail = await asHttp(request, id, () => reviewDetail(ctx, reviewer, id));
    const r = detail.request;
    await auditFrom(request, 'signing.review', id, { job: r.job, classKey: r.classKey, role: r.role, items: r.items, own: r.canApprove || isSignerRole(reviewer.role) });
    return detail;
  });

  app.post<{ Params: { id: string } }>('/signing/requests/:id/approve', {
    schema: {
      tags,
      summary: '"Ký": the signer the request names approves it; it goes to their phone through the signing service',
      params: idParams,
      response: { 200: object({ request: requestView }) },
    },
    preHandler: requireSignerOrOperator(),
  }, async (request) => {
    const { id } = request.params;
    const reviewer = await reviewerOf(deps, request);
    await asHttp(request, id, async () => {
      const found = await reviewableRequest(ctx, reviewer, id);
      // an operator or admin may look, never sign for someone: the signature is the person's
      if (!found.own) throw new LienthongError('SIGNING_REQUEST_NOT_YOURS', 'rejected', 'only the signer a request names may approve it', { request: id });
      await approveRequest(ctx, id, reviewer.username, request.ip);
    });
    return { request: (await reviewableRequest(ctx, reviewer, id)).view };
  });

  app.post<{ Params: { id: string }; Body: { reason: string } }>('/signing/requests/:id/return', {
    schema: {
      tags,
      summary: "Returns a request in review with a reason: its records go back to the school; by the signer it names, or an operator or admin",
      params: idParams,
      body: object({ reason: { type: 'string', minLength: 3, maxLength: 1000, pattern: '\\S' } }),
      response: { 200: object({ request: requestView }) },
    },
    preHandler: requireSignerOrOperator(),
  }, async (request) => {
    const { id } = request.params;
    const reviewer = await reviewerOf(deps, request);
    await asHttp(request, id, async () => {
      await reviewableRequest(ctx, reviewer, id);
      await returnRequest(ctx, id, reviewer.username, request.body.reason.trim(), request.ip);
    });
    return { request: (await reviewableRequest(ctx, reviewer, id)).view };
  });
  app.post<{ Params: { id: string; idbanghi: string }; Body: { reason: string } }>('/signing/requests/:id/records/:idbanghi/return', {
    schema: {
      tags,
      summary: "Returns ONE record of a request in review with a reason: that pupil's record goes back to the school, the request stays in review with the others; by the signer it names, or an operator or admin",
      params: object({ id: { type: 'string', minLength: 1, maxLength: 200 }, idbanghi: { type: 'string', minLength: 1, maxLength: 200 } }),
      body: object({ reason: { type: 'string', minLength: 3, maxLength: 1000, pattern: '\\S' } }),
      response: { 200: object({ request: requestView }) },
    },
    preHandler: requireSignerOrOperator(),
  }, async (request) => {
    const { id, idbanghi } = request.params;
    const reviewer = await reviewerOf(deps, request);
    await asHttp(request, id, async () => {
      await reviewableRequest(ctx, reviewer, id);
      await returnRecord(ctx, id, idbanghi, reviewer.username, request.body.reason.trim(), request.ip);
    });
    return { request: (await reviewableRequest(ctx, reviewer, id)).view };
  });

  app.get<{ Querystring: { job?: string } }>('/signing/returned', {
    schema: {
      tags,
      summary: 'Records returned to the school (by a signer, or in review), with the reason: each waits until its data changes or it is asked again; operators and admins',
      querystring: object({ job: { type: 'string', minLength: 1, maxLength: 200 } }, []),
      response: { 200: object({ records: { type: 'array', items: object({ job: str, idbanghi: str, pupil: str, className: str, role: str, signer: str, reason: nullable(str), updatedAt: str }) } }) },
    },
    preHandler: requireRole('operator'),
  }, async (request) => ({ records: await returnedRecords(ctx, request.query.job) }));

  app.post<{ Params: { job: string }; Body: { record?: string } }>('/signing/jobs/:job/retry', {
    schema: {
      tags,
      summary: 'Asks again (as lienthong signing retry): expired requests and returned records of the job, or only the record named, go out with the next run; operators and admins',
      params: object({ job: { type: 'string', minLength: 1, maxLength: 200 } }),
      body: object({ record: { type: 'string', minLength: 1, maxLength: 200 } }, []),
      response: { 200: object({ items: int, records: int }) },
    },
    preHandler: requireRole('operator'),
  }, async (request) => {
    const by = request.principal?.username ?? 'console';
    return retryJobSigning(ctx, request.params.job, undefined, by, request.ip, request.body?.record);
  });
}
