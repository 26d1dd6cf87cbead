import { ROLES } from '../store/console-store.js';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { SchedulerControl } from '../engine/scheduler.js';
import type { ServiceEnvironment } from '../services/context.js';
import { listUsers } from '../services/users.js';
import { installAuthentication } from './auth/authenticate.js';
import { requireRole } from './auth/guard.js';
import { DEFAULT_LOGIN_LIMIT, LoginLimiter, type LoginLimitOptions } from './auth/limiter.js';
import { registerSessionRoutes } from './auth/routes.js';
import { SessionStore } from './auth/sessions.js';
import { registerCimCertificateRoutes, type CimCertificateDeps } from './cim-certificates.js';
import { installErrorHandler } from './errors.js';
import { registerHealthRoutes } from './health.js';
import { installOpenApi } from './openapi.js';
import type { ConsoleMetrics } from './metrics.js';
import type { RunProgressEvent, RunProgressHub } from './progress.js';
import { registerPages } from './pages.js';
import { registerApiRoutes, type ApiOptions } from './routes/index.js';
import { installRequestLog, installSecurityHeaders } from './security.js';

export type { RunProgressEvent } from './progress.js';

/** The part of the progress hub the scheduler's runs publish to. */
export interface RunProgressPublisher {
  publish(job: string, event: RunProgressEvent): void;
}

export interface ConsoleDeps {
  env: ServiceEnvironment;
  /** null in tests that do not schedule */
  scheduler: SchedulerControl | null;
  /** the runs publish to it, the API's live-progress stream subscribes to it */
  progress: RunProgressHub;
  /** src/server/metrics.ts's ConsoleMetrics; null when not measured */
  metrics: ConsoleMetrics | null;
  now?: () => Date;
  /** served over TLS: the session cookie is Secure, HSTS is sent */
  tls: boolean;
  /** the CIM certificate service and templates when given (tests, the demo); else built from the configuration */
  cim?: CimCertificateDeps;
}

export interface ConsoleOptions {
  /** a session unused this long ends (default: the configuration's server.sessionIdleMinutes) */
  sessionIdleMs?: number;
  loginLimit?: Partial<LoginLimitOptions>;
  /** the certificate and key (PEM) to serve HTTPS with; `deps.tls` must then be true */
  https?: { cert: Buffer; key: Buffer };
  /** the API routes' own options (the progress stream's heartbeat) */
  api?: ApiOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    consoleDeps: ConsoleDeps;
  }
}

/**
 * The console's Fastify instance with its plumbing: security headers, the request log, the JSON
 * error handler, authentication (session cookie or Bearer token) with CSRF checks, the OpenAPI
 * document, health checks, the session routes and the account list. The API routes, the pages
 * and the metrics register on it afterwards (src/server/routes, pages.ts, metrics.ts): the hooks
 * installed here apply to them too. Not yet listening: `listen.ts` starts it, tests use inject.
 */
export async function buildConsole(deps: ConsoleDeps, options: ConsoleOptions = {}): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const ms = (): number => now().getTime();
  const { loaded, logger } = deps.env;
  const proxies = loaded.config.server.trustProxy;
  // only the configured proxies' X-Forwarded-For is believed (request.ip in the audit log and the login lockout)
  const base = { logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true, requestIdHeader: false, trustProxy: proxies.length > 0 ? proxies : false } as const;
  // an HTTPS instance has another server type; everything registered on it is the same
  const app = (options.https ? Fastify({ ...base, https: options.https }) : Fastify(base)) as unknown as FastifyInstance;
  app.decorate('consoleDeps', deps);
  app.decorate('auth', {
    store: deps.env.store,
    logger,
    sessions: new SessionStore(options.sessionIdleMs ?? loaded.config.server.sessionIdleMinutes * 60_000, ms),
    limiter: new LoginLimiter({ ...DEFAULT_LOGIN_LIMIT, ...options.loginLimit }, ms),
    tls: deps.tls,
    now,
  });
  installErrorHandler(app, logger);
  await installSecurityHeaders(app, deps.tls);
  await app.register(cookie);
  installAuthentication(app);
  installRequestLog(app, logger);
  await installOpenApi(app);
  registerHealthRoutes(app, deps.env.store, () => loaded.jobs.size);
  registerSessionRoutes(app);
  registerUserRoutes(app);
  await registerApiRoutes(app, deps, options.api);
  await registerPages(app, deps);
  await registerCimCertificateRoutes(app, deps);
  return app;
}

function registerUserRoutes(app: FastifyInstance): void {
  const user = {
    type: 'object',
    required: ['username', 'role', 'disabled', 'createdAt'],
    properties: { username: { type: 'string' }, role: { type: 'string', enum: [...ROLES] }, disabled: { type: 'boolean' }, createdAt: { type: 'string' } },
  } as const;
  app.get(
    '/api/v1/users',
    { preHandler: requireRole('admin'), schema: { summary: 'the console accounts (admin)', tags: ['users'], response: { 200: { type: 'object', required: ['users'], properties: { users: { type: 'array', items: user } } } } } },
    async () => ({ users: await listUsers(app.consoleDeps.env.store) }),
  );
}
