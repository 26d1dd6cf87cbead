import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.js';

/**
 * The security headers of every answer (helmet): a Content-Security-Policy that allows only the
 * console's own files (no inline script or style, no outside font or CDN, no framing), no
 * referrer, no MIME sniffing; HSTS only when the console is served over TLS (over plain HTTP the
 * header means nothing and would pin a host name that later gets TLS).
 */
export async function installSecurityHeaders(app: FastifyInstance, tls: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * One log line per answer: method, the route's pattern (`/api/v1/runs/:id`, never the URL as sent:
 * a query string may hold a personal id, `?q=`), status and time. No body, no header, no cookie.
 */
export function installRequestLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    logger.info('console request', {
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      user: request.principal?.username,
    });
  });
}
