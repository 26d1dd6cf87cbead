import { BugError } from '../../src/core/errors.js';
import { defineDestination } from '../../src/core/plugin.js';
import { vneidCredentialConnectionSchema } from './config.js';
import { encodeCredential } from './credential.js';
import type { VneidCredentialDestination } from './destination.js';

/** the connector's class, loaded by `prepare` (the soap package is not needed to read a configuration) */
let Destination: typeof VneidCredentialDestination | undefined;

/** What each of the service's answers means for a record (the plugin's `answers`). */
export const VNEID_ANSWERS = {
  '00': 'delivered: published (or revoked); the credentialId is kept as the receipt',
  '01': 'delivered: already published with the same credentialKey and documentHash (its credentialId is kept)',
  '10': 'rejected: a field refused (VNEID_INVALID_FIELD, naming the field)',
  '11': 'rejected: the personal id is unknown to the population database (VNEID_PERSONAL_ID_UNKNOWN: a data fix)',
  '20': 'stops the job: the unit is not authorised (VNEID_UNIT_NOT_AUTHORISED)',
  '90, 99': 'transient: busy or failing; retried with backoff under the same message id',
  'SOAP Fault, HTTP 5xx, timeout, reset': 'transient (VNEID_FAULT, VNEID_UNAVAILABLE, VNEID_TIMEOUT, VNEID_NETWORK)',
  MessageExpired: 'sent again at once with a fresh header; twice in a row stops the job (VNEID_CLOCK_SKEW)',
} as const;

/**
 * The VNeID-facing credential service (SOAP, X-Road headers, WS-Security) as a destination: its
 * connection options (this folder's README), its request as the outbox text, what its answers mean.
 */
export const vneidCredentialPlugin = defineDestination({
  type: 'vneid-credential',
  description: 'the VNeID-facing credential service (SOAP 1.1, X-Road headers, WS-Security): publishes and revokes credential summaries',
  config: vneidCredentialConnectionSchema,
  encode: encodeCredential,
  answers: VNEID_ANSWERS,
  async prepare() {
    Destination ??= (await import('./destination.js')).VneidCredentialDestination;
  },
  create(config, context) {
    if (!Destination) throw new BugError('PLUGIN_NOT_PREPARED', 'the vneid-credential plugin was created before it was prepared', { connector: 'vneid-credential' });
    return new Destination({ ...config, name: context.name });
  },
});
