/**
 * The worker thread of a WorkerStateStore: owns the SQLite connection and answers store calls in
 * the order they come. Each call is synchronous SQLite work, so one call ends before the next
 * begins, and a call's answer is posted only after its transaction has committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { closeDatabase } from './open-database.js';
import { SqliteStateStore } from './sqlite-store.js';
import { WIRE_METHODS, toWireError, type StoreRequest, type StoreResponse } from './store-wire.js';

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

port.on('message', (request: StoreRequest) => {
  let response: StoreResponse;
  try {
    if (store === undefined) throw openError;
    if (request.method === 'close') {
      closeDatabase(store.db);
      response = { id: request.id, ok: true, value: undefined };
      port.postMessage(response);
      port.close();
      return;
    }
    if (!WIRE_METHODS.has(request.method)) throw new Error(`unknown store call ${String(request.method)}`);
    const method = store[request.method] as (...args: unknown[]) => unknown;
    const value = method.apply(store, request.args);
    if (value instanceof Promise) {
      // every SqliteStateStore method finishes its work before it returns; the promise is settled
      value.then(
        (v: unknown) => port.postMessage({ id: request.id, ok: true, value: v } satisfies StoreResponse),
        (err: unknown) => port.postMessage({ id: request.id, ok: false, error: toWireError(err) } satisfies StoreResponse),
      );
      return;
    }
    response = { id: request.id, ok: true, value };
  } catch (err) {
    response = { id: request.id, ok: false, error: toWireError(err) };
  }
  port.postMessage(response);
});
