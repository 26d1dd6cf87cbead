import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { WorkerStateStore, storeWorkerFile } from '../../stores/sqlite/worker-store.js';
import { storeContract } from './store.contract.js';

const newPath = (): string => join(mkdtempSync(join(tmpdir(), 'lt-store-contract-')), 'state.db');

storeContract({
  name: 'sqlite, on this thread',
  open: () => new SqliteStateStore(newPath()),
});

storeContract({
  name: 'sqlite, on a worker thread',
  // the worker runs compiled code: in a checkout, after `npx tsc -p tsconfig.build.json`
  unavailable: () => (storeWorkerFile() === undefined ? 'the built store worker (npm run build)' : undefined),
  open: () => new WorkerStateStore(newPath(), storeWorkerFile()!),
});
