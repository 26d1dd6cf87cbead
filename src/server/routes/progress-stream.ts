import type { FastifyInstance } from 'fastify';
import { getJob } from '../../config/load.js';
import type { RunProgressEvent } from '../progress.js';
import { requireRole } from '../auth/guard.js';
import type { ApiDeps, ApiOptions } from './api-deps.js';
import { object } from './schemas.js';

const HEARTBEAT_MS = 15_000;

function frame(job: string, event: RunProgressEvent): string {
  const data = event.type === 'progress' ? event.progress : event.summary;
  return `event: ${event.type}\ndata: ${JSON.stringify({ ...data, job })}\n\n`;
}

/**
 * `GET /progress?job=`: the live progress of a job's runs (or of every job's) as server-sent
 * events: `progress` (RunProgress and the job) while a run goes on, `end` (its RunSummary) when it
 * ends; the latest event of each job first, so a page opened mid-run is not blank. A comment line
 * every heartbeat keeps proxies from closing an idle stream. The client's going away, or the
 * server's closing, ends the stream and its subscription and timer with it.
 */
export async function progressRoutes(app: FastifyInstance, deps: ApiDeps, options: ApiOptions = {}): Promise<void> {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const open = new Set<() => void>();
  // a stream never ends by itself: the server's close must end them, or it waits for them forever
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get<{ Querystring: { job?: string } }>('/progress', {
    schema: {
      tags: ['runs'],
      summary: 'Live progress of running jobs as server-sent events (text/event-stream): `progress`, then `end`',
      querystring: object({ job: { type: 'string', minLength: 1, maxLength: 200 } }, []),
      produces: ['text/event-stream'],
    },
    preHandler: requireRole('viewer'),
  }, async (request, reply) => {
    const job = request.query.job === undefined ? null : getJob(deps.env.loaded, request.query.job).name;
    // the headers the server's hooks set (security headers) go out with the stream's own
    const headers = { ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, headers as Record<string, string>);
    raw.write('retry: 5000\n\n');
    const latest = job === null ? undefined : deps.progress.latest(job);
    const backlog: [string, RunProgressEvent][] = job === null ? deps.progress.latestAll() : latest ? [[job, latest]] : [];
    for (const [name, event] of backlog) raw.write(frame(name, event));
    const unsubscribe = deps.progress.subscribe(job, (name, event) => raw.write(frame(name, event)));
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
      if (!raw.writableEnded) raw.end();
    };
    open.add(end);
    request.raw.on('close', end);
    raw.on('close', end);
    raw.on('error', end);
  });
}
