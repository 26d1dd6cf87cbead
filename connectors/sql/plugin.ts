import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { defineSource } from '../../src/core/plugin.js';
import { SqlConnectionConfigSchema, SqlStreamOptionsSchema } from './config.js';
import { createSqlSource } from './source.js';
import { assertSingleSelect } from './statement-guard.js';

/**
 * SQL databases as a source: the connection (`driver`, `url`, …) and, per job, the stream (`query`,
 * `keyFields`, `cursorField`, …). Options are documented in this folder's README.
 */
export const sqlSourcePlugin = defineSource({
  type: 'sql',
  description: 'SQLite, PostgreSQL, MySQL/MariaDB, SQL Server or Oracle, read with your SELECT',
  config: SqlConnectionConfigSchema,
  stream: SqlStreamOptionsSchema,
  // a source runs one read-only SELECT: a DELETE or an UPDATE is refused at load, before any connection
  checkStream(stream, config) {
    try {
      assertSingleSelect(stream.query, config.driver);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(err.code, err.message, { ...err.context, path: 'query' }, { cause: err });
      throw err;
    }
  },
  create(config, context) {
    // a SQLite path is relative to the configuration file, as every path of it
    const url = config.driver === 'sqlite' && !isAbsolute(config.url) && config.url !== ':memory:' ? resolve(context.baseDir, config.url) : config.url;
    return createSqlSource({ ...config, url, streams: context.streams });
  },
});
