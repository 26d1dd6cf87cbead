/**
 * The console as the API's tests use it: the services' real installation (the diploma job on a
 * sample UIS, the hub simulator, a SQLite store in a temp folder), the server's buildConsole with
 * its real authentication, the API routes, and one account per role with a personal API token.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import winston from 'winston';
import type { Logger } from '../../../core/logger.js';
import { subjectHash } from '../../../core/subject-hash.js';
import type { SchedulerControl } from '../../../engine/scheduler.js';
import { addUser, createApiToken } from '../../../services/users.js';
import { openWorkspace, type ServiceWorkspace } from '../../../services/test/workspace.js';
import type { ServiceEnvironment } from '../../../services/context.js';
import type { Role } from '../../../store/console-store.js';
import type { DeliveryOutcome, TargetId } from '../../../store/store.js';
import { buildConsole } from '../../app.js';
import { RunProgressHub } from '../../progress.js';

export const PASSWORD = 'console-test-password-1';
export const JOB = 'diplomas';
export const TARGET: TargetId = 'hub/vanbangchungchi';

export interface ConsoleFixture {
  ws: ServiceWorkspace;
  app: FastifyInstance;
  progress: RunProgressHub;
  tokens: Record<Role, string>;
  /** every line the console logged, as JSON text */
  logLines: string[];
  /** a request with the role's Bearer token */
  as(role: Role, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  /** makes the scheduler the console controls (none by default) */
  scheduler?: (env: ServiceEnvironment) => SchedulerControl;
  progress?: RunProgressHub;
  records?: number;
  heartbeatMs?: number;
}

export async function openConsole(options: ConsoleOptions = {}): Promise<ConsoleFixture> {
  const ws = await openWorkspace(options.records ?? 20);
  // what the console logs is read by the tests (a personal id must never be in it)
  const logLines: string[] = [];
  ws.env.logger = capturingLogger(logLines);
  const progress = options.progress ?? new RunProgressHub();
  const deps = { env: ws.env, scheduler: options.scheduler?.(ws.env) ?? null, progress, metrics: null, tls: false };
  // buildConsole registers the API routes (registerApiRoutes) itself
  const app = await buildConsole(deps, options.heartbeatMs === undefined ? {} : { api: { heartbeatMs: options.heartbeatMs } });
  await app.ready();
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await addUser(ws.store, role, role, PASSWORD);
    tokens[role] = (await createApiToken(ws.store, role)).token;
  }
  return {
    ws,
    app,
    progress,
    tokens,
    logLines,
    as: (role, o) => app.inject({ ...o, headers: { ...o.headers, authorization: `Bearer ${tokens[role]}` } }),
    async close() {
      await app.close();
      await ws.close();
    },
  };
}

function capturingLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream: sink })] });
}

export interface StagedRecord {
  idbanghi: string;
  sourceKey: string;
  personalId?: string;
  /** the envelope kept in the outbox */
  envelope?: Record<string, unknown>;
}

/** Stages records of the diploma job through the store's own API, each with its subject hash. */
export async function stageRecords(ws: ServiceWorkspace, records: StagedRecord[]): Promise<void> {
  const key = await ws.store.subjectKey();
  await ws.store.stage(
    records.map((r) => ({
      target: TARGET,
      job: JOB,
      idbanghi: r.idbanghi,
      sourceKey: r.sourceKey,
      phienban: 1,
      contentHash: `hash-${r.idbanghi}`,
      envelopeJson: JSON.stringify(r.envelope ?? { idbanghi: r.idbanghi, data: {} }),
      subjectHash: r.personalId === undefined ? null : subjectHash(key, r.personalId),
    })),
  );
}

/** Sends staged records and settles them with the given outcomes (dead letters, rejections). */
export async function settle(ws: ServiceWorkspace, outcomes: DeliveryOutcome[]): Promise<void> {
  await ws.store.markSent(TARGET, outcomes.map((o) => ({ idbanghi: o.idbanghi, phienban: o.phienban })));
  await ws.store.applyOutcomes(TARGET, outcomes);
}

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return response.json() as T;
}
