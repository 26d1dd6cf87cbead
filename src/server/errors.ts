import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LienthongError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { HttpError } from './auth/http-error.js';

export { HttpError };

/** The JSON every API error is: `{ error: { code, message, kind, ... } }`. */
export interface ErrorBody {
  error: { code: string; message: string; kind: string } & Record<string, unknown>;
}

/** The status of a LienthongError that is not an HttpError: a name that is not there is 404, a bad request 400, the rest 500. */
export function statusOf(err: LienthongError): number {
  if (err instanceof HttpError) return err.status;
  if (/_NOT_FOUND$/.test(err.code)) return 404;
  if (err.code === 'JOB_LOCKED') return 409;
  if (err.kind === 'config' || err.kind === 'data') return 400;
  if (err.kind === 'transient') return 503;
  return 500;
}

const GENERIC_MESSAGE = 'internal error; the details are in the log';

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as FastifyError).statusCode === 'number';
}

/**
 * Every error as JSON. A LienthongError says its code and message (written for the user, with no
 * secret in it); a request Fastify refused (bad JSON, a schema) is 400 INVALID_REQUEST; anything
 * else is 500 with a generic message, the error itself in the log only.
 */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof LienthongError) {
      const status = statusOf(err);
      if (status >= 500) logger.error('console request failed', { route: request.routeOptions.url, code: err.code, error: err.message });
      if (err instanceof HttpError && typeof err.extra.retryAfterSeconds === 'number') void reply.header('retry-after', String(err.extra.retryAfterSeconds));
      const extra = err instanceof HttpError ? err.extra : {};
      const message = status >= 500 && err.kind === 'bug' ? GENERIC_MESSAGE : err.message;
      return reply.status(status).send({ error: { ...extra, code: err.code, message, kind: err.kind } } satisfies ErrorBody);
    }
    if (isFastifyError(err) && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own message names the schema rule or the parse error, not the values sent
      const code = err.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : err.statusCode === 413 ? 'REQUEST_TOO_LARGE' : 'INVALID_REQUEST';
      return reply.status(err.statusCode).send({ error: { code, message: err.message, kind: 'data' } } satisfies ErrorBody);
    }
    logger.error('console request failed', { route: request.routeOptions.url, error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
    return reply.status(500).send({ error: { code: 'INTERNAL', message: GENERIC_MESSAGE, kind: 'bug' } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such page or API route', kind: 'data' } } satisfies ErrorBody));
}
