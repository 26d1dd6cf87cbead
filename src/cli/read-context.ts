import { findConfigFile, loadConfig, type LoadedConfig } from '../config/load.js';
import type { StateStore } from '../store/store.js';
import { openStateStore } from '../../stores/sqlite/worker-store.js';

export interface ReadContext {
  loaded: LoadedConfig;
  store: StateStore;
  close(): Promise<void>;
}

/**
 * The configuration and the state store, for a command that only reads and logs nothing
 * (`status`): no log file is opened (loading the logging library alone costs a fair part of the
 * half second `status` must answer in), and the store opens on this thread rather than starting
 * a worker. SQLite lets it read while a run writes in another process.
 */
export function openReadContext(configPath: string | undefined): ReadContext {
  const loaded = loadConfig(findConfigFile(configPath));
  const store = openStateStore(loaded.storePath, { thread: 'current' });
  return { loaded, store, close: () => store.close() };
}
