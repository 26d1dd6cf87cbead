import { findConfigFile, loadConfig, type LoadedConfig } from '../config/load.js';
import { createLogger, type Logger } from '../core/logger.js';
import { ensurePrivateDir } from '../../stores/sqlite/store-files.js';
import { openStateStore } from '../../stores/sqlite/worker-store.js';
import type { StateStore } from '../store/store.js';

export interface CliContext {
  loaded: LoadedConfig;
  store: StateStore;
  logger: Logger;
  close(): Promise<void>;
}

/** Loads the configuration and opens the state store and the log. */
export function openContext(configPath: string | undefined, options: { consoleLog?: boolean } = {}): CliContext {
  const loaded = loadConfig(findConfigFile(configPath));
  // private before anything writes in it: the store opens on its own thread, and the log would
  // otherwise create the directory first with the umask's mode
  ensurePrivateDir(loaded.dataDir);
  const store = openStateStore(loaded.storePath);
  const logger = createLogger({ level: loaded.config.log.level, file: loaded.logFile, console: options.consoleLog ?? false });
  return {
    loaded,
    store,
    logger,
    async close() {
      await store.close();
      await new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
        setTimeout(resolve, 500).unref();
      });
    },
  };
}
