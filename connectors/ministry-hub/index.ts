export { MinistryHubDestination, idempotencyKeyOf, serializeBatch, toWriteResults } from './destination.js';
export { HubClient } from './hub-client.js';
export {
  DEFAULT_HUB_PATHS,
  ministryHubConfigSchema,
  parseMinistryHubConfig,
  type MinistryHubConfig,
  type MinistryHubConfigInput,
} from './config.js';
export { errorForNoAnswer, errorForStatus, parseRetryAfter } from './http-errors.js';
export type { BatchAnswer, HubRecord, RecordsPage } from './answers.js';
