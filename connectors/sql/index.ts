export { SqlSource, createSqlSource, recordKey, WATERMARK_PARAM } from './source.js';
export { assertSingleSelect, splitWithClause, trimStatement } from './statement-guard.js';
export { checkCursorConfig, startingWatermark } from './stream-cursor.js';
export { KEYS_PER_STATEMENT } from './key-filter.js';
export { TypedBind, coerceCursor, cursorFromValue } from './typed-cursor.js';
export {
  SqlConnectionConfigSchema,
  SqlSourceConfigSchema,
  SqlStreamOptionsSchema,
  SqlStreamConfigSchema,
  parseSqlSourceConfig,
  type SqlConnectionConfig,
  type SqlSourceConfig,
  type SqlSourceConfigInput,
  type SqlStreamConfig,
} from './config.js';
export { compileNamedQuery, parameterNames, DIALECTS, type CompiledQuery, type Dialect } from './dialect.js';
export type { SqlDriver, StreamOptions, DriverOptions } from './driver.js';
export { createSqlDriver } from './create-driver.js';
export { redactUrl } from './redact-url.js';
export { toJsonSafe, toJsonSafeRow } from './json-safe.js';
export { sqlSourcePlugin } from './plugin.js';
