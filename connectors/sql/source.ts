import type { CheckResult, ReadOptions, SourceConnector, StreamDescriptor } from '../../src/core/connector.js';
import { ConfigError, LienthongError } from '../../src/core/errors.js';
import type { SourceRecord } from '../../src/core/records.js';
import { parseSqlSourceConfig, type SqlSourceConfig, type SqlStreamConfig } from './config.js';
import { createSqlDriver } from './create-driver.js';
import { parameterNames } from './dialect.js';
import type { SqlDriver } from './driver.js';
import { toCursorValue, toJsonSafeRow } from './json-safe.js';
import { redactUrl } from './redact-url.js';
import { driverMessage } from './sql-errors.js';

/** The parameter every incremental query compares its cursor column with. */
export const WATERMARK_PARAM = 'watermark';

/**
 * A source that reads user-written SELECTs from SQLite, PostgreSQL, MySQL/MariaDB, SQL Server or
 * Oracle, one stream per query (Airbyte-style: check, streams, read). Incremental streams bind the
 * saved cursor to `:watermark`; a full refresh binds the stream's initial cursor, so one query
 * serves both modes. The connection opens on first use and stays open until `close()`.
 */
export class SqlSource implements SourceConnector {
  readonly type = 'sql';
  private driver: SqlDriver | null;

  constructor(
    readonly config: SqlSourceConfig,
    driver?: SqlDriver,
  ) {
    this.driver = driver ?? null;
  }

  async check(): Promise<CheckResult> {
    try {
      const driver = await this.getDriver();
      await driver.connect();
      await driver.ping();
      return { ok: true, message: `connected to ${this.config.driver} at ${redactUrl(this.config.url)}` };
    } catch (err) {
      const message = err instanceof LienthongError ? err.message : driverMessage(err);
      return { ok: false, message, kind: err instanceof LienthongError ? err.kind : undefined };
    }
  }

  async streams(): Promise<StreamDescriptor[]> {
    return this.config.streams.map((s) => {
      const descriptor: StreamDescriptor = {
        name: s.name,
        keyFields: [...s.keyFields],
        supportsIncremental: isIncremental(s, this.config.driver),
      };
      if (s.cursorField !== undefined) descriptor.cursorField = s.cursorField;
      return descriptor;
    });
  }

  async *read(options: ReadOptions): AsyncIterable<SourceRecord> {
    const stream = this.config.streams.find((s) => s.name === options.stream);
    if (!stream) {
      throw new ConfigError('SQL_UNKNOWN_STREAM', `sql source has no stream named '${options.stream}'`, {
        connector: 'sql',
        stream: options.stream,
      });
    }
    const initial = stream.initialCursor ?? '';
    // a stream without a cursor column is always read in full, whatever the mode
    const watermark =
      options.mode === 'incremental' && isIncremental(stream, this.config.driver) ? (options.cursor ?? initial) : initial;
    const driver = await this.getDriver();
    const rows = driver.stream(
      stripTrailingSemicolon(stream.query),
      { [WATERMARK_PARAM]: watermark },
      options.signal === undefined ? { stream: stream.name } : { stream: stream.name, signal: options.signal },
    );
    let columns: RowColumns | null = null;
    for await (const raw of rows) {
      options.signal?.throwIfAborted();
      const data = toJsonSafeRow(raw);
      columns ??= resolveColumns(stream, data);
      const record: SourceRecord = { stream: stream.name, key: recordKey(data, columns.keys), data };
      if (columns.cursor !== undefined) record.cursorValue = toCursorValue(data[columns.cursor]);
      yield record;
    }
  }

  async close(): Promise<void> {
    const driver = this.driver;
    this.driver = null;
    await driver?.close();
  }

  private async getDriver(): Promise<SqlDriver> {
    this.driver ??= await createSqlDriver(this.config.driver, {
      url: this.config.url,
      fetchSize: this.config.fetchSize,
      connectTimeoutMs: this.config.connectTimeoutMs,
    });
    return this.driver;
  }
}

/** Validates the raw config (zod) and builds the source. */
export function createSqlSource(rawConfig: unknown, driver?: SqlDriver): SqlSource {
  return new SqlSource(parseSqlSourceConfig(rawConfig), driver);
}

function isIncremental(stream: SqlStreamConfig, dialect: SqlSourceConfig['driver']): boolean {
  return stream.cursorField !== undefined && parameterNames(stream.query, dialect).includes(WATERMARK_PARAM);
}

function stripTrailingSemicolon(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '');
}

interface RowColumns {
  keys: string[];
  cursor: string | undefined;
}

/**
 * Finds the configured key and cursor columns in the first row. Databases fold unquoted names
 * (PostgreSQL to lower case, Oracle to upper case), so an exact match is tried first, then a
 * case-insensitive one. A missing column is a config error: every row would lack it.
 */
function resolveColumns(stream: SqlStreamConfig, row: Record<string, unknown>): RowColumns {
  const names = Object.keys(row);
  const find = (field: string, role: string): string => {
    if (Object.prototype.hasOwnProperty.call(row, field)) return field;
    const folded = names.find((n) => n.toLowerCase() === field.toLowerCase());
    if (folded !== undefined) return folded;
    throw new ConfigError(
      'SQL_COLUMN_MISSING',
      `stream '${stream.name}': the ${role} '${field}' is not a column of the query (columns: ${names.join(', ')})`,
      { connector: 'sql', stream: stream.name, field },
    );
  };
  return {
    keys: stream.keyFields.map((f) => find(f, 'key field')),
    cursor: stream.cursorField === undefined ? undefined : find(stream.cursorField, 'cursor field'),
  };
}

/** Key fields joined by '|'; a NULL part is written as the empty string. */
function recordKey(row: Record<string, unknown>, keys: string[]): string {
  return keys
    .map((k) => {
      const v = row[k];
      if (v === null || v === undefined) return '';
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    })
    .join('|');
}
