import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { LoadedConfig } from '../config/load.js';
import { ConfigError } from '../core/errors.js';
import { runConfiguredJob, type JobEnvironment } from '../engine/jobs.js';
import { Scheduler, type BetweenRuns, type JobRunner } from '../engine/scheduler.js';
import { collectAndDispatch, remoteSigningJobs } from '../services/signing.js';
import { buildConsole, type RunProgressPublisher } from './app.js';
import { registerMetricsRoute, type ConsoleMetrics } from './metrics.js';
import type { RunProgressHub } from './progress.js';

const CLOSE_GRACE_MS = 5_000;

/** `HOST:PORT` (an IPv6 host in brackets) → host and port. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65_535) throw new ConfigError('LISTEN_INVALID', `listen address "${value}": expected HOST:PORT, e.g. 127.0.0.1:8080`, { field: 'server.listen' });
  return { host: (m[1] ?? m[2]) as string, port };
}

/** The certificate and key of `server.tls` (paths relative to the configuration file), or null without TLS. */
export function readTlsFiles(loaded: LoadedConfig): { cert: Buffer; key: Buffer } | null {
  const tls = loaded.config.server.tls;
  if (!tls) return null;
  const read = (path: string, field: string): Buffer => {
    const file = isAbsolute(path) ? path : resolve(loaded.baseDir, path);
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError('TLS_FILE_UNREADABLE', `${loaded.file}: server.tls.${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file, path: `server.tls.${field}` }, { cause: err });
    }
  };
  return { cert: read(tls.cert, 'cert'), key: read(tls.key, 'key') };
}

/**
 * How the service's runs are made: the same as `lienthong run`, with the run's id handed to the
 * console's "run now" and its progress (and its end) published to the live-progress stream.
 */
export function consoleJobRunner(env: JobEnvironment, progress: RunProgressPublisher): JobRunner {
  return async (job, trigger, hooks) => {
    const summary = await runConfiguredJob(env, job, {
      trigger,
      onRunStarted: hooks?.onRunStarted,
      onProgress: (p) => progress.publish(job.name, { type: 'progress', progress: { ...p, job: job.name } }),
    });
    progress.publish(job.name, { type: 'end', summary });
    return summary;
  };
}

export interface RunningService {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 (the port the system chose when 0 was asked) */
  url: string;
  scheduler: Scheduler;
  /** stops taking requests, waits for those in progress, then stops the schedules and waits for runs */
  close(): Promise<void>;
}

/** Every minute, for jobs with remote signing: the signers' decisions collected, prepared requests sent. */
export function signingBetweenRuns(env: JobEnvironment, everyMs?: number): BetweenRuns {
  return {
    jobs: remoteSigningJobs(env),
    everyMs,
    tick: async (job) => {
      const done = await collectAndDispatch(env, job);
      const c = done?.collected;
      if (c && c.approved + c.rejected + c.expired + done.dispatched + done.refused > 0) {
        env.logger.info('signing: decisions collected, requests sent', { job, approved: c.approved, rejected: c.rejected, expired: c.expired, pending: c.pending, documentsReady: c.documentsReady, requestsSent: done.dispatched, signersRefused: done.refused });
      }
    },
  };
}

/**
 * `lienthong start`: the scheduler and the console in one process, listening on `server.listen`
 * (or `listen`), with TLS when `server.tls` names a certificate and key.
 */
export async function startService(env: JobEnvironment, progress: RunProgressHub, options: { listen?: string; metrics?: ConsoleMetrics | null } = {}): Promise<RunningService> {
  const { host, port } = parseListen(options.listen ?? env.loaded.config.server.listen);
  const https = readTlsFiles(env.loaded);
  const scheduler = new Scheduler([...env.loaded.jobs.values()], consoleJobRunner(options.metrics ? { ...env, observer: options.metrics.observer } : env, progress), env.store, env.logger, signingBetweenRuns(env));
  const app = await buildConsole({ env, scheduler, progress, metrics: options.metrics ?? null, tls: https !== null }, { https: https ?? undefined });
  // GET /metrics (src/server/metrics.ts): loopback, or a session or token of any role
  if (options.metrics) registerMetricsRoute(app, options.metrics);
  await scheduler.start();
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (err) {
    await scheduler.stop();
    throw new ConfigError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${(err as Error).message}`, { field: 'server.listen' }, { cause: err });
  }
  env.logger.info('console listening', { url: address, tls: https !== null });
  return {
    app,
    url: address,
    scheduler,
    async close() {
      // requests in progress get a grace period; a stream that never ends (live progress) does not hold the stop
      const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      force.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
      await scheduler.stop();
    },
  };
}
