import { isAbsolute, resolve } from 'node:path';
import { BugError } from '../../src/core/errors.js';
import { defineDestination } from '../../src/core/plugin.js';
import { resolveSecret } from '../../src/core/secret-reference.js';
import { loadTemplateRegistry } from '../../src/cim/templates.js';
import { cimKioskConnectionSchema } from './config.js';
import type { CimKioskDestination } from './destination.js';
import { encodeChange, KIOSK_ANSWERS } from './encoding.js';

/** the connector's class, loaded by `prepare` (its HTTP client is not needed to read a configuration) */
let Destination: typeof CimKioskDestination | undefined;

/** `config/lienthong.yaml: connections.kiosks` → `kiosks`: the lanes in the state store are keyed by it */
function connectionName(contextName: string): string {
  const match = /connections\.([^:\s]+)$/.exec(contextName);
  return match ? (match[1] as string) : contextName;
}

/**
 * CIM kiosks as a destination: student snapshots and the template registry, pushed to every
 * kiosk through a store-and-forward lane of its own (this folder's README, docs/cim.md#kiosks).
 */
export const cimKioskPlugin = defineDestination({
  type: 'cim-kiosk',
  description: 'CIM certificate kiosks (templates and student snapshots, store-and-forward per kiosk)',
  config: cimKioskConnectionSchema,
  encode: encodeChange,
  answers: KIOSK_ANSWERS,
  async prepare() {
    Destination ??= (await import('./destination.js')).CimKioskDestination;
  },
  create(config, context) {
    if (!Destination) throw new BugError('PLUGIN_NOT_PREPARED', 'the cim-kiosk plugin was created before it was prepared', { connector: 'cim-kiosk' });
    const name = connectionName(context.name);
    const kiosks = config.kiosks.map((k, i) => ({ ...k, token: resolveSecret(k.token, context.baseDir, { path: `connections.${name}.kiosks.${i}.token` }) }));
    const templatesDir = isAbsolute(config.templatesDir) ? config.templatesDir : resolve(context.baseDir, config.templatesDir);
    return new Destination({ connection: name, kiosks, templates: loadTemplateRegistry(templatesDir), pageSize: config.pageSize });
  },
});
