import type { CheckResult, ColumnInfo, ProbeResult, ReadOptions, SourceConnector, StreamDescriptor } from '../../src/core/connector.js';
import type { CursorValue } from '../../src/core/cursor.js';
import { ConfigError, LienthongError } from '../../src/core/errors.js';
import type { SourceRecord } from '../../src/core/records.js';
import { parseSqlSourceConfig, type SqlSourceConfig, type SqlStreamConfig } from './config.js';
import { createSqlDriver } from './create-driver.js';
import { parameterNames } from './dialect.js';
import type { SqlDriver, StreamOptions } from './driver.js';
import { toJsonSafeRow } from './json-safe.js';
import { KEYS_PER_STATEMENT, keyBatchQuery } from './key-filter.js';
import { redactUrl } from './redact-url.js';
import { driverMessage } from './sql-errors.js';
import { trimStatement } from './statement-guard.js';
import { checkCursorConfig, RowCursor, startingWatermark } from './stream-cursor.js';
import { TypedBind } from './typed-cursor.js';

/** The parameter every incremental query compares its cursor column with. */
export const WATERMARK_PARAM = 'watermark';

/**
 * A source that reads user-written SELECTs from SQLite, PostgreSQL, MySQL/MariaDB, SQL Server or
 * Oracle, one stream per query (Airbyte-style: check, streams, read, plus probe and readKeys).
 * Incremental streams bind the saved cursor, less the stream's lookback window, to `:watermark`,
 * typed as the cursor column; a full refresh binds the initial cursor or the type's lowest value,
 * so one query serves both modes. The query is probed first (no row read) so a missing key or
 * cursor column stops the read before any row. The connection opens on first use and stays open
 * until `close()`.
 */
export class SqlSource implements SourceConnector {
  readonly type = 'sql';
  private driver: SqlDriver | null;
  private readonly probes = new Map<string, ProbeResult>();

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

  /** The stream's result columns and their types, without reading a row (cached for this connector's life). */
  async probe(streamName: string, signal?: AbortSignal): Promise<ProbeResult> {
    const stream = this.findStream(streamName);
    const cached = this.probes.get(stream.name);
    if (cached) return cached;
    const driver = await this.getDriver();
    // the watermark's type is what the probe finds out: bind an untyped NULL (no row is read)
    const columns = await driver.describe(trimStatement(stream.query, this.config.driver), { [WATERMARK_PARAM]: null }, streamOptions(stream, signal));
    const result: ProbeResult = { stream: stream.name, columns };
    this.probes.set(stream.name, result);
    return result;
  }

  /**
   * Everything a run would find wrong with the stream before reading a row: the query (probed),
   * the key and cursor columns, the cursor column's type, initialCursor and lookback against it.
   * Throws the ConfigError a run would; `check` and `validate` call it.
   */
  async checkStream(streamName: string, signal?: AbortSignal): Promise<ProbeResult> {
    const stream = this.findStream(streamName);
    const plan = await this.plan(stream, signal);
    const probe = await this.probe(stream.name, signal);
    if (plan.cursor !== undefined && isIncremental(stream, this.config.driver)) {
      // startingWatermark checks initialCursor and lookback; the probe bound an untyped NULL, and
      // the query must also take the watermark as the run binds it
      const watermark = startingWatermark(stream, this.config.driver, plan.cursor, null);
      const driver = await this.getDriver();
      await driver.describe(trimStatement(stream.query, this.config.driver), { [WATERMARK_PARAM]: watermark }, streamOptions(stream, signal));
    } else if (plan.cursor !== undefined) {
      checkCursorConfig(stream, this.config.driver, plan.cursor);
    }
    return probe;
  }

  async *read(options: ReadOptions): AsyncIterable<SourceRecord> {
    const stream = this.findStream(options.stream);
    const plan = await this.plan(stream, options.signal);
    const incremental = options.mode === 'incremental' && isIncremental(stream, this.config.driver);
    const watermark =
      plan.cursor === undefined
        ? (stream.initialCursor ?? '')
        : startingWatermark(stream, this.config.driver, plan.cursor, incremental ? (options.cursor ?? null) : null);
    const driver = await this.getDriver();
    const rows = driver.stream(trimStatement(stream.query, this.config.driver), { [WATERMARK_PARAM]: watermark }, streamOptions(stream, options.signal));
    yield* this.records(stream, plan, rows, options.signal);
  }

  /**
   * The current rows of `keys`, whatever their cursor: the query wrapped as a derived table with
   * the watermark at its type's lowest value, filtered on the key, KEYS_PER_STATEMENT keys at a time.
   */
  async *readKeys(streamName: string, keys: string[], signal?: AbortSignal): AsyncIterable<SourceRecord> {
    const stream = this.findStream(streamName);
    const plan = await this.plan(stream, signal);
    const first = plan.keyColumns[0] as ColumnInfo;
    // every row passes the watermark: its type's lowest value (a stream without cursor binds as read does)
    const watermark = plan.cursor === undefined ? (stream.initialCursor ?? '') : new TypedBind(plan.cursor.cursorType ?? 'integer', null, plan.cursor.dbType);
    const driver = await this.getDriver();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += KEYS_PER_STATEMENT) {
      const batch = unique.slice(i, i + KEYS_PER_STATEMENT);
      const wanted = new Set(batch);
      const q = keyBatchQuery(trimStatement(stream.query, this.config.driver), this.config.driver, first, batch, plan.keyColumns.length);
      const rows = driver.stream(q.sql, { ...q.params, [WATERMARK_PARAM]: watermark }, streamOptions(stream, signal));
      // the SQL filter is only wide enough; the exact key decides
      for await (const record of this.records(stream, plan, rows, signal)) if (wanted.has(record.key)) yield record;
    }
  }

  async close(): Promise<void> {
    const driver = this.driver;
    this.driver = null;
    await driver?.close();
  }

  private findStream(name: string): SqlStreamConfig {
    const stream = this.config.streams.find((s) => s.name === name);
    if (!stream) {
      throw new ConfigError('SQL_UNKNOWN_STREAM', `sql source has no stream named '${name}'`, { connector: 'sql', stream: name });
    }
    return stream;
  }

  private async plan(stream: SqlStreamConfig, signal: AbortSignal | undefined): Promise<ReadPlan> {
    const plan = resolveColumns(stream, (await this.probe(stream.name, signal)).columns);
    if (plan.cursor !== undefined && plan.cursor.cursorType === undefined && this.config.driver !== 'sqlite') {
      throw new ConfigError(
        'SQL_CURSOR_TYPE_UNSUPPORTED',
        `stream '${stream.name}': the cursor field '${plan.cursor.name}' is a ${plan.cursor.dbType} column; a cursor must be a timestamp, date, whole number or text column`,
        { connector: 'sql', stream: stream.name, field: plan.cursor.name },
      );
    }
    return plan;
  }

  /** Rows made JSON-safe, keyed, with their typed cursor. */
  private async *records(
    stream: SqlStreamConfig,
    plan: ReadPlan,
    rows: AsyncIterable<Record<string, unknown>>,
    signal: AbortSignal | undefined,
  ): AsyncIterable<SourceRecord> {
    const keyNames = plan.keyColumns.map((c) => c.name);
    const cursor = plan.cursor === undefined ? undefined : new RowCursor(stream.name, this.config.driver, plan.cursor);
    for await (const raw of rows) {
      signal?.throwIfAborted();
      const data = toJsonSafeRow(raw);
      const record: SourceRecord = { stream: stream.name, key: recordKey(data, keyNames), data };
      if (cursor !== undefined) record.cursorValue = cursor.of(raw, record.key) satisfies CursorValue | null;
      yield record;
    }
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


function streamOptions(stream: SqlStreamConfig, signal: AbortSignal | undefined): StreamOptions {
  return signal === undefined ? { stream: stream.name } : { stream: stream.name, signal };
}

/** Where a stream's key and cursor are in its result, found by the probe before any row is read. */
interface ReadPlan {
  keyColumns: ColumnInfo[];
  /** the cursor column; undefined when the stream has no cursor field */
  cursor: ColumnInfo | undefined;
}

/**
 * Finds the configured key and cursor columns among the probed ones. Databases fold unquoted names
 * (PostgreSQL to lower case, Oracle to upper case), so an exact match is tried first, then a
 * case-insensitive one. A missing column is a config error: every row would lack it.
 */
function resolveColumns(stream: SqlStreamConfig, columns: ColumnInfo[]): ReadPlan {
  const names = columns.map((c) => c.name);
  const find = (field: string, role: string): ColumnInfo => {
    const found = columns.find((c) => c.name === field) ?? columns.find((c) => c.name.toLowerCase() === field.toLowerCase());
    if (found !== undefined) return found;
    throw new ConfigError(
      'SQL_COLUMN_MISSING',
      `stream '${stream.name}': the ${role} '${field}' is not a column of the query (columns: ${names.join(', ')})`,
      { connector: 'sql', stream: stream.name, field },
    );
  };
  return {
    keyColumns: stream.keyFields.map((f) => find(f, 'key field')),
    cursor: stream.cursorField === undefined ? undefined : find(stream.cursorField, 'cursor field'),
  };
}

/** Key fields joined by '|'; a NULL part is written as the empty string. */
export function recordKey(row: Record<string, unknown>, keys: string[]): string {
  return keys
    .map((k) => {
      const v = row[k];
      if (v === null || v === undefined) return '';
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    })
    .join('|');
}
