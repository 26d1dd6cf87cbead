import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import { SESSION_COOKIE, type Principal } from './principal.js';
import { passwordStampOf, sameSecret } from './sessions.js';
import { API_TOKEN_PATTERN, apiTokenHash } from './tokens.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** the routes a request may reach with a stale session and no CSRF token: logging in again makes a new session */
const CSRF_EXEMPT = new Set(['/api/v1/login']);

async function principalOf(request: FastifyRequest): Promise<{ principal: Principal; sessionId: string | null } | null> {
  const { store, sessions } = request.server.auth;
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    const token = m?.[1];
    if (token === undefined || !API_TOKEN_PATTERN.test(token)) return null;
    const row = await store.useApiToken(apiTokenHash(token));
    if (!row) return null;
    const user = await store.getUser(row.username);
    if (!user || user.disabled) return null;
    return { principal: { username: user.username, role: user.role, via: 'token', csrfToken: null }, sessionId: null };
  }
  const id = request.cookies[SESSION_COOKIE];
  if (id === undefined || id === '') return null;
  const session = sessions.touch(id);
  if (!session) return null;
  // the account is read again at each request: a disabled account, a changed role or a changed
  // password (`lienthong users passwd` writes the store from another process) counts at once
  const user = await store.getUser(session.username);
  if (!user || user.disabled || !sameSecret(session.passwordStamp, passwordStampOf(user.passwordHash))) {
    sessions.destroy(id);
    return null;
  }
  return { principal: { username: user.username, role: user.role, via: 'session', csrfToken: session.csrfToken }, sessionId: id };
}

/**
 * Names the account of every request (`request.principal`, null when none), and refuses a
 * state-changing request made with a session cookie that does not carry the session's CSRF
 * token in `X-CSRF-Token`: the cookie goes with any request the browser makes, the token only
 * with the console's own pages, which read it from /api/v1/session.
 */
export function installAuthentication(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionId', null);
  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    const found = await principalOf(request);
    request.principal = found?.principal ?? null;
    request.sessionId = found?.sessionId ?? null;
    const principal = request.principal;
    if (principal?.via !== 'session' || !STATE_CHANGING.has(request.method) || CSRF_EXEMPT.has(request.routeOptions.url ?? '')) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || principal.csrfToken === null || !sameSecret(sent, principal.csrfToken)) {
      await request.server.auth.store.appendAudit({ actor: principal.username, action: 'csrf.denied', subject: request.routeOptions.url ?? null, address: request.ip, outcome: 'denied', detail: { method: request.method } });
      throw new HttpError(403, 'CSRF', 'missing or wrong X-CSRF-Token header (reload the page)');
    }
  });
}
