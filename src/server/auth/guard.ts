import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { isSignerRole, type AuditInput, type Role } from '../../store/console-store.js';
import { HttpError } from './http-error.js';
import { roleAtLeast } from './principal.js';

/**
 * A route's pre-handler that lets through an account of `role` or above: 401 UNAUTHENTICATED
 * without one, 403 FORBIDDEN (audited, with the route) below it.
 */
export function requireRole(role: Role): preHandlerAsyncHookHandler {
  return async function guard(this: unknown, request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const principal = request.principal;
    if (!principal) throw new HttpError(401, 'UNAUTHENTICATED', 'log in first (or send a personal API token as "Authorization: Bearer")');
    if (!roleAtLeast(principal.role, role)) {
      await auditFrom(request, 'access.denied', request.routeOptions.url ?? null, { method: request.method, needed: role, role: principal.role }, 'denied');
      throw new HttpError(403, 'FORBIDDEN', `this needs the ${role} role (yours: ${principal.role})`);
    }
  };
}

/** Any account, signers included (the session's own routes: who am I, log out); 401 without one. */
export function requireAccount(): preHandlerAsyncHookHandler {
  return async function guard(this: unknown, request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!request.principal) throw new HttpError(401, 'UNAUTHENTICATED', 'log in first (or send a personal API token as "Authorization: Bearer")');
  };
}

/**
 * The review before signing's pre-handler: lets through a signer (teacher, homeroom, principal:
 * the handler then limits them to the requests that name them) and an operator or admin (every
 * request); a viewer is refused like a role too low (403 FORBIDDEN, audited).
 */
export function requireSignerOrOperator(): preHandlerAsyncHookHandler {
  return async function guard(this: unknown, request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const principal = request.principal;
    if (!principal) throw new HttpError(401, 'UNAUTHENTICATED', 'log in first (or send a personal API token as "Authorization: Bearer")');
    if (!isSignerRole(principal.role) && !roleAtLeast(principal.role, 'operator')) {
      await auditFrom(request, 'access.denied', request.routeOptions.url ?? null, { method: request.method, needed: 'signer or operator', role: principal.role }, 'denied');
      throw new HttpError(403, 'FORBIDDEN', `this needs a signer's account (teacher, homeroom, principal) or the operator role (yours: ${principal.role})`);
    }
  };
}

/** Appends an audit entry for this request: its account (or `-`) and remote address. */
export async function auditFrom(request: FastifyRequest, action: string, subject: string | null, detail: Record<string, unknown>, outcome: AuditInput['outcome'] = 'ok'): Promise<void> {
  await request.server.auth.store.appendAudit({ actor: request.principal?.username ?? '-', action, subject, address: request.ip, outcome, detail });
}
