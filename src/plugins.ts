import { PluginRegistry } from './core/registry.js';
import { ministryHubPlugin } from '../connectors/ministry-hub/plugin.js';
import { sqlSourcePlugin } from '../connectors/sql/plugin.js';
import { signedHocBaFolderPlugin } from '../connectors/signed-hocba-folder/plugin.js';
import { vneidCredentialPlugin } from '../connectors/vneid-credential/plugin.js';
import { sqliteStorePlugin } from '../stores/sqlite/plugin.js';
import { hocbaSignTransform } from '../transforms/hocba-sign/plugin.js';
import { hocbaVerifyTransform } from '../transforms/hocba-verify/plugin.js';

/**
 * The built-in plugins: adding a connector, a transform or a store is one line here (and its own
 * folder). Configuration validation, job references, `check`, secrets and masking all read this
 * registry.
 */

/** Every plugin this installation knows. Tests may register their own (and unregister them). */
export const plugins = new PluginRegistry().register(sqlSourcePlugin, signedHocBaFolderPlugin, ministryHubPlugin, vneidCredentialPlugin, hocbaSignTransform, hocbaVerifyTransform, sqliteStorePlugin);
