/**
 * The worker thread of a WorkerStateStore: owns the SQLite connection and answers store calls in
 * the order they come. Each call is synchronous SQLite work, so one call ends before the next
 * begins, and a call's answer is posted only after its transaction has committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveRequests } from '../../src/core/worker-rpc.js';
import { closeDatabase } from './open-database.js';
import { SqliteStateStore } from './sqlite-store.js';
import { WIRE_METHODS, storeFailure, type StoreCall } from './store-wire.js';

const port = parentPort;
if (port === null) throw new Error('store-worker.js runs only as a worker thread');
const { path } = workerData as { path: string };

let store: SqliteStateStore | undefined;
let openError: unknown;
try {
  store = new SqliteStateStore(path);
} catch (err) {
  openError = err;
}

serveRequests<StoreCall>(
  port,
  (call) => {
    if (store === undefined) throw openError;
    if (call.method === 'close') return closeDatabase(store.db);
    if (!WIRE_METHODS.has(call.method)) throw new Error(`unknown store call ${String(call.method)}`);
    const method = store[call.method] as (...args: unknown[]) => unknown;
    // every SqliteStateStore method finishes its work before it returns, even the async ones
    return method.apply(store, call.args);
  },
  {
    ordered: true,
    otherError: storeFailure,
    afterReply: (call) => {
      if (call.method === 'close') port.close();
    },
  },
);
