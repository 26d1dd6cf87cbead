export { MinistryHubDestination, toDeliveryAnswers } from './destination.js';
export { HUB_ANSWERS, answerOf, encodeEnvelope, idempotencyKeyOf, serializeBatch, serializeEnvelope, type RecordEnvelope } from './envelope.js';
export { ministryHubPlugin } from './plugin.js';
export { HubClient } from './hub-client.js';
export {
  DEFAULT_HUB_PATHS,
  ministryHubConfigSchema,
  ministryHubConnectionSchema,
  parseMinistryHubConfig,
  type MinistryHubConfig,
  type MinistryHubConfigInput,
} from './config.js';
export { errorForNoAnswer, errorForStatus, parseRetryAfter } from './http-errors.js';
export type { BatchAnswer, HubRecord, RecordsPage } from './answers.js';
