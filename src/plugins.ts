import { z } from 'zod';
import { defineStateStore } from './core/plugin.js';
import { PluginRegistry } from './core/registry.js';
import type { StateStore } from './store/store.js';
import { ministryHubPlugin } from '../connectors/ministry-hub/plugin.js';
import { sqlSourcePlugin } from '../connectors/sql/plugin.js';
import { hocbaSignTransform } from '../transforms/hocba-sign/plugin.js';

/**
 * The built-in plugins: adding a connector, a transform or a store is one line here (and its own
 * folder). Configuration validation, job references, `check`, secrets and masking all read this
 * registry.
 */

/** The SQLite state store (one instance; its file under dataDir). */
export const sqliteStore = defineStateStore({
  type: 'sqlite',
  description: 'the ledger, outbox, cursors and runs in one SQLite file',
  config: z.object({ path: z.string().default('state.db') }).strict(),
  // loaded on use: the native module is not needed to validate a configuration
  create: async (_config, context): Promise<StateStore> => (await import('./store/worker-store.js')).openStateStore(context.path),
});

/** Every plugin this installation knows. Tests may register their own (and unregister them). */
export const plugins = new PluginRegistry().register(sqlSourcePlugin, ministryHubPlugin, hocbaSignTransform, sqliteStore);
