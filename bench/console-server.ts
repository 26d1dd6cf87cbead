/**
 * The console benchmark's server (bench/console.ts runs it as a child process, so that the load
 * generator does not share its event loop): the console of `lienthong start` — the server's
 * plumbing with the API routes (buildConsole), and /metrics — over the state store the parent filled, on the worker
 * thread store `start` uses, listening on an ephemeral port of 127.0.0.1. It creates an account
 * and a personal API token, prints `{"url", "token"}` as one JSON line, and runs until SIGTERM.
 *
 *   node dist/bench/console-server.js CONFIG_FILE
 */
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/core/logger.js';
import { buildConsole } from '../src/server/app.js';
import { createConsoleMetrics, registerMetricsRoute } from '../src/server/metrics.js';
import { RunProgressHub } from '../src/server/progress.js';
import { addUser, createApiToken } from '../src/services/users.js';
import { openStateStore } from '../stores/sqlite/worker-store.js';

const configFile = process.argv[2];
if (!configFile) throw new Error('usage: console-server CONFIG_FILE');
const loaded = loadConfig(configFile);
const store = openStateStore(loaded.storePath);
const env = { loaded, store, logger: silentLogger() };
await addUser(store, 'bench', 'viewer', 'bench-password-0123456789');
const { token } = await createApiToken(store, 'bench', 'bench');
const progress = new RunProgressHub();
const metrics = createConsoleMetrics(env);
const app = await buildConsole({ env, scheduler: null, progress, metrics, tls: false });
registerMetricsRoute(app, metrics);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(JSON.stringify({ url, token }) + '\n');
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
