// the swagger plugin's types add `tags` and `summary` to a route's schema
import type {} from '@fastify/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceEnvironment } from '../../services/context.js';
import type { Role } from '../../store/console-store.js';
import type { RunProgressHub } from '../progress.js';

/**
 * What the API's routes use of the console's dependencies (`ConsoleDeps` of app.ts has these and
 * more): the services' environment, the scheduler's controls, the progress hub, the clock.
 */
export interface ApiScheduler {
  runNow(job: string): Promise<{ runId: string } | { alreadyRunning: true }>;
  pause(job: string, by: string): Promise<void> | void;
  resume(job: string): Promise<void> | void;
}

export interface ApiDeps {
  env: ServiceEnvironment;
  scheduler: ApiScheduler | null;
  progress: RunProgressHub;
  now?: () => Date;
}

export interface ApiOptions {
  /** how often a progress stream writes a comment to keep proxies from closing it (default 15 s) */
  heartbeatMs?: number;
}

/** who is asking: the account the guard let through (`-`, a viewer, only on a route without a guard) */
export function actorOf(request: FastifyRequest): { username: string; role: Role } {
  return request.principal ?? { username: '-', role: 'viewer' };
}

/** an API error answer in the console's one shape */
export function sendProblem(reply: FastifyReply, status: number, code: string, message: string, kind: string): FastifyReply {
  return reply.code(status).send({ error: { code, message, kind } });
}
