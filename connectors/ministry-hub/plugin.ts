import { BugError } from '../../src/core/errors.js';
import { defineDestination } from '../../src/core/plugin.js';
import { ministryHubConnectionSchema } from './config.js';
import type { MinistryHubDestination } from './destination.js';
import { HUB_ANSWERS, encodeEnvelope, reversionEnvelope } from './envelope.js';

/** the connector's class, loaded by `prepare` (its HTTP client is not needed to read a configuration) */
let Destination: typeof MinistryHubDestination | undefined;

/**
 * The ministry data hub as a destination: its connection options (this folder's README), its
 * record envelope as the wire format, and what its answers mean.
 */
export const ministryHubPlugin = defineDestination({
  type: 'ministry-hub',
  description: 'the ministry data hub (OAuth2 client credentials, batches of record envelopes)',
  config: ministryHubConnectionSchema,
  encode: encodeEnvelope,
  reversion: reversionEnvelope,
  answers: HUB_ANSWERS,
  // the hub authenticates a unit: a job sending there sends for that unit unless it says otherwise
  unitCodeOf: (config) => config.unitCode,
  async prepare() {
    Destination ??= (await import('./destination.js')).MinistryHubDestination;
  },
  create(config, context) {
    if (!Destination) throw new BugError('PLUGIN_NOT_PREPARED', 'the ministry-hub plugin was created before it was prepared', { connector: 'ministry-hub' });
    // `name` makes HUB_INSECURE_HTTP and the plain-http warning of every run name the connection
    return new Destination({ ...config, name: context.name });
  },
});
