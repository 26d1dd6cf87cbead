import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** One logged-in browser. The id is only in the cookie; the CSRF token is read by the page from /api/v1/session. */
export interface Session {
  id: string;
  username: string;
  csrfToken: string;
  /** a digest of the account's password hash at login: a password changed since (even by `lienthong users passwd` in another process) ends the session */
  passwordStamp: string;
  createdAt: number;
  lastSeenAt: number;
}

/** 256 random bits, base64url: not guessable, and nothing in it about the account. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What a session keeps of the password hash: enough to notice a change, nothing to attack offline. */
export function passwordStampOf(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url');
}

/** Compares two secrets in constant time (different lengths are simply different). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sessions kept in memory: a restart of `lienthong start` logs everybody out, which is the safe
 * side. A session unused for `idleMs` is ended at its next use (and swept now and then). Every
 * login makes a new id, so an id planted in a browser before the login never becomes a session
 * (no fixation).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  create(username: string, passwordHash: string): Session {
    this.sweep();
    const at = this.now();
    const session: Session = { id: randomToken(), username, csrfToken: randomToken(), passwordStamp: passwordStampOf(passwordHash), createdAt: at, lastSeenAt: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** the live session with this id, its idle clock restarted; null when unknown or idle too long */
  touch(id: string): Session | null {
    const session = this.sessions.get(id);
    if (!session) return null;
    const at = this.now();
    if (at - session.lastSeenAt > this.idleMs) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeenAt = at;
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** ends every session of an account (disabled, or its password changed) */
  destroyUser(username: string): void {
    for (const [id, s] of this.sessions) if (s.username === username) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, s] of this.sessions) if (at - s.lastSeenAt > this.idleMs) this.sessions.delete(id);
  }
}
