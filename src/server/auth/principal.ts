import type { Logger } from '../../core/logger.js';
import type { Role } from '../../store/console-store.js';
import type { StateStore } from '../../store/store.js';
import type { LoginLimiter } from './limiter.js';
import type { SessionStore } from './sessions.js';

/** Who made a request: an account, by a session cookie or a personal API token. */
export interface Principal {
  username: string;
  role: Role;
  via: 'session' | 'token';
  /** the session's CSRF token (null for a token: a script sends no cookie, so it cannot be forged cross-site) */
  csrfToken: string | null;
}

/** What the authentication parts of the console share, decorated on the Fastify instance as `auth`. */
export interface AuthState {
  store: StateStore;
  logger: Logger;
  sessions: SessionStore;
  limiter: LoginLimiter;
  /** sets the cookie's Secure flag */
  tls: boolean;
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** the session id the request came with, when it named a live session */
    sessionId: string | null;
  }
  interface FastifyInstance {
    auth: AuthState;
  }
}

export const SESSION_COOKIE = 'lt_session';

/** signers (teacher, homeroom, principal) rank below viewer: they read nothing but their own requests */
const RANK: Record<Role, number> = { teacher: -1, homeroom: -1, principal: -1, viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may (viewer < operator < admin; a signer role is below all three and equal to none). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  const have = RANK[role];
  const need = RANK[needed];
  if (need < 0) return role === needed;
  return have >= need;
}
