import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceEnvironment } from '../services/context.js';
import type { ConsoleMetrics } from '../server/metrics.js';
import type { StateStore } from '../store/store.js';

/** the demo console's administrator */
export const DEMO_ADMIN = 'admin';

export interface DemoAdmin {
  /** DIR/secrets/admin-password */
  passwordFile: string;
  /** the password, when the file holds it (null when the account was made otherwise) */
  password: string | null;
  /** the account was made now */
  created: boolean;
}

/**
 * The demo's `admin` account: made once, with a random password (24 characters from 18 random
 * bytes, base64url) written to DIR/secrets/admin-password, readable by its owner only, before the
 * account exists (a failure leaves no account whose password nobody has). An existing account is
 * left as it is: its password is whatever the file, or its owner, says.
 */
export async function ensureDemoAdmin(store: StateStore, dataDir: string): Promise<DemoAdmin> {
  const secrets = join(dataDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  chmodSync(secrets, 0o700);
  const passwordFile = join(secrets, 'admin-password');
  const [{ addUser }, { recordAudit }] = await Promise.all([import('../services/users.js'), import('../services/audit.js')]);
  if ((await store.getUser(DEMO_ADMIN)) !== null) {
    const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : null;
    return { passwordFile, password: password === '' ? null : password, created: false };
  }
  const password = randomBytes(18).toString('base64url');
  writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  chmodSync(passwordFile, 0o600); // an older file keeps its mode through writeFileSync
  await addUser(store, DEMO_ADMIN, 'admin', password);
  await recordAudit(store, { actor: 'demo', action: 'user.add', subject: DEMO_ADMIN, address: 'cli', outcome: 'ok', detail: { role: 'admin' } });
  return { passwordFile, password, created: true };
}

export interface DemoServeOptions {
  dataDir: string;
  /** the metrics the demo's runs were told to (a new set when absent) */
  metrics?: ConsoleMetrics;
  /** HOST:PORT; default the configuration's server.listen (127.0.0.1:8080) */
  listen?: string;
  /** print the password itself (only when standard output is a terminal: never into a log or a CI transcript) */
  showPassword: boolean;
  say: (line: string) => void;
  /** resolves when the console must stop; default SIGINT or SIGTERM */
  stopSignal?: Promise<void>;
}

/**
 * `lienthong demo --serve`: after the demo's jobs, the console of `lienthong start` (scheduler,
 * API, metrics) over the demo's state, with the runs still pointed at the demo's hub simulator,
 * until SIGINT or SIGTERM. Prints the URL and where the admin password is.
 */
export async function serveDemoConsole(env: ServiceEnvironment, o: DemoServeOptions): Promise<void> {
  const admin = await ensureDemoAdmin(env.store, o.dataDir);
  const [{ startService }, { createConsoleMetrics }, { RunProgressHub }] = await Promise.all([import('../server/listen.js'), import('../server/metrics.js'), import('../server/progress.js')]);
  const metrics = o.metrics ?? createConsoleMetrics(env);
  // the service hands the metrics' observer to every run it makes
  const service = await startService(env, new RunProgressHub(), { listen: o.listen, metrics });
  const stop = o.stopSignal ?? new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  o.say('');
  o.say(`bảng điều khiển / console: ${service.url}`);
  o.say(`tài khoản / account: ${DEMO_ADMIN}, mật khẩu trong / password in: ${admin.passwordFile}${admin.created ? '' : ' (tài khoản đã có / existing account)'}`);
  if (o.showPassword && admin.password !== null) o.say(`mật khẩu / password: ${admin.password}`);
  o.say('dừng bằng Ctrl+C / stop with Ctrl+C');
  await stop;
  env.logger.info('stopping the demo console: waiting for runs in progress');
  await service.close();
}
