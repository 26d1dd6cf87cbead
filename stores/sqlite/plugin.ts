import { z } from 'zod';
import { defineStateStore } from '../../src/core/plugin.js';
import type { StateStore } from '../../src/store/store.js';

/** The SQLite state store (one instance; its file under dataDir). */
export const sqliteStorePlugin = defineStateStore({
  type: 'sqlite',
  description: 'the ledger, outbox, cursors and runs in one SQLite file',
  config: z.object({ path: z.string().default('state.db') }).strict(),
  // loaded on use: the native module is not needed to validate a configuration
  create: async (_config, context): Promise<StateStore> => (await import('./worker-store.js')).openStateStore(context.path),
});
