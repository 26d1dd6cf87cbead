/**
 * A console for tests: a configuration with no job, the real SQLite state store in a temporary
 * directory, a log that keeps its lines, and helpers to add accounts and log in through inject.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import winston from 'winston';
import { loadConfig } from '../../config/load.js';
import type { Logger } from '../../core/logger.js';
import { addUser } from '../../services/users.js';
import { SqliteStateStore } from '../../../stores/sqlite/sqlite-store.js';
import { buildConsole, type ConsoleDeps, type ConsoleOptions, type RunProgressEvent } from '../app.js';
import { RunProgressHub } from '../progress.js';

/** a progress hub that also keeps what was published, for the tests to read */
function hubRecording(published: { job: string; event: RunProgressEvent }[]): RunProgressHub {
  const hub = new RunProgressHub();
  hub.subscribe(null, (job, event) => published.push({ job, event }));
  return hub;
}

export interface ConsoleWorkspace {
  dir: string;
  store: SqliteStateStore;
  env: ConsoleDeps['env'];
  /** every log line written, as JSON text */
  logLines: string[];
  /** what the runs published */
  published: { job: string; event: RunProgressEvent }[];
  /** the injected clock: move it with `clock.ms += …` */
  clock: { ms: number };
  build(options?: ConsoleOptions & { tls?: boolean }): Promise<FastifyInstance>;
  close(): Promise<void>;
}

function capturingLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream: sink })] });
}

export async function openConsoleWorkspace(): Promise<ConsoleWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-console-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'lienthong.yaml'), 'dataDir: ../data\njobsDir: ../jobs\nconnections: {}\n');
  const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
  mkdirSync(loaded.dataDir, { recursive: true });
  const store = new SqliteStateStore(loaded.storePath);
  const logLines: string[] = [];
  const published: ConsoleWorkspace['published'] = [];
  const clock = { ms: Date.parse('2026-06-01T08:00:00Z') };
  const env = { loaded, store, logger: capturingLogger(logLines) };
  const apps: FastifyInstance[] = [];
  return {
    dir,
    store,
    env,
    logLines,
    published,
    clock,
    async build(options = {}) {
      const app = await buildConsole(
        { env, scheduler: null, progress: hubRecording(published), metrics: null, now: () => new Date(clock.ms), tls: options.tls ?? false },
        options,
      );
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PASSWORDS = { admin: 'admin-password-1', operator: 'operator-password-1', viewer: 'viewer-password-1' } as const;

/** the accounts admin, operator and viewer (password PASSWORDS[role]) */
export async function addAccounts(ws: ConsoleWorkspace): Promise<void> {
  for (const role of ['admin', 'operator', 'viewer'] as const) await addUser(ws.store, role, role, PASSWORDS[role]);
}

/** the session cookie's value in a Set-Cookie answer */
export function sessionCookieOf(setCookie: string | string[] | undefined): string | null {
  for (const c of [setCookie ?? []].flat()) {
    const m = /^lt_session=([^;]*)/.exec(c);
    if (m) return m[1] as string;
  }
  return null;
}

/** logs in; the cookie and the CSRF token of the new session */
export async function login(app: FastifyInstance, username: string, password: string, cookie?: string): Promise<{ cookie: string; csrfToken: string }> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { username, password }, headers: cookie === undefined ? {} : { cookie: `lt_session=${cookie}` } });
  if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
  const session = sessionCookieOf(r.headers['set-cookie']);
  if (session === null) throw new Error('no session cookie');
  return { cookie: session, csrfToken: (r.json() as { csrfToken: string }).csrfToken };
}
