import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError, LienthongError } from '../core/errors.js';
import { KIOSK_TOKEN_PATTERN, kioskTokenHash } from '../certificates/codes.js';
import type { CertificateRequest, CertificateService, TemplateLookup } from '../certificates/issue.js';
import { verifyCertificateCode, type CertificateVerification } from '../certificates/manage.js';
import type { ServiceEnvironment } from '../services/context.js';
import { HttpError } from './auth/http-error.js';
import { hubTargets, verifyRecordId, type RecordVerification } from '../verification/record-verification.js';
import { recordVerifyPageHtml, verifyPageHtml } from './verify-page.js';

/** What the console's certificate routes use: the service (built on first use) and the templates. */
export interface CimCertificateDeps {
  /** a ready service (tests, the demo); otherwise built from the configuration on first use */
  service?: CertificateService;
  /** the templates by code; otherwise the registry of the configuration */
  templates?: TemplateLookup;
}

const requestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kioskId', 'requestId', 'studentId', 'templateCode', 'language', 'copies', 'paymentRef'],
  properties: {
    kioskId: { type: 'string', minLength: 1, maxLength: 64 },
    requestId: { type: 'string', minLength: 1, maxLength: 128 },
    studentId: { type: 'string', minLength: 1, maxLength: 64 },
    templateCode: { type: 'string', minLength: 1, maxLength: 64 },
    language: { type: 'string', enum: ['vi', 'en'] },
    copies: { type: 'integer', minimum: 1, maximum: 20 },
    paymentRef: { type: 'string', maxLength: 128 },
  },
} as const;

const answerSchema = {
  type: 'object',
  required: ['requestId', 'certificateNo', 'verificationCode', 'feeVnd', 'pdf', 'sha256'],
  properties: {
    requestId: { type: 'string' },
    certificateNo: { type: 'string' },
    verificationCode: { type: 'string' },
    feeVnd: { type: 'integer' },
    pdf: { type: 'string', description: 'the signed PDF, base64' },
    sha256: { type: 'string' },
  },
} as const;

/**
 * The CIM certificate service and the public verification (docs/cim.md): `POST /cim/v1/certificates`
 * for kiosks (their own bearer token, not a console account), `GET /verify/:code` for anyone (HTML,
 * JSON with `Accept: application/json`), rate-limited per address; in the same limit, the diploma
 * and school record page `GET /verify/record/:idbanghi` (docs/formats/diploma.md), which the VNeID
 * destination's `verifyUrlTemplate` points at.
 */
export async function registerCimCertificateRoutes(app: FastifyInstance, deps: { env: ServiceEnvironment; cim?: CimCertificateDeps }): Promise<void> {
  const cim = deps.cim ?? {};
  let building: Promise<CertificateService> | undefined;
  const templates = async (): Promise<TemplateLookup> => {
    if (cim.templates) return cim.templates;
    const { templateLookupOf } = await import('../certificates/template-lookup.js');
    return templateLookupOf(deps.env.loaded);
  };
  const service = (): Promise<CertificateService> => {
    if (cim.service) return Promise.resolve(cim.service);
    building ??= (async () => {
      const { createCertificateService } = await import('../certificates/factory.js');
      return createCertificateService(deps.env, templates);
    })();
    // a configuration problem is told again at the next request, not remembered for ever
    building.catch(() => (building = undefined));
    return building;
  };

  app.post(
    '/cim/v1/certificates',
    { schema: { summary: 'issue a certificate (kiosk token)', tags: ['cim'], body: requestSchema, response: { 200: answerSchema } } },
    async (request) => {
      const kioskId = await kioskOf(request);
      const body = request.body as CertificateRequest;
      if (body.kioskId !== kioskId) throw new HttpError(403, 'CIM_KIOSK_MISMATCH', `this token belongs to kiosk ${kioskId}, not ${body.kioskId}`);
      let issuing: CertificateService;
      try {
        issuing = await service();
      } catch (err) {
        if (err instanceof ConfigError) {
          deps.env.logger.error('certificate service not ready', { code: err.code, error: err.message });
          throw new HttpError(503, 'CIM_NOT_CONFIGURED', 'the certificate service is not configured on this server; the log says why', {}, 'config');
        }
        throw err;
      }
      try {
        return await issuing.issue(body);
      } catch (err) {
        throw asHttp(err);
      }
    },
  );

  await app.register(async (scope) => {
    const limit = deps.env.loaded.config.certificates?.verifyRateLimit ?? { max: 30, windowSeconds: 60 };
    await scope.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.windowSeconds * 1000,
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new HttpError(429, 'CIM_VERIFY_RATE_LIMITED', `too many look-ups from this address; try again in ${seconds} s`, { retryAfterSeconds: seconds }, 'transient');
      },
    });
    scope.get(
      '/verify/:code',
      { schema: { summary: 'verify a certificate by its code (public, rate-limited)', tags: ['cim'], params: { type: 'object', properties: { code: { type: 'string', maxLength: 64 } } } } },
      async (request, reply) => {
        const { code } = request.params as { code: string };
        const lookup = await templates().catch(() => (() => undefined) as TemplateLookup);
        const found = await verifyCertificateCode(deps.env.store, code, (t) => lookup(t)?.title);
        const lang = (request.query as { lang?: string }).lang === 'en' ? 'en' : 'vi';
        return answerVerification(request, reply, found, { code: 'CIM_CODE_NOT_FOUND', message: 'no certificate has this verification code' }, () => verifyPageHtml(found, code, lang));
      },
    );
    // a static segment: never taken for a certificate code (codes have no `/`)
    scope.get(
      '/verify/record/:idbanghi',
      { schema: { summary: 'verify a diploma or school record by its national id, the VNeID credentialKey (public, rate-limited)', tags: ['cim'], params: { type: 'object', properties: { idbanghi: { type: 'string', maxLength: 64 } } } } },
      async (request, reply) => {
        const { idbanghi } = request.params as { idbanghi: string };
        const found: RecordVerification | null = await verifyRecordId(deps.env.store, hubTargets(deps.env.loaded), idbanghi);
        const lang = (request.query as { lang?: string }).lang === 'en' ? 'en' : 'vi';
        return answerVerification(request, reply, found, { code: 'RECORD_NOT_ISSUED', message: 'no diploma or school record with this id was accepted by the ministry hub' }, () => recordVerifyPageHtml(found, idbanghi, lang));
      },
    );
  });
}

/** JSON with `Accept: application/json`, else the HTML page; 404 when nothing was found. */
function answerVerification(
  request: FastifyRequest,
  reply: FastifyReply,
  found: CertificateVerification | RecordVerification | null,
  notFound: { code: string; message: string },
  html: () => string,
): FastifyReply {
  const wantsJson = /application\/json/i.test(request.headers.accept ?? '');
  void reply.header('Cache-Control', 'no-store');
  if (wantsJson) {
    if (found === null) return reply.code(404).send({ error: { ...notFound, kind: 'data' }, genuine: false });
    return reply.send(found);
  }
  return reply
    .code(found === null ? 404 : 200)
    .type('text/html; charset=utf-8')
    .send(html());
}

/** The kiosk of the request's bearer token; 401 without a valid one (a console token is not a kiosk's). */
async function kioskOf(request: FastifyRequest): Promise<string> {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const token = m?.[1];
  const kiosk = token !== undefined && KIOSK_TOKEN_PATTERN.test(token) ? await request.server.consoleDeps.env.store.kioskOfToken(kioskTokenHash(token)) : null;
  if (kiosk === null) {
    await request.server.consoleDeps.env.store.appendAudit({ actor: '-', action: 'kiosk.denied', subject: '/cim/v1/certificates', address: request.ip, outcome: 'denied', detail: { token: token === undefined ? 'absent' : 'unknown' } });
    throw new HttpError(401, 'CIM_KIOSK_UNAUTHENTICATED', 'send the kiosk token as "Authorization: Bearer" (lienthong kiosks token KIOSK makes one)');
  }
  return kiosk;
}

/** The service's errors as the contract's statuses: a reused requestId 409, UIS down 503 with Retry-After. */
function asHttp(err: unknown): unknown {
  if (!(err instanceof LienthongError) || err instanceof HttpError) return err;
  if (err.code === 'CIM_REQUEST_CONFLICT') return new HttpError(409, err.code, err.message, {}, err.kind, err.context);
  if (err.kind === 'transient') {
    const retryAfterMs = (err as LienthongError & { retryAfterMs?: number }).retryAfterMs ?? 30_000;
    return new HttpError(503, err.code, err.message, { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) }, 'transient', err.context);
  }
  return err;
}
