export { SqlSource, createSqlSource, WATERMARK_PARAM } from './source.js';
export {
  SqlSourceConfigSchema,
  SqlStreamConfigSchema,
  parseSqlSourceConfig,
  type SqlSourceConfig,
  type SqlSourceConfigInput,
  type SqlStreamConfig,
} from './config.js';
export { compileNamedQuery, parameterNames, DIALECTS, type CompiledQuery, type Dialect } from './dialect.js';
export type { SqlDriver, StreamOptions, DriverOptions } from './driver.js';
export { createSqlDriver } from './create-driver.js';
export { redactUrl } from './redact-url.js';
export { toJsonSafe, toJsonSafeRow } from './json-safe.js';
