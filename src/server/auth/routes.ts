import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../store/console-store.js';
import { auditFrom, requireAccount } from './guard.js';
import { HttpError } from './http-error.js';
import { spendCheckTime, verifyPassword } from './password.js';
import { SESSION_COOKIE } from './principal.js';

const sessionView = {
  type: 'object',
  required: ['username', 'role', 'csrfToken'],
  properties: {
    username: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    csrfToken: { type: ['string', 'null'], description: 'send it as X-CSRF-Token with every POST/PUT/PATCH/DELETE of this session' },
  },
} as const;

const errorBody = {
  type: 'object',
  properties: { error: { type: 'object', additionalProperties: true, properties: { code: { type: 'string' }, message: { type: 'string' }, kind: { type: 'string' } } } },
} as const;

interface LoginBody {
  username: string;
  password: string;
}

/** `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/session`. */
export function registerSessionRoutes(app: FastifyInstance): void {
  app.post<{ Body: LoginBody }>(
    '/api/v1/login',
    {
      schema: {
        summary: 'log in: a session cookie (lt_session) and the CSRF token of the session',
        tags: ['session'],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 128 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: { 200: sessionView, 401: errorBody, 429: errorBody },
      },
    },
    login,
  );

  app.post('/api/v1/logout', { preHandler: requireAccount(), schema: { summary: 'log out: ends the session', tags: ['session'], response: { 204: { type: 'null' }, 401: errorBody } } }, async (request, reply) => {
    if (request.sessionId !== null) request.server.auth.sessions.destroy(request.sessionId);
    await auditFrom(request, 'logout', null, { via: request.principal?.via });
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/session', { preHandler: requireAccount(), schema: { summary: 'who is logged in, and the CSRF token of the session', tags: ['session'], response: { 200: sessionView, 401: errorBody } } }, async (request) => {
    const p = request.principal;
    if (!p) throw new HttpError(401, 'UNAUTHENTICATED', 'log in first');
    return { username: p.username, role: p.role, csrfToken: p.csrfToken };
  });
}

async function login(request: FastifyRequest<{ Body: LoginBody }>, reply: FastifyReply): Promise<{ username: string; role: Role; csrfToken: string }> {
  const { store, sessions, limiter, tls } = request.server.auth;
  const { username, password } = request.body;
  const tried = username.slice(0, 64);
  const address = request.ip;
  const retryAfterSeconds = limiter.retryAfterSeconds(username, address);
  if (retryAfterSeconds > 0) {
    await store.appendAudit({ actor: '-', action: 'login.locked', subject: null, address, outcome: 'denied', detail: { username: tried } });
    throw new HttpError(429, 'LOGIN_LOCKED', 'too many failed logins: wait before trying again', { retryAfterSeconds }, 'transient');
  }
  const user = await store.getUser(username);
  let ok = false;
  if (user) ok = (await verifyPassword(password, user.passwordHash)) && !user.disabled;
  else await spendCheckTime(password);
  if (!user || !ok) {
    limiter.recordFailure(username, address);
    await store.appendAudit({ actor: '-', action: 'login.failed', subject: null, address, outcome: 'failed', detail: { username: tried } });
    // the same answer for an unknown name, a wrong password and a disabled account
    throw new HttpError(401, 'LOGIN_FAILED', 'wrong account name or password');
  }
  limiter.recordSuccess(username);
  // a session the browser had before (even a valid one) is ended: the login makes a new id
  const previous = request.cookies[SESSION_COOKIE];
  if (previous !== undefined) sessions.destroy(previous);
  const session = sessions.create(user.username, user.passwordHash);
  void reply.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'strict', secure: tls });
  await store.appendAudit({ actor: user.username, action: 'login', subject: null, address, outcome: 'ok', detail: { role: user.role } });
  return { username: user.username, role: user.role, csrfToken: session.csrfToken };
}
